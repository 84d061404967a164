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
 * The index's own order usually agrees (its coverage weight is strict for short queries): when every
 * passage of the answer holds a matched term in its own text, it stands as it is. Otherwise a pool
 * larger than the answer is reordered. Whether a passage's own text holds a term is a bit the index
 * keeps per posting (PostingsArrays.ownText), so ranking never re-reads or re-tokenises passages.
 */
import { STRICT_COVERAGE_WORDS, type PassageHit, type SearchIndex } from '../index/search-index.js';

/** Queries of at most this many words are ranked by how many of them a passage holds first. */
export const SHORT_QUERY_WORDS = STRICT_COVERAGE_WORDS;
/** The pool the index is asked for: this many times the answer, at least MIN_POOL. */
const POOL_FACTOR = 3;
const MIN_POOL = 20;

/** The passages for a query, best first, at most `limit`. */
export function rankPassages(
  index: SearchIndex,
  query: string,
  limit: number,
  options: { prefixLast?: boolean; pool?: number } = {},
): PassageHit[] {
  const groups = index.queryGroups(query);
  if (groups.length === 0) return [];
  const short = groups.length <= SHORT_QUERY_WORDS;
  const prefixLast = options.prefixLast ?? true;
  const inOrder = (a: PassageHit, b: PassageHit): number =>
    Number(b.ownCoverage > 0) - Number(a.ownCoverage > 0) || (short ? b.ownCoverage - a.ownCoverage : 0);
  const pool = Math.max(options.pool ?? limit * POOL_FACTOR, MIN_POOL, limit);
  if (options.pool === undefined) {
    // The common case: every passage of the answer holds a matched word in its own text, and the index's order stands.
    const first = index.search(query, limit, { prefixLast });
    if (first.every((hit) => hit.ownCoverage > 0)) return first;
  }
  const ranked = index.search(query, pool, { prefixLast });
  ranked.sort((a, b) => inOrder(a, b) || b.score - a.score || a.passage.id - b.passage.id);
  return ranked.slice(0, limit);
}
