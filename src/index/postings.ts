/**
 * Building the passage index's postings: the part of indexing that costs
 * (tokenising every passage), written over plain strings and typed arrays so
 * it runs the same on the main thread (in slices that yield) and in a worker
 * thread (src/index/build-worker.ts), whose typed arrays transfer back
 * without copying.
 *
 * Scoring follows MiniSearch's BM25 (k 1.2, b 0.7, d 0.5; idf per field over
 * all passages; a field's length is its number of distinct raw tokens), with
 * the field boosts of FIELD_BOOSTS. A term's contribution to a passage does
 * not depend on the query, so it is computed once here — the "impact" — and
 * a query only multiplies it by the expansion weight (1 exact, less for
 * prefix and fuzzy matches).
 */
import { processTerm, tokenizeForSearch } from './terms.js';

/** Field boosts: a passage's own words count most; the headline is shared by all passages of a document. */
export const FIELD_BOOSTS = { text: 1, heading: 0.8, title: 0.6 } as const;
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };

/** What indexing needs, as strings and typed arrays (cheap to hand to a worker). */
export interface PostingsInput {
  /** Every passage's text is `text.slice(passageStart[i], passageEnd[i])`. */
  text: string;
  passageStart: Uint32Array;
  passageEnd: Uint32Array;
  /** Distinct titles and headings; passages refer to them by index ('' for none). */
  titles: string[];
  passageTitle: Uint32Array;
  headings: string[];
  passageHeading: Uint32Array;
}

/** The built postings: for term t, passages `docs[offsets[t]..offsets[t+1])` (ascending) with their impacts. */
export interface PostingsArrays {
  terms: string[];
  offsets: Uint32Array;
  docs: Uint32Array;
  impacts: Float32Array;
  /** The largest impact in each term's postings (its score upper bound). */
  maxImpact: Float32Array;
  /**
   * One bit per posting (bit `j & 7` of byte `j >> 3`): set when the term is in the passage's own
   * text, not only in its headline or section heading. Ranking reads it instead of re-reading text.
   */
  ownText: Uint8Array;
  /** The statistics the impacts were computed from, so a second segment can be scored on the same footing. */
  stats?: SegmentStats;
}

/** BM25 statistics of one segment: passages, summed field lengths, and per term its passage count in each field (title, heading, text). */
export interface SegmentStats {
  count: number;
  lengthSums: [number, number, number];
  /** Per term id, three counts: title, heading, text. */
  fieldDf: Uint32Array;
}

/** Statistics of passages indexed elsewhere (the main segment) that a second segment's impacts must count too. */
export interface ExternalStats {
  count: number;
  lengthSums: readonly [number, number, number];
  /** Field document frequencies of a term there (zeros when absent). */
  df(term: string): readonly [number, number, number];
}

/** Growable Uint32 buffer. */
class U32List {
  data: Uint32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Uint32Array(capacity);
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Uint32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
}

interface FieldTerms {
  /** Distinct raw tokens (MiniSearch's field length). */
  length: number;
  /** term id → frequency. */
  tf: Map<number, number>;
}

function bm25(tf: number, df: number, total: number, length: number, avgLength: number): number {
  const idf = Math.log(1 + (total - df + 0.5) / (df + 0.5));
  return idf * (BM25.d + (tf * (BM25.k + 1)) / (tf + BM25.k * (1 - BM25.b + (BM25.b * length) / avgLength)));
}

/**
 * Builds postings, yielding (the generator pauses) every `sliceSize`
 * passages so a caller on the main thread can let the event loop turn.
 */
export function* buildPostingsSteps(input: PostingsInput, sliceSize = 500, external?: ExternalStats): Generator<void, PostingsArrays> {
  const count = input.passageStart.length;
  const termIds = new Map<string, number>();
  const terms: string[] = [];
  // Raw tokens repeat endlessly: process each distinct one once (-1: not a search term).
  const tokenIds = new Map<string, number>();
  const idOf = (token: string): number => {
    let id = tokenIds.get(token);
    if (id !== undefined) return id;
    const term = processTerm(token);
    if (!term) id = -1;
    else {
      id = termIds.get(term);
      if (id === undefined) {
        id = terms.length;
        terms.push(term);
        termIds.set(term, id);
      }
    }
    tokenIds.set(token, id);
    return id;
  };
  const analyse = (value: string): FieldTerms => {
    const tokens = tokenizeForSearch(value);
    const tf = new Map<number, number>();
    for (const token of tokens) {
      const id = idOf(token);
      if (id >= 0) tf.set(id, (tf.get(id) ?? 0) + 1);
    }
    return { length: new Set(tokens).size, tf };
  };
  // Titles and headings repeat across a document's passages: analyse each once.
  const titleCache = new Map<number, FieldTerms>();
  const headingCache = new Map<number, FieldTerms>();
  const cached = (cache: Map<number, FieldTerms>, strings: string[], i: number): FieldTerms => {
    let found = cache.get(i);
    if (!found) {
      found = analyse(strings[i] ?? '');
      cache.set(i, found);
    }
    return found;
  };

  // Pass 1: per passage, its distinct terms with their frequency in each field.
  const FIELDS = 3; // title, heading, text (MiniSearch's order of summation)
  const lengths = [new Uint32Array(count), new Uint32Array(count), new Uint32Array(count)] as const;
  const entryOffsets = new Uint32Array(count + 1);
  const entryTerm = new U32List(count * 16 + 16);
  const entryTf = new U32List((count * 16 + 16) * FIELDS);
  for (let p = 0; p < count; p++) {
    if (p > 0 && p % sliceSize === 0) yield;
    const fields = [
      cached(titleCache, input.titles, input.passageTitle[p]!),
      cached(headingCache, input.headings, input.passageHeading[p]!),
      analyse(input.text.slice(input.passageStart[p]!, input.passageEnd[p]!)),
    ];
    const merged = new Map<number, number>(); // term → entry slot
    fields.forEach((field, f) => {
      lengths[f as 0 | 1 | 2][p] = field.length;
      for (const [term, tf] of field.tf) {
        let slot = merged.get(term);
        if (slot === undefined) {
          slot = entryTerm.length;
          merged.set(term, slot);
          entryTerm.push(term);
          for (let g = 0; g < FIELDS; g++) entryTf.push(0);
        }
        entryTf.data[slot * FIELDS + f] = tf;
      }
    });
    entryOffsets[p + 1] = entryTerm.length;
  }
  yield;

  // Document frequency per field, average field lengths.
  const termCount = terms.length;
  const df = [new Uint32Array(termCount), new Uint32Array(termCount), new Uint32Array(termCount)] as const;
  const perTerm = new Uint32Array(termCount + 1);
  for (let e = 0; e < entryTerm.length; e++) {
    if (e > 0 && e % (sliceSize * 200) === 0) yield;
    const term = entryTerm.data[e]!;
    perTerm[term + 1]!++;
    for (let f = 0; f < FIELDS; f++) if (entryTf.data[e * FIELDS + f]! > 0) df[f as 0 | 1 | 2][term]!++;
  }
  const lengthSums = lengths.map((l) => {
    let sum = 0;
    for (let p = 0; p < count; p++) sum += l[p]!;
    return sum;
  }) as [number, number, number];
  const fieldDf = new Uint32Array(termCount * FIELDS);
  for (let t = 0; t < termCount; t++) for (let f = 0; f < FIELDS; f++) fieldDf[t * FIELDS + f] = df[f as 0 | 1 | 2][t]!;
  // A second segment is scored with the statistics of both: its own plus the main segment's.
  const total = count + (external?.count ?? 0);
  const avgLength = lengthSums.map((sum, f) => (total > 0 ? (sum + (external?.lengthSums[f] ?? 0)) / total : 0));
  if (external) {
    for (let t = 0; t < termCount; t++) {
      const outside = external.df(terms[t]!);
      for (let f = 0; f < FIELDS; f++) df[f as 0 | 1 | 2][t]! += outside[f]!;
    }
  }
  const boosts = [FIELD_BOOSTS.title, FIELD_BOOSTS.heading, FIELD_BOOSTS.text];

  // Pass 2: postings grouped by term, passages ascending, with impacts.
  const offsets = new Uint32Array(termCount + 1);
  for (let t = 0; t < termCount; t++) offsets[t + 1] = offsets[t]! + perTerm[t + 1]!;
  const cursor = offsets.slice(0, termCount);
  const docs = new Uint32Array(entryTerm.length);
  const impacts = new Float32Array(entryTerm.length);
  const maxImpact = new Float32Array(termCount);
  const ownText = new Uint8Array((entryTerm.length + 7) >> 3);
  for (let p = 0; p < count; p++) {
    if (p > 0 && p % (sliceSize * 4) === 0) yield;
    for (let e = entryOffsets[p]!; e < entryOffsets[p + 1]!; e++) {
      const term = entryTerm.data[e]!;
      let impact = 0;
      for (let f = 0; f < FIELDS; f++) {
        const tf = entryTf.data[e * FIELDS + f]!;
        if (tf > 0) impact += boosts[f]! * bm25(tf, df[f as 0 | 1 | 2][term]!, total, lengths[f as 0 | 1 | 2][p]!, avgLength[f]!);
      }
      const slot = cursor[term]!++;
      docs[slot] = p;
      impacts[slot] = impact;
      if (entryTf.data[e * FIELDS + 2]! > 0) ownText[slot >> 3]! |= 1 << (slot & 7);
      if (impacts[slot]! > maxImpact[term]!) maxImpact[term] = impacts[slot]!;
    }
  }
  return { terms, offsets, docs, impacts, maxImpact, ownText, stats: { count, lengthSums, fieldDf } };
}

export function buildPostings(input: PostingsInput, external?: ExternalStats): PostingsArrays {
  const steps = buildPostingsSteps(input, Number.MAX_SAFE_INTEGER, external);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
