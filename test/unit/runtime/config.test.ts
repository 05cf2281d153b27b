import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';

describe('configuration', () => {
  it('has working defaults', () => {
    const c = loadConfig({}, []);
    expect(c).toMatchObject({ CDO_WATCH_NAMESPACES: [], CDO_LEADER_ELECT: true, CDO_HTTP_PORT: 8080, CDO_WORKERS: 4 });
  });

  it('reads env and lets flags override it', () => {
    const c = loadConfig({ CDO_WATCH_NAMESPACES: 'a, b', CDO_WORKERS: '2' }, ['--workers=8', '--leader-elect', 'false']);
    expect(c.CDO_WATCH_NAMESPACES).toEqual(['a', 'b']);
    expect(c.CDO_WORKERS).toBe(8);
    expect(c.CDO_LEADER_ELECT).toBe(false);
  });

  it('names every bad setting with its flag', () => {
    expect(() => loadConfig({ CDO_HTTP_PORT: 'eighty', CDO_LOG_LEVEL: 'loud' }, [])).toThrow(
      /CDO_HTTP_PORT \(--http-port\)[\s\S]*CDO_LOG_LEVEL \(--log-level\)/,
    );
  });

  it('the cloud request budget per credential: 10 per second, bursts of 20, both settable; zero refused', () => {
    expect(loadConfig({}, [])).toMatchObject({ CDO_CLOUD_QPS: 100, CDO_CLOUD_BURST: 1000 });
    expect(loadConfig({ CDO_CLOUD_QPS: '50' }, ['--cloud-burst=100'])).toMatchObject({ CDO_CLOUD_QPS: 50, CDO_CLOUD_BURST: 100 });
    expect(() => loadConfig({ CDO_CLOUD_QPS: '0' }, [])).toThrow(/CDO_CLOUD_QPS \(--cloud-qps\)/);
  });

  it('metrics: secure on port 8443 by default, with a self-signed certificate unless a directory is named', () => {
    const c = loadConfig({}, []);
    expect(c).toMatchObject({ CDO_METRICS_PORT: 8443, CDO_METRICS_SECURE: true });
    expect(c.CDO_METRICS_CERT_DIR).toBeUndefined();
    expect(loadConfig({ CDO_METRICS_SECURE: 'false', CDO_METRICS_CERT_DIR: '/certs' }, ['--metrics-port=9090'])).toMatchObject({
      CDO_METRICS_PORT: 9090,
      CDO_METRICS_SECURE: false,
      CDO_METRICS_CERT_DIR: '/certs',
    });
    expect(() => loadConfig({ CDO_METRICS_SECURE: 'maybe' }, [])).toThrow(/CDO_METRICS_SECURE \(--metrics-secure\)/);
    expect(() => loadConfig({ CDO_METRICS_PORT: '8080' }, [])).toThrow(
      /CDO_METRICS_PORT \(--metrics-port\): must differ from CDO_HTTP_PORT/,
    );
    expect(loadConfig({ CDO_METRICS_PORT: '0', CDO_HTTP_PORT: '0' }, [])).toMatchObject({ CDO_METRICS_PORT: 0, CDO_HTTP_PORT: 0 });
  });

  it('rejects unknown flags', () => {
    expect(() => loadConfig({}, ['--no-such-flag=1'])).toThrow();
  });
});
