/**
 * Sentence boundaries with original offsets. Rule-based: a sentence ends at
 * `.`, `!` or `?` (plus closing quotes and brackets) followed by white space
 * and a plausible sentence start, unless the word before the point is a
 * known abbreviation, an initial, or part of a number.
 */

export interface SentenceRange {
  start: number;
  end: number;
}

/** Abbreviations after which a full stop does not end a sentence (lower case, without the point). */
const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'gen', 'lt', 'col', 'maj', 'capt', 'cmdr', 'adm', 'sgt', 'rep', 'sen', 'gov',
  'pres', 'st', 'jr', 'sr', 'mt', 'ft', 'no', 'nos', 'vs', 'etc', 'e.g', 'i.e', 'approx', 'est', 'dept', 'corp',
  'inc', 'ltd', 'co', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
  'a.m', 'p.m', 'fig', 'vol', 'rev', 'hon', 'messrs', 'gens',
]);

const SENTENCE_STARTERS = new Set([
  'the', 'a', 'an', 'it', 'he', 'she', 'they', 'we', 'i', 'in', 'on', 'but', 'and', 'this', 'that', 'there', 'its',
  'his', 'her', 'their', 'however', 'meanwhile', 'according', 'at', 'after', 'for', 'as', 'when', 'while',
]);

const CLOSERS = new Set(['"', "'", '”', '’', ')', ']', '»']);
const OPENERS = /["'“‘(\[«]/;

function wordBefore(text: string, dot: number, floor: number): string {
  let i = dot - 1;
  while (i >= floor && /[\p{L}\p{N}.]/u.test(text[i]!)) i--;
  return text.slice(i + 1, dot);
}

function isBoundary(text: string, dot: number, floor: number): boolean {
  const ch = text[dot]!;
  if (ch === '.') {
    const word = wordBefore(text, dot, floor);
    const lower = word.toLowerCase();
    if (ABBREVIATIONS.has(lower)) return false;
    // Single-letter initials ("Kim J. Un", "U.S.") do not end a sentence.
    if (/^\p{Lu}$/u.test(word)) return false;
    if (/^(?:\p{L}\.)+\p{L}$/u.test(word)) {
      // "U.S." ends a sentence only before a word that usually starts one.
      const next = /^\s*["“‘(]?(\p{L}+)/u.exec(text.slice(dot + 1, dot + 24))?.[1] ?? '';
      return SENTENCE_STARTERS.has(next.toLowerCase());
    }
  }
  return true;
}

/** Splits `text[start, end)` into sentences; ranges are trimmed of surrounding white space. */
export function splitSentences(text: string, start = 0, end = text.length): SentenceRange[] {
  const out: SentenceRange[] = [];
  let sentenceStart = start;
  const push = (s: number, e: number): void => {
    while (s < e && /\s/.test(text[s]!)) s++;
    while (e > s && /\s/.test(text[e - 1]!)) e--;
    if (e > s) out.push({ start: s, end: e });
  };
  for (let i = start; i < end; i++) {
    const ch = text[i]!;
    if (ch === '\n' && i + 1 < end && text[i + 1] === '\n') {
      push(sentenceStart, i);
      sentenceStart = i + 1;
      continue;
    }
    if (ch !== '.' && ch !== '!' && ch !== '?') continue;
    // Decimal numbers and ellipses inside a sentence.
    if (ch === '.' && /\d/.test(text[i - 1] ?? '') && /\d/.test(text[i + 1] ?? '')) continue;
    let j = i + 1;
    while (j < end && (text[j] === '.' || text[j] === '!' || text[j] === '?')) j++;
    while (j < end && CLOSERS.has(text[j]!)) j++;
    if (j < end && !/\s/.test(text[j]!)) continue;
    let k = j;
    while (k < end && /\s/.test(text[k]!)) k++;
    if (k >= end) break;
    const next = text[k]!;
    const startsSentence = /[\p{Lu}\p{N}]/u.test(next) || OPENERS.test(next) || text[k - 1] === '\n';
    if (!startsSentence) continue;
    if (!isBoundary(text, i, sentenceStart)) continue;
    push(sentenceStart, j);
    sentenceStart = j;
    i = j - 1;
  }
  push(sentenceStart, end);
  return out;
}
