// The comparison of what the spec asked with what the cloud reports back (core/verify.ts).
import { describe, expect, it } from 'vitest';
import { differences, specAppliedCondition, type FieldCheck } from '../../../../src/resources/core/verify.ts';

interface Spec {
  flavor?: string;
  size?: number;
  groups?: string[];
}
type Cloud = Record<string, unknown>;
const checks: FieldCheck<Spec, Cloud>[] = [
  { field: 'flavor', spec: (s) => s.flavor, cloud: (c) => c['flavorName'] },
  { field: 'size', spec: (s) => s.size, cloud: (c) => c['volumeSize'] },
  { field: 'groups', spec: (s) => s.groups, cloud: (c) => c['securityGroupIds'] },
];

describe('differences', () => {
  it('names each field that differs with both values', () => {
    expect(differences(checks, { flavor: 'a', size: 100 }, { flavorName: 'b', volumeSize: 200 })).toEqual([
      { field: 'flavor', spec: 'a', cloud: 'b' },
      { field: 'size', spec: '100', cloud: '200' },
    ]);
  });

  it('compares numbers with the numeric strings some APIs send, and lists as sets', () => {
    expect(differences(checks, { size: 100, groups: ['x', 'y'] }, { volumeSize: '100', securityGroupIds: ['y', 'x'] })).toEqual([]);
    expect(differences(checks, { groups: ['x'] }, { securityGroupIds: ['x', 'z'] })).toEqual([
      { field: 'groups', spec: '["x"]', cloud: '["x","z"]' },
    ]);
  });

  it('compares objects by their content and names a difference in JSON', () => {
    const tags: FieldCheck<{ tags?: object }, Cloud>[] = [{ field: 'tags', spec: (s) => s.tags, cloud: (c) => c['tags'] }];
    expect(differences(tags, { tags: { team: 'a' } }, { tags: { team: 'a' } })).toEqual([]);
    expect(differences(tags, { tags: { team: 'a' } }, { tags: { team: 'b' } })).toEqual([
      { field: 'tags', spec: '{"team":"a"}', cloud: '{"team":"b"}' },
    ]);
  });

  it('skips what the spec does not ask and what the cloud does not echo', () => {
    expect(differences(checks, {}, { flavorName: 'b' })).toEqual([]);
    expect(differences(checks, { flavor: 'a', size: 1 }, { flavorName: null })).toEqual([]);
  });
});

describe('specAppliedCondition', () => {
  it('is True when nothing differs and False naming every difference otherwise', () => {
    const matches = specAppliedCondition([]);
    expect(matches).toMatchObject({ type: 'SpecApplied', status: 'True', reason: 'CloudMatchesSpec' });
    expect(matches.message).not.toBe(''); // kubectl describe shows a sentence either way
    const c = specAppliedCondition([
      { field: 'flavor', spec: 'a', cloud: 'b' },
      { field: 'size', spec: '1', cloud: '2' },
    ]);
    expect(c).toMatchObject({ type: 'SpecApplied', status: 'False', reason: 'CloudDiffers' });
    expect(c.message).toMatch(/flavor: spec a, cloud b; size: spec 1, cloud 2$/);
  });
});
