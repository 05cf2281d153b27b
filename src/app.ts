// Builds and runs a manager from the configuration: what main.ts does, minus the choice of
// controllers, so a test can run the very same wiring (signals, shutdown, election) with its own.
// config.js, not the package index: the index loads every generated API client (client-node-hook.ts).
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import type { Logger } from 'pino';
import { identityOf, loadConfig, type Config } from './config.ts';
import { createLogger } from './runtime/logger.ts';
import { Manager } from './runtime/manager.ts';
import { VERSION } from './version.ts';

export type RegisterControllers = (manager: Manager, config: Config) => void;

/** Per-controller settings every resource controller takes from the configuration. */
export function controllerSettings(config: Config) {
  return {
    workers: config.CDO_WORKERS,
    resyncPeriodMs: config.CDO_RESYNC_PERIOD * 1000,
    reconcileTimeoutMs: config.CDO_RECONCILE_TIMEOUT * 1000,
    queue: { qps: config.CDO_QUEUE_QPS, burst: config.CDO_QUEUE_BURST },
  };
}

export function buildManager(config: Config, log: Logger, register: RegisterControllers): Manager {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromDefault(); // KUBECONFIG, ~/.kube/config, or the in-cluster service account
  const identity = identityOf(config);
  const manager = new Manager({
    kubeConfig,
    log,
    identity,
    namespaces: config.CDO_WATCH_NAMESPACES,
    userAgent: `cloud-data-operator/${VERSION}`,
    http: { port: config.CDO_HTTP_PORT, host: config.CDO_HTTP_HOST },
    metricsServer: {
      port: config.CDO_METRICS_PORT,
      host: config.CDO_HTTP_HOST,
      secure: config.CDO_METRICS_SECURE,
      ...(config.CDO_METRICS_CERT_DIR ? { certDir: config.CDO_METRICS_CERT_DIR } : {}),
    },
    shutdownGraceMs: config.CDO_SHUTDOWN_GRACE * 1000,
    watch: { timeoutSeconds: config.CDO_WATCH_TIMEOUT, idleTimeoutMs: config.CDO_WATCH_IDLE_TIMEOUT * 1000 },
    ...(config.CDO_LEADER_ELECT
      ? {
          leaderElection: {
            namespace: config.CDO_LEADER_ELECTION_NAMESPACE ?? config.POD_NAMESPACE,
            leaseName: config.CDO_LEASE_NAME,
            leaseDurationMs: config.CDO_LEASE_DURATION * 1000,
            renewDeadlineMs: config.CDO_RENEW_DEADLINE * 1000,
            retryPeriodMs: config.CDO_RETRY_PERIOD * 1000,
          },
        }
      : {}),
  });
  register(manager, config);
  return manager;
}

/** Runs until SIGTERM/SIGINT, then shuts down gracefully and exits. */
export async function runOperator(register: RegisterControllers): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n(--help lists every setting)\n`);
    process.exit(2);
  }
  const log = createLogger({
    level: config.CDO_LOG_LEVEL,
    ...(config.CDO_LOG_FORMAT === 'auto' ? {} : { pretty: config.CDO_LOG_FORMAT === 'pretty' }),
  });
  let manager: Manager;
  try {
    manager = buildManager(config, log, register);
  } catch (err) {
    // Typically an unreadable kubeconfig: say so instead of dumping a stack.
    log.fatal(
      { err: err instanceof Error ? err.message : String(err) },
      'could not build the manager (is KUBECONFIG or the in-cluster service account usable?)',
    );
    process.exit(1);
  }
  let stopping: Promise<void> | undefined;
  const shutdown = (signal: string) => {
    log.info({ signal }, 'signal received');
    stopping ??= manager.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled promise rejection'));
  try {
    await manager.start();
  } catch (err) {
    log.fatal({ err }, 'could not start');
    process.exit(1);
  }
}
