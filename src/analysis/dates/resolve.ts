/**
 * Normalisation helpers: turn partially specified dates into TimeML values
 * against a reference date (the publication date), using tense to choose
 * between the previous and the next occurrence (HeidelTime's strategy).
 */
import {
  type Ymd,
  addDays,
  addMonths,
  diffDays,
  daysInMonth,
  fmtDay,
  fmtMonth,
  fmtWeek,
  isValid,
  pad2,
  pad4,
  quarterOf,
  seasonOf,
  weekday,
} from './calendar.js';
import type { Tense } from './tense.js';
import type { MentionPrecision, TimexType } from './types.js';

export interface Out {
  /** Absolute offsets; default: the whole match. */
  start?: number;
  end?: number;
  type: TimexType;
  value: string;
  precision: MentionPrecision;
  approximate?: boolean;
  anchor: 'absolute' | 'relative';
  /** Do not let later anaphoric expressions refer to this one. */
  noAnchor?: boolean;
}

/** The last date the text mentioned, for anaphoric expressions ("the following day", "a year earlier"). */
export interface LastDate {
  y: number;
  m?: number;
  d?: number;
  q?: number;
  h?: number;
  precision: MentionPrecision;
  pos: number;
}

export interface Env {
  text: string;
  ref: Ymd | null;
  tense(start: number, end: number): Tense;
  last: LastDate | null;
}

export const Y = (y: number | null): string => (y === null ? 'XXXX' : pad4(y));

export function dayOut(y: number | null, m: number, d: number, anchor: Out['anchor'], approximate = false): Out {
  return { type: 'DATE', value: `${Y(y)}-${pad2(m)}-${pad2(d)}`, precision: 'day', anchor, approximate };
}
export function ymdOut(v: Ymd, approximate = false): Out {
  return { type: 'DATE', value: fmtDay(v), precision: 'day', anchor: 'relative', approximate };
}
export function monthOut(y: number | null, m: number, anchor: Out['anchor'], approximate = false): Out {
  return { type: 'DATE', value: `${Y(y)}-${pad2(m)}`, precision: 'month', anchor, approximate };
}
export function yearOut(y: number | null, anchor: Out['anchor'], approximate = false): Out {
  return { type: 'DATE', value: Y(y), precision: 'year', anchor, approximate };
}
export function quarterOut(y: number | null, q: number | null, anchor: Out['anchor'], approximate = false): Out {
  return { type: 'DATE', value: `${Y(y)}-Q${q ?? 'X'}`, precision: 'quarter', anchor, approximate };
}
export function weekOut(v: Ymd | null, suffix = ''): Out {
  return { type: 'DATE', value: (v ? fmtWeek(v) : 'XXXX-WXX') + suffix, precision: 'week', anchor: 'relative' };
}
export const ref = (value: 'PRESENT_REF' | 'PAST_REF' | 'FUTURE_REF'): Out => ({
  type: 'DATE',
  value,
  precision: 'other',
  anchor: 'relative',
});

/**
 * Which year a day-of-year falls in. The nearest occurrence (within half a
 * year) wins unless the tense contradicts it and it lies more than
 * `slackDays` away: dates up to about three months after the reference in a
 * past-tense sentence are mostly deadlines and payment dates ("extended to
 * Nov. 16", "declared a dividend payable Dec. 15") or tense misreadings.
 */
export function yearForMonthDay(r: Ymd, m: number, d: number, tense: Tense, slackDays = 100): number {
  const at = (y: number): Ymd => ({ y, m, d: Math.min(d, daysInMonth(y, m)) });
  let y = r.y;
  const diff0 = diffDays(at(r.y), r);
  if (diff0 > 183) y = r.y - 1;
  else if (diff0 < -183) y = r.y + 1;
  const diff = diffDays(at(y), r);
  if (tense === 'past' && diff > slackDays) return y - 1;
  if (tense === 'future' && diff < -slackDays) return y + 1;
  return y;
}

/** Year of a month named without a year (same strategy, in months). */
export function yearForMonth(r: Ymd, m: number, tense: Tense, slackMonths = 1): number {
  let y = r.y;
  if (m - r.m > 6) y = r.y - 1;
  else if (r.m - m > 6) y = r.y + 1;
  const diff = (y - r.y) * 12 + (m - r.m);
  if (tense === 'past' && diff > slackMonths) return y - 1;
  if (tense === 'future' && diff < -slackMonths) return y + 1;
  return y;
}

/** The day a bare weekday name refers to. */
export function dayForWeekday(r: Ymd, wd: number, tense: Tense): Ymd {
  const back = (weekday(r) - wd + 7) % 7; // days back to the previous (or same) such weekday
  if (tense === 'future') return addDays(r, back === 0 ? 0 : 7 - back);
  return addDays(r, -back);
}

/** "the 25th": the most recent such day on or before the reference (the next one in future tense). */
export function dayForDayOfMonth(r: Ymd, d: number, tense: Tense): Ymd | null {
  let y = r.y;
  let m = r.m;
  const step = tense === 'future' ? 1 : -1;
  const ok = (yy: number, mm: number) => isValid(yy, mm, d);
  if (tense === 'future' ? d < r.d || !ok(y, m) : d > r.d || !ok(y, m)) {
    for (let i = 0; i < 3; i++) {
      ({ y, m } = addMonths(y, m, step));
      if (ok(y, m)) return { y, m, d };
    }
    return null;
  }
  return { y, m, d };
}

export function seasonYear(r: Ymd): { y: number; s: string } {
  const s = seasonOf(r.m);
  // December belongs to the winter that ends in the next year (TimeML labels it with that year).
  return { y: r.m === 12 ? r.y + 1 : r.y, s };
}

export const SEASON_ORDER = ['WI', 'SP', 'SU', 'FA'];

/** "last summer", "this fall", "next winter", or a bare season judged by tense. */
export function seasonValue(r: Ymd, season: string, mod: 'last' | 'this' | 'next' | 'none', tense: Tense): string {
  const cur = seasonYear(r);
  const ci = SEASON_ORDER.indexOf(cur.s);
  const ti = SEASON_ORDER.indexOf(season);
  let y = cur.y;
  if (mod === 'last') y = ti < ci ? cur.y : cur.y - 1;
  else if (mod === 'next') y = ti > ci ? cur.y : cur.y + 1;
  else if (mod === 'none' && tense === 'past') y = ti <= ci ? cur.y : cur.y - 1;
  else if (mod === 'none' && tense === 'future') y = ti >= ci ? cur.y : cur.y + 1;
  return `${pad4(y)}-${season}`;
}

export function shiftMonth(r: Ymd, n: number): Out {
  const v = addMonths(r.y, r.m, n);
  return { type: 'DATE', value: fmtMonth(v.y, v.m), precision: 'month', anchor: 'relative' };
}

export function shiftQuarter(y: number, q: number, n: number): { y: number; q: number } {
  const k = y * 4 + (q - 1) + n;
  return { y: Math.floor(k / 4), q: (k % 4) + 1 };
}

export function currentQuarter(r: Ymd): { y: number; q: number } {
  return { y: r.y, q: quarterOf(r.m) };
}

export { addDays, addMonths, weekday, fmtDay, fmtWeek, fmtMonth, quarterOf, seasonOf };
