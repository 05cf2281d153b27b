// --help on the operator (src/main.ts) and on the plugin (bin/kubectl-cdo, and per command): what
// they print, that they exit 0 without connecting anywhere (no kubeconfig at all), and that
// unknown flags and commands fail with exit code 2.
import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { operatorUsage, settings } from '../../../src/config-help.ts';
import { configSchema } from '../../../src/config.ts';

const run = promisify(execFile);
const main = new URL('../../../src/main.ts', import.meta.url).pathname;
const plugin = new URL('../../../bin/kubectl-cdo', import.meta.url).pathname;

let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  // No kubeconfig anywhere: anything that tried to connect would fail.
  const home = await mkdtemp(join(tmpdir(), 'cdo-help-'));
  env = { PATH: process.env['PATH'], HOME: home, KUBECONFIG: join(home, 'absent') };
});

describe('operator --help', () => {
  it('lists every setting of the configuration schema: variable, flag, default and meaning', () => {
    const text = operatorUsage();
    expect(settings().map((s) => s.env)).toEqual(Object.keys(configSchema.shape));
    for (const s of settings()) {
      expect(text).toContain(`${s.flag}=VALUE, ${s.env}`);
      expect(text).toContain(s.description);
    }
    expect(text).toContain('--workers=VALUE, CDO_WORKERS (default: 4)');
    expect(text).toContain('--watch-namespaces=VALUE, CDO_WATCH_NAMESPACES (default: empty)');
    expect(text).toMatch(/--kakaocloud-default-credentials=VALUE, CDO_KAKAOCLOUD_DEFAULT_CREDENTIALS\n/);
  });

  it('node src/main.ts --help prints it and exits 0 without connecting; -h too', async () => {
    for (const flag of ['--help', '-h']) {
      const { stdout } = await run(process.execPath, [main, flag], { env });
      expect(stdout).toBe(operatorUsage());
    }
  });

  it('an unknown flag stops it with exit code 2, pointing at --help', async () => {
    await expect(run(process.execPath, [main, '--no-such-setting=1'], { env })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/Unknown option '--no-such-setting'[\s\S]*--help lists every setting/),
    });
  });
});

describe('kubectl cdo --help', () => {
  it('the plugin lists every command; each command has its own', async () => {
    const { stdout } = await run(plugin, ['--help'], { env });
    for (const usage of [
      'kubectl cdo plan -f FILE',
      'kubectl cdo import hadoop-eco|kafka CLUSTER --secret SECRET',
      'kubectl cdo status [KIND/NAME]',
    ])
      expect(stdout).toContain(usage);
    const importHelp = (await run(plugin, ['import', '--help'], { env })).stdout;
    expect(importHelp).toContain('kubectl cdo import hadoop-eco|kafka');
    expect(importHelp).not.toContain('kubectl cdo plan');
    expect((await run(plugin, ['status', '-h'], { env })).stdout).toMatch(/^Usage:\n {2}kubectl cdo status/);
    expect((await run(plugin, ['plan', '--help'], { env })).stdout).toMatch(/^Usage:\n {2}kubectl cdo plan/);
  });

  it('usage errors exit 2 with the command’s usage', async () => {
    await expect(run(plugin, ['destroy'], { env })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown command destroy'),
    });
    await expect(run(plugin, ['--bogus'], { env })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("Unknown option '--bogus'"),
    });
    await expect(run(plugin, ['import', 'redis', 'x', '--secret', 's'], { env })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/kind must be hadoop-eco or kafka[\s\S]*Usage:\n {2}kubectl cdo import/),
    });
    await expect(run(plugin, ['status', '-A', 'hec/x'], { env })).rejects.toMatchObject({ code: 2 });
    await expect(run(plugin, ['plan'], { env })).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('-f FILE is required') });
  });
});

describe('bin/kubectl-cdo installed from the package', () => {
  it('the package ships bin/ and the compiled dist/, built when packed', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8'));
    expect(pkg.bin['kubectl-cdo']).toBe('bin/kubectl-cdo');
    expect(pkg.files).toEqual(expect.arrayContaining(['bin/', 'dist/']));
    expect(pkg.scripts.prepack).toBe('npm run build');
  });

  it('without the checkout’s Node beside it, runs dist/ with a Node 24 from the PATH, through npm’s symlink', async () => {
    // The package's layout: bin/ and dist/, no node_modules/.bin/node (a dev dependency).
    const pkg = await mkdtemp(join(tmpdir(), 'cdo-pkg-'));
    await mkdir(join(pkg, 'bin'));
    await mkdir(join(pkg, 'dist', 'cli'), { recursive: true });
    await copyFile(plugin, join(pkg, 'bin', 'kubectl-cdo'));
    await chmod(join(pkg, 'bin', 'kubectl-cdo'), 0o755);
    await writeFile(join(pkg, 'dist', 'cli', 'kubectl-cdo.js'), "console.log('dist:', process.argv.slice(2).join(' '));\n");
    const links = await mkdtemp(join(tmpdir(), 'cdo-bin-'));
    await symlink(join(pkg, 'bin', 'kubectl-cdo'), join(links, 'kubectl-cdo'));
    const { stdout } = await run(join(links, 'kubectl-cdo'), ['status', '-A'], {
      env: { PATH: `${dirname(process.execPath)}:/usr/bin:/bin` },
    });
    expect(stdout).toBe('dist: status -A\n');
    // Only an older Node on the PATH: it says what it needs instead of failing obscurely.
    const old = await mkdtemp(join(tmpdir(), 'cdo-node20-'));
    await writeFile(join(old, 'node'), '#!/bin/sh\ncase "$1" in -p) echo 20;; *) echo v20.0.0;; esac\n');
    await chmod(join(old, 'node'), 0o755);
    await expect(run(join(links, 'kubectl-cdo'), ['--help'], { env: { PATH: `${old}:/usr/bin:/bin` } })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('needs Node.js 24 or later on the PATH (found: v20.0.0)'),
    });
  });
});
