// The tests that Stryker runs against each mutant: the unit, contract and component tests, which
// need no control plane. Unlike vitest.config.ts there is no globalSetup, so no etcd + kube-apiserver is
// started (none of these files reads the values it provides via inject()).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/contract/**/*.test.ts', 'test/component/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
