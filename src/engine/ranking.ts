/**
 * Search ranking over the passage index, as the engine uses it: the index's BM25 top passages
 * (stems and names, typo tolerance, headline as a weaker field), then an order a reader expects:
 *
 *   1. passages whose own words hold the query's words come before those matched only through
 *      their headline or section heading (a headline is shared by every passage of its article);
 *   2. for a short query (up to SHORT_QUERY_WORDS words), passages holding more of its words in
 *      their own text come first;
 *   3. otherwise by score.
 *
 * The index is asked for a pool larger than the answer, so the reordering has room to work.
 */
import type { CorpusDocument } from '../types.js';
import type { PassageHit, SearchIndex } from '../index/search-index.js';
import { processTerm, tokenizeForSearch } from '../index/terms.js';

/** Queries of at most this many words are ranked by how many of them a passage holds first. */
export const SHORT_QUERY_WORDS = 3;
/** The pool the index is asked for: this many times the answer, at least MIN_POOL. */
const POOL_FACTOR = 3;
const MIN_POOL = 20;

export interface RankedHit extends PassageHit {
  /** How many of the query's words the passage's own text holds. */
  ownCoverage: number;
}

/** The query words (by group) each term of a text stands for. */
function groupIndex(groups: readonly (readonly string[])[]): Map<string, number> {
  const out = new Map<string, number>();
  groups.forEach((alternatives, g) => {
    for (const t of alternatives) if (!out.has(t)) out.set(t, g);
  });
  return out;
}

/**
 * How many of the query's words a passage's own text holds (a term matched by typo or prefix
 * expansion counts for a word).
 */
export function ownCoverage(text: string, groups: readonly (readonly string[])[], matchedTerms: readonly string[]): number {
  const byTerm = groupIndex(groups);
  // An expansion (fuzzy or prefix) matched term stands for the query word it came from; the index does
  // not say which, so it counts for a word not otherwise found.
  const expansions = matchedTerms.filter((t) => !byTerm.has(t));
  const found = new Set<number>();
  const extra = new Set<string>();
  for (const token of tokenizeForSearch(text)) {
    const term = processTerm(token);
    if (!term) continue;
    const g = byTerm.get(term);
    if (g !== undefined) found.add(g);
    else if (expansions.includes(term)) extra.add(term);
  }
  return Math.min(groups.length, found.size + extra.size);
}

/** The passages for a query, best first, at most `limit`. */
export function rankPassages(
  index: SearchIndex,
  documents: readonly CorpusDocument[],
  query: string,
  limit: number,
  options: { prefixLast?: boolean; pool?: number } = {},
): RankedHit[] {
  const groups = index.queryGroups(query);
  if (groups.length === 0) return [];
  const pool = Math.max(options.pool ?? limit * POOL_FACTOR, MIN_POOL, limit);
  const hits = index.search(query, pool, { prefixLast: options.prefixLast ?? true });
  const short = groups.length <= SHORT_QUERY_WORDS;
  const ranked: RankedHit[] = hits.map((hit) => {
    const text = documents[hit.passage.docIndex]!.text.slice(hit.passage.start, hit.passage.end);
    return { ...hit, ownCoverage: ownCoverage(text, groups, hit.matchedTerms) };
  });
  ranked.sort(
    (a, b) =>
      Number(b.ownCoverage > 0) - Number(a.ownCoverage > 0) ||
      (short ? b.ownCoverage - a.ownCoverage : 0) ||
      b.score - a.score ||
      a.passage.id - b.passage.id,
  );
  return ranked.slice(0, limit);
}
