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
 */
import SearchableMap from 'minisearch/SearchableMap';
import type { CorpusDocument } from '../types.js';
import { queryTermGroups } from './terms.js';
import { buildPostings, buildPostingsSteps, type PostingsArrays, type PostingsInput } from './postings.js';

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
/**
 * For a query of more than STRICT_COVERAGE_WORDS words, a passage's score is multiplied by
 * COVERAGE_BASE + (share of the query's words it matches): more of the query counts, gently, so a
 * long question is not ranked by word count alone (tuned on the Cranfield collection's odd
 * development queries). Up to that length, by coverage × (0.5 + share): the more words, the higher.
 */
const COVERAGE_BASE = 2;
export const STRICT_COVERAGE_WORDS = 3;
/** MiniSearch's weights for derived terms. */
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;
/** Indexes of at least this many passages are built in a worker thread. */
const WORKER_MIN_PASSAGES = 4000;

export interface Passage {
  id: number;
  /** Index into the documents array the index was built from. */
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
  version: 2;
  /** The vocabulary, term ids in order, joined by '\n' (terms never contain white space). */
  terms: string;
  offsets: Uint32Array;
  docs: Uint32Array;
  impacts: Float32Array;
  maxImpact: Float32Array;
  passageDoc: Uint32Array;
  passageParagraph: Uint32Array;
  passageStart: Uint32Array;
  passageEnd: Uint32Array;
}

const BINARY_ARRAYS = ['offsets', 'docs', 'impacts', 'maxImpact', 'passageDoc', 'passageParagraph', 'passageStart', 'passageEnd'] as const;

/** JSON form (arrays as base64), kept for callers that want one JSON value. */
export interface SerializedSearchIndex {
  version: 2;
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
function* prepareSteps(documents: readonly CorpusDocument[]): Generator<void, { passages: Passage[]; input: PostingsInput }> {
  const passages: Passage[] = [];
  const titles: string[] = [];
  const titleIds = new Map<string, number>();
  const headings: string[] = [''];
  const headingIds = new Map<string, number>([['', 0]]);
  const passageTitle: number[] = [];
  const passageHeading: number[] = [];
  const bases: number[] = [];
  const textParts: string[] = [];
  let base = 0;
  for (let docIndex = 0; docIndex < documents.length; docIndex++) {
    if (docIndex > 0 && docIndex % 500 === 0) {
      textParts.push(documents.slice(docIndex - 500, docIndex).map((d) => d.text).join(''));
      yield;
    }
    const document = documents[docIndex]!;
    bases.push(base);
    base += document.text.length;
    const byParagraph = headingsByParagraph(document);
    let title = titleIds.get(document.meta.title);
    if (title === undefined) {
      title = titles.length;
      titles.push(document.meta.title);
      titleIds.set(document.meta.title, title);
    }
    for (const passage of passagesOf(document, docIndex, passages.length)) {
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
    }
  }
  const done = textParts.length * 500;
  textParts.push(documents.slice(done).map((d) => d.text).join(''));
  yield;
  const input: PostingsInput = {
    text: textParts.join(''),
    passageStart: Uint32Array.from(passages, (p) => bases[p.docIndex]! + p.start),
    passageEnd: Uint32Array.from(passages, (p) => bases[p.docIndex]! + p.end),
    titles,
    passageTitle: Uint32Array.from(passageTitle),
    headings,
    passageHeading: Uint32Array.from(passageHeading),
  };
  return { passages, input };
}

/** Runs a generator to completion without pausing. */
function runSteps<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Runs a generator, letting the event loop turn whenever a slice has taken more than `budgetMs`. */
async function runStepsAsync<T>(steps: Generator<void, T>, budgetMs = 8): Promise<T> {
  let last = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - last >= budgetMs) {
      await turn();
      last = performance.now();
    }
  }
}

/** The vocabulary's exact and radix-tree lookups, filled in slices. */
function* vocabularySteps(terms: readonly string[]): Generator<void, { termIds: Map<string, number>; vocabulary: SearchableMap<number> }> {
  const termIds = new Map<string, number>();
  const vocabulary = new SearchableMap<number>();
  for (let id = 0; id < terms.length; id++) {
    if (id > 0 && id % 2000 === 0) yield;
    termIds.set(terms[id]!, id);
    vocabulary.set(terms[id]!, id);
  }
  return { termIds, vocabulary };
}

/** Builds the postings in a worker thread; rejects when a worker cannot be started. */
async function buildInWorker(input: PostingsInput): Promise<PostingsArrays> {
  const { Worker } = await import('node:worker_threads');
  // Built, this module is JavaScript. Under tsx (tests, scripts) it is TypeScript, and the
  // worker registers tsx's loader itself before importing the entry (workers do not inherit it).
  const typescript = import.meta.url.endsWith('.ts');
  const entry = new URL(`./build-worker${typescript ? '.ts' : '.js'}`, import.meta.url);
  const worker = typescript
    ? new Worker(`import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`, {
        eval: true,
        workerData: input,
      })
    : new Worker(entry, { workerData: input });
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
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

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

export class SearchIndex {
  readonly passages: Passage[];
  private readonly postings: PostingsArrays;
  private readonly termIds: Map<string, number>;
  private readonly vocabulary: SearchableMap<number>;
  private scratch: Scratch | null = null;
  /** What the last search did: passages admitted, and the list from which no new passage was admitted (-1: none). */
  lastSearchStats = { admitted: 0, closedAtList: -1, lists: 0 };

  private constructor(postings: PostingsArrays, passages: Passage[], lookups: { termIds: Map<string, number>; vocabulary: SearchableMap<number> }) {
    this.postings = postings;
    this.passages = passages;
    this.termIds = lookups.termIds;
    this.vocabulary = lookups.vocabulary;
  }

  private static assemble(postings: PostingsArrays, passages: Passage[]): SearchIndex {
    return new SearchIndex(postings, passages, runSteps(vocabularySteps(postings.terms)));
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
    return new SearchIndex(postings, passages, await runStepsAsync(vocabularySteps(postings.terms)));
  }

  static fromBinary(data: IndexBinary): SearchIndex {
    if (data.version !== 2) throw new Error(`SearchIndex: unsupported saved index version ${String(data.version)}`);
    const terms = data.terms.length > 0 ? data.terms.split('\n') : [];
    if (terms.length + 1 !== data.offsets.length) throw new Error('SearchIndex: saved index is inconsistent (terms and offsets)');
    const { passageDoc, passageParagraph, passageStart, passageEnd } = data;
    const passages: Passage[] = new Array<Passage>(passageDoc.length);
    for (let id = 0; id < passageDoc.length; id++) {
      passages[id] = { id, docIndex: passageDoc[id]!, paragraph: passageParagraph[id]!, start: passageStart[id]!, end: passageEnd[id]! };
    }
    return SearchIndex.assemble({ terms, offsets: data.offsets, docs: data.docs, impacts: data.impacts, maxImpact: data.maxImpact }, passages);
  }

  toBinary(): IndexBinary {
    const { terms, offsets, docs, impacts, maxImpact } = this.postings;
    return {
      version: 2,
      terms: terms.join('\n'),
      offsets,
      docs,
      impacts,
      maxImpact,
      passageDoc: Uint32Array.from(this.passages, (p) => p.docIndex),
      passageParagraph: Uint32Array.from(this.passages, (p) => p.paragraph),
      passageStart: Uint32Array.from(this.passages, (p) => p.start),
      passageEnd: Uint32Array.from(this.passages, (p) => p.end),
    };
  }

  static fromJSON(data: SerializedSearchIndex): SearchIndex {
    if (data.version !== 2) throw new Error(`SearchIndex: unsupported serialised version ${String(data.version)}`);
    const decode = <T extends Uint32Array | Float32Array>(name: (typeof BINARY_ARRAYS)[number], make: (b: ArrayBuffer) => T): T => {
      const bytes = Buffer.from(data.arrays[name], 'base64');
      return make(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    };
    const u32 = (b: ArrayBuffer): Uint32Array => new Uint32Array(b);
    const f32 = (b: ArrayBuffer): Float32Array => new Float32Array(b);
    return SearchIndex.fromBinary({
      version: 2,
      terms: data.terms,
      offsets: decode('offsets', u32),
      docs: decode('docs', u32),
      impacts: decode('impacts', f32),
      maxImpact: decode('maxImpact', f32),
      passageDoc: decode('passageDoc', u32),
      passageParagraph: decode('passageParagraph', u32),
      passageStart: decode('passageStart', u32),
      passageEnd: decode('passageEnd', u32),
    });
  }

  toJSON(): SerializedSearchIndex {
    const binary = this.toBinary();
    const arrays = {} as Record<(typeof BINARY_ARRAYS)[number], string>;
    for (const name of BINARY_ARRAYS) {
      const array = binary[name];
      arrays[name] = Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
    }
    return { version: 2, terms: binary.terms, arrays };
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

  isKnownTerm(term: string): boolean {
    return this.termIds.has(term);
  }

  private documentFrequency(term: number): number {
    return this.postings.offsets[term + 1]! - this.postings.offsets[term]!;
  }

  /** The postings lists a query reads, in query order: exact terms, prefix expansions, fuzzy matches. */
  private expand(groups: readonly (readonly string[])[], prefixLast: boolean): QueryList[] {
    const lists: QueryList[] = [];
    const add = (group: number, term: number, weight: number): void => {
      lists.push({ group, term, weight, bound: weight * this.postings.maxImpact[term]! });
    };
    groups.forEach((alternatives, group) => {
      const exact = alternatives.map((t) => this.termIds.get(t)).filter((id): id is number => id !== undefined);
      for (const id of exact) add(group, id, 1);
      // The surface form (the last alternative) is what was typed: prefixes and spelling start from it.
      const term = alternatives[alternatives.length - 1]!;
      const prefix = prefixLast && group === groups.length - 1 && term.length >= MIN_PREFIX_LENGTH;
      if (prefix) {
        const expansions: { text: string; id: number; df: number }[] = [];
        for (const [text, id] of this.vocabulary.atPrefix(term)) {
          if (!alternatives.includes(text)) expansions.push({ text, id, df: this.documentFrequency(id) });
        }
        expansions.sort((a, b) => b.df - a.df || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
        for (const { text, id } of expansions.slice(0, MAX_PREFIX_EXPANSIONS)) {
          const distance = text.length - term.length;
          add(group, id, (PREFIX_WEIGHT * text.length) / (text.length + 0.3 * distance));
        }
      }
      if (exact.length === 0 && term.length >= MIN_FUZZY_LENGTH && !/\d/.test(term)) {
        const matches = this.vocabulary.fuzzyGet(term, term.length >= TWO_EDITS_LENGTH ? 2 : 1);
        const found = [...matches].sort((a, b) => (a[0] < b[0] ? -1 : 1));
        for (const [text, [id, distance]] of found) {
          // Prefix expansions are scored as such (or left out when not among the most frequent).
          if (distance === 0 || (prefix && text.startsWith(term))) continue;
          add(group, id, (FUZZY_WEIGHT * text.length) / (text.length + distance));
        }
      }
    });
    return lists;
  }

  private scratchFor(): Scratch {
    const n = this.passages.length;
    if (!this.scratch || this.scratch.epoch >= 0xfffffff0) {
      this.scratch = {
        epoch: 0,
        stamp: new Uint32Array(n),
        score: new Float64Array(n),
        coverage: new Uint16Array(n),
        lastGroup: new Int32Array(n),
        rejected: new Uint8Array(n),
        candidates: new Uint32Array(n),
      };
    }
    this.scratch.epoch++;
    return this.scratch;
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
    const lists = this.expand(groups, options.prefixLast ?? true);
    if (lists.length === 0) return [];
    const T = groups.length;
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

    const { offsets, docs, impacts } = this.postings;
    const { epoch, stamp, score, coverage, lastGroup, rejected, candidates } = this.scratchFor();
    const filter = options.filter;
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
      if (admitting && !options.exhaustive && i > 0) {
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
            rejected[p] = filter && !filter(this.passages[p]!) ? 1 : 0;
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
    return top.sorted().map(({ id, score: total }) => ({
      passage: this.passages[id]!,
      score: total,
      matchedTerms: this.matchedTerms(id, lists),
      coverage: coverage[id]!,
    }));
  }

  private matchedTerms(passage: number, lists: readonly QueryList[]): string[] {
    const { offsets, docs, terms } = this.postings;
    const out: string[] = [];
    for (const { term } of lists) {
      const from = offsets[term]!;
      const to = offsets[term + 1]!;
      const j = gallop(docs, from, to, passage);
      if (j < to && docs[j] === passage && !out.includes(terms[term]!)) out.push(terms[term]!);
    }
    return out;
  }
}
