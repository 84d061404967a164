/**
 * Pure parsing of a digest's schedule (time of day, days of the week, IANA time
 * zone) and its translation to a cron pattern that BullMQ's job scheduler runs
 * with `tz`, so a 09:00 digest stays at 09:00 local time across DST changes.
 */
import { getNextMillis } from 'bullmq';
import { DigestError } from './errors.js';

/** Day numbers as cron counts them: 0 = Sunday ... 6 = Saturday. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
/** Display and canonical order: the week starts on Monday. */
const WEEK_ORDER: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 0];
const ALL_DAYS: readonly Weekday[] = [0, 1, 2, 3, 4, 5, 6];

/** The most time-zone suggestions one autocomplete answer may hold (Discord's limit). */
export const MAX_TIMEZONE_SUGGESTIONS = 25;

function dayFromWord(word: string): Weekday | null {
  const w = word.toLowerCase();
  if (w.length < 2) return null;
  for (let i = 0; i < 7; i++) {
    const full = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'][i]!;
    // "mo", "mon", "monday", "tues", "thurs": any prefix of two letters or more is unambiguous
    if (full.startsWith(w)) return i as Weekday;
  }
  return null;
}

/**
 * Parses a time of day: "09:00", "9:00", "21:30", "9am", "9:30 pm". Returns
 * the canonical "HH:MM" (24-hour); throws DigestError('InvalidTime').
 */
export function parseTime(input: string): string {
  const text = input.trim().toLowerCase();
  const m = /^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$/.exec(text);
  const fail = (why: string) => new DigestError('InvalidTime', `"${input}" is not a time of day: ${why}`, { value: input, reason: why });
  if (!m) throw fail('use HH:MM, 24-hour, such as 09:00 or 18:30');
  let hour = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  const half = m[3]?.[0];
  if (m[2] === undefined && !half) throw fail('give minutes too, such as 09:00');
  if (half) {
    if (hour < 1 || hour > 12) throw fail('with am/pm the hour is 1 to 12');
    hour = (hour % 12) + (half === 'p' ? 12 : 0);
  }
  if (hour > 23) throw fail('the hour is 00 to 23');
  if (minute > 59) throw fail('the minutes are 00 to 59');
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/**
 * Parses days of the week: "daily", "every day", "weekdays", "weekends",
 * "mon-fri", "mon,wed,fri", "fri-mon" (ranges wrap), full or short names.
 * Returns the days sorted Sunday first; throws DigestError('InvalidDays').
 */
export function parseDays(input: string): Weekday[] {
  const text = input.trim().toLowerCase();
  const fail = (why: string) => new DigestError('InvalidDays', `"${input}" is not a set of days: ${why}`, { value: input, reason: why });
  if (text === '') throw fail('give days such as daily, weekdays, mon-fri or mon,wed,fri');
  if (['daily', 'every day', 'everyday', 'all', '*'].includes(text)) return [...ALL_DAYS];
  if (['weekdays', 'workdays'].includes(text)) return [1, 2, 3, 4, 5];
  if (['weekends', 'weekend'].includes(text)) return [0, 6];
  const days = new Set<Weekday>();
  for (const rawPart of text.split(/\s*,\s*|\s+and\s+|\s+/)) {
    const part = rawPart.trim();
    if (part === '') continue;
    const range = /^([a-z]+)\s*(?:-|–|to)\s*([a-z]+)$/.exec(part);
    if (range) {
      const from = dayFromWord(range[1]!);
      const to = dayFromWord(range[2]!);
      if (from === null || to === null) throw fail(`"${part}" is not a range of day names`);
      for (let d = from; ; d = ((d + 1) % 7) as Weekday) {
        days.add(d);
        if (d === to) break;
      }
      continue;
    }
    const day = dayFromWord(part);
    if (day === null) throw fail(`"${part}" is not a day (use mon, tue, wed, thu, fri, sat, sun)`);
    days.add(day);
  }
  if (days.size === 0) throw fail('no days given');
  return [...days].sort((a, b) => a - b);
}

/** The canonical text of a set of days: "daily", "weekdays", "weekends" or "mon,wed,fri" (Monday first). */
export function formatDays(days: readonly Weekday[]): string {
  const set = new Set(days);
  if (set.size === 7) return 'daily';
  const key = [...set].sort().join('');
  if (key === '12345') return 'weekdays';
  if (key === '06') return 'weekends';
  return WEEK_ORDER.filter((d) => set.has(d)).map((d) => DAY_NAMES[d]).join(',');
}

/** Checks an IANA time-zone name with Intl and returns its canonical spelling ("europe/paris" → "Europe/Paris"). */
export function parseTimezone(input: string): string {
  const name = input.trim();
  const fail = () => new DigestError('InvalidTimezone', `"${input}" is not a time zone: use an IANA name such as Europe/Berlin or America/New_York`, { value: input, suggestions: timezoneSuggestions(name, 5) });
  if (name === '' || name.length > 64) throw fail();
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    const known = timezoneNames().find((z) => z.toLowerCase() === name.toLowerCase());
    return known ?? resolved;
  } catch {
    throw fail();
  }
}

/** The cron pattern (with a seconds field) for a local time on some days: "0 30 9 * * 1-5" style. */
export function cronPattern(time: string, days: readonly Weekday[], second = 0): string {
  const [hh, mm] = time.split(':');
  const set = [...new Set(days)].sort((a, b) => a - b);
  const dow = set.length === 7 ? '*' : set.join(',');
  return `${second} ${Number(mm)} ${Number(hh)} * * ${dow}`;
}

/** When a schedule next fires strictly after `fromMs`, computed exactly as BullMQ's scheduler does. */
export function nextRunAfter(pattern: string, timezone: string, fromMs: number): number | null {
  return getNextMillis(fromMs, { pattern, tz: timezone }) ?? null;
}

let zoneCache: string[] | null = null;

/** Every IANA zone Intl supports, plus UTC. */
export function timezoneNames(): string[] {
  if (!zoneCache) {
    const zones = Intl.supportedValuesOf('timeZone');
    zoneCache = zones.includes('UTC') ? [...zones] : ['UTC', ...zones];
  }
  return zoneCache;
}

/**
 * Time-zone names for autocomplete, at most 25: the exact name first, then
 * names starting with the text, then names with a part (city) starting with it,
 * then names containing it. Spaces match underscores ("new york").
 */
export function timezoneSuggestions(prefix: string, limit = MAX_TIMEZONE_SUGGESTIONS): string[] {
  const max = Math.max(0, Math.min(limit, MAX_TIMEZONE_SUGGESTIONS));
  const query = prefix.trim().toLowerCase().replace(/\s+/g, '_');
  const zones = timezoneNames();
  if (query === '') return zones.slice(0, max);
  const ranked: { zone: string; rank: number }[] = [];
  for (const zone of zones) {
    const z = zone.toLowerCase();
    let rank: number;
    if (z === query) rank = 0;
    else if (z.startsWith(query)) rank = 1;
    else if (z.split('/').some((part) => part.startsWith(query))) rank = 2;
    else if (z.includes(query)) rank = 3;
    else continue;
    ranked.push({ zone, rank });
  }
  ranked.sort((a, b) => a.rank - b.rank || a.zone.length - b.zone.length || a.zone.localeCompare(b.zone));
  return ranked.slice(0, max).map((r) => r.zone);
}
