// Maintenance windows (core/window.ts): open or not at an instant in a time zone, the next opening,
// windows across midnight and DST changes, a change that must finish inside the window, and what
// the schema refuses. Every instant is given; the wall clock is never read.
import { describe, expect, it } from 'vitest';
import { durationMinutes, maintenanceWindowSchema, windowState, type MaintenanceWindow } from '../../../../src/resources/core/window.ts';

const at = (iso: string) => new Date(iso);
const w = (over: Partial<MaintenanceWindow> = {}): MaintenanceWindow => ({
  days: ['Saturday'],
  start: '02:00',
  duration: '4h',
  timeZone: 'Asia/Seoul',
  ...over,
});

describe('windowState', () => {
  // 2026-12-05 is a Saturday. Seoul is UTC+9 all year: 02:00 KST Saturday = 17:00Z Friday.
  it.each([
    ['a minute before it opens', '2026-12-04T16:59:00Z', false, '2026-12-04T17:00:00.000Z', undefined],
    ['the instant it opens', '2026-12-04T17:00:00Z', true, '2026-12-11T17:00:00.000Z', '2026-12-04T21:00:00.000Z'],
    ['inside it', '2026-12-04T20:59:59Z', true, '2026-12-11T17:00:00.000Z', '2026-12-04T21:00:00.000Z'],
    ['the instant it closes', '2026-12-04T21:00:00Z', false, '2026-12-11T17:00:00.000Z', undefined],
    ['on another day', '2026-12-01T09:00:00Z', false, '2026-12-04T17:00:00.000Z', undefined],
  ])('%s', (_label, now, canStart, next, closes) => {
    const s = windowState(w(), at(now));
    expect(s.canStart).toBe(canStart);
    expect(s.nextStart?.toISOString()).toBe(next);
    expect(s.closesAt?.toISOString()).toBe(closes);
  });

  it('a window that spans midnight is open on the next day, until it closes', () => {
    const late = w({ days: ['Sunday'], start: '23:00', duration: '3h', timeZone: 'UTC' }); // 2026-12-06 is a Sunday
    expect(windowState(late, at('2026-12-07T01:30:00Z')).canStart).toBe(true);
    expect(windowState(late, at('2026-12-07T02:00:00Z')).canStart).toBe(false);
  });

  it('a week-long window is always open', () => {
    const always = w({ days: ['Monday'], start: '00:00', duration: '168h', timeZone: 'UTC' });
    for (const t of ['2026-12-01T00:00:00Z', '2026-12-06T23:59:59Z', '2026-12-07T00:00:00Z'])
      expect(windowState(always, at(t)).canStart).toBe(true);
  });

  it('several days: the earliest opening comes next', () => {
    const s = windowState(w({ days: ['Wednesday', 'Saturday'], timeZone: 'UTC' }), at('2026-12-01T12:00:00Z'));
    expect(s.nextStart?.toISOString()).toBe('2026-12-02T02:00:00.000Z');
  });

  it('the same local time is a different instant on either side of a DST change', () => {
    // New York: EST (-5) until 2026-03-08 02:00, EDT (-4) after; Saturdays 2026-03-07 and 03-14.
    const ny = w({ timeZone: 'America/New_York', start: '03:00', duration: '1h' });
    expect(windowState(ny, at('2026-03-06T12:00:00Z')).nextStart?.toISOString()).toBe('2026-03-07T08:00:00.000Z');
    expect(windowState(ny, at('2026-03-08T12:00:00Z')).nextStart?.toISOString()).toBe('2026-03-14T07:00:00.000Z');
  });

  it('a start in the hour a DST change skips opens after the jump (luxon keeps the offset it had)', () => {
    // Sunday 2026-03-08 02:30 does not exist in New York.
    const skipped = w({ days: ['Sunday'], timeZone: 'America/New_York', start: '02:30', duration: '1h' });
    const next = windowState(skipped, at('2026-03-07T12:00:00Z')).nextStart!;
    expect(next.toISOString()).toBe('2026-03-08T07:30:00.000Z'); // 03:30 EDT
  });

  it('a change that takes longer than what is left of the window waits for the next one', () => {
    const s = windowState(w({ timeZone: 'UTC' }), at('2026-12-05T05:00:00Z'), 90); // 1 h left, 90 min needed
    expect(s.canStart).toBe(false);
    expect(s.closesAt?.toISOString()).toBe('2026-12-05T06:00:00.000Z');
    expect(s.nextStart?.toISOString()).toBe('2026-12-12T02:00:00.000Z');
    expect(windowState(w({ timeZone: 'UTC' }), at('2026-12-05T04:30:00Z'), 90).canStart).toBe(true);
  });

  it('a window shorter than the change is never a next window', () => {
    expect(windowState(w({ duration: '30m' }), at('2026-12-01T00:00:00Z'), 60)).toEqual({
      canStart: false,
      nextStart: undefined,
      closesAt: undefined,
    });
  });
});

describe('the maintenanceWindow schema', () => {
  const parse = (v: unknown) => maintenanceWindowSchema.safeParse(v);
  it('takes a window in an IANA time zone', () => {
    expect(parse(w()).success).toBe(true);
    expect(parse(w({ timeZone: 'UTC', duration: '1h30m' })).success).toBe(true);
  });

  it.each([
    ['no time zone', { days: ['Saturday'], start: '02:00', duration: '4h' }, 'timeZone'],
    ['an unknown time zone', w({ timeZone: 'Asia/Seol' }), 'not an IANA time zone'],
    ['a zero duration', w({ duration: '0m' }), 'more than 0'],
    ['over a week', w({ duration: '169h' }), 'at most 168h'],
    ['a duration in seconds', w({ duration: '30s' }), 'duration'],
    ['an empty duration', w({ duration: '' }), 'duration'],
    ['no days', w({ days: [] }), 'days'],
    ['a day that is not one', { ...w(), days: ['Caturday'] }, 'days'],
    ['an hour past 23', w({ start: '24:00' }), 'start'],
  ])('refuses %s', (_label, value, words) => {
    const r = parse(value);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain(words);
  });

  it('reads durations in hours and minutes', () => {
    expect([durationMinutes('4h'), durationMinutes('90m'), durationMinutes('1h30m'), durationMinutes('168h')]).toEqual([
      240, 90, 90, 10080,
    ]);
    expect(durationMinutes('')).toBeNaN();
    expect(durationMinutes('1d')).toBeNaN();
  });
});
