// Runs a Dockerfile's build the way `docker build` would, without a Docker engine (none runs on our
// machines): each stage is a directory standing for its WORKDIR, COPY copies from the build
// context or (with --from) from an earlier stage, RUN runs in the stage directory. The base
// images are replaced by this machine's Node 24, which is what they provide. Enough to catch a
// broken recipe: a missing file, a failing install or build, an entry point that does not start.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Stage {
  name: string;
  from: string;
  dir: string;
  user?: string;
  cmd?: string[];
  env: Record<string, string>;
}

export interface DockerfileBuild {
  /** The scratch directory holding every stage; the caller removes it. */
  root: string;
  stages: Stage[];
  final: Stage;
  steps: string[];
}

export async function buildDockerfile(
  context: string,
  dockerfile = 'Dockerfile',
  env: NodeJS.ProcessEnv = process.env,
): Promise<DockerfileBuild> {
  const text = (await readFile(join(context, dockerfile), 'utf8')).replace(/\\\n/g, ' ');
  const root = await mkdtemp(join(tmpdir(), 'cdo-image-'));
  const stages: Stage[] = [];
  const steps: string[] = [];
  let stage: Stage | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [instr = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    switch (instr.toUpperCase()) {
      case 'FROM': {
        const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
        stage = { name: m?.[2] ?? `stage${stages.length}`, from: m?.[1] ?? args, dir: join(root, `stage${stages.length}`), env: {} };
        await mkdir(stage.dir, { recursive: true });
        stages.push(stage);
        break;
      }
      case 'WORKDIR':
        break; // each stage directory stands for its WORKDIR
      case 'ENV': {
        const [k, v] = args.split('=');
        if (stage && k) stage.env[k] = v ?? '';
        break;
      }
      case 'COPY': {
        if (!stage) throw new Error('COPY before FROM');
        const parts = args.split(/\s+/);
        const fromFlag = parts[0]?.startsWith('--from=') ? parts.shift()!.slice('--from='.length) : undefined;
        const dest = parts.pop()!;
        const source = fromFlag ? stages.find((s) => s.name === fromFlag)?.dir : context;
        if (!source) throw new Error(`COPY --from=${fromFlag}: no such stage`);
        for (const src of parts) {
          const target =
            dest.endsWith('/') || parts.length > 1
              ? join(
                  stage.dir,
                  dest.replace(/^\/app\/?/, ''),
                  src
                    .replace(/^\/app\//, '')
                    .split('/')
                    .pop()!,
                )
              : join(stage.dir, dest.replace(/^\/app\/?/, '').replace(/^\.\/?/, '') || src);
          await mkdir(dirname(target), { recursive: true });
          await cp(join(source, src.replace(/^\/app\//, '')), target, { recursive: true });
        }
        steps.push(line);
        break;
      }
      case 'RUN':
        if (!stage) throw new Error('RUN before FROM');
        await run('sh', ['-c', args], { cwd: stage.dir, env: { ...env, ...stage.env }, maxBuffer: 64 << 20 });
        steps.push(line);
        break;
      case 'USER':
        if (stage) stage.user = args;
        break;
      case 'CMD':
        if (stage) stage.cmd = JSON.parse(args) as string[];
        break;
      default:
        break; // EXPOSE, LABEL …: nothing to do outside a container
    }
  }
  if (!stage) throw new Error('no stages');
  return { root, stages, final: stage, steps };
}
