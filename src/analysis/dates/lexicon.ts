/** Word lists and regular-expression fragments for temporal expressions (English). */

export const MONTHS: Record<string, number> = {
  january: 1, jan: 1, february: 2, feb: 2, march: 3, mar: 3, april: 4, apr: 4, may: 5, june: 6, jun: 6,
  july: 7, jul: 7, august: 8, aug: 8, september: 9, sept: 9, sep: 9, october: 10, oct: 10,
  november: 11, nov: 11, december: 12, dec: 12,
};

export const WEEKDAYS: Record<string, number> = {
  monday: 1, mon: 1, tuesday: 2, tue: 2, tues: 2, wednesday: 3, wed: 3, thursday: 4, thu: 4, thur: 4, thurs: 4,
  friday: 5, fri: 5, saturday: 6, sat: 6, sunday: 7, sun: 7,
};

const SMALL: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = {
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};
const ORDINALS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10,
  eleventh: 11, twelfth: 12, thirteenth: 13, fourteenth: 14, fifteenth: 15, sixteenth: 16,
  seventeenth: 17, eighteenth: 18, nineteenth: 19, twentieth: 20, 'twenty-first': 21, 'twenty-second': 22,
};

export const MONTH_FULL = 'January|February|March|April|May|June|July|August|September|October|November|December';
export const MONTH_ABBR = 'Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec';
/** A month name: full, or abbreviated with its period. */
export const MONTH = `(?:${MONTH_FULL}|(?:${MONTH_ABBR})\\.)`;
/** Before a day number the period of the abbreviation is optional ("Jan 5"). */
export const MONTH_D = `(?:${MONTH_FULL}|(?:${MONTH_ABBR})\\.?)`;
export const WEEKDAY =
  '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|(?:Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat|Sun)\\.)';
export const DAY = '(?:3[01]|[12]\\d|0?[1-9])(?:st|nd|rd|th)?';
export const YEAR = '(?:1[0-9]\\d\\d|20\\d\\d)';
const SMALL_RE = Object.keys(SMALL).sort((a, b) => b.length - a.length).join('|');
const TENS_RE = Object.keys(TENS).join('|');
export const NUMWORD = `(?:(?:${TENS_RE})(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|${SMALL_RE}|hundred|a\\s+hundred|a\\s+thousand|thousand)`;
/** A count: digits, number words, or vague quantities. */
export const NUM = `(?:\\d+(?:[.,]\\d+)?(?:\\s+(?:1\\/2|½))?|${NUMWORD}(?:\\s+and\\s+a\\s+half)?|a\\s+few|a\\s+couple\\s+of|a\\s+couple|several|a|an|one\\s+and\\s+a\\s+half|a\\s+half|half\\s+a|few|many|some|dozens\\s+of|hundreds\\s+of|thousands\\s+of|tens\\s+of)`;
export const ORDINAL = `(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|1st|2nd|3rd|4th)`;
export const SPOKEN_YEAR =
  `(?:nineteen|eighteen|twenty)[- ](?:hundred|(?:${TENS_RE})(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|oh[- ](?:one|two|three|four|five|six|seven|eight|nine))|two\\s+thousand(?:\\s+and)?(?:[- ](?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?))?`;

export function monthNumber(word: string): number | null {
  return MONTHS[word.toLowerCase().replace(/\.$/, '')] ?? null;
}

export function weekdayNumber(word: string): number | null {
  return WEEKDAYS[word.toLowerCase().replace(/\.$/, '')] ?? null;
}

export function ordinalNumber(word: string): number | null {
  const w = word.toLowerCase();
  if (ORDINALS[w] !== undefined) return ORDINALS[w]!;
  const m = /^(\d+)(?:st|nd|rd|th)$/.exec(w);
  return m ? Number(m[1]) : null;
}

/** Value of a count phrase, or null when it is vague ("several", "a few"). */
export function numberValue(phrase: string): number | null {
  const p = phrase.toLowerCase().replace(/\s+/g, ' ').trim();
  if (/^\d+(?:[.,]\d+)?$/.test(p)) return Number(p.replace(',', '.'));
  if (/^\d+ (?:1\/2|½)$/.test(p)) return Number(p.split(' ')[0]) + 0.5;
  if (p === 'a' || p === 'an') return 1;
  if (p === 'a couple of' || p === 'a couple') return 2;
  if (p === 'a half' || p === 'half a') return 0.5;
  if (p === 'one and a half') return 1.5;
  if (p === 'a hundred' || p === 'hundred') return 100;
  if (p === 'a thousand' || p === 'thousand') return 1000;
  let half = 0;
  let q = p;
  if (q.endsWith(' and a half')) {
    half = 0.5;
    q = q.slice(0, -' and a half'.length);
  }
  const parts = q.split(/[- ]/);
  let total = 0;
  for (const part of parts) {
    if (SMALL[part] !== undefined) total += SMALL[part]!;
    else if (TENS[part] !== undefined) total += TENS[part]!;
    else return null;
  }
  return total + half;
}

/** "nineteen ninety-seven" → 1997, "two thousand one" → 2001. */
export function spokenYearValue(phrase: string): number | null {
  const p = phrase.toLowerCase().replace(/\s+and\b/, '').replace(/\s+/g, ' ').trim();
  const t = /^two thousand(?:[- ](.+))?$/.exec(p);
  if (t) {
    const rest = t[1] ? numberValue(t[1]) : 0;
    return rest === null ? null : 2000 + rest;
  }
  const m = /^(nineteen|eighteen|twenty)[- ](.+)$/.exec(p);
  if (!m) return null;
  const century = SMALL[m[1]!] ?? TENS[m[1]!] ?? 0;
  if (m[2] === 'hundred') return century * 100;
  const rest = numberValue(m[2]!.replace(/^oh[- ]/, ''));
  return rest === null ? null : century * 100 + rest;
}
