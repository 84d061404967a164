/**
 * The passage index: content paragraphs (long ones cut at sentence
 * boundaries), with the headline and section heading as lower-weighted
 * fields, scored like MiniSearch's BM25 (src/index/postings.ts).
 *
 * The vocabulary lives in MiniSearch's radix tree (`minisearch/SearchableMap`),
 * which expands a query term by prefix and by spelling distance. Scoring
 * uses compact typed arrays instead of MiniSearch's maps of maps: for each
 * term, the passages holding it (ascending) and each one's precomputed
 * impact, plus the term's largest impact. A query adds up impacts term by
 * term, most valuable first, and stops admitting new passages as soon as the
 * terms left could not lift an unseen passage into the top k (MaxScore);
 * from then on it only completes the scores of the passages still in the
 * running, by galloping search in the postings. The result is the same top k
 * as scoring everything (tests check it), at a fraction of the work.
 *
 * Typo tolerance is paid for only where it is needed: a query term that is in
 * the vocabulary is matched exactly; only an unknown term of four letters or
 * more is matched fuzzily (one edit, two from eight letters on). The last
 * term is also matched as a prefix, for people who are still typing, by its
 * most frequent expansions.
 *
 * The index persists as a few typed arrays and a term list (`toBinary`), so
 * starting from a saved index maps buffers instead of parsing JSON.
 *
 * Adding documents does not rebuild it: `withChanges` keeps the main segment
 * as it is and indexes the new documents' passages in a small second
 * segment, scored with the BM25 statistics of both segments together (the
 * main segment's impacts keep the statistics of its own build until the next
 * merge). A removed document's passages are masked. A query reads both
 * segments with the same expansions — a term known to either is exact, and
 * prefix expansions are ranked by their frequency in both — and merges their
 * top results. `merged()` rebuilds one segment (in a worker) in the
 * background, after which scores equal a full rebuild's.
 */
import SearchableMap from 'minisearch/SearchableMap';
import type { CorpusDocument } from '../types.js';
import { queryTermGroups } from './terms.js';
import { buildPostings, buildPostingsSteps, type ExternalStats, type PostingsArrays, type PostingsInput, type SegmentStats } from './postings.js';
import { runSteps, runStepsAsync } from '../steps.js';

export { FIELD_BOOSTS } from './postings.js';

/** Paragraphs longer than this are cut into several passages at sentence boundaries. */
export const MAX_PASSAGE_CHARS = 1200;
/** Fuzzy matching starts at this term length. */
const MIN_FUZZY_LENGTH = 4;
/** From this length, two edits are allowed. */
const TWO_EDITS_LENGTH = 8;
/** Prefix matching on the last term starts at this length. */
const MIN_PREFIX_LENGTH = 3;
/** The last term's prefix expands to at most this many terms, the most frequent ones. */
export const MAX_PREFIX_EXPANSIONS = 40;
/** MiniSearch's weights for derived terms. */
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;
/**
 * For a query of more than STRICT_COVERAGE_WORDS words, a passage's score is multiplied by
 * COVERAGE_BASE + (share of the query's words it matches): more of the query counts, gently, so a
 * long question is not ranked by word count alone (tuned on the Cranfield collection's odd
 * development queries). Up to that length, by coverage × (0.5 + share): the more words, the higher.
 */
const COVERAGE_BASE = 2;
export const STRICT_COVERAGE_WORDS = 3;
/** Indexes of at least this many passages are built in a worker thread. */
const WORKER_MIN_PASSAGES = 4000;

export interface Passage {
  id: number;
  /** Index into the documents array the index was built from (-1: the document was removed since; such passages are never found). */
  docIndex: number;
  paragraph: number;
  start: number;
  end: number;
}

export interface PassageHit {
  passage: Passage;
  score: number;
  /** Indexed terms that matched (after typo correction), for choosing the excerpt. */
  matchedTerms: string[];
  /** How many of the query's terms this passage matched. */
  coverage: number;
  /** How many of the query's terms its own text holds (not only its headline or section heading). */
  ownCoverage: number;
}

export interface SearchOptions {
  /** Match the last term as a prefix too (typed queries; off for pasted text). Default true. */
  prefixLast?: boolean;
  filter?: (passage: Passage) => boolean;
  /** Score every matching passage instead of stopping early (for tests and benchmarks). */
  exhaustive?: boolean;
}

/** The index as typed arrays and one string: what a snapshot file stores. */
export interface IndexBinary {
  version: 4;
  /** The vocabulary, term ids in order, joined by '\n' (terms never contain white space). */
  terms: string;
  offsets: Uint32Array;
  docs: Uint32Array;
  impacts: Float32Array;
  maxImpact: Float32Array;
  /** Per posting, one bit: the term is in the passage's own text (see PostingsArrays.ownText). */
  ownText: Uint8Array;
  passageDoc: Uint32Array;
  passageParagraph: Uint32Array;
  passageStart: Uint32Array;
  passageEnd: Uint32Array;
  /** Per term, its passage count in the title, heading and text fields. */
  fieldDf: Uint32Array;
  /** Passages, then the summed title, heading and text lengths. */
  stats: Float64Array;
}

export const BINARY_ARRAYS = ['offsets', 'docs', 'impacts', 'maxImpact', 'ownText', 'passageDoc', 'passageParagraph', 'passageStart', 'passageEnd', 'fieldDf', 'stats'] as const;

/** JSON form (arrays as base64), kept for callers that want one JSON value. */
export interface SerializedSearchIndex {
  version: 4;
  terms: string;
  arrays: Record<(typeof BINARY_ARRAYS)[number], string>;
}

/** Cuts a paragraph into passages of at most MAX_PASSAGE_CHARS, at sentence boundaries. */
export function passagesOf(document: CorpusDocument, docIndex: number, firstId: number): Passage[] {
  const out: Passage[] = [];
  let sentenceCursor = 0;
  for (const paragraph of document.paragraphs) {
    if (paragraph.end - paragraph.start <= MAX_PASSAGE_CHARS) {
      out.push({ id: firstId + out.length, docIndex, paragraph: paragraph.index, start: paragraph.start, end: paragraph.end });
      continue;
    }
    while (sentenceCursor < document.sentences.length && document.sentences[sentenceCursor]!.paragraph < paragraph.index) sentenceCursor++;
    let chunkStart = paragraph.start;
    let chunkEnd = paragraph.start;
    for (let i = sentenceCursor; i < document.sentences.length && document.sentences[i]!.paragraph === paragraph.index; i++) {
      const sentence = document.sentences[i]!;
      if (sentence.end - chunkStart > MAX_PASSAGE_CHARS && chunkEnd > chunkStart) {
        out.push({ id: firstId + out.length, docIndex, paragraph: paragraph.index, start: chunkStart, end: chunkEnd });
        chunkStart = sentence.start;
      }
      chunkEnd = sentence.end;
    }
    if (chunkEnd > chunkStart) out.push({ id: firstId + out.length, docIndex, paragraph: paragraph.index, start: chunkStart, end: chunkEnd });
  }
  return out;
}

/** The section heading a paragraph stands under, if the page has one. */
function headingsByParagraph(document: CorpusDocument): Map<number, string> {
  const out = new Map<number, string>();
  let heading = '';
  let paragraph = 0;
  for (const block of document.blocks) {
    if (block.role === 'heading') heading = document.text.slice(block.start, block.end);
    else if (block.role === 'content') {
      if (heading) out.set(paragraph, heading);
      paragraph++;
    }
  }
  return out;
}

/** The passages of a corpus and what indexing them needs, as strings and typed arrays (pausing every few hundred documents). */
function* prepareSteps(
  documents: readonly CorpusDocument[],
  docIndexes?: readonly number[],
  firstId = 0,
): Generator<void, { passages: Passage[]; input: PostingsInput }> {
  const passages: Passage[] = [];
  const titles: string[] = [];
  const titleIds = new Map<string, number>();
  const headings: string[] = [''];
  const headingIds = new Map<string, number>([['', 0]]);
  const passageTitle: number[] = [];
  const passageHeading: number[] = [];
  const bases: number[] = [];
  const localDoc: number[] = [];
  const textParts: string[] = [];
  let base = 0;
  for (let docIndex = 0; docIndex < documents.length; docIndex++) {
    if (docIndex > 0 && docIndex % 500 === 0) {
      textParts.push(documents.slice(docIndex - 500, docIndex).map((d) => d.text).join(''));
      yield;
    }
    const document = documents[docIndex]!;
    bases.push(base);
    const passageDocIndex = docIndexes ? docIndexes[docIndex]! : docIndex;
    base += document.text.length;
    const byParagraph = headingsByParagraph(document);
    let title = titleIds.get(document.meta.title);
    if (title === undefined) {
      title = titles.length;
      titles.push(document.meta.title);
      titleIds.set(document.meta.title, title);
    }
    for (const passage of passagesOf(document, passageDocIndex, firstId + passages.length)) {
      passages.push(passage);
      passageTitle.push(title);
      const heading = byParagraph.get(passage.paragraph) ?? '';
      let headingId = headingIds.get(heading);
      if (headingId === undefined) {
        headingId = headings.length;
        headings.push(heading);
        headingIds.set(heading, headingId);
      }
      passageHeading.push(headingId);
      localDoc.push(docIndex);
    }
  }
  const done = textParts.length * 500;
  textParts.push(documents.slice(done).map((d) => d.text).join(''));
  yield;
  const input: PostingsInput = {
    text: textParts.join(''),
    passageStart: Uint32Array.from(passages, (p, i) => bases[localDoc[i]!]! + p.start),
    passageEnd: Uint32Array.from(passages, (p, i) => bases[localDoc[i]!]! + p.end),
    titles,
    passageTitle: Uint32Array.from(passageTitle),
    headings,
    passageHeading: Uint32Array.from(passageHeading),
  };
  return { passages, input };
}

/**
 * A segment's vocabulary: exact lookups (a Map) and prefix and fuzzy lookups
 * (MiniSearch's radix tree). Built at once for a new segment; a segment
 * revived from saved state with its terms' sorted order answers exact and
 * prefix lookups by binary search over that order until both are built (in
 * the background, `prepare`), so a start answers without building them first.
 */
class Vocabulary {
  private ids: Map<string, number> | null = null;
  private tree: SearchableMap<number> | null = null;

  constructor(
    private readonly terms: readonly string[],
    private readonly sorted: Uint32Array | null = null,
  ) {}

  /** The terms' ids in the order of their text (code units), for saving. */
  static sortedOrder(terms: readonly string[]): Uint32Array {
    const order = Uint32Array.from(terms, (_, i) => i);
    return order.sort((a, b) => (terms[a]! < terms[b]! ? -1 : terms[a]! > terms[b]! ? 1 : 0));
  }

  get ready(): boolean {
    return this.tree !== null;
  }

  /** Builds the tree (and, without a saved order, the Map for exact lookups), pausing every few thousand terms. */
  *steps(): Generator<void, void> {
    if (this.tree) return;
    const ids = this.sorted ? null : new Map<string, number>();
    const tree = new SearchableMap<number>();
    for (let id = 0; id < this.terms.length; id++) {
      if (id > 0 && id % 2000 === 0) yield;
      ids?.set(this.terms[id]!, id);
      tree.set(this.terms[id]!, id);
    }
    this.ids = ids;
    this.tree = tree;
  }

  private built(): void {
    if (!this.tree) runSteps(this.steps());
  }

  /** First position in the sorted order whose term is not below `text`. */
  private lowerBound(text: string): number {
    const { sorted, terms } = this;
    let lo = 0;
    let hi = sorted!.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (terms[sorted![mid]!]! < text) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  id(text: string): number | undefined {
    if (this.ids) return this.ids.get(text);
    if (!this.sorted) {
      this.built();
      return this.ids!.get(text);
    }
    const at = this.lowerBound(text);
    return at < this.sorted.length && this.terms[this.sorted[at]!] === text ? this.sorted[at] : undefined;
  }

  /** Terms starting with `prefix`. */
  withPrefix(prefix: string): string[] {
    if (!this.sorted) {
      this.built();
      return [...this.tree!.atPrefix(prefix).keys()];
    }
    const out: string[] = [];
    for (let at = this.lowerBound(prefix); at < this.sorted.length; at++) {
      const term = this.terms[this.sorted[at]!]!;
      if (!term.startsWith(prefix)) break;
      out.push(term);
    }
    return out;
  }

  /** Terms within `distance` edits of `term`, with their distance. */
  fuzzy(term: string, distance: number): [string, number][] {
    this.built();
    return [...this.tree!.fuzzyGet(term, distance)].map(([text, [, d]]) => [text, d]);
  }
}

/** A new segment's vocabulary, built in slices. */
function* vocabularySteps(terms: readonly string[]): Generator<void, Vocabulary> {
  const vocabulary = new Vocabulary(terms);
  yield* vocabulary.steps();
  return vocabulary;
}

/** Builds the postings in a worker thread; rejects when a worker cannot be started. */
async function buildInWorker(input: PostingsInput): Promise<PostingsArrays> {
  const { startWorker } = await import('../engine/worker-start.js');
  const worker = startWorker(import.meta.url, 'build-worker', { workerData: input });
  try {
    return await new Promise<PostingsArrays>((resolve, reject) => {
      worker.once('message', (result: PostingsArrays) => resolve(result));
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`index build worker exited with code ${code}`)));
    });
  } finally {
    void worker.terminate();
  }
}

/** Yields to the event loop. */

/** Scratch arrays for scoring, sized to the passage count and reused across queries. */
interface Scratch {
  epoch: number;
  stamp: Uint32Array;
  score: Float64Array;
  coverage: Uint16Array;
  lastGroup: Int32Array;
  /** 1 when the passage failed the query's filter (valid where stamp is current). */
  rejected: Uint8Array;
  /** The passages in the running, `count` of them. */
  candidates: Uint32Array;
}

/** One postings list a query reads: an indexed term standing for one query term. */
interface QueryList {
  group: number;
  term: number;
  weight: number;
  bound: number;
}

/** The first index in `docs[from..to)` whose value is ≥ `target` (galloping, then binary search). */
function gallop(docs: Uint32Array, from: number, to: number, target: number): number {
  let step = 1;
  let lo = from;
  let hi = from;
  while (hi < to && docs[hi]! < target) {
    lo = hi + 1;
    hi += step;
    step *= 2;
  }
  if (hi > to) hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (docs[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Top-k selection: a min-heap by (score asc, id desc), i.e. the worst kept hit on top. */
class TopK {
  private readonly ids: Int32Array;
  private readonly scores: Float64Array;
  private size = 0;
  constructor(private readonly k: number) {
    this.ids = new Int32Array(k);
    this.scores = new Float64Array(k);
  }
  reset(): this {
    this.size = 0;
    return this;
  }
  private worse(i: number, j: number): boolean {
    const a = this.scores[i]!;
    const b = this.scores[j]!;
    return a < b || (a === b && this.ids[i]! > this.ids[j]!);
  }
  private swap(i: number, j: number): void {
    const id = this.ids[i]!;
    this.ids[i] = this.ids[j]!;
    this.ids[j] = id;
    const score = this.scores[i]!;
    this.scores[i] = this.scores[j]!;
    this.scores[j] = score;
  }
  get full(): boolean {
    return this.size >= this.k;
  }
  /** The worst kept score (the k-th best so far). */
  get floor(): number {
    return this.scores[0]!;
  }
  offer(id: number, score: number): void {
    if (this.size < this.k) {
      this.ids[this.size] = id;
      this.scores[this.size] = score;
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(i, parent)) break;
        this.swap(i, parent);
        i = parent;
      }
      return;
    }
    const top = this.scores[0]!;
    if (score < top || (score === top && id > this.ids[0]!)) return;
    this.ids[0] = id;
    this.scores[0] = score;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.size && this.worse(l, m)) m = l;
      if (r < this.size && this.worse(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
  }
  /** Best first. */
  sorted(): { id: number; score: number }[] {
    const out: { id: number; score: number }[] = [];
    for (let i = 0; i < this.size; i++) out.push({ id: this.ids[i]!, score: this.scores[i]! });
    return out.sort((a, b) => b.score - a.score || a.id - b.id);
  }
}

/** One segment: postings over a run of passage ids starting at `firstPassage`, with its vocabulary. */
interface Segment {
  postings: PostingsArrays;
  vocabulary: Vocabulary;
  firstPassage: number;
  count: number;
  scratch: Scratch | null;
}

/** A query term's postings list, by text: the same expansions are read in every segment. */
interface ExpandedTerm {
  group: number;
  text: string;
  weight: number;
}

/** Delta segments larger than this, or than this share of the main one, are worth merging. */
const MERGE_MIN_PASSAGES = 2000;
const MERGE_SHARE = 0.02;

function statsOf(postings: PostingsArrays, count: number): SegmentStats {
  return postings.stats ?? { count, lengthSums: [0, 0, 0], fieldDf: new Uint32Array(postings.terms.length * 3) };
}

export class SearchIndex {
  readonly passages: Passage[];
  private readonly main: Segment;
  private readonly delta: Segment | null;
  /** Documents indexed in the delta segment (indexes into the current documents). */
  private readonly deltaDocs: readonly number[];
  /** 1 for passages of removed documents (null: none). */
  private readonly removed: Uint8Array | null;
  /** What the last search did: passages admitted, and the list from which no new passage was admitted (-1: none). */
  lastSearchStats = { admitted: 0, closedAtList: -1, lists: 0 };

  private constructor(
    main: Segment,
    passages: Passage[],
    extra: { delta?: Segment | null; deltaDocs?: readonly number[]; removed?: Uint8Array | null } = {},
  ) {
    this.main = main;
    this.passages = passages;
    this.delta = extra.delta ?? null;
    this.deltaDocs = extra.deltaDocs ?? [];
    this.removed = extra.removed ?? null;
  }

  private static segment(postings: PostingsArrays, vocabulary: Vocabulary, firstPassage: number, count: number): Segment {
    return { postings, vocabulary, firstPassage, count, scratch: null };
  }

  private static assemble(postings: PostingsArrays, passages: Passage[]): SearchIndex {
    return new SearchIndex(SearchIndex.segment(postings, runSteps(vocabularySteps(postings.terms)), 0, passages.length), passages);
  }

  static build(documents: readonly CorpusDocument[]): SearchIndex {
    const { passages, input } = runSteps(prepareSteps(documents));
    return SearchIndex.assemble(buildPostings(input), passages);
  }

  /**
   * Builds the index off the event loop: in a worker thread for a large
   * corpus (the typed arrays come back without copying), otherwise — or when
   * no worker can be started — in slices that yield to the event loop, so a
   * bot answers from its current snapshot while the next one is built.
   */
  static async buildAsync(documents: readonly CorpusDocument[], options: { chunkSize?: number; worker?: boolean } = {}): Promise<SearchIndex> {
    const { passages, input } = await runStepsAsync(prepareSteps(documents));
    const useWorker = options.worker ?? passages.length >= WORKER_MIN_PASSAGES;
    let postings: PostingsArrays | null = null;
    if (useWorker) {
      try {
        postings = await buildInWorker(input);
      } catch (error) {
        // Asked for explicitly, a worker must work; chosen by size, fall through to building here, in slices.
        if (options.worker) throw error;
      }
    }
    postings ??= await runStepsAsync(buildPostingsSteps(input, options.chunkSize ?? 64));
    return new SearchIndex(SearchIndex.segment(postings, await runStepsAsync(vocabularySteps(postings.terms)), 0, passages.length), passages);
  }

  /** True when a second segment or removed passages make a merge (a rebuild in one segment) worthwhile. */
  get segmented(): boolean {
    return this.delta !== null || this.removed !== null;
  }

  /** True when the second segment (or the removed share) is large enough that a merge should not wait. */
  get mergeDue(): boolean {
    const extra = (this.delta?.count ?? 0) + (this.removed ? this.removedCount() : 0);
    return extra >= MERGE_MIN_PASSAGES || extra >= MERGE_SHARE * this.main.count;
  }

  private removedCount(): number {
    let n = 0;
    for (let i = 0; i < this.removed!.length; i++) n += this.removed![i]!;
    return n;
  }

  /**
   * The index after a change of the document list, without rebuilding the
   * main segment. `documents` is the new list; `keep[i]` is the new index of
   * the old document i (-1: removed); documents at `added` indexes are new.
   * The passages of removed documents are masked, the delta segment is
   * rebuilt over its kept and new documents (small), in slices that yield.
   */
  async withChanges(documents: readonly CorpusDocument[], keep: Int32Array, added: readonly number[]): Promise<SearchIndex> {
    const mainCount = this.main.count;
    let removed = this.removed ? this.removed.slice() : null;
    const mainPassages: Passage[] = new Array<Passage>(mainCount);
    for (let id = 0; id < mainCount; id++) {
      const p = this.passages[id]!;
      const next = removed?.[id] ? -1 : keep[p.docIndex]!;
      if (next < 0) {
        // Masked, and pointing at no document.
        removed ??= new Uint8Array(mainCount);
        removed[id] = 1;
        mainPassages[id] = p.docIndex === -1 ? p : { ...p, docIndex: -1 };
      } else mainPassages[id] = next === p.docIndex ? p : { ...p, docIndex: next };
    }
    const deltaDocs = [...this.deltaDocs.map((d) => keep[d]!).filter((d) => d >= 0), ...added];
    if (deltaDocs.length === 0) return new SearchIndex(this.main, mainPassages, { removed });
    const { passages, input } = await runStepsAsync(prepareSteps(deltaDocs.map((d) => documents[d]!), deltaDocs, mainCount));
    const main = this.main;
    const mainStats = statsOf(main.postings, main.count);
    const external: ExternalStats = {
      count: mainStats.count,
      lengthSums: mainStats.lengthSums,
      df(term) {
        const id = main.vocabulary.id(term);
        if (id === undefined) return [0, 0, 0];
        return [mainStats.fieldDf[id * 3]!, mainStats.fieldDf[id * 3 + 1]!, mainStats.fieldDf[id * 3 + 2]!];
      },
    };
    const postings = await runStepsAsync(buildPostingsSteps(input, 64, external));
    const delta = SearchIndex.segment(postings, await runStepsAsync(vocabularySteps(postings.terms)), mainCount, passages.length);
    return new SearchIndex(main, [...mainPassages, ...passages], { delta, deltaDocs, removed });
  }

  /** One segment over `documents` again (built off the event loop): what a full rebuild gives. */
  merged(documents: readonly CorpusDocument[]): Promise<SearchIndex> {
    return SearchIndex.buildAsync(documents);
  }

  static fromBinary(data: IndexBinary): SearchIndex {
    return runSteps(SearchIndex.restoreSteps(data));
  }

  /** Revives a saved index in steps (a generator that pauses), for callers that yield to the event loop between them. */
  static *restoreSteps(data: IndexBinary, options: { sortedTerms?: Uint32Array } = {}): Generator<void, SearchIndex> {
    return SearchIndex.fromBinaryParts(data, yield* SearchIndex.binarySteps(data, options.sortedTerms ?? null));
  }

  /** The vocabulary's term ids in text order (saved beside `toBinary()`, so a start need not build the lookups first). */
  sortedTermOrder(): Uint32Array {
    if (this.segmented) throw new Error('SearchIndex: merge the segments before saving');
    return Vocabulary.sortedOrder(this.main.postings.terms);
  }

  /** Builds the vocabulary lookups a revived index postponed, in slices that yield to the event loop. */
  async prepare(): Promise<void> {
    for (const segment of this.segments()) await runStepsAsync(segment.vocabulary.steps());
  }

  private static *binarySteps(data: IndexBinary, sorted: Uint32Array | null): Generator<void, { terms: string[]; passages: Passage[]; vocabulary: Vocabulary }> {
    if (data.version !== 4) throw new Error(`SearchIndex: unsupported saved index version ${String(data.version)}`);
    const terms = data.terms.length > 0 ? data.terms.split('\n') : [];
    if (terms.length + 1 !== data.offsets.length) throw new Error('SearchIndex: saved index is inconsistent (terms and offsets)');
    if (data.ownText.length !== (data.docs.length + 7) >> 3) throw new Error('SearchIndex: saved index is inconsistent (postings and their own-text bits)');
    const { passageDoc, passageParagraph, passageStart, passageEnd } = data;
    const passages: Passage[] = new Array<Passage>(passageDoc.length);
    for (let id = 0; id < passageDoc.length; id++) {
      if (id > 0 && id % 20_000 === 0) yield;
      passages[id] = { id, docIndex: passageDoc[id]!, paragraph: passageParagraph[id]!, start: passageStart[id]!, end: passageEnd[id]! };
    }
    if (sorted && sorted.length !== terms.length) throw new Error('SearchIndex: saved index is inconsistent (terms and their order)');
    const vocabulary = sorted ? new Vocabulary(terms, sorted) : yield* vocabularySteps(terms);
    return { terms, passages, vocabulary };
  }

  private static fromBinaryParts(
    data: IndexBinary,
    parts: { terms: string[]; passages: Passage[]; vocabulary: Vocabulary },
  ): SearchIndex {
    const stats: SegmentStats = { count: data.stats[0]!, lengthSums: [data.stats[1]!, data.stats[2]!, data.stats[3]!], fieldDf: data.fieldDf };
    const postings: PostingsArrays = { terms: parts.terms, offsets: data.offsets, docs: data.docs, impacts: data.impacts, maxImpact: data.maxImpact, ownText: data.ownText, stats };
    return new SearchIndex(SearchIndex.segment(postings, parts.vocabulary, 0, parts.passages.length), parts.passages);
  }

  /** The saved form; only for an index in one segment (merge first). */
  toBinary(): IndexBinary {
    if (this.segmented) throw new Error('SearchIndex: merge the segments before saving');
    const { terms, offsets, docs, impacts, maxImpact, ownText } = this.main.postings;
    const stats = statsOf(this.main.postings, this.main.count);
    return {
      version: 4,
      terms: terms.join('\n'),
      offsets,
      docs,
      impacts,
      maxImpact,
      ownText,
      passageDoc: Uint32Array.from(this.passages, (p) => p.docIndex),
      passageParagraph: Uint32Array.from(this.passages, (p) => p.paragraph),
      passageStart: Uint32Array.from(this.passages, (p) => p.start),
      passageEnd: Uint32Array.from(this.passages, (p) => p.end),
      fieldDf: stats.fieldDf,
      stats: Float64Array.from([stats.count, ...stats.lengthSums]),
    };
  }

  static fromJSON(data: SerializedSearchIndex): SearchIndex {
    if (data.version !== 4) throw new Error(`SearchIndex: unsupported serialised version ${String(data.version)}`);
    const decode = <T extends Uint8Array | Uint32Array | Float32Array | Float64Array>(name: (typeof BINARY_ARRAYS)[number], make: (b: ArrayBuffer) => T): T => {
      const bytes = Buffer.from(data.arrays[name], 'base64');
      return make(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    };
    const u32 = (b: ArrayBuffer): Uint32Array => new Uint32Array(b);
    const f32 = (b: ArrayBuffer): Float32Array => new Float32Array(b);
    return SearchIndex.fromBinary({
      version: 4,
      terms: data.terms,
      offsets: decode('offsets', u32),
      docs: decode('docs', u32),
      impacts: decode('impacts', f32),
      maxImpact: decode('maxImpact', f32),
      ownText: decode('ownText', (b) => new Uint8Array(b)),
      passageDoc: decode('passageDoc', u32),
      passageParagraph: decode('passageParagraph', u32),
      passageStart: decode('passageStart', u32),
      passageEnd: decode('passageEnd', u32),
      fieldDf: decode('fieldDf', u32),
      stats: decode('stats', (b) => new Float64Array(b)),
    });
  }

  toJSON(): SerializedSearchIndex {
    const binary = this.toBinary();
    const arrays = {} as Record<(typeof BINARY_ARRAYS)[number], string>;
    for (const name of BINARY_ARRAYS) {
      const array = binary[name];
      arrays[name] = Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
    }
    return { version: 4, terms: binary.terms, arrays };
  }

  get size(): number {
    return this.passages.length;
  }

  /** Processed query terms, in order, without repeats (each query word's first alternative). */
  queryTerms(query: string): string[] {
    return queryTermGroups(query).map((group) => group[0]!);
  }

  /** Each query word's alternative terms (its stem, its surface form as a name), in order. */
  queryGroups(query: string): string[][] {
    return queryTermGroups(query);
  }

  private segments(): Segment[] {
    return this.delta ? [this.main, this.delta] : [this.main];
  }

  isKnownTerm(term: string): boolean {
    return this.segments().some((s) => s.vocabulary.id(term) !== undefined);
  }

  private documentFrequency(text: string): number {
    let df = 0;
    for (const segment of this.segments()) {
      const id = segment.vocabulary.id(text);
      if (id !== undefined) df += segment.postings.offsets[id + 1]! - segment.postings.offsets[id]!;
    }
    return df;
  }

  /** The postings lists a query reads, in query order: exact terms, prefix expansions, fuzzy matches (over every segment's vocabulary). */
  private expand(groups: readonly (readonly string[])[], prefixLast: boolean): ExpandedTerm[] {
    const out: ExpandedTerm[] = [];
    const segments = this.segments();
    groups.forEach((alternatives, group) => {
      const exact = alternatives.filter((t) => this.isKnownTerm(t));
      for (const text of exact) out.push({ group, text, weight: 1 });
      // The surface form (the last alternative) is what was typed: prefixes and spelling start from it.
      const term = alternatives[alternatives.length - 1]!;
      const prefix = prefixLast && group === groups.length - 1 && term.length >= MIN_PREFIX_LENGTH;
      if (prefix) {
        const seen = new Set<string>();
        const expansions: { text: string; df: number }[] = [];
        for (const segment of segments) {
          for (const text of segment.vocabulary.withPrefix(term)) {
            if (alternatives.includes(text) || seen.has(text)) continue;
            seen.add(text);
            expansions.push({ text, df: this.documentFrequency(text) });
          }
        }
        expansions.sort((a, b) => b.df - a.df || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
        for (const { text } of expansions.slice(0, MAX_PREFIX_EXPANSIONS)) {
          const distance = text.length - term.length;
          out.push({ group, text, weight: (PREFIX_WEIGHT * text.length) / (text.length + 0.3 * distance) });
        }
      }
      if (exact.length === 0 && term.length >= MIN_FUZZY_LENGTH && !/\d/.test(term)) {
        const distances = new Map<string, number>();
        for (const segment of segments) {
          for (const [text, distance] of segment.vocabulary.fuzzy(term, term.length >= TWO_EDITS_LENGTH ? 2 : 1)) {
            distances.set(text, Math.min(distance, distances.get(text) ?? Infinity));
          }
        }
        const found = [...distances].sort((a, b) => (a[0] < b[0] ? -1 : 1));
        for (const [text, distance] of found) {
          // Prefix expansions are scored as such (or left out when not among the most frequent).
          if (distance === 0 || (prefix && text.startsWith(term))) continue;
          out.push({ group, text, weight: (FUZZY_WEIGHT * text.length) / (text.length + distance) });
        }
      }
    });
    return out;
  }

  private scratchFor(segment: Segment): Scratch {
    const n = segment.count;
    if (!segment.scratch || segment.scratch.epoch >= 0xfffffff0) {
      segment.scratch = {
        epoch: 0,
        stamp: new Uint32Array(n),
        score: new Float64Array(n),
        coverage: new Uint16Array(n),
        lastGroup: new Int32Array(n),
        rejected: new Uint8Array(n),
        candidates: new Uint32Array(n),
      };
    }
    segment.scratch.epoch++;
    return segment.scratch;
  }

  /**
   * Ranked passages for a query. A passage's score is its BM25 sum over the
   * matched terms (derived terms weighted as in MiniSearch; each query word
   * matches its stem and its surface form), times a coverage gain (above:
   * strict for short queries, gentle for long ones). Ties go to the earlier passage.
   */
  search(query: string, limit: number, options: SearchOptions = {}): PassageHit[] {
    const groups = this.queryGroups(query);
    if (groups.length === 0 || limit < 1) return [];
    const expanded = this.expand(groups, options.prefixLast ?? true);
    if (expanded.length === 0) return [];
    const removed = this.removed;
    const userFilter = options.filter;
    const filter = removed
      ? (p: Passage): boolean => removed[p.id] !== 1 && (!userFilter || userFilter(p))
      : userFilter;
    const found: { id: number; score: number; coverage: number; lists: QueryList[] }[] = [];
    let stats = { admitted: 0, closedAtList: -1, lists: 0 };
    for (const segment of this.segments()) {
      const lists: QueryList[] = [];
      for (const { group, text, weight } of expanded) {
        const term = segment.vocabulary.id(text);
        if (term !== undefined) lists.push({ group, term, weight, bound: weight * segment.postings.maxImpact[term]! });
      }
      if (lists.length === 0) continue;
      const hits = this.searchSegment(segment, lists, groups.length, limit, filter, options.exhaustive ?? false);
      if (segment === this.main) stats = this.lastSearchStats;
      for (const hit of hits) found.push({ ...hit, lists });
    }
    this.lastSearchStats = stats;
    found.sort((a, b) => b.score - a.score || a.id - b.id);
    return found.slice(0, limit).map(({ id, score, coverage, lists }) => ({
      passage: this.passages[id]!,
      score,
      coverage,
      ...this.matchedTerms(this.segmentOf(id), id, lists),
    }));
  }

  private segmentOf(id: number): Segment {
    return this.delta && id >= this.delta.firstPassage ? this.delta : this.main;
  }

  /** Top `limit` passages of one segment (MaxScore, term at a time); ids are global. */
  private searchSegment(
    segment: Segment,
    lists: QueryList[],
    T: number,
    limit: number,
    filter: ((passage: Passage) => boolean) | undefined,
    exhaustive: boolean,
  ): { id: number; score: number; coverage: number }[] {
    // Short queries (typed in chat): passages matching more of the words first. Longer ones
    // (questions, pasted text): more of the words counts, gently.
    const gain = T <= STRICT_COVERAGE_WORDS ? (coverage: number): number => coverage * (0.5 + coverage / T) : (coverage: number): number => COVERAGE_BASE + coverage / T;

    // Scoring order: query terms by their bound (the sum of their lists' bounds), then lists by bound.
    const groupBound = new Float64Array(T);
    for (const list of lists) groupBound[list.group]! += list.bound;
    const order = lists
      .map((list, i) => ({ list, i }))
      .sort((a, b) => groupBound[b.list.group]! - groupBound[a.list.group]! || a.list.group - b.list.group || b.list.bound - a.list.bound || a.i - b.i)
      .map((x) => x.list);
    // What the lists from i on can still add, and how many query terms they stand for.
    const rest = new Float64Array(order.length + 1);
    const groupsLeft = new Uint16Array(order.length + 1);
    for (let i = order.length - 1; i >= 0; i--) {
      rest[i] = rest[i + 1]! + order[i]!.bound;
      groupsLeft[i] = groupsLeft[i + 1]! + (i === order.length - 1 || order[i + 1]!.group !== order[i]!.group ? 1 : 0);
    }

    const { offsets, docs, impacts } = segment.postings;
    const first = segment.firstPassage;
    const { epoch, stamp, score, coverage, lastGroup, rejected, candidates } = this.scratchFor(segment);
    let count = 0;
    let admitting = true;
    this.lastSearchStats = { admitted: 0, closedAtList: -1, lists: order.length };
    let barAtCheck = Infinity;
    const top = new TopK(limit);
    /** Keeps the candidates (filter passed) whose score could still reach `floor` with what is left. */
    const keepContenders = (floor: number, left: number, groups: number): void => {
      let kept = 0;
      for (let c = 0; c < count; c++) {
        const p = candidates[c]!;
        if (!rejected[p] && (score[p]! + left) * gain(Math.min(T, coverage[p]! + groups)) >= floor) candidates[kept++] = p;
      }
      count = kept;
    };

    for (let i = 0; i < order.length; i++) {
      const { group, term, weight } = order[i]!;
      if (admitting && !exhaustive && i > 0) {
        // Could a passage no list has touched yet still reach the top k? Checking costs a pass
        // over the candidates: do it when a new query term starts or the bar has halved.
        const bar = rest[i]! * gain(groupsLeft[i]!);
        const newGroup = group !== order[i - 1]!.group;
        if (bar * 2 <= barAtCheck || (newGroup && T <= 16)) {
          barAtCheck = bar;
          top.reset();
          for (let c = 0; c < count; c++) {
            const p = candidates[c]!;
            if (!rejected[p]) top.offer(p, score[p]! * gain(coverage[p]!));
          }
          if (top.full && bar < top.floor) {
            admitting = false;
            this.lastSearchStats.closedAtList = i;
            this.lastSearchStats.admitted = count;
            keepContenders(top.floor, rest[i]!, groupsLeft[i]!);
            candidates.subarray(0, count).sort();
          }
        }
      } else if (!admitting) {
        // Drop the passages that can no longer reach the k-th best.
        top.reset();
        for (let c = 0; c < count; c++) {
          const p = candidates[c]!;
          top.offer(p, score[p]! * gain(coverage[p]!));
        }
        keepContenders(top.floor, rest[i]!, groupsLeft[i]!);
      }
      const from = offsets[term]!;
      const to = offsets[term + 1]!;
      if (admitting) {
        for (let j = from; j < to; j++) {
          const p = docs[j]!;
          if (stamp[p] !== epoch) {
            stamp[p] = epoch;
            score[p] = 0;
            coverage[p] = 0;
            lastGroup[p] = -1;
            rejected[p] = filter && !filter(this.passages[first + p]!) ? 1 : 0;
            candidates[count++] = p;
          }
          score[p]! += weight * impacts[j]!;
          if (lastGroup[p] !== group) {
            lastGroup[p] = group;
            coverage[p]!++;
          }
        }
      } else {
        let j = from;
        for (let c = 0; c < count; c++) {
          const p = candidates[c]!;
          j = gallop(docs, j, to, p);
          if (j >= to) break;
          if (docs[j] !== p) continue;
          score[p]! += weight * impacts[j]!;
          if (lastGroup[p] !== group) {
            lastGroup[p] = group;
            coverage[p]!++;
          }
        }
      }
    }

    if (admitting) this.lastSearchStats.admitted = count;
    top.reset();
    for (let c = 0; c < count; c++) {
      const p = candidates[c]!;
      if (!rejected[p]) top.offer(p, score[p]! * gain(coverage[p]!));
    }
    return top.sorted().map(({ id, score: total }) => ({ id: first + id, score: total, coverage: coverage[id]! }));
  }

  /** The terms a passage matched, and how many query words its own text holds (read from the postings' own-text bits). */
  private matchedTerms(segment: Segment, passage: number, lists: readonly QueryList[]): { matchedTerms: string[]; ownCoverage: number } {
    const { offsets, docs, terms, ownText } = segment.postings;
    const local = passage - segment.firstPassage;
    const matchedTerms: string[] = [];
    const ownGroups: number[] = [];
    for (const { term, group } of lists) {
      const from = offsets[term]!;
      const to = offsets[term + 1]!;
      const j = gallop(docs, from, to, local);
      if (j >= to || docs[j] !== local) continue;
      if (!matchedTerms.includes(terms[term]!)) matchedTerms.push(terms[term]!);
      if ((ownText[j >> 3]! >> (j & 7)) & 1 && !ownGroups.includes(group)) ownGroups.push(group);
    }
    return { matchedTerms, ownCoverage: ownGroups.length };
  }

}
