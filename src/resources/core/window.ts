// Maintenance windows (spec.maintenanceWindow, every kind): weekly windows in an IANA time zone,
// and the one question the change gate asks of them: may a change start now, and if not, when
// next? Pure; the clock is always passed in. Wall-clock arithmetic across time zones and DST is
// luxon's (a window at 02:30 on a day the clocks skip 02:00-03:00 opens at 03:30, luxon's rule).
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { withRules } from '../../runtime/crd.ts';

export const weekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** "4h", "90m", "1h30m": whole hours and minutes, as Kubernetes' CEL duration() reads them. */
const durationPattern = /^(?:(\d+)h)?(?:(\d+)m)?$/;
const weekMinutes = 7 * 24 * 60;

/** Minutes of a duration string; NaN when it is not one. */
export function durationMinutes(s: string): number {
  const m = durationPattern.exec(s);
  if (!m || s === '') return Number.NaN;
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
}

export const maintenanceWindowSchema = withRules(
  z
    .object({
      days: z
        .array(z.enum(weekdays))
        .min(1)
        .max(7)
        .describe('Days of the week the window opens on (in timeZone), e.g. [Saturday, Sunday].')
        .meta({ 'x-kubernetes-list-type': 'set' }),
      start: z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
        .describe('Local time the window opens, HH:MM on a 24-hour clock in timeZone, e.g. "02:00".'),
      duration: z
        .string()
        .min(2)
        .max(16)
        .regex(durationPattern)
        .refine((s) => durationMinutes(s) > 0 && durationMinutes(s) <= weekMinutes, 'duration must be more than 0 and at most 168h')
        .describe('How long the window stays open, in hours and minutes: "4h", "90m", "1h30m" (more than 0, at most 168h).'),
      timeZone: z
        .string()
        .min(1)
        .refine((tz) => IANAZone.isValidZone(tz), 'timeZone is not an IANA time zone (e.g. Asia/Seoul, UTC)')
        .describe('IANA time zone of days and start, e.g. Asia/Seoul or UTC (required: a window means a local time somewhere).'),
    })
    .describe(
      'When changes that disturb the cluster (restarts, rolling upgrades, data movement) may start. Changes that disturb ' +
        'nobody start at once; without a window, every change starts at once (changePolicy permitting).',
    ),
  [
    {
      rule: "self.duration != '' && duration(self.duration) > duration('0s') && duration(self.duration) <= duration('168h')",
      message: 'duration must be more than 0 and at most 168h, in hours and minutes ("4h", "90m", "1h30m")',
    },
  ],
);

export type MaintenanceWindow = z.output<typeof maintenanceWindowSchema>;

export interface WindowState {
  /** A change needing `minutes` may start now (inside a window, with time left to finish). */
  canStart: boolean;
  /** The start of the next window a change could start in (after now); undefined only for a window that never opens. */
  nextStart: Date | undefined;
  /** The end of the window open now, if one is. */
  closesAt: Date | undefined;
}

/**
 * Whether a change that takes `minutes` (0 when the cloud publishes no duration) may start at
 * `now`: inside a window and not so late that it cannot finish inside it. Occurrences are looked
 * for from a week before (a window may span days) to a week and a day after.
 */
export function windowState(w: MaintenanceWindow, now: Date, minutes = 0): WindowState {
  const length = durationMinutes(w.duration);
  const [hour, minute] = w.start.split(':').map(Number) as [number, number];
  const today = DateTime.fromJSDate(now, { zone: w.timeZone }).startOf('day');
  const t = now.getTime();
  let canStart = false;
  let nextStart: Date | undefined;
  let closesAt: Date | undefined;
  for (let d = -8; d <= 8; d++) {
    const day = today.plus({ days: d });
    if (!w.days.includes(weekdays[day.weekday - 1]!)) continue;
    const start = day.set({ hour, minute });
    const end = start.plus({ minutes: length });
    const [s, e] = [start.toMillis(), end.toMillis()];
    if (s <= t && t < e) {
      closesAt = end.toJSDate();
      if (t <= e - minutes * 60_000) canStart = true;
    }
    // A window long enough for the change; one too short for it never counts as "next".
    if (s > t && length >= minutes && (nextStart === undefined || s < nextStart.getTime())) nextStart = start.toJSDate();
  }
  return { canStart, nextStart, closesAt };
}
