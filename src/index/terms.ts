/**
 * How text becomes search terms, the same way for indexing and for queries:
 * dotted abbreviations joined ("U.S." → "us"), diacritics folded, lower case,
 * stop words and one-letter fragments dropped, and plural endings stripped so
 * "missiles" finds "missile".
 */

export const STOP_WORDS = new Set(
  (
    'a about above after again against all am an and any are aren as at be because been before being below between both but by ' +
    'can could did do does doing down during each few for from further had has have having he her here hers herself him ' +
    'himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other ' +
    'our ours ourselves out over own same she should so some such than that the their theirs them themselves then there ' +
    'these they this those through to too under until up very was we were what when where which while who whom why will ' +
    'with would you your yours yourself yourselves also said says say may might must shall can\'t won\'t its it\'s'
  ).split(/\s+/),
);

const SPLIT = /[\s\p{P}\p{S}\p{Z}]+/u;
const DOTTED_ABBREVIATION = /\b((?:\p{L}\.){2,})/gu;

/** Splits text into raw tokens (before term processing). */
export function tokenizeForSearch(text: string): string[] {
  return text
    .replace(DOTTED_ABBREVIATION, (m) => m.replace(/\./g, ''))
    .split(SPLIT)
    .filter((t) => t.length > 0);
}

/** Strips common English plural endings; deliberately light (no stemming of verbs). */
export function stem(term: string): string {
  if (term.length <= 3 || /\d/.test(term)) return term;
  if (term.endsWith('ies') && term.length > 4) return `${term.slice(0, -3)}y`;
  if (term.endsWith('sses')) return term.slice(0, -2);
  if (/(?:ches|shes|xes|zzes)$/.test(term)) return term.slice(0, -2);
  if (term.endsWith('s') && !/(?:ss|us|is|os|as)$/.test(term)) return term.slice(0, -1);
  return term;
}

/** Processed forms of recent tokens: processing is pure, and the same words come back all the time. */
const processed = new Map<string, string | null>();
const MAX_REMEMBERED = 200_000;

/** Normalises one token to its indexed form, or null when it carries no meaning for search. */
export function processTerm(token: string): string | null {
  let term = processed.get(token);
  if (term === undefined) {
    term = processUncached(token);
    if (processed.size >= MAX_REMEMBERED) processed.clear();
    processed.set(token, term);
  }
  return term;
}

function processUncached(token: string): string | null {
  const folded = token
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  if (folded.length < 2 && !/\d/.test(folded)) return null;
  if (STOP_WORDS.has(folded)) return null;
  return stem(folded);
}

/** The distinct search terms of a text, in order of first appearance. */
export function termsOf(text: string): string[] {
  const seen = new Set<string>();
  for (const token of tokenizeForSearch(text)) {
    const term = processTerm(token);
    if (term) seen.add(term);
  }
  return [...seen];
}
