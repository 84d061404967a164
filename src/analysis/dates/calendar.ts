/** Calendar arithmetic on proleptic Gregorian dates (UTC, no time zones). */

export interface Ymd {
  y: number;
  m: number;
  d: number;
}

const DAY_MS = 86_400_000;

export function parseYmd(s: string | null | undefined): Ymd | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s ?? '');
  if (!m) return null;
  const v = { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
  return isValid(v.y, v.m, v.d) ? v : null;
}

export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function isValid(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

function toDay(v: Ymd): number {
  return Math.floor(Date.UTC(v.y, v.m - 1, v.d) / DAY_MS);
}

function fromDay(n: number): Ymd {
  const dt = new Date(n * DAY_MS);
  return { y: dt.getUTCFullYear(), m: dt.getUTCMonth() + 1, d: dt.getUTCDate() };
}

export function addDays(v: Ymd, n: number): Ymd {
  return fromDay(toDay(v) + n);
}

export function diffDays(a: Ymd, b: Ymd): number {
  return toDay(a) - toDay(b);
}

/** Adds months to a (year, month) pair. */
export function addMonths(y: number, m: number, n: number): { y: number; m: number } {
  const k = y * 12 + (m - 1) + n;
  return { y: Math.floor(k / 12), m: (k % 12) + 1 };
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function weekday(v: Ymd): number {
  const w = new Date(Date.UTC(v.y, v.m - 1, v.d)).getUTCDay();
  return w === 0 ? 7 : w;
}

/** ISO-8601 week (the year may differ from the calendar year near 1 January). */
export function isoWeek(v: Ymd): { y: number; w: number } {
  const thursday = addDays(v, 4 - weekday(v));
  const jan1 = { y: thursday.y, m: 1, d: 1 };
  return { y: thursday.y, w: Math.floor(diffDays(thursday, jan1) / 7) + 1 };
}

export const pad2 = (n: number): string => String(n).padStart(2, '0');
export const pad4 = (n: number): string => String(n).padStart(4, '0');

export function fmtDay(v: Ymd): string {
  return `${pad4(v.y)}-${pad2(v.m)}-${pad2(v.d)}`;
}

export function fmtMonth(y: number, m: number): string {
  return `${pad4(y)}-${pad2(m)}`;
}

export function fmtWeek(v: Ymd): string {
  const w = isoWeek(v);
  return `${pad4(w.y)}-W${pad2(w.w)}`;
}

export function quarterOf(m: number): number {
  return Math.floor((m - 1) / 3) + 1;
}

/** Season code of a month (northern hemisphere, meteorological seasons). */
export function seasonOf(m: number): 'WI' | 'SP' | 'SU' | 'FA' {
  if (m === 12 || m <= 2) return 'WI';
  if (m <= 5) return 'SP';
  if (m <= 8) return 'SU';
  return 'FA';
}
