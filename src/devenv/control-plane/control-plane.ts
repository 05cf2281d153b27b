// A real etcd + kube-apiserver on loopback, started the way controller-runtime's envtest starts
// them, for integration tests and local runs. No kubelet, scheduler or controller-manager: nothing
// runs pods or garbage-collects, which is what the operator's tests want (they observe the API only).
// A test that needs one of kube-controller-manager's controllers (e.g. ClusterRole aggregation)
// asks for it by name with `controllers`, and gets that controller alone.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { Agent, request } from 'undici';
import { ensureBinaries, type ControlPlaneBinaries } from './binaries.ts';
import { createPki, type Pki } from './pki.ts';
import { freePorts, launch, terminate, trackTempDir, untrackTempDir, waitFor, type ManagedProcess } from './processes.ts';

export const KUBECONFIG_CONTEXT = 'cdo-local';

export interface StartControlPlaneOptions {
  /** Skip `ensureBinaries()` (e.g. when the caller already has the paths). */
  binaries?: ControlPlaneBinaries;
  /** Extra kube-apiserver flags, appended after ours (a later flag wins). */
  apiServerFlags?: readonly string[];
  /** Per-process start timeout; default 120 s (a cold 2-core machine needs ~10 s). */
  startTimeoutMs?: number;
  /**
   * kube-controller-manager controllers to run (its `--controllers`, e.g.
   * `['clusterrole-aggregation-controller']`); none by default, and then no controller-manager
   * is started. It authenticates as the admin and keeps running across stopApiServer().
   */
  controllers?: readonly string[];
}

export interface ExtraApiServer {
  server: string;
  kubeconfigPath: string;
  pid: number;
  stop(): Promise<void>;
}

export interface ControlPlane {
  /** Kubeconfig for user `admin` in group `system:masters`, context `cdo-local`. */
  kubeconfigPath: string;
  /** e.g. `https://127.0.0.1:41234` */
  server: string;
  kubeVersion: string;
  etcdVersion: string;
  /** e.g. `http://127.0.0.1:41235` (plain HTTP, loopback only) */
  etcdUrl: string;
  /**
   * JSON audit log of the primary apiserver (one event per line, level Metadata, RequestReceived
   * stage omitted, non-resource URLs such as /readyz not logged). Count `stage == ResponseComplete`
   * events per `userAgent` to count API requests; watches also log a ResponseStarted event.
   */
  auditLogPath: string;
  /** Directory holding certs, logs, etcd data; removed by stop(). */
  dir: string;
  binaries: ControlPlaneBinaries;
  /** Current PIDs (the apiserver's changes across stopApiServer/startApiServer). 0 = not running. */
  readonly pids: { apiServer: number; etcd: number; controllerManager: number };
  makeKubeConfig(): KubeConfig;
  /** Writes a kubeconfig authenticating as `user` in `groups` (client cert); returns its path. */
  issueKubeconfig(user: string, groups?: readonly string[]): Promise<string>;
  /** Stops the primary apiserver (SIGTERM by default; SIGKILL for a crash). etcd keeps running. */
  stopApiServer(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the primary apiserver again on the same port against the same etcd; waits for /readyz. */
  startApiServer(): Promise<void>;
  /** Starts another apiserver on a new port sharing etcd (to change things while the primary is down). */
  startExtraApiServer(): Promise<ExtraApiServer>;
  /** Sends a signal to the primary apiserver, e.g. SIGSTOP / SIGCONT to make watches go silent. */
  signalApiServer(signal: NodeJS.Signals): void;
  /** Compacts etcd up to its current revision (physical); returns that revision. */
  compactEtcd(): Promise<number>;
  /** Stops everything this control plane started and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

// Metadata for every resource request (who, verb, resource, user agent, response code — no
// bodies); non-resource URLs (/readyz, /healthz, /livez, /version, /openapi, discovery, /metrics)
// are dropped so that probes and discovery don't drown out the requests tests count.
const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived"]
rules:
  - level: None
    nonResourceURLs: ["*"]
  - level: Metadata
`;

interface Tls {
  ca: string;
  cert: string;
  key: string;
}

function kubeconfigYaml(server: string, caPem: string, user: string, certPem: string, keyPem: string): string {
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  // JSON is valid YAML, and both kubectl and client-node read it.
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: KUBECONFIG_CONTEXT, cluster: { server, 'certificate-authority-data': b64(caPem) } }],
    users: [{ name: user, user: { 'client-certificate-data': b64(certPem), 'client-key-data': b64(keyPem) } }],
    contexts: [{ name: KUBECONFIG_CONTEXT, context: { cluster: KUBECONFIG_CONTEXT, user } }],
    'current-context': KUBECONFIG_CONTEXT,
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

async function etcdPost(etcdUrl: string, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${etcdUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`etcd ${path}: HTTP ${String(res.status)}: ${text}`);
  return JSON.parse(text) as unknown;
}

export async function startControlPlane(opts: StartControlPlaneOptions = {}): Promise<ControlPlane> {
  const binaries = opts.binaries ?? (await ensureBinaries());
  const timeoutMs = opts.startTimeoutMs ?? 120_000;
  const dir = await mkdtemp(join(tmpdir(), 'cdo-control-plane-'));
  trackTempDir(dir);
  const started: ManagedProcess[] = [];
  const agents: Agent[] = [];
  let etcd: ManagedProcess | undefined;
  let apiServer: ManagedProcess | undefined;
  let controllerManager: ManagedProcess | undefined;
  const extras = new Set<ExtraApiServer>();
  let stopped = false;

  async function stopAll(): Promise<void> {
    await Promise.all([...extras].map((e) => e.stop()));
    // apiservers before etcd, so they don't spend their shutdown retrying a dead etcd.
    await Promise.all(started.filter((p) => p !== etcd).map((p) => terminate(p)));
    if (etcd) await terminate(etcd);
    await Promise.all(agents.map((a) => a.close()));
    await rm(dir, { recursive: true, force: true });
    untrackTempDir(dir);
  }

  try {
    const pkiDir = join(dir, 'pki');
    const etcdDataDir = join(dir, 'etcd-data');
    await Promise.all([mkdir(pkiDir), mkdir(etcdDataDir)]);
    const pki: Pki = await createPki(pkiDir);
    const [etcdClientPort, etcdPeerPort, apiPort] = (await freePorts(3)) as [number, number, number];
    const etcdUrl = `http://127.0.0.1:${String(etcdClientPort)}`;
    const etcdPeerUrl = `http://127.0.0.1:${String(etcdPeerPort)}`;

    // --- etcd: a single member, no fsync (test data is disposable and fsync dominates latency).
    const etcdArgs = [
      '--name=cdo',
      `--data-dir=${etcdDataDir}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${etcdPeerUrl}`,
      `--initial-advertise-peer-urls=${etcdPeerUrl}`,
      `--initial-cluster=cdo=${etcdPeerUrl}`,
      '--unsafe-no-fsync=true',
    ];
    const startEtcd = launch('etcd', binaries.etcd, etcdArgs, join(dir, 'etcd.log'));
    etcd = startEtcd;
    started.push(startEtcd);
    await waitFor(
      `etcd ${etcdUrl}/health`,
      async () => {
        const res = await fetch(`${etcdUrl}/health`);
        const body = (await res.json()) as { health?: string };
        return res.ok && body.health === 'true';
      },
      [startEtcd],
      timeoutMs,
    );

    // --- kube-apiserver
    const auditPolicyPath = join(dir, 'audit-policy.yaml');
    await writeFile(auditPolicyPath, AUDIT_POLICY);
    const auditLogPath = join(dir, 'audit.log');
    const server = `https://127.0.0.1:${String(apiPort)}`;

    const apiServerArgs = (port: number, auditLog: string, extra: readonly string[]): string[] => [
      '--bind-address=127.0.0.1',
      `--secure-port=${String(port)}`,
      `--etcd-servers=${etcdUrl}`,
      `--cert-dir=${pkiDir}`,
      `--tls-cert-file=${pki.serving.certPath}`,
      `--tls-private-key-file=${pki.serving.keyPath}`,
      `--client-ca-file=${pki.caCertPath}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      '--allow-privileged=true',
      // No controller-manager runs to create the default ServiceAccount the plugin would demand.
      '--disable-admission-plugins=ServiceAccount',
      '--authorization-mode=RBAC',
      // Every apiserver sharing this etcd uses the primary's issuer, so tokens verify on all of them.
      `--service-account-issuer=${server}/`,
      `--service-account-key-file=${pki.serviceAccountPublicKeyPath}`,
      `--service-account-signing-key-file=${pki.serviceAccountKeyPath}`,
      `--audit-policy-file=${auditPolicyPath}`,
      `--audit-log-path=${auditLog}`,
      '--audit-log-format=json',
      // Blocking: an event is on disk before the response is sent, so a test can read it right away.
      '--audit-log-mode=blocking',
      ...(opts.apiServerFlags ?? []),
      ...extra,
    ];

    const admin = await pki.issueClientCert('admin', ['system:masters']);
    const adminTls: Tls = { ca: pki.caCertPem, cert: admin.certPem, key: admin.keyPem };

    const makeClient = (tls: Tls): ((url: string) => Promise<number>) => {
      const agent = new Agent({ connect: { ca: tls.ca, cert: tls.cert, key: tls.key } });
      agents.push(agent);
      return async (url) => {
        const res = await request(url, { dispatcher: agent, headersTimeout: 5_000, bodyTimeout: 5_000 });
        await res.body.dump();
        return res.statusCode;
      };
    };
    const adminGet = makeClient(adminTls);

    const waitReady = async (proc: ManagedProcess, url: string): Promise<void> => {
      await waitFor(`${url}/readyz`, async () => (await adminGet(`${url}/readyz`)) === 200, [proc, startEtcd], timeoutMs);
      // /readyz can pass a moment before the system namespaces are created.
      await waitFor(
        `namespace "default" on ${url}`,
        async () => (await adminGet(`${url}/api/v1/namespaces/default`)) === 200,
        [proc, startEtcd],
        timeoutMs,
      );
    };

    const launchPrimary = async (): Promise<void> => {
      const proc = launch(
        'kube-apiserver',
        binaries.kubeApiServer,
        apiServerArgs(apiPort, auditLogPath, []),
        join(dir, 'kube-apiserver.log'),
      );
      apiServer = proc;
      started.push(proc);
      await waitReady(proc, server);
    };
    await launchPrimary();

    const kubeconfigPath = join(dir, 'kubeconfig');
    await writeFile(kubeconfigPath, kubeconfigYaml(server, pki.caCertPem, 'admin', admin.certPem, admin.keyPem), {
      mode: 0o600,
    });

    if (opts.controllers?.length) {
      controllerManager = await launchControllerManager(
        binaries.kubeControllerManager,
        opts.controllers,
        dir,
        kubeconfigPath,
        [startEtcd, apiServer as ManagedProcess],
        timeoutMs,
      );
      started.push(controllerManager);
    }

    let kubeconfigs = 0;
    const issueKubeconfig = async (user: string, groups: readonly string[] = [], forServer = server): Promise<string> => {
      const cert = await pki.issueClientCert(user, groups);
      kubeconfigs += 1;
      const path = join(dir, `kubeconfig-${user.replace(/[^A-Za-z0-9_.-]+/g, '_')}-${String(kubeconfigs)}`);
      await writeFile(path, kubeconfigYaml(forServer, pki.caCertPem, user, cert.certPem, cert.keyPem), { mode: 0o600 });
      return path;
    };

    let extraCount = 0;
    const cp: ControlPlane = {
      kubeconfigPath,
      server,
      kubeVersion: binaries.kubeVersion,
      etcdVersion: binaries.etcdVersion,
      etcdUrl,
      auditLogPath,
      dir,
      binaries,
      get pids() {
        return {
          apiServer: apiServer?.running() ? apiServer.pid : 0,
          etcd: etcd?.running() ? etcd.pid : 0,
          controllerManager: controllerManager?.running() ? controllerManager.pid : 0,
        };
      },
      makeKubeConfig() {
        const kc = new KubeConfig();
        kc.loadFromFile(kubeconfigPath);
        return kc;
      },
      issueKubeconfig: (user, groups = []) => issueKubeconfig(user, groups),
      async stopApiServer(signal = 'SIGTERM') {
        if (apiServer) await terminate(apiServer, signal);
      },
      async startApiServer() {
        if (stopped) throw new Error('control plane is stopped');
        if (apiServer?.running()) throw new Error('kube-apiserver is already running');
        await launchPrimary();
      },
      async startExtraApiServer() {
        if (stopped) throw new Error('control plane is stopped');
        extraCount += 1;
        const n = extraCount;
        const [port] = (await freePorts(1)) as [number];
        const url = `https://127.0.0.1:${String(port)}`;
        const proc = launch(
          `kube-apiserver-extra-${String(n)}`,
          binaries.kubeApiServer,
          // `none`: the primary alone owns the `kubernetes` Endpoints; two apiservers on 127.0.0.1
          // with different ports would otherwise keep rewriting its port.
          apiServerArgs(port, join(dir, `audit-extra-${String(n)}.log`), ['--endpoint-reconciler-type=none']),
          join(dir, `kube-apiserver-extra-${String(n)}.log`),
        );
        started.push(proc);
        await waitReady(proc, url);
        const extraKubeconfig = join(dir, `kubeconfig-extra-${String(n)}`);
        await writeFile(extraKubeconfig, kubeconfigYaml(url, pki.caCertPem, 'admin', admin.certPem, admin.keyPem), {
          mode: 0o600,
        });
        const extra: ExtraApiServer = {
          server: url,
          kubeconfigPath: extraKubeconfig,
          pid: proc.pid,
          async stop() {
            extras.delete(extra);
            await terminate(proc);
          },
        };
        extras.add(extra);
        return extra;
      },
      signalApiServer(signal) {
        if (!apiServer?.running()) throw new Error('kube-apiserver is not running');
        process.kill(apiServer.pid, signal);
      },
      async compactEtcd() {
        // Any key will do: the response header carries the store's current revision.
        const range = (await etcdPost(etcdUrl, '/v3/kv/range', {
          key: Buffer.from('/').toString('base64'),
          limit: 1,
          count_only: true,
        })) as {
          header?: { revision?: string };
        };
        const revision = Number(range.header?.revision);
        if (!Number.isSafeInteger(revision) || revision <= 0) {
          throw new Error(`etcd returned no usable revision: ${JSON.stringify(range)}`);
        }
        await etcdPost(etcdUrl, '/v3/kv/compaction', { revision: String(revision), physical: true });
        return revision;
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        await stopAll();
      },
    };
    return cp;
  } catch (err) {
    stopped = true;
    await stopAll().catch(() => undefined);
    throw err;
  }
}

/**
 * kube-controller-manager running only `controllers`, as the admin (so it needs no per-controller
 * ServiceAccounts, which nothing here would create), no leader election, and its HTTPS port on
 * loopback for /healthz (always allowed without authorization). Resolves once /healthz answers 200.
 */
async function launchControllerManager(
  bin: string,
  controllers: readonly string[],
  dir: string,
  kubeconfigPath: string,
  dependsOn: ManagedProcess[],
  timeoutMs: number,
): Promise<ManagedProcess> {
  const [port] = (await freePorts(1)) as [number];
  const certDir = join(dir, 'kube-controller-manager-pki');
  await mkdir(certDir);
  const proc = launch(
    'kube-controller-manager',
    bin,
    [
      `--kubeconfig=${kubeconfigPath}`,
      `--authentication-kubeconfig=${kubeconfigPath}`,
      `--authorization-kubeconfig=${kubeconfigPath}`,
      `--controllers=${controllers.join(',')}`,
      '--leader-elect=false',
      '--bind-address=127.0.0.1',
      `--secure-port=${String(port)}`,
      `--cert-dir=${certDir}`,
    ],
    join(dir, 'kube-controller-manager.log'),
  );
  // Its serving certificate is self-signed into certDir: the probe checks liveness, not identity.
  const agent = new Agent({ connect: { rejectUnauthorized: false } });
  try {
    await waitFor(
      `kube-controller-manager https://127.0.0.1:${String(port)}/healthz`,
      async () => {
        const res = await request(`https://127.0.0.1:${String(port)}/healthz`, {
          dispatcher: agent,
          headersTimeout: 5_000,
          bodyTimeout: 5_000,
        });
        await res.body.dump();
        return res.statusCode === 200;
      },
      [proc, ...dependsOn],
      timeoutMs,
    );
  } catch (err) {
    await terminate(proc);
    throw err;
  } finally {
    await agent.close();
  }
  return proc;
}
