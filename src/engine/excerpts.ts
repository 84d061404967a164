import type { CorpusDocument, Excerpt, Sentence } from '../types.js';
import { excerptOf } from '../corpus/document.js';
import { processTerm, tokenizeForSearch } from '../index/terms.js';

/** Excerpts stop growing at about this many characters (one long sentence may exceed it). */
export const EXCERPT_TARGET_CHARS = 420;

/** Sentences of `document` that lie within [start, end). */
export function sentencesIn(document: CorpusDocument, start: number, end: number): Sentence[] {
  const all = document.sentences;
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (all[mid]!.end <= start) lo = mid + 1;
    else hi = mid;
  }
  const out: Sentence[] = [];
  for (let i = lo; i < all.length && all[i]!.start < end; i++) out.push(all[i]!);
  return out;
}

function matchCount(text: string, terms: ReadonlySet<string>): number {
  let n = 0;
  const seen = new Set<string>();
  for (const token of tokenizeForSearch(text)) {
    const term = processTerm(token);
    if (term && terms.has(term) && !seen.has(term)) {
      seen.add(term);
      n++;
    }
  }
  return n;
}

/**
 * The most telling verbatim slice of a passage for a set of matched terms:
 * the sentence with the most distinct matches, widened by its neighbours
 * while the excerpt stays near EXCERPT_TARGET_CHARS.
 */
export function bestExcerpt(document: CorpusDocument, start: number, end: number, terms: readonly string[]): Excerpt {
  if (end - start <= EXCERPT_TARGET_CHARS) return excerptOf(document, start, end);
  const sentences = sentencesIn(document, start, end);
  if (sentences.length === 0) return excerptOf(document, start, end);
  const termSet = new Set(terms);
  const scores = sentences.map((s) => matchCount(document.text.slice(s.start, s.end), termSet));
  let best = 0;
  scores.forEach((score, i) => {
    if (score > scores[best]!) best = i;
  });
  let first = best;
  let last = best;
  const width = (): number => sentences[last]!.end - sentences[first]!.start;
  for (;;) {
    const before = first > 0 ? sentences[first - 1]! : null;
    const after = last < sentences.length - 1 ? sentences[last + 1]! : null;
    // Prefer the neighbour that matches more; on a tie, the following sentence.
    const takeAfter = after && (!before || scores[last + 1]! >= scores[first - 1]!);
    const candidate = takeAfter ? after : before;
    if (!candidate) break;
    const grown = takeAfter ? candidate.end - sentences[first]!.start : sentences[last]!.end - candidate.start;
    if (grown > EXCERPT_TARGET_CHARS) break;
    if (takeAfter) last++;
    else first--;
    if (width() >= EXCERPT_TARGET_CHARS) break;
  }
  return excerptOf(document, sentences[first]!.start, sentences[last]!.end);
}
