/**
 * "When" values of /brief and `sitrep brief`: a span back from now ("24h",
 * "3d", "1w", "90m") or a date ("2024-03-27", "2024-03-27T09:00Z"). A date
 * alone means the start of that day (UTC) for `since` and its end for `until`,
 * so `--since 2024-03-01 --until 2024-03-01` is that one day.
 */
import { SitrepError } from './errors.js';

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
const DAY_MS = 86_400_000;
/** The longest "when" a user may type; anything longer is not a date. */
export const MAX_WHEN_CHARS = 40;

/** True for a span back from now ("24h", "3 days", "1w"), as opposed to a date or a time. */
export function isRelativeWhen(raw: string): boolean {
  return SPAN.test(raw.trim());
}
const SPAN = /^(\d{1,5})\s*(m|min|mins|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?)$/i;

/** Milliseconds since the epoch that a "when" value names, or a SitrepError that shows the value. */
export function parseWhen(raw: string, now: number, option: 'since' | 'until'): number {
  const value = raw.trim();
  const shown = value.length > MAX_WHEN_CHARS ? `${value.slice(0, MAX_WHEN_CHARS)}…` : value;
  const fail = (why: string): never => {
    throw new SitrepError('InvalidDate', `${option} "${shown}" ${why}; use 24h, 3d, 1w or a date such as 2024-03-27`, { option, value: shown });
  };
  if (!value || value.length > MAX_WHEN_CHARS) fail('is not a time');
  const span = SPAN.exec(value);
  if (span) {
    const unit = span[2]!.toLowerCase();
    const key = unit.startsWith('mi') || unit === 'm' ? 'm' : unit[0]!;
    return now - Number(span[1]) * UNIT_MS[key]!;
  }
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const start = Date.UTC(y, m - 1, d);
    const check = new Date(start);
    if (m < 1 || m > 12 || check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) fail('is not a calendar date');
    return option === 'since' ? start : start + DAY_MS - 1;
  }
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(value)) {
    const ms = Date.parse(value.replace(' ', 'T'));
    if (Number.isFinite(ms)) return ms;
  }
  return fail('is not a time');
}
