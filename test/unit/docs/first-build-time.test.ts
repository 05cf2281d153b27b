// README.md, README.ko.md and docs/development.md quote the time of a cold control-plane build as
// scripts/build-control-plane.sh estimates it (EST_TOTAL, which the script prints on a cold build
// and the demo prints through firstBuildEstimate(), test/integration/demo.test.ts), so they cannot
// drift apart again.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { firstBuildEstimate } from '../../../src/devenv/control-plane/binaries.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8').replace(/\s+/g, ' ');

describe('the first-build time', () => {
  const estimate = firstBuildEstimate();
  const minutes = /^about (\d+) min$/.exec(estimate)?.[1];

  it('is stated by the build script as "about N min"', () => {
    expect(minutes, estimate).toBeDefined();
  });

  it('is the one README.md and docs/development.md quote', () => {
    expect(read('README.md')).toContain(`(${estimate} on 2 cores`);
    expect(read('docs/development.md')).toContain(`${estimate} on 2 cores`);
  });

  it('is the one README.ko.md quotes', () => {
    expect(read('README.ko.md')).toContain(`2코어 기준 약 ${minutes}분`);
  });
});
