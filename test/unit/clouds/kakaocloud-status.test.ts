import { describe, expect, it } from 'vitest';
import { classifyClusterStatus, normalizeStatus } from '../../../src/clouds/kakaocloud/status.ts';

describe('Hadoop Eco status classification (spec §3.2)', () => {
  // Every string of spec §3.1, plus the spelling variants of §5 #19.
  const cases: Array<[string, string, string?]> = [
    ['Initializing', 'in-progress'],
    ['Running', 'running'],
    ['Pending', 'in-progress'],
    ['Processing', 'in-progress'],
    ['Terminated(User)', 'terminated', 'user'],
    ['Terminated(User Command)', 'terminated', 'user-command'],
    ['Terminated(UserCommand)', 'terminated', 'user-command'],
    ['Terminated (User Command)', 'terminated', 'user-command'],
    ['terminated(user_command)', 'terminated', 'user-command'],
    ['TERMINATED(USER)', 'terminated', 'user'],
    ['Terminated(Error)', 'terminated', 'error'],
    ['Terminated(Install Failed)', 'terminated', 'error'],
    ['Terminated', 'terminated', 'other'],
    ['Terminated(Quota)', 'terminated', 'other'],
    ['Terminating', 'terminating'],
    ['Terminating (User Command)', 'terminating'],
    ['Terminated: User', 'terminated', 'user'],
    ['Terminated - User Command', 'terminated', 'user-command'],
    ['Terminated::User', 'terminated', 'user'],
    ['Creating', 'in-progress'],
    ['Installing', 'in-progress'],
    ['Starting', 'in-progress'],
    ['Failover', 'in-progress'],
    ['Running(Scaling)', 'in-progress'],
    ['  running  ', 'running'],
    ['', 'in-progress'],
  ];
  for (const [raw, kind, by] of cases) {
    it(`${JSON.stringify(raw)} → ${kind}${by ? ` (${by})` : ''}`, () => {
      const c = classifyClusterStatus(raw);
      expect(c.kind).toBe(kind);
      expect(c.terminatedBy).toBe(by);
    });
  }

  it('normalises case and all whitespace', () => {
    expect(normalizeStatus(' Terminated( User Command ) ')).toBe('terminated(usercommand)');
    expect(classifyClusterStatus('Terminated(User Command)').normalized).toBe('terminated(usercommand)');
  });
});
