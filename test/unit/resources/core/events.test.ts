// Which Events a pass records (core/events.ts): one per action, else one per transition of the
// status, plus one when the cloud turns out not to have applied the spec; none for a pass that
// changed nothing.
import { describe, expect, it } from 'vitest';
import { eventReasons, eventsFor, type EventedStatus } from '../../../../src/resources/core/events.ts';
import { kstatusConditions, type KstatusState } from '../../../../src/runtime/conditions.ts';

const T = new Date('2026-01-01T00:00:00Z');
function status(phase: string, state: KstatusState['state'], reason: string, extra: EventedStatus['conditions'] = []): EventedStatus {
  return { phase, conditions: [...kstatusConditions([], { state, reason, message: `${reason} message` }, 1, T), ...(extra ?? [])] };
}
const applied = (s: 'True' | 'False', message: string) => [
  { type: 'SpecApplied', status: s, reason: s === 'True' ? 'CloudMatchesSpec' : 'CloudDiffers', message, lastTransitionTime: 'x' },
];
const reasons = (prev: EventedStatus, next: EventedStatus | undefined, action?: Parameters<typeof eventsFor>[2]) =>
  eventsFor(prev, next, action).map((e) => `${e.type}/${e.reason}`);

const creating = status('Creating', 'reconciling', 'Creating');
const running = status('Running', 'ready', 'Running');

describe('eventsFor', () => {
  const table: Array<[string, EventedStatus, EventedStatus | undefined, Parameters<typeof eventsFor>[2], string[]]> = [
    [
      'an action is one Event, whatever the status did',
      running,
      status('Scaling', 'reconciling', 'ScalingOut'),
      { reason: 'ScalingOut', note: 'n' },
      ['Normal/ScalingOut'],
    ],
    [
      'releasing the finalizer is one Event with no status after it',
      running,
      undefined,
      { reason: 'Deleted', note: 'gone' },
      ['Normal/Deleted'],
    ],
    ['becoming Ready', creating, running, undefined, ['Normal/Ready']],
    ['staying Ready', running, running, undefined, []],
    ['a job cluster that completed', running, status('Completed', 'ready', 'JobCompleted'), undefined, ['Normal/Completed']],
    ['stalling', running, status('Running', 'stalled', 'BelowReplication'), undefined, ['Warning/Stalled']],
    [
      'staying stalled for the same reason',
      status('Failed', 'stalled', 'ClusterGone'),
      status('Failed', 'stalled', 'ClusterGone'),
      undefined,
      [],
    ],
    [
      'stalled for another reason',
      status('Failed', 'stalled', 'ClusterGone'),
      status('Failed', 'stalled', 'CredentialsInvalid'),
      undefined,
      ['Warning/Stalled'],
    ],
    ['pausing', running, status('Paused', 'reconciling', 'Paused'), undefined, ['Normal/Paused']],
    ['staying paused', status('Paused', 'reconciling', 'Paused'), status('Paused', 'reconciling', 'Paused'), undefined, []],
    ['resuming', status('Paused', 'reconciling', 'Paused'), creating, undefined, ['Normal/Resumed']],
    ['drifting (ObserveOnly)', running, status('Running', 'reconciling', 'Drifted'), undefined, ['Warning/Drifted']],
    ['staying drifted', status('Running', 'reconciling', 'Drifted'), status('Running', 'reconciling', 'Drifted'), undefined, []],
    ['another phase while the cloud works', creating, status('Running', 'reconciling', 'CloudBusy'), undefined, ['Normal/Progressing']],
    ['a new reason in the same phase', creating, status('Creating', 'reconciling', 'CloudBusy'), undefined, []],
    ['the first status of a resource that is not ready yet', {}, creating, undefined, []],
  ];
  it.each(table)('%s', (_why, prev, next, action, expected) => {
    expect(reasons(prev, next, action)).toEqual(expected);
  });

  it('a transition Event carries the message of the condition that explains it', () => {
    const note = (prev: EventedStatus, next: EventedStatus) => eventsFor(prev, next, undefined)[0]?.note;
    expect(note(creating, running)).toBe('Running message'); // Ready's
    expect(note(running, status('Paused', 'reconciling', 'Paused'))).toBe('Paused message'); // Reconciling's
    expect(note(status('Paused', 'reconciling', 'Paused'), creating)).toBe('Creating message');
    expect(note(running, status('Running', 'reconciling', 'Drifted'))).toBe('Drifted message');
  });

  it('a Progressing note names both phases and what the cloud is doing', () => {
    const [e] = eventsFor(creating, status('Running', 'reconciling', 'CloudBusy'), undefined);
    expect(e!.note).toContain('Creating');
    expect(e!.note).toContain('Running');
    expect(e!.note).toContain('CloudBusy message');
  });

  it('a status without conditions (as an older operator may have left it) still gives its transitions', () => {
    expect(reasons({}, { phase: 'Creating' })).toEqual([]);
    expect(reasons({ phase: 'Creating' }, { phase: 'Paused' })).toEqual(['Normal/Paused']);
    expect(eventsFor({ phase: 'Creating' }, { phase: 'Paused' }, undefined)[0]!.note).toBe('');
    expect(reasons({ phase: 'Creating' }, { phase: 'Running' })).toEqual(['Normal/Progressing']);
  });

  it('the stall note starts with the Stalled reason and carries its message', () => {
    const [e] = eventsFor(running, status('Running', 'stalled', 'BelowReplication'), undefined);
    expect(e).toEqual({ type: 'Warning', reason: 'Stalled', action: 'Reconcile', note: 'BelowReplication: BelowReplication message' });
  });

  it('a cloud that did not apply the spec is one more Warning, once per set of differences', () => {
    const differs = { ...running, conditions: [...running.conditions!, ...applied('False', 'a: spec 1, cloud 2')] };
    expect(reasons(creating, differs)).toEqual(['Normal/Ready', 'Warning/SpecNotApplied']);
    expect(reasons(differs, differs)).toEqual([]);
    const more = { ...running, conditions: [...running.conditions!, ...applied('False', 'a: spec 1, cloud 2; b: spec x, cloud y')] };
    expect(reasons(differs, more)).toEqual(['Warning/SpecNotApplied']);
    const fixed = { ...running, conditions: [...running.conditions!, ...applied('True', 'ok')] };
    expect(reasons(differs, fixed)).toEqual([]);
  });

  it('every reason has a type and an action, and Warnings are for what needs attention', () => {
    for (const [reason, r] of Object.entries(eventReasons)) {
      expect(r.doc, reason).not.toBe('');
      expect(['Normal', 'Warning']).toContain(r.type);
    }
    expect(
      Object.entries(eventReasons)
        .filter(([, r]) => r.type === 'Warning')
        .map(([k]) => k)
        .sort(),
    ).toEqual(['ApprovalUnmatched', 'Drifted', 'SpecNotApplied', 'Stalled']);
  });
});
