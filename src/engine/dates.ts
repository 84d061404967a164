/**
 * Timeline dates as intervals of days, so that events at different
 * precisions ("2024", "2024-Q1", "2024-03-24", "203X") sort and filter
 * together, and so `--from 2024 --to 2024-03` means what a reader expects.
 */
import type { DatePrecision } from '../types.js';
import { SitrepError } from './errors.js';

/** Day numbers (days since 1970-01-01, UTC), inclusive at both ends. */
export interface DayInterval {
  first: number;
  last: number;
}

const DAY_MS = 86_400_000;

function dayNumber(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);
}

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The interval a timeline value covers, or null when the value is not one of the five timeline forms. */
export function intervalOf(value: string): { interval: DayInterval; precision: DatePrecision } | null {
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (mo < 1 || mo > 12 || d < 1 || d > lastDayOfMonth(y, mo)) return null;
    const n = dayNumber(y, mo, d);
    return { interval: { first: n, last: n }, precision: 'day' };
  }
  m = /^(\d{4})-(\d{2})$/.exec(value);
  if (m) {
    const [y, mo] = [Number(m[1]), Number(m[2])];
    if (mo < 1 || mo > 12) return null;
    return { interval: { first: dayNumber(y, mo, 1), last: dayNumber(y, mo, lastDayOfMonth(y, mo)) }, precision: 'month' };
  }
  m = /^(\d{4})-Q([1-4])$/.exec(value);
  if (m) {
    const [y, q] = [Number(m[1]), Number(m[2])];
    const firstMonth = (q - 1) * 3 + 1;
    return {
      interval: { first: dayNumber(y, firstMonth, 1), last: dayNumber(y, firstMonth + 2, lastDayOfMonth(y, firstMonth + 2)) },
      precision: 'quarter',
    };
  }
  m = /^(\d{4})$/.exec(value);
  if (m) {
    const y = Number(m[1]);
    return { interval: { first: dayNumber(y, 1, 1), last: dayNumber(y, 12, 31) }, precision: 'year' };
  }
  m = /^(\d{3})X$/.exec(value);
  if (m) {
    const y = Number(m[1]) * 10;
    return { interval: { first: dayNumber(y, 1, 1), last: dayNumber(y + 9, 12, 31) }, precision: 'decade' };
  }
  return null;
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Why a value shaped like a date names no day of the calendar ("2024-02-30", "2024-13"), or null. */
function impossibility(value: string): string | null {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(value);
  if (!m) return null;
  const [y, mo] = [Number(m[1]), Number(m[2])];
  if (mo < 1 || mo > 12) return `there is no month ${mo}`;
  if (m[3] === undefined) return null;
  const d = Number(m[3]);
  const last = lastDayOfMonth(y, mo);
  return d < 1 || d > last ? `${MONTH_NAMES[mo - 1]} ${y} has ${last} days` : null;
}

/** Reads a user's partial date ("2024", "2024-03", "2024-03-24", "2024-Q1", "203X") for --from/--to. */
export function parseDateBound(raw: string, option: 'from' | 'to'): DayInterval {
  const value = raw.trim().toUpperCase().replace(/^(\d{4})-Q/, '$1-Q');
  const parsed = intervalOf(value);
  if (!parsed) {
    const why = impossibility(value);
    if (why) throw new SitrepError('InvalidDate', `--${option} "${raw}" is not a date: ${why}`, { option, value: raw, reason: why });
    throw new SitrepError('InvalidDate', `--${option} "${raw}" is not a date; use 2024, 2024-03, 2024-03-24, 2024-Q1 or 203X`, { option, value: raw });
  }
  return parsed.interval;
}

/** Both bounds of a --from/--to range; a range that ends before it starts is a usage error showing both values. */
export function parseDateRange(from: string | undefined, to: string | undefined): { from: DayInterval | null; to: DayInterval | null } {
  const first = from ? parseDateBound(from, 'from') : null;
  const last = to ? parseDateBound(to, 'to') : null;
  if (first && last && first.first > last.last) {
    throw new SitrepError('InvalidDateRange', `--from "${from}" is after --to "${to}"; swap them`, { from, to });
  }
  return { from: first, to: last };
}
