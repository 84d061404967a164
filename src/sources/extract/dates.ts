/**
 * A page's publication date as it states it, normalised: `YYYY-MM-DD` when the
 * page gives a day only (or a time without a zone, whose instant is unknown),
 * `YYYY-MM-DDTHH:MM:SSZ` when it gives a time with a zone.
 */

const MIN_YEAR = 1900;
const MAX_YEAR = 2200;

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
  januar: 1, janvier: 1, februar: 2, février: 2, mär: 3, märz: 3, mars: 3, avril: 4, mai: 5, juni: 6, juin: 6,
  juli: 7, juillet: 7, august: 8, août: 8, okt: 10, oktober: 10, dez: 12, dezember: 12,
};

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function validDay(y: number, m: number, d: number): boolean {
  if (y < MIN_YEAR || y > MAX_YEAR || m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function day(y: number, m: number, d: number): string | null {
  return validDay(y, m, d) ? `${pad(y, 4)}-${pad(m)}-${pad(d)}` : null;
}

function instant(ms: number): string | null {
  if (!Number.isFinite(ms)) return null;
  const date = new Date(ms);
  const y = date.getUTCFullYear();
  if (y < MIN_YEAR || y > MAX_YEAR) return null;
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** Normalises a date the page states; null when it is not a recognisable calendar date. */
export function normaliseDate(raw: string | null | undefined): string | null {
  if (typeof raw !== 'string') return null;
  const value = raw.trim();
  if (value.length === 0 || value.length > 80) return null;

  // ISO 8601: 2015-07-24, 2015-07-24T10:00, 2015-07-24 10:00:00+02:00, 20150724T...
  const iso = /^(\d{4})-?(\d{2})-?(\d{2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?/i.exec(value);
  if (iso) {
    const [, y, m, d, hh, mm, ss, zone] = iso;
    const date = day(Number(y), Number(m), Number(d));
    if (!date) return null;
    if (hh === undefined || zone === undefined) return date;
    const h = Number(hh);
    const min = Number(mm);
    const s = Number(ss ?? '0');
    if (h > 24 || min > 59 || s > 60) return date;
    let offsetMinutes = 0;
    if (/^[+-]/.test(zone)) {
      const digits = zone.replace(':', '');
      const sign = digits.startsWith('-') ? -1 : 1;
      offsetMinutes = sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || '0'));
    }
    return instant(Date.UTC(Number(y), Number(m) - 1, Number(d), h, min, s) - offsetMinutes * 60_000) ?? date;
  }

  // 24.07.2015 or 24/07/2015 (day first, as in most of the world; month-first is ambiguous and left out)
  const dotted = /^(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\b/.exec(value);
  if (dotted) return day(Number(dotted[3]), Number(dotted[2]), Number(dotted[1]));
  const slashedYearFirst = /^(\d{4})\/(\d{1,2})\/(\d{1,2})\b/.exec(value);
  if (slashedYearFirst) return day(Number(slashedYearFirst[1]), Number(slashedYearFirst[2]), Number(slashedYearFirst[3]));

  // Named months: "24 July 2015", "July 24, 2015", "Fri, 24 Jul 2015 10:00:00 GMT", "24. Juli 2015"
  const dayMonth = /(?:^|[\s,])(\d{1,2})\.?\s+([\p{L}]{3,10})\.?,?\s+(\d{4})\b/u.exec(value);
  const monthDay = /(?:^|[\s,])([\p{L}]{3,10})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b/u.exec(value);
  const named = dayMonth
    ? { d: dayMonth[1]!, m: dayMonth[2]!, y: dayMonth[3]! }
    : monthDay
      ? { d: monthDay[2]!, m: monthDay[1]!, y: monthDay[3]! }
      : null;
  if (named) {
    const month = MONTHS[named.m.toLowerCase()] ?? MONTHS[named.m.toLowerCase().slice(0, 3)];
    if (month === undefined) return null;
    const date = day(Number(named.y), month, Number(named.d));
    if (!date) return null;
    // With a time and a zone (RFC 2822 as in feeds and HTTP headers) the instant is known.
    if (/\d{1,2}:\d{2}(?::\d{2})?\s*(?:GMT|UTC|Z|[+-]\d{4})\b/i.test(value)) {
      const parsed = instant(Date.parse(value.replace(/^[\p{L}]+,\s*/u, '')));
      if (parsed && parsed.slice(0, 4) === named.y) return parsed;
    }
    return date;
  }
  return null;
}

/** The calendar day of a normalised date. */
export function calendarDay(normalised: string): string {
  return normalised.slice(0, 10);
}
