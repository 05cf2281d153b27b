// What scripts/build-control-plane.sh prints, with a stand-in `go` (test/fixtures/fake-go.sh) so
// that a "cold build" takes seconds: on a cold build, every step numbered with its usual time (the
// script's own estimates, the ones README.md and the demo quote), a line while a step runs long,
// how long each took (wall and CPU) and the total, all on stderr; the bin directories on stdout; on a cache hit,
// one line; on a failed step, which step failed, the compiler's message, and nothing cached; on
// Ctrl-C, nothing left running and no temporary directory left behind.
import { spawn } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../scripts/build-control-plane.sh', import.meta.url));
const fakeGo = fileURLToPath(new URL('../fixtures/fake-go.sh', import.meta.url));
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A temporary cache directory and a PATH whose `go` is the stand-in. */
async function sandbox() {
  const dir = await mkdtemp(join(tmpdir(), 'cdo-build-test-'));
  dirs.push(dir);
  await mkdir(join(dir, 'bin'));
  await copyFile(fakeGo, join(dir, 'bin', 'go'));
  await chmod(join(dir, 'bin', 'go'), 0o755);
  await mkdir(join(dir, 'tmp'));
  return { dir, cache: join(dir, 'cache'), tmp: join(dir, 'tmp'), path: `${join(dir, 'bin')}:${process.env['PATH'] ?? ''}` };
}

function build(env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('bash', [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const estimates = async () => {
  const text = await readFile(script, 'utf8');
  const value = (name: string) => new RegExp(`^${name}="([^"]+)"`, 'm').exec(text)?.[1];
  return {
    total: value('EST_TOTAL'),
    kubeTotal: value('EST_KUBE_TOTAL'),
    kubeApiServer: value('EST_KUBE_APISERVER'),
    kubeControllerManager: value('EST_KUBE_CONTROLLER_MANAGER'),
    etcdModules: value('EST_ETCD_MODULES'),
  };
};

describe('control-plane build script', () => {
  it('says each step of a cold build, its usual time, its progress and its duration; a cache hit prints one line', async () => {
    const { cache, path } = await sandbox();
    const env = { PATH: path, CDO_CACHE_DIR: cache, FAKE_GO_BUILD_SLEEP: '2.2', CDO_BUILD_HEARTBEAT: '1' };
    const est = await estimates();
    const cold = await build(env);
    expect(cold.code, cold.stderr).toBe(0);
    const lines = cold.stderr.trimEnd().split('\n');
    expect(
      lines.every((l) => l.startsWith('[control-plane] ')),
      cold.stderr,
    ).toBe(true);
    expect(cold.stderr).not.toContain('go: downloading'); // a successful go get stays quiet
    expect(lines[1]).toBe(
      `[control-plane] 6 steps, ${est.total} in all on 2 idle cores (longer while other work shares them); later runs start from the cache`,
    );
    const started = lines.filter((l) => / \(usually [^)]+\)$/.test(l)).map((l) => l.replace('[control-plane] ', ''));
    expect(started).toEqual([
      `[1/6] etcd v3.6.16: download Go modules (usually ${est.etcdModules})`,
      expect.stringMatching(/^\[2\/6\] etcd v3\.6\.16: compile and link \(usually .+\)$/),
      expect.stringMatching(/^\[3\/6\] kubernetes v1\.37\.2: download Go modules \(usually .+\)$/),
      `[4/6] kube-apiserver v1.37.2: compile and link (usually ${est.kubeApiServer})`,
      `[5/6] kube-controller-manager v1.37.2: compile and link (usually ${est.kubeControllerManager})`,
      expect.stringMatching(/^\[6\/6\] kubectl v1\.37\.2: compile and link \(usually .+\)$/),
    ]);
    for (const n of [1, 2, 3, 4, 5, 6])
      expect(cold.stderr).toMatch(new RegExp(`\\[${n}/6\\] .*: done in \\d+s, CPU \\d+s \\(build so far \\d+s\\)`));
    // A step longer than the heartbeat says how long it has been running.
    expect(cold.stderr).toMatch(/\[4\/6\] kube-apiserver v1\.37\.2: compile and link: \d+s so far/);
    expect(lines.at(-1)).toMatch(/^\[control-plane\] control plane built in \d+s, CPU \d+s$/);
    expect(cold.stdout).toBe(
      `KUBE_BIN_DIR=${cache}/kubernetes-v1.37.2\nETCD_BIN_DIR=${cache}/etcd-v3.6.16\nKUBE_VERSION=v1.37.2\nETCD_VERSION=v3.6.16\n`,
    );
    for (const bin of [
      'kubernetes-v1.37.2/kube-apiserver',
      'kubernetes-v1.37.2/kube-controller-manager',
      'kubernetes-v1.37.2/kubectl',
      'etcd-v3.6.16/etcd',
    ]) {
      expect((await stat(join(cache, bin))).mode & 0o111).not.toBe(0);
    }

    const warm = await build(env);
    expect(warm.code).toBe(0);
    expect(warm.stderr).toBe(`[control-plane] kube-apiserver kube-controller-manager kubectl v1.37.2, etcd v3.6.16: cached in ${cache}\n`);
    expect(warm.stdout).toBe(cold.stdout);
  });

  it('numbers only the steps left to do, and says when Go will fetch a newer toolchain first', async () => {
    const { cache, path } = await sandbox();
    expect((await build({ PATH: path, CDO_CACHE_DIR: cache })).code).toBe(0);
    await rm(join(cache, 'kubernetes-v1.37.2'), { recursive: true });
    const rebuilt = await build({ PATH: path, CDO_CACHE_DIR: cache, FAKE_GO_VERSION: 'go1.25.4' });
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(rebuilt.stderr).toContain(`[control-plane] 4 steps, ${(await estimates()).kubeTotal} in all`);
    expect(rebuilt.stderr).toContain('go1.25.4 is older than go1.26.0: the first step also downloads the go1.26.0 toolchain');
    expect(rebuilt.stderr).toMatch(/\[1\/4\] kubernetes v1\.37\.2: download Go modules/);
    expect(rebuilt.stderr).toMatch(/\[4\/4\] kubectl v1\.37\.2: compile and link: done in/);
    expect(rebuilt.stderr).not.toContain('etcd v3.6.16: ');

    // A cache from before kube-controller-manager was added: only that binary is built, the others stay.
    const apiserver = await stat(join(cache, 'kubernetes-v1.37.2', 'kube-apiserver'));
    await rm(join(cache, 'kubernetes-v1.37.2', 'kube-controller-manager'));
    const one = await build({ PATH: path, CDO_CACHE_DIR: cache });
    expect(one.code, one.stderr).toBe(0);
    expect(one.stderr).toContain(`[control-plane] 2 steps, about ${(await estimates()).kubeControllerManager} in all`);
    expect(one.stderr).toMatch(/\[2\/2\] kube-controller-manager v1\.37\.2: compile and link: done in/);
    expect(one.stderr).not.toMatch(/kube-apiserver v1\.37\.2: compile|kubectl v1\.37\.2: compile/);
    expect((await stat(join(cache, 'kubernetes-v1.37.2', 'kube-controller-manager'))).mode & 0o111).not.toBe(0);
    expect((await stat(join(cache, 'kubernetes-v1.37.2', 'kube-apiserver'))).mtimeMs).toBe(apiserver.mtimeMs);
  });

  it('names the step that failed, shows the compiler output, and caches nothing of it', async () => {
    const { cache, path } = await sandbox();
    const failed = await build({ PATH: path, CDO_CACHE_DIR: cache, FAKE_GO_FAIL_BUILD: 'k8s.io/kubernetes/cmd/kubectl' });
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toContain('k8s.io/kubernetes/cmd/kubectl: undefined: somethingBroken');
    expect(failed.stderr).toMatch(/\[6\/6\] kubectl v1\.37\.2: compile and link failed after \d+s \(exit code 1\)/);
    expect(failed.stderr).not.toContain('control plane built in');
    expect(failed.stdout).toBe('');
    await expect(stat(join(cache, 'kubernetes-v1.37.2'))).rejects.toThrow();
    expect((await stat(join(cache, 'etcd-v3.6.16', 'etcd'))).isFile()).toBe(true); // the part that did build stays
  });

  it('stops at Ctrl-C in the middle of a step, leaving no process and no temporary directory', async () => {
    const { dir, cache, tmp, path } = await sandbox();
    // Its own process group, signalled as a whole: what Ctrl-C in a terminal (or on the demo) does.
    const child = spawn('bash', [script], {
      env: { ...process.env, PATH: path, CDO_CACHE_DIR: cache, TMPDIR: tmp, FAKE_GO_BUILD_SLEEP: '30' },
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes('[2/6] etcd v3.6.16: compile and link (usually')) process.kill(-child.pid!, 'SIGINT');
    });
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    expect(signal, stderr).toBe('SIGINT');
    expect(await readdir(tmp)).toEqual([]);
    const left: string[] = [];
    for (const pid of (await readdir('/proc')).filter((e) => /^\d+$/.test(e))) {
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      if (cmdline.includes(dir)) left.push(cmdline.replaceAll('\0', ' '));
    }
    expect(left).toEqual([]);
    await expect(stat(join(cache, 'etcd-v3.6.16'))).rejects.toThrow();
  });
});
