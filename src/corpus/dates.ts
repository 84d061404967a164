/**
 * Reading an absolute calendar date as a page states it ("March 27, 2024",
 * "2024-03-27", "27 March 2024", "2024-03-27T14:48:00Z"). Used for
 * publication dates only; relative expressions are the analysis layer's job.
 */

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};

const MONTH_NAME = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';

const ISO = /\b((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/;
const MONTH_DAY_YEAR = new RegExp(`\\b${MONTH_NAME}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+((?:19|20)\\d{2})\\b`, 'i');
const DAY_MONTH_YEAR = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH_NAME},?\\s+((?:19|20)\\d{2})\\b`, 'i');

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function formatIsoDate(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function monthNumber(name: string): number | undefined {
  return MONTHS[name.toLowerCase().replace('.', '').slice(0, name.toLowerCase().startsWith('sept') ? 4 : 3)];
}

export interface FoundDate {
  iso: string;
  index: number;
  length: number;
}

/** The first absolute day-precision date in `text`, or null. */
export function findCalendarDate(text: string): FoundDate | null {
  const candidates: FoundDate[] = [];
  const iso = ISO.exec(text);
  if (iso) {
    const value = formatIsoDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    if (value) candidates.push({ iso: value, index: iso.index, length: iso[0].length });
  }
  const mdy = MONTH_DAY_YEAR.exec(text);
  if (mdy) {
    const month = monthNumber(mdy[1]!);
    const value = month ? formatIsoDate(Number(mdy[3]), month, Number(mdy[2])) : null;
    if (value) candidates.push({ iso: value, index: mdy.index, length: mdy[0].length });
  }
  const dmy = DAY_MONTH_YEAR.exec(text);
  if (dmy) {
    const month = monthNumber(dmy[2]!);
    const value = month ? formatIsoDate(Number(dmy[3]), month, Number(dmy[1])) : null;
    if (value) candidates.push({ iso: value, index: dmy.index, length: dmy[0].length });
  }
  candidates.sort((a, b) => a.index - b.index);
  return candidates[0] ?? null;
}

/** Normalises a stated publication date to YYYY-MM-DD; null when it is not a full calendar date. */
export function normalizePublishedDate(raw: string): string | null {
  const trimmed = raw.trim();
  const exact = /^((?:19|20)\d{2})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(trimmed);
  if (exact) return formatIsoDate(Number(exact[1]), Number(exact[2]), Number(exact[3]));
  return findCalendarDate(trimmed)?.iso ?? null;
}
