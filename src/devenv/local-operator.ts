// How the operator runs as a local child process (the demo, the benches, the tests): JSON logs
// (the parents read them), any free port for the probes and /metrics, and /metrics in plain HTTP,
// read without a token. A cluster install serves /metrics secure (docs/metrics-and-alerts.md).
export const LOCAL_OPERATOR_ENV = {
  CDO_LOG_FORMAT: 'json',
  CDO_HTTP_PORT: '0',
  CDO_METRICS_PORT: '0',
  CDO_METRICS_SECURE: 'false',
} as const;
