import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One etcd + kube-apiserver for the whole run (see test/support/global-setup.ts).
    globalSetup: ['test/support/global-setup.ts'],
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // Generous: the first run on a machine builds the control plane binaries inside global setup.
    hookTimeout: 180_000,
    // Child processes, not worker threads: tests spawn binaries and handle signals.
    pool: 'forks',
  },
});
