/**
 * Pattern rules for English temporal expressions, HeidelTime style: each rule
 * is a regular expression plus a normalisation function that turns the match
 * into a TimeML value, using the reference date, the tense of the sentence and
 * the last date the text mentioned.
 */
import { type Ymd, isValid, pad2, pad4, quarterOf, weekday, addDays, fmtDay, fmtWeek, addMonths } from './calendar.js';
import {
  DAY,
  MONTH,
  MONTH_D,
  NUM,
  NUMWORD,
  ORDINAL,
  SPOKEN_YEAR,
  WEEKDAY,
  YEAR,
  monthNumber,
  numberValue,
  ordinalNumber,
  spokenYearValue,
  weekdayNumber,
} from './lexicon.js';
import {
  type Env,
  type Out,
  Y,
  currentQuarter,
  dayForDayOfMonth,
  dayForWeekday,
  dayOut,
  monthOut,
  quarterOut,
  ref,
  seasonValue,
  shiftMonth,
  shiftQuarter,
  weekOut,
  yearForMonth,
  yearForMonthDay,
  yearOut,
  ymdOut,
} from './resolve.js';
import { isGenericToday, type Tense } from './tense.js';

export type Groups = Record<string, string | undefined>;

export interface Rule {
  name: string;
  re: RegExp;
  /** Reject a match before overlap resolution (cheap, context-only checks). */
  accept?(g: Groups, text: string, start: number, end: number): boolean;
  /** Normalise; an empty array drops the words (blockers such as ages). */
  make(g: Groups, env: Env, start: number, end: number): Out | Out[] | null;
}

const rx = (source: string, flags = 'gi'): RegExp => new RegExp(source, flags);
const cap = (s: string | undefined): boolean => !!s && /^[A-Z]/.test(s);
const low = (s: string | undefined): string => (s ?? '').toLowerCase().replace(/\s+/g, ' ').trim();
const before = (text: string, start: number, n = 30): string => text.slice(Math.max(0, start - n), start);
const after = (text: string, end: number, n = 30): string => text.slice(end, end + n);

/** Words after which a capitalised month name is a month ("in May", "since June"). */
const MONTH_TRIGGER =
  /\b(?:in|since|by|until|till|of|from|through|to|during|before|after|between|and|or|late|early|mid|last|next|this|throughout|on|for|around|that|each|every|past)\s+$|\bmid-$|,\s*$/i;

const APPROX_BEFORE =
  /\b(?:by|around|about|circa|c\.|approximately|roughly|sometime\s+in|some\s+time\s+in|as\s+early\s+as|as\s+late\s+as|no\s+later\s+than|as\s+soon\s+as)\s+$/i;

export function approximateBefore(text: string, start: number): boolean {
  return APPROX_BEFORE.test(before(text, start, 25));
}

/** Words that make a four-digit number a quantity, not a year. */
const QUANTITY_AFTER =
  /^\s*(?:-\s*)?(?:people|persons|men|women|children|troops|soldiers|workers|employees|jobs|km|kilometers|kilometres|miles|meters|metres|feet|ft|tons|tonnes|pounds|lbs|dollars|yen|euros|yuan|rubles|won|rupees|francs|marks|cars|vehicles|units|shares|votes|points|barrels|acres|hectares|calories|copies|pages|words|seats|members|students|deaths|cases|homes|houses|households|flights|missiles|rockets|tanks|aircraft|planes|ships|bombs|rounds|mph|kph|cc|mm|cm|kg|lb|m|rpm|hp|mw|gw|kw|degrees|times|percent|per|%|bn|billion|million|thousand|hundred|residents|patients|passengers|fans|visitors|users|customers|companies|firms|stores|restaurants|sq|square|yards|inches|ounces|gallons|liters|litres|bags|items|shots|GMT|BST|UTC|EST|EDT|CET|CEST|PST|hrs|hours|h|local\s+time|x|\*|bits?|pixels)\b/i;
const QUANTITY_BEFORE =
  /(?:\b(?:No|no|Nos|number|Number|flight|Flight|route|Route|highway|Highway|room|Room|suite|Suite|model|Model|Boeing|Airbus|Windows|version|Version|page|pages|p|pp|rule|Rule|article|Article|resolution|Resolution|section|Section|chapter|Chapter|bill|Bill|H\.R|S|Form|code|Code|zip|extension|Ext|Interstate|I|Apollo|Volume|Vol|vol|Opus|op|Op|Euro|FIFA|PS|Xbox|Galaxy|iPhone|Mark|Mk|Type|type|class|Class|Group|group|Level|level|Issue|issue|Gate|gate|Box|box|Station|station|Channel|channel|Track|track|Unit|unit|Lot|lot|Building|Street|Avenue|Road|St|Ave|Rd|Fund|fund|Index|index|Dow|FTSE|Nikkei|S&P|Nasdaq|Stoxx|DAX|CAC|Hang\s+Seng|at|to|from|of\s+about|about|some|over|nearly|almost|than|around|roughly|approximately)\.?\s+$)|[$£€¥#]\s*$/;

function yearLooksLikeQuantity(text: string, start: number, end: number, y: number): boolean {
  const next = after(text, end, 20);
  if (QUANTITY_AFTER.test(next)) return true;
  // "2000 soldiers": a plural noun right after the number.
  const w = /^\s+([a-z]+)/.exec(next);
  if (w && /s$/.test(w[1]!) && !/^(?:was|has|is|as|this|its|his|us|plus|less|thus|across|perhaps|unless|whereas|status|always|besides|towards|afterwards|sometimes|yes|does|campus|news|series|crisis|analysis)$/.test(w[1]!))
    return true;
  const prev = before(text, start, 30);
  if (QUANTITY_BEFORE.test(prev)) {
    // "at 2000" / "from 1990" / "about 2025" are still years in running text when nothing follows the number.
    const m = /(\S+)\s*$/.exec(prev);
    const p = (m?.[1] ?? '').toLowerCase();
    if (['at', 'to', 'from', 'about', 'some', 'over', 'nearly', 'almost', 'than', 'around', 'roughly', 'approximately', 'of'].includes(p.replace(/\.$/, ''))) {
      // A year only if it is plausibly one and is not followed by a unit (checked above).
      if (y < 1900 || y > 2050) return true;
      if (p === 'to' || p === 'from') return /\d[\d,.]*\s+(?:to|from)\s+$/.test(prev) && !/(?:1[89]|20)\d\d\s+(?:to|from)\s+$/.test(prev);
      return p === 'than' || p === 'some' || p === 'nearly' || p === 'almost' || p === 'over';
    }
    return true;
  }
  if (y < 1800) {
    // Early years only after a temporal preposition.
    return !/\b(?:in|since|by|from|until|of|year|circa|c\.|before|after|around|AD|BC)\s+$/i.test(prev);
  }
  return false;
}

function refOr<T>(env: Env, f: (r: Ymd) => T, fallback: T): T {
  return env.ref ? f(env.ref) : fallback;
}

function partCode(part: string | undefined): string | null {
  switch (low(part)) {
    case 'morning':
      return 'MO';
    case 'afternoon':
      return 'AF';
    case 'evening':
      return 'EV';
    case 'night':
    case 'tonight':
      return 'NI';
    default:
      return null;
  }
}

function timeOfDay(dayValue: string, part: string | null): Out {
  return { type: 'TIME', value: `${dayValue}T${part}`, precision: 'other', anchor: 'relative' };
}

function nthWeekdayOfMonth(y: number, m: number, wd: number, n: number): Ymd {
  if (n > 0) {
    const first = { y, m, d: 1 };
    const shift = (wd - weekday(first) + 7) % 7;
    return addDays(first, shift + 7 * (n - 1));
  }
  const last = { y, m, d: new Date(Date.UTC(y, m, 0)).getUTCDate() };
  return addDays(last, -((weekday(last) - wd + 7) % 7));
}

function easter(y: number): Ymd {
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { y, m: month, d: day };
}

const HOLIDAYS: Record<string, (y: number) => Ymd> = {
  christmas: (y) => ({ y, m: 12, d: 25 }),
  'christmas day': (y) => ({ y, m: 12, d: 25 }),
  'christmas eve': (y) => ({ y, m: 12, d: 24 }),
  "new year's day": (y) => ({ y, m: 1, d: 1 }),
  "new year's eve": (y) => ({ y, m: 12, d: 31 }),
  'independence day': (y) => ({ y, m: 7, d: 4 }),
  'fourth of july': (y) => ({ y, m: 7, d: 4 }),
  halloween: (y) => ({ y, m: 10, d: 31 }),
  "valentine's day": (y) => ({ y, m: 2, d: 14 }),
  'boxing day': (y) => ({ y, m: 12, d: 26 }),
  'veterans day': (y) => ({ y, m: 11, d: 11 }),
  thanksgiving: (y) => nthWeekdayOfMonth(y, 11, 4, 4),
  'thanksgiving day': (y) => nthWeekdayOfMonth(y, 11, 4, 4),
  'labor day': (y) => nthWeekdayOfMonth(y, 9, 1, 1),
  'memorial day': (y) => nthWeekdayOfMonth(y, 5, 1, -1),
  easter: easter,
  'easter sunday': easter,
  'easter monday': (y) => addDays(easter(y), 1),
  'good friday': (y) => addDays(easter(y), -2),
  'holy saturday': (y) => addDays(easter(y), -1),
  'holy thursday': (y) => addDays(easter(y), -3),
  'maundy thursday': (y) => addDays(easter(y), -3),
  'palm sunday': (y) => addDays(easter(y), -7),
  'ash wednesday': (y) => addDays(easter(y), -46),
  // Weeks named after Easter: the (ISO) week that ends on Easter Sunday.
  'holy week': easter,
  'easter week': easter,
  'may day': (y) => ({ y, m: 5, d: 1 }),
  "mother's day": (y) => nthWeekdayOfMonth(y, 5, 7, 2),
  "father's day": (y) => nthWeekdayOfMonth(y, 6, 7, 3),
  // US general elections: the Tuesday after the first Monday of November.
  'election day': (y) => addDays(nthWeekdayOfMonth(y, 11, 1, 1), 1),
};

/**
 * A holiday up to two weeks ahead stays ahead in a past-tense sentence ("pilgrims arrived ahead of
 * Easter"), as month-days do (see yearForMonthDay); likewise two weeks back in a future-tense one.
 */
const HOLIDAY_SLACK_MS = 14 * 86_400_000;

/** Holidays whose month and day are the same every year (the rest move). */
const FIXED_HOLIDAYS = /^(?:christmas|new year|independence|fourth|halloween|valentine|boxing|veterans|may day)/;

/** Resolves a (month, day) with no year stated. */
function monthDay(env: Env, m: number, d: number, start: number, end: number, wd: number | null): Out | null {
  if (!isValid(2000, m, d)) return null;
  if (!env.ref) return dayOut(null, m, d, 'relative');
  const r = env.ref;
  if (wd !== null) {
    // The weekday fixes the year: take the nearest year where it matches.
    for (const y of [r.y, r.y - 1, r.y + 1]) if (isValid(y, m, d) && weekday({ y, m, d }) === wd) return dayOut(y, m, d, 'relative');
  }
  // "the quarter ended Jan. 31": the end of a reporting period is always behind us.
  if (/\b(?:ended|closed)\s+(?:on\s+)?$/i.test(before(env.text, start, 20))) {
    const y0 = yearForMonthDay(r, m, d, 'past', 0);
    return isValid(y0, m, d) ? dayOut(y0, m, d, 'relative') : dayOut(y0, m, d - 1, 'relative');
  }
  const y = yearForMonthDay(r, m, d, env.tense(start, end));
  return isValid(y, m, d) ? dayOut(y, m, d, 'relative') : dayOut(y, m, d - 1, 'relative');
}

function monthAlone(env: Env, m: number, start: number, end: number, approximate: boolean): Out {
  if (!env.ref) return monthOut(null, m, 'relative', approximate);
  return monthOut(yearForMonth(env.ref, m, env.tense(start, end)), m, 'relative', approximate);
}

function quarterYear(env: Env, q: number, start: number, end: number): number | null {
  if (!env.ref) return null;
  const cq = quarterOf(env.ref.m);
  const t = env.tense(start, end);
  if (q > cq && (t === 'past' || q - cq >= 2)) return env.ref.y - 1;
  return env.ref.y;
}

/** The last quarter the text named, or the last complete quarter before the reference date. */
function lastQuarter(env: Env, start: number): { y: number; q: number } | null {
  const l = env.last;
  if (l && l.q && start - l.pos < 2000) return { y: l.y, q: l.q };
  if (!env.ref) return null;
  const c = currentQuarter(env.ref);
  return shiftQuarter(c.y, c.q, -1);
}

function relYear(mod: string | undefined, r: Ymd): number {
  const m = low(mod);
  if (m.includes('last') || m.includes('previous') || m.includes('past')) return r.y - 1;
  if (m.includes('next') || m.includes('coming')) return r.y + 1;
  return r.y;
}

const UNIT_CODE: Record<string, string> = {
  year: 'Y',
  month: 'M',
  week: 'W',
  day: 'D',
  decade: 'DE',
  century: 'CE',
  quarter: 'Q',
  hour: 'H',
  minute: 'MIN',
  second: 'S',
  weekend: 'WE',
  night: 'D',
  fortnight: 'FN',
  millennium: 'ML',
};

function unitOf(word: string): string {
  const w = low(word).replace(/ies$/, 'y').replace(/ia$/, 'ium').replace(/s$/, '');
  if (w === 'yr') return 'year';
  if (w === 'hr') return 'hour';
  if (w === 'min') return 'minute';
  if (w === 'centurie') return 'century';
  return w;
}

export function durationValue(n: number | null, unit: string): string {
  const u = unitOf(unit);
  const x = (k: number) => (n === null ? 'X' : String(Math.round(n * k * 100) / 100));
  switch (u) {
    case 'year':
      return `P${x(1)}Y`;
    case 'month':
      return `P${x(1)}M`;
    case 'week':
      return `P${x(1)}W`;
    case 'day':
    case 'night':
      return `P${x(1)}D`;
    case 'decade':
      return n === null ? 'PXDE' : `P${x(10)}Y`;
    case 'century':
      return n === null ? 'PXCE' : `P${x(100)}Y`;
    case 'millennium':
      return n === null ? 'PXML' : `P${x(1000)}Y`;
    case 'quarter':
      return `P${x(1)}Q`;
    case 'hour':
      return `PT${x(1)}H`;
    case 'minute':
      return `PT${x(1)}M`;
    case 'second':
      return `PT${x(1)}S`;
    case 'weekend':
      return `P${x(1)}WE`;
    case 'fortnight':
      return `P${x(2)}W`;
    default:
      return 'PX';
  }
}

const dur = (value: string, approximate = false): Out => ({ type: 'DURATION', value, precision: 'other', anchor: 'relative', approximate });

/** "N units ago" / "N units from now", relative to the reference date (or to `base`). */
function shifted(env: Env, base: Ymd | null, n: number | null, unit: string, sign: number, approximate: boolean, start: number): Out {
  const u = unitOf(unit);
  if (n === null) return { ...ref(sign < 0 ? 'PAST_REF' : 'FUTURE_REF'), approximate };
  const k = Math.round(n * sign);
  const r = base ?? env.ref;
  if (!r) {
    const val = u === 'day' ? 'XXXX-XX-XX' : u === 'month' ? 'XXXX-XX' : u === 'week' ? 'XXXX-WXX' : 'XXXX';
    const prec = u === 'day' ? 'day' : u === 'month' ? 'month' : u === 'week' ? 'week' : 'year';
    return { type: 'DATE', value: val, precision: prec, anchor: 'relative', approximate };
  }
  switch (u) {
    case 'day':
      return { ...ymdOut(addDays(r, k)), approximate };
    case 'week':
      return { ...weekOut(addDays(r, 7 * k)), approximate };
    case 'month':
      return { ...shiftMonth(r, k), approximate };
    case 'quarter': {
      const c = currentQuarter(r);
      const s = shiftQuarter(c.y, c.q, k);
      return quarterOut(s.y, s.q, 'relative', approximate);
    }
    case 'year': {
      // "a year ago" in a text about quarterly results means the same quarter a year before.
      const l = env.last;
      if (Math.abs(k) === 1 && l && l.q && start - l.pos < 1500) {
        const s = shiftQuarter(l.y, l.q, 4 * k);
        return quarterOut(s.y, s.q, 'relative', approximate);
      }
      return yearOut(r.y + k, 'relative', approximate);
    }
    case 'decade':
      return yearOut(r.y + 10 * k, 'relative', approximate);
    case 'century':
      return yearOut(r.y + 100 * k, 'relative', approximate);
    default:
      return dur(durationValue(n, unit), approximate);
  }
}

/** Anaphoric shift from the last mentioned date ("a year earlier", "the following day"). */
function fromLast(env: Env, start: number, unit: string, k: number, atUnitPrecision = false): Out | null {
  const l = env.last;
  if (!l || start - l.pos > 1500) return null;
  const u = unitOf(unit);
  if (u === 'year' && atUnitPrecision) return yearOut(l.y + k, 'relative');
  if (u === 'month' && atUnitPrecision && l.m) {
    const v = addMonths(l.y, l.m, k);
    return monthOut(v.y, v.m, 'relative');
  }
  if (u === 'year') {
    // "a year earlier" in results reporting is the same quarter a year before; otherwise the year.
    if (l.q) {
      const s = shiftQuarter(l.y, l.q, 4 * k);
      return quarterOut(s.y, s.q, 'relative');
    }
    return yearOut(l.y + k, 'relative');
  }
  if (u === 'day' && l.m && l.d) return ymdOut(addDays({ y: l.y, m: l.m, d: l.d }, k));
  if (u === 'month' && l.m) {
    const v = addMonths(l.y, l.m, k);
    return monthOut(v.y, v.m, 'relative');
  }
  if (u === 'week' && l.m && l.d) return weekOut(addDays({ y: l.y, m: l.m, d: l.d }, 7 * k));
  return null;
}

const UNIT = '(?:years?|yrs?|months?|weeks?|days?|hours?|hrs?|minutes?|mins?|seconds?|decades?|centuries|century|quarters?|nights?|weekends?|fortnights?|millennia|millennium)';
const SEASON = '(?:spring|summer|autumn|fall|winter)';
const SEASON_CODE: Record<string, string> = { spring: 'SP', summer: 'SU', autumn: 'FA', fall: 'FA', winter: 'WI' };
const PRE_APPROX = '(?:about|around|almost|nearly|some|more\\s+than|less\\s+than|over|roughly|approximately|just|only|barely|at\\s+least|exactly|fully|precisely)';

function decadeValue(word: string, r: Ymd | null): string | null {
  const w = low(word).replace(/[’']/g, "'");
  let m = /^(\d{3})0s$/.exec(w);
  if (m) return `${m[1]}X`;
  m = /^'(\d)0s$/.exec(w);
  if (m) {
    const d = Number(m[1]);
    // '20s: the most recent such decade not after the reference year.
    const cy = r ? r.y : 1999;
    let c = Math.floor(cy / 100);
    if (c * 100 + d * 10 > cy) c -= 1;
    return `${c}${d}X`;
  }
  const names: Record<string, number> = { twenties: 2, thirties: 3, forties: 4, fifties: 5, sixties: 6, seventies: 7, eighties: 8, nineties: 9 };
  m = /^(?:(nineteen|eighteen|twenty)[- ])?(twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)$/.exec(w);
  if (m) {
    const c = m[1] === 'eighteen' ? 18 : m[1] === 'twenty' ? 20 : 19;
    return `${c}${names[m[2]!]}X`;
  }
  return null;
}

const ORD_WORD: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10,
  eleventh: 11, twelfth: 12, thirteenth: 13, fourteenth: 14, fifteenth: 15, sixteenth: 16, seventeenth: 17,
  eighteenth: 18, nineteenth: 19, twentieth: 20, 'twenty-first': 21, 'twenty first': 21, 'twenty-second': 22,
};

/** A month and day, with a year when the text gives one ("March 24, 2024", "24 March", "Monday, March 24"). */
function makeCalendarDay(g: Groups, env: Env, start: number, end: number): Out | null {
  const m = monthNumber(g.mon!)!;
  const d = parseInt(g.day!, 10);
  if (g.year) {
    const y = Number(g.year);
    return isValid(y, m, d) ? dayOut(y, m, d, 'absolute') : null;
  }
  return monthDay(env, m, d, start, end, g.wd ? weekdayNumber(g.wd) : null);
}

export const RULES: Rule[] = [
  // ---- blockers: ages and other numbers that look like durations or years ----
  {
    name: 'age',
    re: rx(`\\b(?:${NUM})[-\\s]+(?:years?|months?|weeks?|days?)[-\\s]+old\\b|\\baged?\\s+(?:of\\s+)?(?:between\\s+)?\\d+(?:\\s*(?:to|and|-|–)\\s*\\d+)?\\b|\\bages\\s+\\d+(?:\\s*(?:to|and|-|–)\\s*\\d+)?`),
    make: () => [],
  },
  {
    // Sports scores, times of a race, phone numbers, money: "$2,000", "2000-1", "1-0".
    name: 'numeric-noise',
    re: rx(`[$£€¥]\\s*\\d[\\d,.]*(?:\\s*(?:million|billion|bn|m|k))?|\\b\\d+,\\d{3}(?:,\\d{3})*(?:\\.\\d+)?\\b`),
    make: () => [],
  },

  // ---- explicit calendar dates ----
  {
    name: 'weekday-month-day-year',
    re: rx(`\\b(?:(?<wd>${WEEKDAY}),?\\s+(?:the\\s+)?)?(?<mon>${MONTH_D})\\s+(?<day>${DAY})(?!\\d|:\\d|%)(?:(?:,?\\s+|\\s*,\\s*)(?<year>${YEAR})(?![\\d%]))?\\b`, 'g'),
    accept: (g, text, start, end) => !/^\s*(?:percent|per\s+cent|%|points?|million|billion)\b/i.test(after(text, end)) && !(g.mon === 'May' && !g.year && /^\s+[a-z]/.test(after(text, end)) && !MONTH_TRIGGER.test(before(text, start))),
    make: makeCalendarDay,
  },
  {
    name: 'day-month-year',
    re: rx(`\\b(?:(?<wd>${WEEKDAY}),?\\s+)?(?:the\\s+)?(?<day>${DAY})(?:\\s+of)?\\s+(?<mon>${MONTH_D})(?:,?\\s+(?<year>${YEAR}))?\\b`, 'g'),
    accept: (g, text, start) => !/[\d,.]\s*$/.test(before(text, start, 2)) && !(g.mon === 'May' && !g.year && !/(?:st|nd|rd|th)$/.test(g.day!) && !/^\s*[,.;]/.test(after(text, start + 100, 0))),
    make: makeCalendarDay,
  },
  {
    name: 'week-of',
    re: rx(`\\bthe\\s+week\\s+of\\s+(?<mon>${MONTH_D})\\s+(?<day>${DAY})(?:,?\\s+(?<year>${YEAR}))?\\b`, 'g'),
    make(g, env, start, end) {
      const m = monthNumber(g.mon!)!;
      const d = parseInt(g.day!, 10);
      const o = g.year ? dayOut(Number(g.year), m, d, 'absolute') : monthDay(env, m, d, start, end, null);
      const v = o && /^\d{4}/.test(o.value) ? { y: Number(o.value.slice(0, 4)), m, d } : null;
      return v && isValid(v.y, m, d) ? { ...weekOut(v), anchor: g.year ? 'absolute' : 'relative' } : weekOut(null);
    },
  },
  {
    name: 'iso-date',
    re: rx(`\\b(?<y>${YEAR})-(?<m>0[1-9]|1[0-2])-(?<d>0[1-9]|[12]\\d|3[01])\\b(?!-)`, 'g'),
    make: (g) => (isValid(Number(g.y), Number(g.m), Number(g.d)) ? dayOut(Number(g.y), Number(g.m), Number(g.d), 'absolute') : null),
  },
  {
    name: 'slash-date',
    re: rx(`(?<![\\d/])(?<a>0?[1-9]|[12]\\d|3[01])/(?<b>0?[1-9]|[12]\\d|3[01])/(?<y>${YEAR}|\\d\\d)(?![\\d/])`, 'g'),
    make(g) {
      let y = Number(g.y);
      if (g.y!.length === 2) y += y < 50 ? 2000 : 1900;
      let m = Number(g.a);
      let d = Number(g.b);
      if (m > 12) [m, d] = [d, m];
      return isValid(y, m, d) ? dayOut(y, m, d, 'absolute') : null;
    },
  },
  {
    name: 'month-year',
    re: rx(`\\b(?:(?<mod>early|late|mid|the\\s+(?:beginning|end|middle|start|close)\\s+of|(?:early|late)\\s+in)[-\\s]+)?(?<mon>${MONTH_D})(?:\\s+of)?,?\\s+(?<year>${YEAR}|${SPOKEN_YEAR})\\b(?![\\d%])`, 'gi'),
    accept: (g) => cap(g.mon),
    make(g) {
      const y = /^\d/.test(g.year!) ? Number(g.year) : spokenYearValue(g.year!);
      if (y === null) return null;
      return monthOut(y, monthNumber(g.mon!)!, 'absolute', !!g.mod);
    },
  },
  {
    name: 'month-relative',
    re: rx(`\\b(?<mod>last|next|this|this\\s+past|this\\s+coming|(?:early|late|mid)[-\\s](?:last|next|this))\\s+(?<mon>${MONTH})(?!\\s+\\d)\\b|\\b(?<mon2>${MONTH})\\s+(?<mod2>last|next|this)\\s+year\\b`, 'gi'),
    accept: (g) => cap(g.mon ?? g.mon2),
    make(g, env) {
      const m = monthNumber((g.mon ?? g.mon2)!)!;
      const mod = low(g.mod ?? g.mod2);
      const approx = /early|late|mid/.test(mod);
      if (!env.ref) return monthOut(null, m, 'relative', approx);
      const r = env.ref;
      let y = r.y;
      if (g.mod2) y = mod === 'last' ? r.y - 1 : mod === 'next' ? r.y + 1 : r.y;
      else if (mod.includes('last') || mod.includes('past')) y = m < r.m ? r.y : r.y - 1;
      else if (mod.includes('next') || mod.includes('coming')) y = m > r.m ? r.y : r.y + 1;
      return monthOut(y, m, 'relative', approx);
    },
  },
  {
    name: 'month-alone',
    re: rx(`(?:\\b(?<mod>early|late|mid|the\\s+(?:beginning|end|middle|start|close)\\s+of|(?:early|late)\\s+in)[-\\s]+)?\\b(?<mon>${MONTH})(?![-\\w])`, 'gi'),
    accept(g, text, start, end) {
      if (!cap(g.mon)) return false;
      const mon = g.mon!.replace(/\.$/, '');
      const nxt = after(text, end, 30);
      const prev = before(text, start, 30);
      // "April Ryan", "June Carter": a capitalised word after a month name makes it a first name.
      if (/^\s+[A-Z][a-z]/.test(nxt) && !/^\s+(?:and|or|to|through|until)\b/i.test(nxt)) return false;
      if (/^['’]s\s/.test(nxt) && mon === 'May') return false;
      if (g.mod) return true;
      // "the October slaying", "the March accession": a capitalised month used as a modifier is a date.
      if (/\bthe\s+$/i.test(prev) && /^\s+[a-z]{3,}/.test(nxt) && !/^\s+(?:of|on|to|for|in|at|by|and|or|with|from|against|was|is|were|are|has|had)\b/.test(nxt)) return true;
      if (mon === 'May' || mon === 'March' || mon === 'August') return MONTH_TRIGGER.test(prev) && !/\bthe\s+$/i.test(prev);
      // "the March" is the noun march; sentence-initial months are fine.
      if (/\b(?:a|the)\s+$/i.test(prev)) return /\bof\s+the\s+$/.test(prev) === false && /^\s+(?:of)\b/.test(nxt);
      return true;
    },
    make(g, env, start, end) {
      const m = monthNumber(g.mon!)!;
      // The end of a range ("from March to May") follows its start.
      const l = env.last;
      if (!g.mod && l && l.m && !l.d && new RegExp(`${MONTH}\\s*(?:to|until|through|till|and|-|–)\\s*$`).test(before(env.text, start, 25)))
        return monthOut(m >= l.m ? l.y : l.y + 1, m, 'relative');
      return monthAlone(env, m, start, end, !!g.mod);
    },
  },
  {
    name: 'year-range',
    re: rx(`(?<![\\w$£€#.,/-])(?<y1>${YEAR})\\s*(?:-|–|—|/)\\s*(?<y2>${YEAR}|\\d\\d)(?![\\w%]|[.,]\\d|-)`, 'g'),
    accept: (g) => {
      const y1 = Number(g.y1);
      const y2 = g.y2!.length === 2 ? Math.floor(y1 / 100) * 100 + Number(g.y2) : Number(g.y2);
      return y2 > y1 && y2 - y1 < 200 && y1 >= 1800;
    },
    make(g, env, start, end) {
      const y1 = Number(g.y1);
      const y2 = g.y2!.length === 2 ? Math.floor(y1 / 100) * 100 + Number(g.y2) : Number(g.y2);
      const i2 = env.text.slice(start, end).lastIndexOf(g.y2!);
      return [
        { ...yearOut(y1, 'absolute'), start, end: start + g.y1!.length },
        { ...yearOut(y2, 'absolute'), start: start + i2, end: start + i2 + g.y2!.length },
      ];
    },
  },
  {
    name: 'year',
    re: rx(`(?<![\\w$£€#./:]|\\d[.,]|\\d-)(?:(?<mod>early|late|mid|the\\s+(?:beginning|end|middle|start|close|spring|summer|autumn|fall|winter|first\\s+half|second\\s+half|last\\s+half|latter\\s+half|first\\s+two\\s+quarters|last\\s+two\\s+quarters|turn)\\s+of)[-\\s]+)?(?<fiscal>(?:fiscal|financial)(?:\\s+year)?\\s+|FY\\s?)?(?<year>${YEAR})(?![\\w%]|[.,]\\d|[-/]\\d|-[a-z]|\\s*[x×*]\\s*\\d|\\s*[-–]\\s*(?:${YEAR}|\\d\\d)\\b)`, 'gi'),
    accept: (g, text, start, end) => {
      const y = Number(g.year);
      if (g.mod || g.fiscal) return true;
      return !yearLooksLikeQuantity(text, start, end, y);
    },
    make(g, env, start) {
      const y = Number(g.year);
      const mod = low(g.mod);
      if (/spring|summer|autumn|fall|winter/.test(mod)) {
        const s = SEASON_CODE[/spring|summer|autumn|fall|winter/.exec(mod)![0]]!;
        return { type: 'DATE', value: `${pad4(y)}-${s}`, precision: 'season', anchor: 'absolute' };
      }
      if (/half|two quarters/.test(mod)) return { type: 'DATE', value: `${pad4(y)}-H${mod.includes('first') ? 1 : 2}`, precision: 'other', anchor: 'absolute' };
      return yearOut(y, 'absolute', !!g.mod || approximateBefore(env.text, start));
    },
  },
  {
    name: 'spoken-year',
    re: rx(`(?<=\\b(?:in|since|of|until|by|from|year)\\s)(?<year>${SPOKEN_YEAR})\\b|\\b(?<year2>nineteen[- ](?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?)\\b`, 'gi'),
    make: (g) => {
      const y = spokenYearValue((g.year ?? g.year2)!);
      return y === null || y < 1800 ? null : yearOut(y, 'absolute');
    },
  },
  {
    name: 'decade',
    re: rx(`(?:\\bthe\\s+)?(?:\\b(?<mod>early|late|mid)[-\\s]+)?(?<dec>\\b(?:1[0-9]|20)\\d0s|['’]\\d0s|\\b(?:(?:nineteen|eighteen|twenty)[- ])?(?:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))\\b`, 'gi'),
    accept: (g, text, start) => /\d/.test(g.dec!) || !/\b(?:his|her|their|its|my|your|our|in\s+the|people\s+in\s+their)\s+(?:(?:early|late|mid)[-\s]+)?$/i.test(before(text, start, 30) + (g.mod ? g.mod + ' ' : '')),
    make(g, env) {
      const v = decadeValue(g.dec!, env.ref);
      if (!v) return null;
      return { type: 'DATE', value: v, precision: 'decade', anchor: /^\d/.test(g.dec!) ? 'absolute' : 'relative', approximate: !!g.mod };
    },
  },
  {
    name: 'century',
    re: rx(`\\b(?:the\\s+)?(?:(?<mod>early|late|mid)[-\\s]+)?(?<ord>\\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty[-\\s]first|twenty[-\\s]second)[-\\s]century\\b|\\bthe\\s+(?<hund>1[0-9]|20)00s\\b`, 'gi'),
    make(g) {
      const n = g.hund ? Number(g.hund) + 1 : (ordinalNumber(g.ord!.replace(/\s/, '-')) ?? ORD_WORD[low(g.ord).replace(' ', '-')] ?? null);
      if (!n) return null;
      return { type: 'DATE', value: pad2(n - 1), precision: 'century', anchor: 'absolute', approximate: !!g.mod };
    },
  },

  // ---- quarters, halves, seasons ----
  {
    name: 'quarter',
    re: rx(`\\b(?:(?:the|its|their|his|her|this)\\s+)?(?:(?<yrel>this|last|next)\\s+year['’]s\\s+)?(?:(?<ya>year-ago|year-earlier|year-before|prior-year|comparable|same)\\s+)?(?:(?<year0>${YEAR})\\s+)?(?:(?<fy>fiscal|financial)\\s+)?(?<ord>first|second|third|fourth|1st|2nd|3rd|4th)[-\\s]+(?:fiscal\\s+)?quarters?\\b(?:\\s+(?:of|in)\\s+(?:(?:fiscal|the|the\\s+fiscal)\\s+)?(?:year\\s+)?(?:(?<year>${YEAR})\\b|(?<yrel2>this|last|next|the\\s+current|the\\s+previous|the\\s+next)\\s+year\\b|the\\s+year\\b))?(?:,?\\s+(?<year2>${YEAR})\\b)?`, 'gi'),
    make(g, env, start, end) {
      const q = ordinalNumber(g.ord!) ?? 1;
      const ys = g.year ?? g.year2 ?? g.year0;
      if (ys) return quarterOut(Number(ys), q, 'absolute');
      const yrel = g.yrel ?? g.yrel2;
      if (yrel) return quarterOut(env.ref ? relYear(yrel, env.ref) : null, q, 'relative');
      const y = quarterYear(env, q, start, end);
      if (g.ya && /year|prior/i.test(g.ya)) return { ...quarterOut(y === null ? null : y - 1, q, 'relative'), noAnchor: true };
      return quarterOut(y, q, 'relative');
    },
  },
  {
    // "the final quarter of 2012", "the last quarter of last year": the fourth quarter of that year.
    name: 'final-quarter',
    re: rx(`\\bthe\\s+(?:final|last)\\s+quarter\\s+of\\s+(?:(?<year>${YEAR})\\b|(?<yrel>this|last|next)\\s+year\\b|the\\s+year\\b)`, 'gi'),
    make(g, env) {
      if (g.year) return quarterOut(Number(g.year), 4, 'absolute');
      return quarterOut(env.ref ? relYear(g.yrel, env.ref) : null, 4, 'relative');
    },
  },
  {
    name: 'quarter-q',
    re: rx(`\\b(?:Q(?<q>[1-4])(?:\\s+|\\s*['’])(?<year>${YEAR}|\\d\\d)|(?<year2>${YEAR})\\s*[-/]?\\s*Q(?<q2>[1-4]))\\b`, 'g'),
    make(g) {
      let y = Number(g.year ?? g.year2);
      if (y < 100) y += 2000;
      return quarterOut(y, Number(g.q ?? g.q2), 'absolute');
    },
  },
  {
    name: 'quarter-anaphoric',
    re: rx(`\\b(?<det>the|this|that|its|their|last|next|latest)\\s+(?:(?<mod>latest|last|previous|past|current|recent|same|year-earlier|year-ago|comparable|year-before|prior-year|prior|final|just-ended|just-completed|fiscal)\\s+)?(?:fiscal\\s+)?(?<noun>quarter|period)\\b(?!\\s+(?:of\\s+(?:a|an|the|its|their|his|her|all|them|those|these|one)\\b|century|mile|point|percent|hour|inch|-)|-)`, 'gi'),
    accept: (g, text, start, end) => {
      if (low(g.noun) === 'period') {
        // "the period" is a date only in results reporting ("the latest period", "the year-earlier period").
        return !!g.mod && /latest|year-earlier|year-ago|comparable|year-before|prior-year|same|previous|current/.test(low(g.mod));
      }
      return true;
    },
    make(g, env, start) {
      const det = low(g.det);
      const mod = low(g.mod);
      if (!env.ref) return quarterOut(null, null, 'relative');
      const c = currentQuarter(env.ref);
      if (det === 'this' || mod === 'current') return quarterOut(c.y, c.q, 'relative');
      if (det === 'next') {
        const s = shiftQuarter(c.y, c.q, 1);
        return quarterOut(s.y, s.q, 'relative');
      }
      if (det === 'last' || det === 'latest' || /^(?:last|latest|previous|past|prior|just-ended|just-completed)$/.test(mod)) {
        {
          const s = shiftQuarter(c.y, c.q, -1);
          return quarterOut(s.y, s.q, 'relative');
        }
      }
      const lq = lastQuarter(env, start)!;
      if (/year-earlier|year-ago|year-before|prior-year|comparable|same/.test(mod) && mod !== 'same') {
        const s = shiftQuarter(lq.y, lq.q, -4);
        return { ...quarterOut(s.y, s.q, 'relative'), noAnchor: true };
      }
      return quarterOut(lq.y, lq.q, 'relative');
    },
  },
  {
    name: 'year-period',
    re: rx(`\\b(?:the|its|their)\\s+(?<year>${YEAR})\\s+(?:fiscal\\s+)?(?:quarter|period)\\b`, 'gi'),
    make(g, env, start) {
      const y = Number(g.year);
      const l = env.last;
      if (l && l.q && start - l.pos < 1500) return { ...quarterOut(y, l.q, 'absolute'), noAnchor: true };
      return { ...yearOut(y, 'absolute'), start: start + env.text.slice(start).search(/\d/), end: start + env.text.slice(start).search(/\d/) + 4 };
    },
  },
  {
    name: 'half',
    re: rx(`\\b(?:the\\s+)?(?:(?<yrel>this|last|next)\\s+year['’]s\\s+)?(?:fiscal\\s+)?(?<ord>first|second)[-\\s]half\\b(?:\\s+of\\s+(?:(?:fiscal|the)\\s+)?(?:(?<year>${YEAR})|(?<yrel2>this|last|next)\\s+year|the\\s+year))?(?:,?\\s+(?<year2>${YEAR})\\b)?`, 'gi'),
    accept: (g, text, start, end) =>
      !!(g.year || g.year2 || g.yrel || g.yrel2) || (/\bof\s+the\s+year\b/i.test(text.slice(start, end))) ||
      /\b(?:profits?|earnings|sales|revenues?|results|loss|losses|growth|economy|income|output|fiscal|quarters?)\b/i.test(text.slice(Math.max(0, start - 120), end + 80)),
    make(g, env, start, end) {
      const h = low(g.ord) === 'first' ? 1 : 2;
      const ys = g.year ?? g.year2;
      let y: number | null = ys ? Number(ys) : null;
      const yrel = g.yrel ?? g.yrel2;
      if (!y && env.ref) {
        if (yrel) y = relYear(yrel, env.ref);
        else {
          const ch = env.ref.m <= 6 ? 1 : 2;
          y = h > ch && env.tense(start, end) === 'past' ? env.ref.y - 1 : env.ref.y;
        }
      }
      return { type: 'DATE', value: `${Y(y)}-H${h}`, precision: 'other', anchor: ys ? 'absolute' : 'relative' };
    },
  },
  {
    name: 'season',
    re: rx(`\\b(?:(?<det>the|this|last|next|this\\s+past|this\\s+coming|that|early|late|mid)[-\\s]+)?(?:(?<mod>early|late|mid)[-\\s]+)?(?<season>${SEASON})\\b(?:\\s+(?:of\\s+)?(?<year>${YEAR}|${SPOKEN_YEAR})\\b)?`, 'gi'),
    accept(g, text, start, end) {
      if (g.year) return true;
      const det = low(g.det);
      const s = low(g.season);
      const nxt = after(text, end, 20);
      if (/^\s*(?:of|in|from|to|by|and\s+rise|semester|term|session|olympics|games|collection|break|holidays?|fashion|wheat|crops?|schedule|months)\b/i.test(nxt) && !/^\s+of\s+(?:\d|this|last|next)/i.test(nxt)) return false;
      if (/^[-’']/.test(nxt)) return false;
      if (s === 'fall' && (!det || det === 'the') ) return /\b(?:in|during|since|until|by|this|last|next|early|late)\s+(?:the\s+)?$/i.test(before(text, start, 20));
      if ((det && det !== 'the') || g.mod) return true;
      return /\b(?:in|into|during|since|until|by|through|throughout|over|from|this|last|next|early|late)\s+(?:the\s+)?$/i.test(before(text, start, 20));
    },
    make(g, env, start, end) {
      const code = SEASON_CODE[low(g.season)]!;
      const approx = !!g.mod || /early|late|mid/.test(low(g.det));
      if (g.year) {
        const y = /^\d/.test(g.year) ? Number(g.year) : spokenYearValue(g.year);
        if (y === null) return null;
        return { type: 'DATE', value: `${pad4(y)}-${code}`, precision: 'season', anchor: 'absolute', approximate: approx };
      }
      const det = low(g.det);
      const mod: 'last' | 'this' | 'next' | 'none' = det.includes('last') || det.includes('past') ? 'last' : det.includes('next') || det.includes('coming') ? 'next' : det === 'this' ? 'this' : 'none';
      const value = env.ref ? seasonValue(env.ref, code, mod, env.tense(start, end)) : `XXXX-${code}`;
      return { type: 'DATE', value, precision: 'season', anchor: 'relative', approximate: approx };
    },
  },

  // ---- deictic and relative expressions ----
  {
    name: 'deictic-day',
    re: rx(`\\b(?:(?<mod>early|late|earlier|later)\\s+)?(?<w>today|yesterday|tomorrow|tonight)(?:\\s+(?<part>morning|afternoon|evening|night))?\\b|\\bthe\\s+day\\s+(?<ba>before\\s+yesterday|after\\s+tomorrow)\\b`, 'gi'),
    // "today's world", "today's youth": the generic present, which TimeBank leaves untagged.
    accept: (g, text, start, end) =>
      // "USA Today", "NBC's Today show", "This is VOA Today": capitalised in mid-sentence, a title.
      !(/^[A-Z][a-z]/.test(g.w ?? '') && !g.mod && /[\w’'.]\s+$/.test(before(text, start, 4)) && !/[.!?]["'”’)]?\s+$/.test(before(text, start, 4))) &&
      (low(g.w) !== 'today' || !/^['’]s\s+(?:[a-z]+\s+)?(?:world|society|youth|generation|young|children|kids|teenagers|culture|standards|consumers|students|computers|technology|families|parents|workers)\b/i.test(after(text, end, 40))),
    make(g, env, start, end) {
      const w = low(g.w);
      // "Today, the treaty has long lapsed", "today most people shop online": the generic present, not the
      // publication day. A "today" dates an event only in a sentence telling one (past tense, "said today",
      // or scheduled: "will vote today").
      if (w === 'today' && !g.mod && !g.part && isGenericToday(env.text, start, end)) return ref('PRESENT_REF');
      const k = g.ba ? (low(g.ba).startsWith('before') ? -2 : 2) : w === 'yesterday' ? -1 : w === 'tomorrow' ? 1 : 0;
      const day = env.ref ? fmtDay(addDays(env.ref, k)) : 'XXXX-XX-XX';
      const part = w === 'tonight' ? 'NI' : partCode(g.part);
      if (part) return timeOfDay(day, part);
      return { type: 'DATE', value: day, precision: 'day', anchor: 'relative' };
    },
  },
  {
    name: 'part-of-day',
    re: rx(`\\b(?<mod>this|last|that|the\\s+next|the\\s+following)\\s+(?<part>morning|afternoon|evening|night)\\b`, 'gi'),
    make(g, env, start) {
      const mod = low(g.mod);
      if (mod === 'the next' || mod === 'the following') {
        // "appeared in court the next morning": the day after the last day told, annotated as that DATE.
        const a = fromLast(env, start, 'day', 1);
        if (a) return a;
        return env.ref ? ymdOut(addDays(env.ref, 1)) : { type: 'DATE', value: 'XXXX-XX-XX', precision: 'day', anchor: 'relative' };
      }
      let base: string;
      if (mod === 'that') {
        const l = env.last;
        if (!l || !l.d || !l.m) return null;
        base = `${pad4(l.y)}-${pad2(l.m)}-${pad2(l.d)}`;
      } else {
        const k = mod === 'last' ? (low(g.part) === 'night' ? -1 : -1) : 0;
        base = env.ref ? fmtDay(addDays(env.ref, k)) : 'XXXX-XX-XX';
      }
      void start;
      return timeOfDay(base, partCode(g.part));
    },
  },
  {
    name: 'present-ref',
    re: rx(`\\b(?:right\\s+now|just\\s+now|now|currently|nowadays|at\\s+present|these\\s+days|the\\s+present(?:\\s+(?:time|day))?|present[-\\s]day)\\b(?!-)`, 'gi'),
    accept: (_g, text, start, end) => {
      const w = low(text.slice(start, end));
      if (w === 'presently') return true;
      if (w === 'now') return !/^\s*-/.test(after(text, end, 3)) && !/\bfrom\s+$/i.test(before(text, start, 8));
      if (w === 'the present') return !/^\s+(?:a|an|the|his|her|its|their)\b|^\s+(?:situation|government|system|case|study|report|crisis|regime|day)/i.test(after(text, end, 20));
      return true;
    },
    make: () => ref('PRESENT_REF'),
  },
  {
    // "the current weakness", "its current position": the adjective alone refers to the present (TimeBank
    // tags it more often than not); "the current year/quarter" are dates (longer rules), "current account" is not time.
    name: 'current',
    re: rx(`\\b(?<then>then[-\\s])?current(?=\\s+[a-z])(?!\\s+(?:account|accounts|affairs|events|assets|liabilities|and|or|to|of|in|is|was|are|were)\\b)`, 'g'),
    accept: (_g, text, start) => !/\b(?:electric|electrical|ocean|direct|alternating)\s+$/i.test(before(text, start, 15)),
    make: (g) => ref(g.then ? 'PAST_REF' : 'PRESENT_REF'),
  },
  {
    name: 'past-ref',
    re: rx(`\\b(?:recently|lately|in\\s+recent\\s+(?:years|times|decades)|recent\\s+(?:years|times)|in\\s+years\\s+past|once\\s+upon\\s+a\\s+time|some\\s+time\\s+ago|a\\s+while\\s+ago|not\\s+long\\s+ago|the\\s+past(?![-\\s]+(?:\\d|${NUMWORD}|few|several|many|couple|year|month|week|decade|century|day|night|weekend|quarter|hour|season|summer|winter|spring|autumn|fall|and\\s+(?:the\\s+)?(?:present|future))\\b))\\b`, 'gi'),
    make: () => ref('PAST_REF'),
  },
  {
    name: 'future-ref',
    re: rx(`\\b(?:(?:in\\s+)?the\\s+(?:near\\s+|distant\\s+|immediate\\s+)?future|in\\s+future|the\\s+(?:short|long|medium|near)\\s+term|in\\s+the\\s+years\\s+to\\s+come|the\\s+years\\s+ahead|in\\s+years\\s+to\\s+come|one\\s+day\\s+soon)\\b`, 'gi'),
    accept: (_g, text, start, end) => {
      const w = low(text.slice(start, end));
      if (w === 'soon') return !/^\s+(?:as|after|afterwards|afterward|thereafter)\b/i.test(after(text, end, 15)) && !/\b(?:as|how|too|so)\s+$/i.test(before(text, start, 6));
      return true;
    },
    make: () => ref('FUTURE_REF'),
  },
  {
    name: 'relative-unit',
    re: rx(`\\b(?<mod>last|this|next|the\\s+(?:past|last|previous|coming|next|following|current|same|preceding|prior|latest)|(?:earlier|later)\\s+(?:this|that)|(?:earlier|later)\\s+in\\s+the(?=\\s+(?:year|month|week))|(?:early|late|mid)[-\\s](?:next|last|this)|(?:early|late)\\s+in\\s+the|this\\s+past|this\\s+coming|that)\\s+(?<unit>year|month|week|weekend|decade|century|day|fiscal\\s+year|financial\\s+year)\\b(?!-)`, 'gi'),
    accept: (g, text, start, end) => {
      const mod = low(g.mod);
      // ABC's "This Week": a capitalised unit in mid-sentence is a title.
      if (/^[A-Z]/.test(g.unit!) && !/(?:^|[.!?]["'”’]?)\s*$/.test(before(text, start, 4))) return false;
      // "the year" etc. only with a modifier; "that day"/"that week" need a recent date to refer to (checked later).
      if (/^\s+(?:of|in)\s+(?:the|a|his|her|their|its)\b/i.test(after(text, end, 20)) && mod === 'that') return false;
      return true;
    },
    make(g, env, start, end) {
      const mod = low(g.mod).replace(/\s+/g, ' ');
      const unit = low(g.unit).replace(/^(?:fiscal|financial) /, '');
      const approx = /^(?:early|late|mid)/.test(mod);
      const r = env.ref;
      // TimeML reads "the past/last/coming/next N" spans as durations; but "the next day" in a narrative
      // is the day after the one just told (a DATE, like "the following day").
      if (/^the (?:past|last|coming|next)$/.test(mod) && !(unit === 'day' && mod === 'the next')) {
        // "over the past year": TimeBank annotates the calendar year before (or after) as a DATE.
        if (unit === 'year' && r) return yearOut(r.y + (/past|last/.test(mod) ? -1 : 1), 'relative');
        if (unit === 'decade' && mod === 'the next' && r) {
          const d = Math.floor(r.y / 10) + 1;
          return { type: 'DATE', value: `${d}X`, precision: 'decade', anchor: 'relative' };
        }
        return dur(durationValue(1, unit));
      }
      const sign = /last|previous|preceding|prior|past/.test(mod) ? -1 : /next|following|coming/.test(mod) ? 1 : 0;
      const anaphoric = /^the (?:previous|preceding|prior|following|same)$|(?:^| )that$/.test(mod) || (unit === 'day' && mod === 'the next');
      if (anaphoric) {
        const a = fromLast(env, start, unit, sign, true);
        if (a) return { ...a, approximate: approx };
        if (/that$/.test(mod) || mod === 'the same') return null;
      }
      if (!r) {
        const v: Record<string, Out> = {
          year: yearOut(null, 'relative', approx),
          month: monthOut(null, 0, 'relative', approx),
          week: weekOut(null),
          weekend: weekOut(null, '-WE'),
          day: dayOut(null, 0, 0, 'relative'),
          decade: { type: 'DATE', value: 'XXX', precision: 'decade', anchor: 'relative' },
          century: { type: 'DATE', value: 'XX', precision: 'century', anchor: 'relative' },
        };
        const o = v[unit];
        if (!o) return null;
        return { ...o, value: o.value.replace(/-00/g, '-XX'), approximate: approx };
      }
      switch (unit) {
        case 'year':
          return yearOut(r.y + sign, 'relative', approx);
        case 'month':
          return { ...shiftMonth(r, sign), approximate: approx };
        case 'week':
          return { ...weekOut(addDays(r, 7 * sign)), approximate: approx };
        case 'weekend':
          return weekOut(addDays(r, 7 * sign), '-WE');
        case 'day':
          if (mod === 'that' || mod === 'the same') return null;
          return ymdOut(addDays(r, sign));
        case 'decade': {
          const d = Math.floor(r.y / 10) + sign;
          return { type: 'DATE', value: `${d}X`, precision: 'decade', anchor: 'relative', approximate: approx };
        }
        case 'century':
          return { type: 'DATE', value: pad2(Math.floor(r.y / 100) + sign), precision: 'century', anchor: 'relative', approximate: approx };
        default:
          void end;
          return null;
      }
    },
  },
  {
    // "for the year", "the full year", "the fiscal year": the current year in news (TimeBank);
    // "the year ended June 30" is a one-year period (a duration).
    name: 'the-year',
    re: rx(`\\bthe\\s+(?:(?<adj>full|fiscal|financial)\\s+)?year\\b(?![-'’]|\\s+(?:ago|earlier|later|before|after|\\d|two\\s+thousand|nineteen|in\\s+which|when|that|of|round|on|to\\s+date)\\b)`, 'gi'),
    accept: (_g, text, start) => {
      const prev = before(text, start, 40);
      // "of the year" is a date after a part of it ("the first nine months of the year", "the rest of the year");
      // after anything else it is an award or a superlative ("player of the year", "the single of the year").
      if (/\bof\s+$/i.test(prev) && !/\b(?:months|weeks|days|quarters?|half|part|parts|period|end|start|beginning|rest|remainder|balance|middle|course)\s+of\s+$/i.test(prev)) return false;
      return !/\b(?:all|throughout|during|over|across)\s+$/i.test(prev);
    },
    make(g, env, start, end) {
      const nxt = after(env.text, end, 20);
      if (/^\s+(?:ended|ending|ends|to|through)\b/i.test(nxt)) return dur('P1Y');
      void g;
      void start;
      return env.ref ? yearOut(env.ref.y, 'relative') : yearOut(null, 'relative');
    },
  },
  {
    name: 'the-weekend',
    re: rx(`\\b(?:the|over\\s+the)\\s+weekend\\b(?![-'’])`, 'gi'),
    make(g, env, start, end) {
      void g;
      if (!env.ref) return weekOut(null, '-WE');
      const r = env.ref;
      const wd = weekday(r);
      const t = env.tense(start, end);
      if (t === 'future') return weekOut(wd >= 6 ? addDays(r, 7) : r, '-WE');
      return weekOut(wd >= 6 ? r : addDays(r, -7), '-WE');
    },
  },
  {
    name: 'edge-of-period',
    re: rx(`\\b(?:the\\s+)?(?<pos>end|beginning|start|middle|close)\\s+of\\s+(?:the\\s+)?(?<what>(?:this|next|last|the|that)\\s+(?:year|month|week|decade|century)|year|month|week|decade|century)\\b|\\b(?<ye>year[-\\s]end|year['’]s\\s+end|the\\s+year['’]s\\s+end|end-of-year|the\\s+turn\\s+of\\s+the\\s+year)\\b(?![-\\w])`, 'gi'),
    make(g, env) {
      const what = g.ye ? 'year' : low(g.what);
      const unit = /year/.test(what) ? 'year' : /month/.test(what) ? 'month' : /week/.test(what) ? 'week' : /decade/.test(what) ? 'decade' : 'century';
      const sign = /last/.test(what) ? -1 : /next/.test(what) ? 1 : 0;
      if (/^that /.test(what)) {
        const a = fromLast(env, 0, unit, 0);
        return a ? { ...a, approximate: true } : null;
      }
      const r = env.ref;
      if (!r) return { ...yearOut(null, 'relative', true) };
      switch (unit) {
        case 'year':
          return yearOut(r.y + sign, 'relative', true);
        case 'month':
          return { ...shiftMonth(r, sign), approximate: true };
        case 'week':
          return { ...weekOut(addDays(r, 7 * sign)), approximate: true };
        case 'decade':
          return { type: 'DATE', value: `${Math.floor(r.y / 10) + sign}X`, precision: 'decade', anchor: 'relative', approximate: true };
        default:
          return { type: 'DATE', value: pad2(Math.floor(r.y / 100) + sign), precision: 'century', anchor: 'relative', approximate: true };
      }
    },
  },
  {
    name: 'weekday',
    re: rx(`\\b(?:(?<mod>[Ll]ast|[Nn]ext|[Tt]his|[Tt]his\\s+past|[Tt]his\\s+coming|[Ee]arly|[Ll]ate|[Ee]arlier|[Ll]ater)\\s+)?(?<wd>${WEEKDAY})(?:\\s+(?<part>morning|afternoon|evening|night))?(?![\\w-])`, 'g'),
    accept(g, text, start, end) {
      const prev = before(text, start, 20);
      if (!g.mod && /\b(?:Good|Black|Ash|Bloody|Cyber|Super|Holy|Easter|Palm|Maundy|Shrove|Fat|Blue|Manic|Sunday|Saturday)\s+$/.test(prev)) return false;
      // "The Mail on Sunday", "The Observer on Sunday": newspaper titles.
      if (/\b(?:Mail|Independent|Express|Mirror|Telegraph|Observer)\s+on\s+$/.test(prev)) return false;
      if (/^\s+(?:Times|Telegraph|Mirror|Express|Herald|Post|Independent|Mail|People|Sport|Night\s+Football|Tribune|Star|Business|Review|Magazine|Club)\b/.test(after(text, end, 25))) return false;
      if (/^['’]s\s+Child/.test(after(text, end, 20))) return false;
      return true;
    },
    make(g, env, start, end) {
      const wd = weekdayNumber(g.wd!)!;
      const mod = low(g.mod);
      let day: string;
      if (!env.ref) day = `XXXX-WXX-${wd}`;
      else {
        const r = env.ref;
        const cur = weekday(r);
        let v: Ymd;
        if (mod === 'last') v = addDays(r, -(((cur - wd + 7) % 7) || 7));
        else if (mod === 'next') v = addDays(r, ((wd - cur + 7) % 7) || 7);
        else if (mod === 'this' ) v = addDays(r, wd - cur);
        else if (mod.includes('past')) v = addDays(r, -(((cur - wd + 7) % 7) || 7));
        else if (mod.includes('coming')) v = addDays(r, ((wd - cur + 7) % 7) || 7);
        else {
          // A dated weekday ("Friday, Oct. 13") is handled by the date rule; here tense decides.
          // A possessive ("Wednesday's ruling") names something that already happened: the most recent such day.
          const t: Tense = /^['’]s\b/.test(after(env.text, end, 3)) ? 'past' : env.tense(start, end);
          v = dayForWeekday(r, wd, t);
        }
        day = fmtDay(v);
      }
      // "Thursday night": TE3's annotators mostly type it DATE with the day's value; so do we.
      return { type: 'DATE', value: day, precision: 'day', anchor: 'relative', approximate: /early|late/.test(mod) };
    },
  },
  {
    name: 'ago',
    re: rx(`\\b(?<approx>${PRE_APPROX}\\s+)?(?<num>${NUM})[-\\s]+(?<unit>${UNIT})(?:\\s+or\\s+so)?\\s+(?<dir>ago|earlier|later|from\\s+now|hence|back|(?:before|after)(?!\\s+(?:the|a|an|his|her|their|its|this|that|he|she|it|they|we|i|you)\\b))\\b`, 'gi'),
    accept: (g, text, start) => !/\b(?:for|within|in)\s+$/i.test(before(text, start, 8)) || low(g.dir) === 'ago',
    make(g, env, start, end) {
      const n = numberValue(g.num!);
      const dir = low(g.dir);
      const approx = !!g.approx || /or so/i.test(g.unit ?? '');
      const unit = unitOf(g.unit!);
      if (/^(?:hour|minute|second)$/.test(unit) && dir !== 'ago') {
        const cut = env.text.slice(start, end).search(/\s+(?:or\s+so\s+)?(?:earlier|later|from\s+now|hence|back|before|after)$/i);
        return { ...dur(durationValue(n, unit), approx), end: cut > 0 ? start + cut : end };
      }
      if (/^(?:hour|minute|second)$/.test(unit)) return dur(durationValue(n, unit), approx);
      if (dir === 'ago' || dir === 'back') return { ...shifted(env, null, n, unit, -1, approx, start), noAnchor: n === 1 && unit === 'year' };
      if (dir === 'from now' || dir === 'hence') return shifted(env, null, n, unit, 1, approx, start);
      // "a year earlier" is a date (anaphoric); "three days later" is annotated as a duration.
      const k = dir === 'earlier' || dir === 'before' ? -1 : 1;
      if (n === 1 && unit === 'year' && (dir === 'earlier' || dir === 'later')) {
        const a = fromLast(env, start, unit, k);
        if (a) return { ...a, approximate: approx, noAnchor: true };
        return { ...shifted(env, null, n, unit, k, approx, start), noAnchor: true };
      }
      const whole = env.text.slice(start, end);
      const cut = whole.search(/\s+(?:or\s+so\s+)?(?:ago|earlier|later|from\s+now|hence|back|before|after)$/i);
      return { ...dur(durationValue(n, unit), approx), end: cut > 0 ? start + cut : end };
    },
  },
  {
    name: 'year-earlier-adj',
    re: rx(`\\b(?:the\\s+)?(?<adj>year-earlier|year-ago|year-before|prior-year|a\\s+year\\s+earlier|a\\s+year\\s+ago)(?:\\s+(?<noun>quarter|period|month|week|nine\\s+months|six\\s+months|year))?\\b`, 'gi'),
    accept: (g) => !!g.noun || /-/.test(g.adj!),
    make(g, env, start) {
      const noun = low(g.noun);
      if (/months/.test(noun)) return dur(durationValue(numberValue(noun.split(' ')[0]!) ?? null, 'month'));
      // Results reporting compares with the period being reported (the last quarter named), never with a
      // comparison period already a year back ("in the 1988 period. The year-ago results…" is 1988, not 1987).
      const l = env.last;
      const a = l && l.q ? fromLast(env, start, 'year', -1) : null;
      if (a) return { ...a, noAnchor: true };
      if (/quarter|period/.test(noun)) {
        // "the year-ago quarter" with no quarter named: the last complete quarter, a year back.
        const lq = lastQuarter(env, start);
        if (lq) {
          const s = shiftQuarter(lq.y, lq.q, -4);
          return { ...quarterOut(s.y, s.q, 'relative'), noAnchor: true };
        }
      }
      return { ...(env.ref ? yearOut(env.ref.y - 1, 'relative') : yearOut(null, 'relative')), noAnchor: true };
    },
  },
  {
    name: 'day-of-month',
    re: rx(`(?<=\\b(?:[Oo]n|since|until|till|by|from|before|after|through|to|and|or|[Ss]ince|[Uu]ntil|[Bb]y|[Ff]rom)\\s)the\\s+(?<n>(?:3[01]|[12]\\d|0?[1-9])(?:st|nd|rd|th))\\b(?![-\\w])`, 'g'),
    accept: (_g, text, _s, end) => {
      const nxt = after(text, end, 25);
      return /^\s*(?:$|[,.;:!?)"'”’]|and\b|or\b|when\b|at\b|in\b|to\b|after\b|before\b|as\b|while\b|with\b|for\b|from\b|until\b|that\b|which\b|but\b|of\s+(?:this|last|next|the)\s+month\b|local\b|this\b)/i.test(nxt);
    },
    make(g, env, start, end) {
      const d = parseInt(g.n!, 10);
      if (!env.ref) return dayOut(null, 0, d, 'relative');
      const t = env.tense(start, end);
      const v = dayForDayOfMonth(env.ref, d, t === 'future' ? 'future' : 'past');
      return v ? ymdOut(v) : null;
    },
  },
  {
    name: 'holiday',
    re: rx(`\\b(?<h>Christmas\\s+(?:Day|Eve)|Christmas|New\\s+Year['’]s\\s+(?:Day|Eve)|Thanksgiving(?:\\s+Day)?|Independence\\s+Day|Fourth\\s+of\\s+July|Halloween|Valentine['’]s\\s+Day|Labou?r\\s+Day|Memorial\\s+Day|Veterans\\s+Day|Boxing\\s+Day|Easter(?:\\s+(?:Sunday|Monday|[Ww]eek))?|Good\\s+Friday|Holy\\s+(?:Thursday|Saturday|Week)|Maundy\\s+Thursday|Palm\\s+Sunday|Ash\\s+Wednesday|May\\s+Day|Mother['’]s\\s+Day|Father['’]s\\s+Day|Election\\s+Day)(?:,?\\s+(?<year>${YEAR}))?\\b(?![-'’])`, 'g'),
    accept: (g, text, start, end) => !/^\s+(?:tree|trees|card|cards|party|parties|present|presents|shopping|season|holidays?|market|markets|lights|carol|carols|decorations|dinner|spirit|sales|rush|break|weekend|period|Island|Rising|Parade|Bowl|Special|Number|song|songs|number|album|single|message|show|story|film|movie|episode|edition|hit|No)\b/i.test(after(text, end, 20)) || !!g.year,
    make(g, env, start, end) {
      const key = low(g.h).replace(/[’]/g, "'").replace('labour', 'labor');
      const f = HOLIDAYS[key];
      if (!f) return null;
      const isWeek = / week$/.test(key);
      const out = (v: Ymd): Out => (isWeek ? weekOut(v) : ymdOut(v));
      if (g.year) return { ...out(f(Number(g.year))), anchor: 'absolute' };
      if (!env.ref) {
        const v = f(2001);
        if (isWeek) return weekOut(null);
        return FIXED_HOLIDAYS.test(key) ? dayOut(null, v.m, v.d, 'relative') : { type: 'DATE', value: 'XXXX-XX-XX', precision: 'day', anchor: 'relative' };
      }
      const r = env.ref;
      const t = env.tense(start, end);
      const cands = [f(r.y - 1), f(r.y), f(r.y + 1)];
      const dcur = cands[1]!;
      const diff = (v: Ymd) => Date.UTC(v.y, v.m - 1, v.d) - Date.UTC(r.y, r.m - 1, r.d);
      let pick = dcur;
      // A named week ("Holy Week began Sunday") is the nearest one whatever the tense: it spans seven days.
      if (isWeek) pick = [cands[0]!, dcur, cands[2]!].reduce((a, b) => (Math.abs(diff(b)) < Math.abs(diff(a)) ? b : a));
      else if (t === 'past') pick = diff(dcur) > HOLIDAY_SLACK_MS ? cands[0]! : dcur;
      else if (t === 'future') pick = diff(dcur) < -HOLIDAY_SLACK_MS ? cands[2]! : dcur;
      else pick = [cands[0]!, dcur, cands[2]!].reduce((a, b) => (Math.abs(diff(b)) < Math.abs(diff(a)) ? b : a));
      return out(pick);
    },
  },

  // ---- times of day ----
  {
    name: 'clock-time',
    re: rx(`\\b(?<h>1[0-2]|0?[1-9])(?:[:.](?<min>[0-5]\\d))?\\s*(?<ampm>a\\.m\\.?|p\\.m\\.?|am\\b|pm\\b)(?:\\s+(?:on\\s+)?(?<day>today|yesterday|tomorrow|${WEEKDAY}))?(?:\\s+(?<tz>local\\s+time|EST|EDT|GMT|ET|PST|PDT|CST|CDT|UTC|BST|CET))?(?:,?\\s+(?:on\\s+)?(?<day3>today|yesterday|tomorrow|${WEEKDAY}))?(?:,?\\s+(?:on\\s+)?(?<mon>${MONTH_D})\\s+(?<md>${DAY})(?:,?\\s+(?<my>${YEAR}))?)?|\\b(?<h24>[01]?\\d|2[0-3]):(?<min24>[0-5]\\d)\\s+(?<tz2>local\\s+time|GMT|UTC|BST|CET|EST|EDT|ET)\\b|\\b(?<nm>noon|midnight)(?:\\s+(?<day2>today|yesterday|tomorrow|${WEEKDAY}))?\\b`, 'gi'),
    accept: (g) => !g.ampm || /\./.test(g.ampm) || /^(?:am|pm)$/i.test(g.ampm),
    make(g, env, start, end) {
      let h: number;
      let min = 0;
      if (g.nm) h = low(g.nm) === 'noon' ? 12 : 24;
      else if (g.h24) {
        h = Number(g.h24);
        min = Number(g.min24);
      } else {
        h = Number(g.h) % 12;
        if (/^p/i.test(g.ampm!)) h += 12;
        min = g.min ? Number(g.min) : 0;
      }
      const dayWord = low(g.day ?? g.day2 ?? g.day3);
      let day = 'XXXX-XX-XX';
      if (g.mon && g.md) {
        const mo = monthNumber(g.mon)!;
        const dd = parseInt(g.md, 10);
        const o = g.my ? dayOut(Number(g.my), mo, dd, 'absolute') : monthDay(env, mo, dd, start, end, null);
        if (o) day = o.value;
      } else if (env.ref) {
        if (dayWord === 'yesterday') day = fmtDay(addDays(env.ref, -1));
        else if (dayWord === 'tomorrow') day = fmtDay(addDays(env.ref, 1));
        else if (dayWord && dayWord !== 'today') day = fmtDay(dayForWeekday(env.ref, weekdayNumber(dayWord)!, env.tense(start, end)));
        else day = fmtDay(env.ref);
      }
      const hh = h === 24 ? '24' : pad2(h);
      return { type: 'TIME', value: `${day}T${hh}:${pad2(min)}`, precision: 'other', anchor: 'relative' };
    },
  },

  // ---- sets ----
  {
    name: 'set',
    re: rx(`\\b(?:daily|weekly|monthly|annually|yearly|quarterly|nightly|hourly|biweekly|(?:every|each|per)\\s+(?:other\\s+)?(?:(?<num>${NUM})\\s+)?(?<unit>${UNIT}|${WEEKDAY}|${MONTH}|${SEASON})|(?:once|twice|thrice|\\d+\\s+times|${NUMWORD}\\s+times)\\s+(?:a|an|per|each|every)\\s+(?<unit2>${UNIT})|(?<=(?:\\d|%|percent|million|billion|dollars|pounds|euros|yen)\\s)an?\\s+(?<unit3>year|month|week|day|hour))\\b`, 'gi'),
    accept: (g, text, start, end) => {
      const w = low(text.slice(start, end));
      if (/^(?:daily|weekly|monthly)$/.test(w) && /^\s+(?:newspaper|paper|mail|telegraph|express|star|news|show)\b/i.test(after(text, end, 15)) && cap(text.slice(start, end))) return false;
      return true;
    },
    make(g, _env, start, end) {
      const w = low(g.unit ?? g.unit2 ?? g.unit3);
      const whole = low(_env.text.slice(start, end));
      const simple: Record<string, string> = { daily: 'P1D', weekly: 'P1W', monthly: 'P1M', annually: 'P1Y', yearly: 'P1Y', quarterly: 'P1Q', nightly: 'P1D', hourly: 'PT1H', biweekly: 'P2W' };
      if (simple[whole]) return { type: 'SET', value: simple[whole]!, precision: 'other', anchor: 'relative' };
      const wd = weekdayNumber(w);
      if (wd) return { type: 'SET', value: `XXXX-WXX-${wd}`, precision: 'other', anchor: 'relative' };
      const mo = monthNumber(w);
      if (mo && cap(g.unit)) return { type: 'SET', value: `XXXX-${pad2(mo)}`, precision: 'other', anchor: 'relative' };
      if (SEASON_CODE[w]) return { type: 'SET', value: `XXXX-${SEASON_CODE[w]}`, precision: 'other', anchor: 'relative' };
      const n = g.num ? numberValue(g.num) : 1;
      return { type: 'SET', value: durationValue(n, w), precision: 'other', anchor: 'relative' };
    },
  },

  // ---- durations ----
  {
    name: 'duration',
    re: rx(`\\b(?<pre>(?:(?:${PRE_APPROX}|up\\s+to|under|within|the\\s+(?:past|last|next|first|previous|coming|following|final|latest|remaining|same|entire|whole)|another|an\\s+additional|a\\s+further|the)\\s+)*)(?<num>${NUM})(?:\\s*(?:to|-|–|or|and)\\s*(?<num2>${NUM}))?[-\\s]+(?<unit>${UNIT})(?:\\s+and\\s+a\\s+half)?\\b`, 'gi'),
    accept(g, text, start, end) {
      const num = low(g.num);
      // "some days" / "many years" are too vague to bother; "a day" after "once" is a set (handled there).
      if (/^(?:some|many|few)$/.test(num) && !g.pre) return false;
      // "the 1988 quarter" is a date, not 1988 quarters.
      if (/^\d{4}$/.test(num)) return false;
      // "a second-half replacement", "a second goal": ordinal, not one second.
      if (/^an?$/.test(num) && /^seconds?$/i.test(g.unit!)) return false;
      if (/^-/.test(after(text, end, 1))) return /^-(?:long|old)\b/i.test(after(text, end, 6)) === false && !/^seconds?$/i.test(g.unit!);
      if (/^\s*(?:old)\b/i.test(after(text, end, 8))) return false;
      return true;
    },
    make(g) {
      const n1 = numberValue(g.num!);
      const n2 = g.num2 ? numberValue(g.num2) : null;
      const n = n2 ?? n1;
      const approx = /about|around|almost|nearly|some|more than|less than|over|roughly|approximately|up to|under|within/i.test(g.pre ?? '') || !!g.num2;
      const out = dur(durationValue(n, g.unit!), approx);
      return out;
    },
  },
  {
    name: 'vague-duration',
    re: rx(`\\b(?:a\\s+long\\s+time|a\\s+short\\s+time|some\\s+time|a\\s+while|(?<=\\b(?:for|over|in|within)\\s)(?:years|months|weeks|days|decades|centuries)(?!\\s+(?:ago|of|earlier|later|before|after|old)))\\b`, 'gi'),
    make: (_g, env, start, end) => {
      const w = low(env.text.slice(start, end));
      if (w.includes(' ')) return dur('PXY');
      return dur(durationValue(null, w));
    },
  },
  {
    name: 'recent-units',
    re: rx(`\\b(?:in\\s+)?(?:recent|coming|the\\s+coming|the\\s+next\\s+few|the\\s+past\\s+few|the\\s+last\\s+few|the\\s+past\\s+several|the\\s+last\\s+several|the\\s+next\\s+several)\\s+(?<unit>months|weeks|days|hours|quarters|decades|years)\\b`, 'gi'),
    make: (g) => dur(durationValue(null, g.unit!)),
  },
];

export { fmtWeek, Y };
