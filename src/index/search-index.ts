/**
 * The passage index: MiniSearch over content paragraphs (long ones cut at
 * sentence boundaries), with each passage's citation kept in compact parallel
 * arrays beside it rather than as stored fields, so a 100,000-passage index
 * stays small to save and quick to load.
 *
 * Typo tolerance is paid for only where it is needed: a query term that is in
 * the vocabulary is matched exactly; only an unknown term of four letters or
 * more is matched fuzzily (one edit, two from eight letters on). The last
 * term is also matched as a prefix, for people who are still typing.
 */
import MiniSearch, { type SearchResult as MiniSearchResult } from 'minisearch';
import type { CorpusDocument } from '../types.js';
import { processTerm, tokenizeForSearch } from './terms.js';

/** Paragraphs longer than this are cut into several passages at sentence boundaries. */
export const MAX_PASSAGE_CHARS = 1200;
/** Fuzzy matching starts at this term length. */
const MIN_FUZZY_LENGTH = 4;
/** From this length, two edits are allowed. */
const TWO_EDITS_LENGTH = 8;
/** Prefix matching on the last term starts at this length. */
const MIN_PREFIX_LENGTH = 3;
/** Field boosts: a passage's own words count most; the headline is shared by all passages of a document. */
export const FIELD_BOOSTS = { text: 1, heading: 0.8, title: 0.6 } as const;

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

interface IndexedPassage {
  id: number;
  title: string;
  heading: string;
  text: string;
}

export interface SerializedSearchIndex {
  version: 1;
  minisearch: string;
  vocabulary: string[];
  passages: { doc: number[]; paragraph: number[]; start: number[]; end: number[] };
}

function miniSearchOptions(vocabulary: Set<string>) {
  return {
    idField: 'id',
    fields: ['title', 'heading', 'text'],
    storeFields: [] as string[],
    tokenize: tokenizeForSearch,
    processTerm: (term: string, fieldName?: string): string | null => {
      const processed = processTerm(term);
      if (processed && fieldName !== undefined) vocabulary.add(processed);
      return processed;
    },
  };
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

export class SearchIndex {
  readonly passages: Passage[];
  private readonly minisearch: MiniSearch<IndexedPassage>;
  private readonly vocabulary: Set<string>;

  private constructor(minisearch: MiniSearch<IndexedPassage>, passages: Passage[], vocabulary: Set<string>) {
    this.minisearch = minisearch;
    this.passages = passages;
    this.vocabulary = vocabulary;
  }

  static build(documents: readonly CorpusDocument[]): SearchIndex {
    const vocabulary = new Set<string>();
    const minisearch = new MiniSearch<IndexedPassage>(miniSearchOptions(vocabulary));
    const passages: Passage[] = [];
    documents.forEach((document, docIndex) => {
      const headings = headingsByParagraph(document);
      for (const passage of passagesOf(document, docIndex, passages.length)) {
        passages.push(passage);
        minisearch.add({
          id: passage.id,
          title: document.meta.title,
          heading: headings.get(passage.paragraph) ?? '',
          text: document.text.slice(passage.start, passage.end),
        });
      }
    });
    return new SearchIndex(minisearch, passages, vocabulary);
  }

  /**
   * Builds the index in chunks, yielding to the event loop between them
   * (MiniSearch's addAllAsync), so a bot answers from its current snapshot
   * while the next one is built.
   */
  static async buildAsync(documents: readonly CorpusDocument[], chunkSize = 500): Promise<SearchIndex> {
    const vocabulary = new Set<string>();
    const minisearch = new MiniSearch<IndexedPassage>(miniSearchOptions(vocabulary));
    const passages: Passage[] = [];
    const records: IndexedPassage[] = [];
    documents.forEach((document, docIndex) => {
      const headings = headingsByParagraph(document);
      for (const passage of passagesOf(document, docIndex, passages.length)) {
        passages.push(passage);
        records.push({ id: passage.id, title: document.meta.title, heading: headings.get(passage.paragraph) ?? '', text: document.text.slice(passage.start, passage.end) });
      }
    });
    await minisearch.addAllAsync(records, { chunkSize });
    return new SearchIndex(minisearch, passages, vocabulary);
  }

  static fromJSON(data: SerializedSearchIndex): SearchIndex {
    if (data.version !== 1) throw new Error(`SearchIndex: unsupported serialised version ${String(data.version)}`);
    const vocabulary = new Set(data.vocabulary);
    const minisearch = MiniSearch.loadJSON<IndexedPassage>(data.minisearch, miniSearchOptions(new Set()));
    const { doc, paragraph, start, end } = data.passages;
    const passages = doc.map((docIndex, id) => ({ id, docIndex, paragraph: paragraph[id]!, start: start[id]!, end: end[id]! }));
    return new SearchIndex(minisearch, passages, vocabulary);
  }

  toJSON(): SerializedSearchIndex {
    return {
      version: 1,
      minisearch: JSON.stringify(this.minisearch),
      vocabulary: [...this.vocabulary],
      passages: {
        doc: this.passages.map((p) => p.docIndex),
        paragraph: this.passages.map((p) => p.paragraph),
        start: this.passages.map((p) => p.start),
        end: this.passages.map((p) => p.end),
      },
    };
  }

  get size(): number {
    return this.passages.length;
  }

  /** Processed query terms, in order, without repeats. */
  queryTerms(query: string): string[] {
    const seen = new Set<string>();
    for (const token of tokenizeForSearch(query)) {
      const term = processTerm(token);
      if (term) seen.add(term);
    }
    return [...seen];
  }

  isKnownTerm(term: string): boolean {
    return this.vocabulary.has(term);
  }

  /**
   * Ranked passages for a query. `prefixLast` matches the last term as a
   * prefix (for typed queries; off for pasted text).
   */
  search(query: string, limit: number, options: { prefixLast?: boolean; filter?: (passage: Passage) => boolean } = {}): PassageHit[] {
    const terms = this.queryTerms(query);
    if (terms.length === 0) return [];
    const prefixLast = options.prefixLast ?? true;
    const raw = this.minisearch.search(terms.join(' '), {
      boost: FIELD_BOOSTS,
      combineWith: 'OR',
      prefix: (term, i, all) => prefixLast && i === all.length - 1 && term.length >= MIN_PREFIX_LENGTH,
      fuzzy: (term) => {
        if (this.vocabulary.has(term) || term.length < MIN_FUZZY_LENGTH || /\d/.test(term)) return false;
        return term.length >= TWO_EDITS_LENGTH ? 2 : 1;
      },
      filter: options.filter ? (result) => options.filter!(this.passages[result.id as number]!) : undefined,
    });
    return this.rank(raw, terms.length, limit);
  }

  private rank(raw: MiniSearchResult[], termCount: number, limit: number): PassageHit[] {
    const hits = raw.map((r) => {
      const coverage = r.queryTerms.length;
      // Passages that match more of the query's distinct terms come first among similar scores.
      const score = r.score * (0.5 + coverage / termCount);
      return { passage: this.passages[r.id as number]!, score, matchedTerms: r.terms, coverage };
    });
    hits.sort((a, b) => b.score - a.score || a.passage.id - b.passage.id);
    return hits.slice(0, limit);
  }
}
