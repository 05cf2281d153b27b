// When a managed resource is looked at again (core/cadence.ts cadenceSeconds).
import { describe, expect, it } from 'vitest';
import { cadenceSeconds } from '../../../../src/resources/core/cadence.ts';

const cfg = { busySeconds: 15, steadySeconds: 300 };

describe('cadenceSeconds', () => {
  it('polls a changing cluster at the busy period, exactly', () => {
    expect(cadenceSeconds('busy', cfg, () => 0.99)).toBe(15);
  });

  it('polls a stable one at the steady period, up to a tenth later and never earlier', () => {
    expect(cadenceSeconds('steady', cfg, () => 0)).toBe(300);
    expect(cadenceSeconds('steady', cfg, () => 0.5)).toBe(315);
    expect(cadenceSeconds('steady', cfg, () => 0.999)).toBe(330);
  });

  it('spreads resources observed together over the tenth', () => {
    const times = new Set(Array.from({ length: 200 }, () => cadenceSeconds('steady', cfg)));
    expect(times.size).toBeGreaterThan(50);
    for (const t of times) expect(t! >= 300 && t! <= 330).toBe(true);
  });

  it('does not poll a resource that waits for nothing in the cloud', () => {
    expect(cadenceSeconds('never', cfg)).toBeUndefined();
  });
});
