/**
 * How text becomes search terms, the same way for indexing and for queries:
 * dotted abbreviations joined ("U.S." → "us"), diacritics folded, lower case,
 * stop words and one-letter fragments dropped. A lower-case word is reduced
 * to its English stem (Porter2, the Snowball English stemmer, from the
 * `wink-porter2-stemmer` package), so "missiles", "missile" and "deterrence" /
 * "deterrent" meet. A capitalised word may be a name ("Gates", "Sanders",
 * "Philippines"): it keeps its surface form, only a plural ending stripped,
 * so names are not reduced to other words. A query word stands for both
 * forms (`queryTermGroups`), so "missiles" still finds "Missiles" at the
 * start of a sentence and "gates" finds Mr Gates.
 */
import porter2 from 'wink-porter2-stemmer';

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
  // Capitalised (a name, or any word in a headline or at a sentence start): the surface form.
  if (/^\p{Lu}/u.test(token) || /\d/.test(folded) || !/^[a-z][a-z'’-]*$/.test(folded)) return stem(folded);
  const stemmed = porter2(folded.replace(/[’]/g, "'"));
  if (STOP_WORDS.has(stemmed)) return null;
  return stemmed.length >= 2 ? stemmed : stem(folded);
}

/**
 * The terms a query word stands for: its stem as a lower-case word and its surface form as a
 * capitalised one (one term when they agree). Every alternative of a group counts as the same query word.
 */
export function termAlternatives(token: string): string[] {
  const lower = processTerm(token.toLowerCase());
  const upper = processTerm(token.charAt(0).toUpperCase() + token.slice(1).toLowerCase());
  const out: string[] = [];
  for (const t of [lower, upper]) if (t && !out.includes(t)) out.push(t);
  return out;
}

/** A query's words as groups of alternative terms, in order, without repeats. */
export function queryTermGroups(query: string): string[][] {
  const groups: string[][] = [];
  const seen = new Set<string>();
  for (const token of tokenizeForSearch(query)) {
    const alternatives = termAlternatives(token);
    if (alternatives.length === 0) continue;
    const key = alternatives.join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    groups.push(alternatives);
  }
  return groups;
}

/** How many of a query's term groups a text holds (any alternative of a group counts). */
export function groupsMatched(groups: readonly (readonly string[])[], terms: ReadonlySet<string>): number {
  let n = 0;
  for (const group of groups) if (group.some((t) => terms.has(t))) n++;
  return n;
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
