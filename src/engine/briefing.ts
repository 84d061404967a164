import type { BriefResult, CorpusDocument, QuoteResult, SearchResult, SourcesResult, SpeakerFilter, TimelineResult, WhoResult } from '../types.js';
import type { BriefingEngine, QuoteOptions, ResultWindow, SearchOptions, TimelineOptions } from './api.js';
import { SitrepError } from './errors.js';
import { SearchIndex } from '../index/search-index.js';
import { bestExcerpt } from './excerpts.js';
import { analyseDocument, type DocumentAnalysis } from '../analysis/document-analysis.js';
import { documentEntries, TimelineTable, toEvent, type TimelineEntry } from './timeline.js';
import { parseDateRange } from './dates.js';
import type { Passage } from '../index/search-index.js';
import { EntityIndex, type EntityIndexSnapshot } from './who.js';
import { buildQuotes, buildQuotesSteps, QuoteTerms, quotesBySpeaker, speakerTable, toQuote, type QuoteEntry, type SpeakerTable } from './quotes.js';
import type { DocumentEntity } from '../analysis/people.js';
import type { QuoteMention } from '../analysis/quotes/index.js';
import { rankPassages } from './ranking.js';
import { buildBrief, prepareBriefSteps, type BriefOptions } from './brief.js';
import { MAX_NAME_CHARS, MAX_QUERY_CHARS } from './limits.js';
import { runSteps, runStepsAsync } from '../steps.js';
import { peekItem, registerPeek, registerSaved, savedItem } from './peek.js';

/** Default number of excerpts a search returns. */
export const DEFAULT_SEARCH_LIMIT = 5;
/** The most excerpts one search may ask for. */
export const MAX_SEARCH_LIMIT = 50;
/** Queries and topics are cut to this many characters (at a word boundary); a query with a note. */
export { MAX_QUERY_CHARS } from './limits.js';
/** Pasted text for "Find sources" is cut to this many characters. */
export const MAX_RELATED_CHARS = 2000;
/** A topic is matched against at most this many passages. */
const MAX_TOPIC_PASSAGES = 1000;

function clampLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_SEARCH_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new SitrepError('InvalidOption', `limit must be a whole number from 1 to ${MAX_SEARCH_LIMIT}`, { option: 'limit', value: limit });
  }
  return Math.min(limit, MAX_SEARCH_LIMIT);
}

function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf(' ', max);
  return text.slice(0, cut > max / 2 ? cut : max);
}

/**
 * The briefing engine over one snapshot of the corpus. Every front end calls
 * this; it returns plain results with citations and never formats for a
 * particular medium.
 */
/**
 * What a Briefing is made of, beyond the documents and the index: each
 * document's entities and quotation mentions (kept so the entity and
 * quotation tables can be rebuilt after a change) and the corpus tables. A
 * snapshot supplies the tables ready-made; what is not supplied is built on
 * first use.
 */
export interface BriefingParts {
  documents: readonly CorpusDocument[];
  index: SearchIndex;
  /** Parts given as functions are read on first use (a snapshot reads them from its file then). */
  entitiesByDoc: Deferred<readonly (readonly DocumentEntity[])[]>;
  quotesByDoc: Deferred<readonly (readonly QuoteMention[])[]>;
  timeline: Deferred<TimelineTable>;
  quotes?: QuoteEntry[];
  /** The quotations' own words over `quotes` (or a table `quotes` extends). */
  quoteTerms?: QuoteTerms;
  entities?: EntityIndex;
  /** The entity table as saved (src/engine/who.ts), revived on first use instead of merging again (null: no longer at hand, merged again). */
  entitiesSnapshot?: Deferred<EntityIndexSnapshot | null>;
}

/**
 * A function returning `value`, made outside the caller's scope: a closure made in a method shares its
 * context with the method's other closures, and one of them reading `this` would keep `this` alive.
 */
const constant = <T>(value: T): (() => T) => () => value;

/** A value, or a function that makes it when first needed. */
export type Deferred<T> = T | (() => T);
const resolved = <T>(value: Deferred<T>): T => (typeof value === 'function' ? (value as () => T)() : value);

/** The passages each quotation overlaps, the quotations of each passage, and each quotation's search terms (cached). */
interface QuotePlaces {
  entries: readonly QuoteEntry[];
  byPassage: Map<number, number[]>;
  passages: number[][];
}

/** One document added to a Briefing: its index in the new document list and its analysis. */
export interface AddedDocument {
  docIndex: number;
  analysis: DocumentAnalysis;
}

/** How a per-document list after changes reads: a base list (read on first use) through a map, plus documents added since. */
interface ListState<T> {
  base: Deferred<readonly T[]>;
  /**
   * For each document, its position in `base` (-1: none); null while every change since `base` only
   * appended documents: document i is then base item i below `identityBelow`, and none from there.
   * (An array per change, 85 kB each at BBC x10, was freed and made again a few bytes larger at each
   * new article, and glibc's heap grew by about 0.2 MB an article around such holes.)
   */
  map: Int32Array | null;
  identityBelow: number;
  added: Map<number, T>;
}
const listStates = new WeakMap<object, ListState<unknown>>();

/** Document i's position in its list's base (-1: none). */
function basePosition(state: ListState<unknown>, i: number): number {
  if (state.map) return state.map[i]!;
  return i < state.identityBelow ? i : -1;
}

/** A read-only array over a ListState (items are read through it, never copied). */
function listView<T>(state: ListState<T>, length: number): readonly T[] {
  let base: readonly T[] | null = null;
  const at = (i: number): T | undefined => {
    const added = state.added.get(i);
    if (added !== undefined) return added;
    const from = basePosition(state, i);
    if (from < 0) return undefined;
    base ??= resolved(state.base);
    return base[from];
  };
  const view = new Proxy(new Array<T | undefined>(length).fill(undefined), {
    get(target, key, receiver) {
      if (typeof key === 'string') {
        const i = Number(key);
        if (Number.isInteger(i) && i >= 0 && i < length) return at(i);
      }
      return Reflect.get(target, key, receiver) as unknown;
    },
  }) as readonly T[];
  listStates.set(view, state as ListState<unknown>);
  // Reading through the view without keeping: the base list's own peek (src/engine/peek.ts).
  registerPeek(view, (i) => {
    const added = state.added.get(i);
    if (added !== undefined) return added;
    const from = basePosition(state, i);
    if (from < 0) return undefined as T;
    base ??= resolved(state.base);
    return peekItem(base, from);
  });
  // The saved form of a document's items: its base list's (an added document's were never saved).
  registerSaved(view, (i) => {
    if (state.added.has(i)) return null;
    const from = basePosition(state, i);
    if (from < 0) return null;
    base ??= resolved(state.base);
    return savedItem(base, from);
  });
  return view;
}

/**
 * A per-document list after a change: `keep[i]` is the new position of item
 * i (-1: removed), `added` the new documents' items; `appended` when every
 * item keeps its position (keep[i] === i: documents were only added). Views
 * compose without chaining: a view of a view reads the first base directly.
 */
function changedList<T>(current: Deferred<readonly T[]>, keep: Int32Array, length: number, added: Map<number, T>, appended: boolean): readonly T[] {
  const previous = typeof current === 'function' ? undefined : (listStates.get(current) as ListState<T> | undefined);
  const base = previous ? previous.base : current;
  let state: ListState<T>;
  if (appended && (!previous || !previous.map)) {
    // Positions unchanged: no map; the items added before keep their positions too.
    state = { base, map: null, identityBelow: previous ? previous.identityBelow : keep.length, added: new Map(previous?.added) };
  } else {
    const map = new Int32Array(length).fill(-1);
    state = { base, map, identityBelow: 0, added: new Map() };
    keep.forEach((to, from) => {
      if (to < 0 || to >= length) return;
      const item = previous?.added.get(from);
      if (item !== undefined) state.added.set(to, item);
      else map[to] = previous ? basePosition(previous, from) : from;
    });
  }
  for (const [i, item] of added) state.added.set(i, item);
  return listView(state, length);
}

export class Briefing implements BriefingEngine {
  /** Up to this many documents, the name tables are built when first needed (tens of milliseconds); above, in the background. */
  static syncNamesMaxDocuments = 2000;
  readonly documents: readonly CorpusDocument[];
  readonly index: SearchIndex;
  /** Where the per-document analyses and the timeline come from (a function: read on first use). */
  private entitiesSource: Deferred<readonly (readonly DocumentEntity[])[]>;
  private quotesSource: Deferred<readonly (readonly QuoteMention[])[]>;
  private timelineSource: Deferred<TimelineTable>;
  private entityIndex: EntityIndex | null;
  private entitiesSnapshot: Deferred<EntityIndexSnapshot | null> | null = null;
  private quoteTable: QuoteEntry[] | null;
  /** Passages of each document in order, for finding the passage that holds an offset (made on first use). */
  private byDoc: Passage[][] | null = null;
  /** The entity table being built in steps, if it is. */
  private preparing: Promise<void> | null = null;
  /** Where the quotations sit, for /quote with a topic (made on first use). */
  private places: QuotePlaces | null = null;
  /** The quotations by speaker, for /quote with a speaker (made on first use). */
  private speakers: SpeakerTable | null = null;
  /** The quotations' own words, for /quote with a topic. */
  private quoteTermsTable: QuoteTerms | null = null;
  /** The timeline's events by passage, for /timeline with a topic (made on first use). */
  private eventPlaces: { entries: readonly TimelineEntry[]; byPassage: Map<number, number[]> } | null = null;

  constructor(documents: readonly CorpusDocument[], index?: SearchIndex, analyses?: readonly DocumentAnalysis[]) {
    const all = analyses ?? documents.map(analyseDocument);
    this.documents = documents;
    this.index = index ?? SearchIndex.build(documents);
    this.entitiesSource = all.map((a) => a.entities);
    this.quotesSource = all.map((a) => a.quotes);
    this.timelineSource = TimelineTable.fromEntries(
      documents.flatMap((document, docIndex) => documentEntries(document, docIndex, all[docIndex]?.dates ?? [])),
      () => this.documents,
    );
    this.entityIndex = null;
    this.quoteTable = null;
  }

  /**
   * What the constructor makes, built in slices that yield to the event loop
   * (the timeline groups every dated sentence): for a bot that keeps
   * answering while it assembles a large corpus.
   */
  static async create(documents: readonly CorpusDocument[], index: SearchIndex, analyses: readonly DocumentAnalysis[]): Promise<Briefing> {
    const steps = function* (): Generator<void, TimelineEntry[]> {
      const entries: TimelineEntry[] = [];
      for (let docIndex = 0; docIndex < documents.length; docIndex++) {
        if (docIndex % 200 === 199) yield;
        entries.push(...documentEntries(documents[docIndex]!, docIndex, analyses[docIndex]?.dates ?? []));
      }
      return entries;
    };
    const entries = await runStepsAsync(steps());
    const timeline = await runStepsAsync(TimelineTable.fromEntriesSteps(entries, () => documents));
    return Briefing.fromParts({ documents, index, entitiesByDoc: analyses.map((a) => a.entities), quotesByDoc: analyses.map((a) => a.quotes), timeline });
  }

  /** A Briefing from its parts (a snapshot, or a change to another Briefing). */
  static fromParts(parts: BriefingParts): Briefing {
    const briefing = Object.create(Briefing.prototype) as Briefing;
    const fields = briefing as unknown as {
      documents: readonly CorpusDocument[];
      index: SearchIndex;
      entitiesSource: BriefingParts['entitiesByDoc'];
      quotesSource: BriefingParts['quotesByDoc'];
      timelineSource: BriefingParts['timeline'];
      entityIndex: EntityIndex | null;
      entitiesSnapshot: Deferred<EntityIndexSnapshot | null> | null;
      quoteTable: QuoteEntry[] | null;
      byDoc: Passage[][] | null;
      places: QuotePlaces | null;
      speakers: SpeakerTable | null;
      eventPlaces: Briefing['eventPlaces'];
      quoteTermsTable: QuoteTerms | null;
      preparing: Promise<void> | null;
    };
    fields.entitiesSnapshot = parts.entitiesSnapshot ?? null;
    fields.documents = parts.documents;
    fields.index = parts.index;
    fields.entitiesSource = parts.entitiesByDoc;
    fields.quotesSource = parts.quotesByDoc;
    fields.timelineSource = parts.timeline;
    fields.entityIndex = parts.entities ?? null;
    fields.quoteTable = parts.quotes ?? null;
    fields.byDoc = null;
    fields.places = null;
    fields.speakers = null;
    fields.eventPlaces = null;
    fields.quoteTermsTable = parts.quoteTerms ?? null;
    fields.preparing = null;
    return briefing;
  }

  /** Each document's entities and quotation mentions, as the analysis found them. */
  get entitiesByDoc(): readonly (readonly DocumentEntity[])[] {
    return (this.entitiesSource = resolved(this.entitiesSource));
  }

  get quotesByDoc(): readonly (readonly QuoteMention[])[] {
    return (this.quotesSource = resolved(this.quotesSource));
  }

  get timelineTable(): TimelineTable {
    return (this.timelineSource = resolved(this.timelineSource));
  }

  /** The people and organisations of the corpus (built on first use, all at once; `prepareEntities` builds it in steps). */
  get entities(): EntityIndex {
    if (!this.entityIndex) runSteps(this.entitySteps());
    return this.entityIndex!;
  }

  /** The steps that make the entity table: revived from a snapshot's, else built from the per-document lists. */
  private *entitySteps(): Generator<void, void> {
    const saved = this.entitiesSnapshot === null ? null : resolved(this.entitiesSnapshot);
    const built = saved ? yield* EntityIndex.fromSnapshotSteps(saved, this.documents, this.entitiesByDoc) : yield* EntityIndex.buildSteps(this.documents, this.entitiesByDoc);
    if (!this.entityIndex) {
      this.entitiesSnapshot = null;
      this.entityIndex = built;
    }
  }

  /**
   * Builds the entity and quotation tables in slices that yield to the event
   * loop (a bot warming up after start); resolves when both exist.
   */
  prepareEntities(budgetMs = 8): Promise<void> {
    if (this.tablesReady) return Promise.resolve();
    this.preparing ??= (async () => {
      if (!this.entityIndex) await runStepsAsync(this.entitySteps(), budgetMs);
      if (!this.quoteTable) {
        const quotes = await runStepsAsync(buildQuotesSteps(this.quotesByDoc, this.entities), budgetMs);
        this.quoteTable ??= quotes;
      }
      await runStepsAsync(this.quoteTerms.steps(), budgetMs);
    })().finally(() => (this.preparing = null));
    return this.preparing;
  }

  /** See BriefingEngine.namesPending: large corpora only; a small one builds its tables when first asked, in milliseconds. */
  get namesPending(): boolean {
    if (this.tablesReady) return false;
    if (this.documents.length <= Briefing.syncNamesMaxDocuments) return false;
    void this.prepareEntities();
    return true;
  }

  /** Makes the autocomplete table for the current ranking of names in slices (after a change); nothing when the entity table is not built. */
  async prepareCompletion(budgetMs = 8): Promise<void> {
    if (this.entityIndex) await runStepsAsync(this.entityIndex.prefixTableSteps(), budgetMs);
  }

  /**
   * Makes the /who answers of the most mentioned entities in slices (after a start or a change: see
   * EntityIndex.answerSteps); nothing when the entity table is not built.
   */
  async prepareAnswers(budgetMs = 8): Promise<void> {
    if (this.entityIndex) await runStepsAsync(this.entityIndex.answerSteps(), budgetMs);
  }

  /** See BriefingEngine.entitiesPending. */
  get entitiesPending(): boolean {
    if (this.entityIndex) return false;
    if (this.documents.length <= Briefing.syncNamesMaxDocuments) return false;
    void this.prepareEntities();
    return true;
  }

  /** True once the entity and quotation tables exist (the quotations' words indexed). */
  get tablesReady(): boolean {
    return this.entityIndex !== null && this.quoteTable !== null && this.quoteTermsTable?.entries === this.quoteTable && this.quoteTermsTable.ready;
  }

  /** True once the entity table exists (built, or read from a snapshot). */
  get entitiesReady(): boolean {
    return this.entityIndex !== null;
  }

  /** The timeline's grouped events, in date order. */
  get timelineEntries(): TimelineEntry[] {
    return this.timelineTable.entries;
  }

  /** The quotations /quote offers, with speakers resolved (built on first use). */
  get quoteEntries(): QuoteEntry[] {
    this.quoteTable ??= buildQuotes(this.quotesByDoc, this.entities);
    return this.quoteTable;
  }

  private get passagesByDoc(): Passage[][] {
    if (!this.byDoc) {
      const byDoc: Passage[][] = this.documents.map(() => []);
      for (const passage of this.index.passages) byDoc[passage.docIndex]?.push(passage);
      this.byDoc = byDoc;
    }
    return this.byDoc;
  }

  /**
   * The Briefing after a change, built from this one without starting over:
   * `documents` is the new list, `keep[i]` the new index of old document i
   * (-1: removed), and `added` the new documents with their analyses. The
   * index gets a second segment, the timeline takes the new events in place
   * (it is regrouped only when documents were removed), and the entity and
   * quotation tables are rebuilt from the kept per-document lists on first
   * use. This Briefing is not changed and keeps answering until the caller swaps.
   */
  async withChanges(
    documents: readonly CorpusDocument[],
    keep: Int32Array,
    added: readonly AddedDocument[],
    options: { handOver?: boolean } = {},
  ): Promise<Briefing> {
    const index = await this.index.withChanges(documents, keep, added.map((a) => a.docIndex));
    let identity = keep.length <= documents.length;
    for (let i = 0; identity && i < keep.length; i++) identity = keep[i] === i;
    // The per-document lists are views (see changedList): a change neither reads nor copies every document's analysis.
    const entitiesByDoc = changedList(this.entitiesSource, keep, documents.length, new Map(added.map((a) => [a.docIndex, a.analysis.entities])), identity);
    const quotesByDoc = changedList(this.quotesSource, keep, documents.length, new Map(added.map((a) => [a.docIndex, a.analysis.quotes])), identity);
    const newEntries: TimelineEntry[] = [];
    for (const { docIndex, analysis } of added) newEntries.push(...documentEntries(documents[docIndex]!, docIndex, analysis.dates));
    const reader = (): readonly CorpusDocument[] => documents;
    const base = identity ? this.timelineTable : this.timelineTable.remapped(keep, reader);
    // Documents only added, and this Briefing about to be replaced (`handOver`): its entity table takes
    // them in place (EntityIndex.add) instead of being merged again; this one rebuilds its own if used again.
    let entities: EntityIndex | undefined;
    let quotes: QuoteEntry[] | undefined;
    if (identity && options.handOver && this.entityIndex) {
      entities = this.entityIndex;
      this.entityIndex = null;
      entities.setDocuments(documents);
      for (const { docIndex } of added) entities.add(docIndex, documents[docIndex]!, entitiesByDoc[docIndex]!);
      // Documents are appended: the quotation table takes theirs at its end (speakers are ids, named when shown).
      if (this.quoteTable) {
        const first = keep.length;
        quotes = [...this.quoteTable, ...buildQuotes(added.map((a) => a.analysis.quotes), entities, first)];
        if (added.some((a, k) => a.docIndex !== first + k)) quotes = undefined;
      }
    }
    return Briefing.fromParts({
      documents,
      index,
      entitiesByDoc,
      quotesByDoc,
      timeline: base.withAppended(newEntries, reader),
      ...(entities ? { entities } : {}),
      ...(quotes ? { quotes } : {}),
      // Appended quotations: their words are indexed now, on top of this table's (see QuoteTerms.extendedTo), so the
      // tables stay ready and /quote does not say the names are still being read after each new article.
      ...(quotes && this.quoteTermsTable ? { quoteTerms: runSteps(this.quoteTermsTable.extendedTo(quotes).steps()) } : {}),
    });
  }

  /**
   * This Briefing over the same documents read from its snapshot (`documents`, same order and
   * content) and their saved entity lists: the index and the tables made here are carried over, the
   * entity table pointed at the saved documents and lists (so it no longer holds the ones built
   * here), and the answers are the same. What a built document holds as objects (text, structure,
   * analysis: about 30 KB each at BBC ×10) is then held as the snapshot holds it.
   */
  rebased(documents: readonly CorpusDocument[], entitiesByDoc: readonly (readonly DocumentEntity[])[]): Briefing {
    if (documents.length !== this.documents.length || documents.some((d, i) => d.hash !== this.documents[i]!.hash)) {
      throw new Error('Briefing.rebased: other documents');
    }
    this.entityIndex?.rebase(documents, entitiesByDoc);
    return Briefing.fromParts({
      documents,
      index: this.index,
      entitiesByDoc,
      quotesByDoc: this.quotesSource,
      timeline: this.timelineTable.withDocuments(constant(documents)),
      ...(this.entityIndex ? { entities: this.entityIndex } : {}),
      ...(this.quoteTable ? { quotes: this.quoteTable } : {}),
      ...(this.quoteTermsTable ? { quoteTerms: this.quoteTermsTable } : {}),
    });
  }

  /** The same Briefing over another index of the same documents (a merged one). */
  withIndex(index: SearchIndex): Briefing {
    return Briefing.fromParts({
      documents: this.documents,
      index,
      entitiesByDoc: this.entitiesSource,
      quotesByDoc: this.quotesSource,
      timeline: this.timelineSource,
      ...(this.entityIndex ? { entities: this.entityIndex } : {}),
      ...(this.entitiesSnapshot ? { entitiesSnapshot: this.entitiesSnapshot } : {}),
      ...(this.quoteTable ? { quotes: this.quoteTable } : {}),
      ...(this.quoteTermsTable ? { quoteTerms: this.quoteTermsTable } : {}),
    });
  }

  private passageAt(docIndex: number, offset: number): Passage | undefined {
    return this.passagesByDoc[docIndex]?.find((p) => offset >= p.start && offset < p.end);
  }

  /**
   * Passages about a topic, with their rank: those whose own text holds the most of the topic's words
   * that any passage's own text holds (all of them when some passage does). The headline, indexed with
   * every passage of its article, helps the rank but never qualifies a passage on its own.
   */
  private topicPassages(topic: string): Map<number, number> {
    const trimmed = cutAtWord(topic.replace(/\s+/g, ' ').trim(), MAX_QUERY_CHARS);
    const groups = this.index.queryGroups(trimmed);
    if (groups.length === 0) {
      throw new SitrepError('NothingToSearch', 'nothing to search for: the topic has only punctuation or common words', { topic });
    }
    const hits = rankPassages(this.index, trimmed, MAX_TOPIC_PASSAGES, { prefixLast: false, pool: MAX_TOPIC_PASSAGES });
    const best = hits.reduce((max, h) => Math.max(max, h.ownCoverage), 0);
    const out = new Map<number, number>();
    if (best === 0) return out;
    for (const h of hits) if (h.ownCoverage === best) out.set(h.passage.id, out.size);
    return out;
  }

  search(query: string, options: SearchOptions = {}): SearchResult {
    const limit = clampLimit(options.limit);
    const trimmed = query.replace(/\s+/g, ' ').trim();
    if (trimmed.length === 0) throw new SitrepError('EmptyQuery', 'the search query is empty', {});
    const notes: string[] = [];
    let effective = trimmed;
    if (trimmed.length > MAX_QUERY_CHARS) {
      effective = cutAtWord(trimmed, MAX_QUERY_CHARS);
      notes.push(`query trimmed from ${trimmed.length} to ${effective.length} characters`);
    }
    if (this.index.queryTerms(effective).length === 0) {
      throw new SitrepError('NothingToSearch', 'nothing to search for: the query has only punctuation or common words', { query: trimmed });
    }
    const results = this.excerptsFor(effective, limit, true);
    return notes.length > 0 ? { query: effective, results, notes } : { query: effective, results };
  }

  related(text: string, options: SearchOptions = {}): SearchResult {
    const limit = clampLimit(options.limit);
    const trimmed = cutAtWord(text.replace(/\s+/g, ' ').trim(), MAX_RELATED_CHARS);
    if (this.index.queryTerms(trimmed).length === 0) {
      throw new SitrepError('NothingToSearch', 'nothing to search for: the message has only punctuation or common words', { query: trimmed });
    }
    return { query: trimmed, results: this.excerptsFor(trimmed, limit, false) };
  }

  private excerptsFor(query: string, limit: number, prefixLast: boolean) {
    return rankPassages(this.index, query, limit, { prefixLast }).map((hit) => {
      const document = this.documents[hit.passage.docIndex]!;
      return bestExcerpt(document, hit.passage.start, hit.passage.end, hit.matchedTerms);
    });
  }

  sources(window: ResultWindow = {}): SourcesResult {
    const byDoc = this.passagesByDoc;
    const { offset, end } = windowOf(window, this.documents.length);
    const documents: SourcesResult['documents'] = [];
    for (let i = offset; i < end; i++) {
      const d = this.documents[i]!;
      documents.push({
        doc: d.doc,
        title: d.meta.title,
        outlet: d.meta.outlet,
        published: d.meta.published,
        url: d.meta.url,
        passages: byDoc[i]?.length ?? 0,
        ...(d.paths.length > 1 ? { paths: d.paths } : {}),
      });
    }
    return { documents, total: this.documents.length };
  }


  who(name: string): WhoResult {
    const query = name.replace(/\s+/g, ' ').trim();
    if (!query) throw new SitrepError('EmptyQuery', 'who needs a name', {});
    return this.entities.who(query);
  }

  completeNames(prefix: string, limit?: number): string[] {
    return this.entities.complete(prefix, limit);
  }

  timeline(options: TimelineOptions = {}): TimelineResult {
    const { from, to } = parseDateRange(options.from, options.to);
    const topic = options.topic?.trim() ? this.topicPassages(options.topic) : null;
    // With a topic, only the events reported in the topic's passages are looked at (a head counts when any of its reports does).
    let candidates: readonly TimelineEntry[] = this.timelineEntries;
    if (topic) {
      const { entries, byPassage } = this.timelinePlaces;
      const positions = new Set<number>();
      for (const passage of topic.keys()) for (const k of byPassage.get(passage) ?? []) positions.add(k);
      candidates = [...positions].sort((a, b) => a - b).map((k) => entries[k]!);
    }
    const events = candidates.filter((entry) => {
      if (from && entry.interval.last < from.first) return false;
      if (to && entry.interval.first > to.last) return false;
      if (options.documents && !options.documents.has(this.documents[entry.docIndex]!.doc)) return false;
      return true;
    });
    const { offset, end } = windowOf(options, events.length);
    return { events: events.slice(offset, end).map((entry) => toEvent(entry, this.documents)), total: events.length };
  }

  /**
   * Quotations: all in corpus order without a topic; with one, those in
   * passages about it, most relevant first (more topic words in the quotation
   * itself, then the passage's rank). A speaker is resolved like /who: a name
   * or alias answers, a misspelling or a name not in the sources lists no
   * quotation and says so in `speaker` (with suggestions).
   */
  quote(options: QuoteOptions = {}): QuoteResult {
    let entries = this.quoteEntries;
    const speaker = options.speaker?.replace(/\s+/g, ' ').trim().slice(0, MAX_NAME_CHARS);
    let speakerFilter: SpeakerFilter | null = null;
    if (speaker) {
      ({ entries, filter: speakerFilter } = quotesBySpeaker(this.quoteSpeakers, speaker, this.entities));
    }
    // Cut once (a forged interaction may send 6,000 characters): the passages and the quotation words use the same topic.
    const topic = options.topic ? cutAtWord(options.topic.replace(/\s+/g, ' ').trim(), MAX_QUERY_CHARS) : '';
    if (topic) entries = this.quotesAbout(topic, entries, speakerFilter !== null);
    const inDocuments = options.documents;
    if (inDocuments) entries = entries.filter((e) => inDocuments.has(this.documents[e.docIndex]!.doc));
    // Only the window is made into quotations: describing a speaker reads their documents' entities.
    const { offset, end } = windowOf(options, entries.length);
    return { quotes: entries.slice(offset, end).map((e) => toQuote(e, this.documents, this.entities)), total: entries.length, speaker: speakerFilter };
  }

  /** Where the timeline's events are reported: for each passage, the positions of the heads with a report in it (made once per timeline). */
  private get timelinePlaces(): { entries: readonly TimelineEntry[]; byPassage: Map<number, number[]> } {
    const entries = this.timelineEntries;
    if (this.eventPlaces?.entries !== entries) {
      const byPassage = new Map<number, number[]>();
      entries.forEach((head, k) => {
        for (const e of [head, ...head.others]) {
          const passage = this.passageAt(e.docIndex, e.mentionStart);
          if (!passage) continue;
          const list = byPassage.get(passage.id);
          if (!list) byPassage.set(passage.id, [k]);
          else if (list[list.length - 1] !== k) list.push(k);
        }
      });
      this.eventPlaces = { entries, byPassage };
    }
    return this.eventPlaces;
  }

  /** The quotations by speaker (made once per quotation table). */
  private get quoteSpeakers(): SpeakerTable {
    if (this.speakers?.entries !== this.quoteEntries) this.speakers = speakerTable(this.quoteEntries);
    return this.speakers;
  }

  /**
   * The quotations among `entries` about a topic, most relevant first: more of
   * the topic's words in the quotation itself, then the rank of the passage
   * carrying it, then corpus order. Only quotations whose words hold a topic
   * word (from the quotations' own term table) or that sit in a passage ranked
   * for the topic are looked at, so the cost follows the topic, not the corpus.
   */
  private quotesAbout(topic: string, entries: readonly QuoteEntry[], filtered: boolean): QuoteEntry[] {
    const rank = this.topicPassages(topic);
    const groups = this.index.queryGroups(topic);
    const places = this.quotePlaces;
    const terms = this.quoteTerms;
    // How many of the topic's words each quotation's own words hold (any alternative of a word counts once).
    const own = new Map<number, number>();
    for (const alternatives of groups) {
      const holding = new Set<number>();
      for (const term of alternatives) for (const k of terms.with(term)) holding.add(k);
      for (const k of holding) own.set(k, (own.get(k) ?? 0) + 1);
    }
    const candidates = new Set<number>(own.keys());
    for (const passage of rank.keys()) for (const k of places.byPassage.get(passage) ?? []) candidates.add(k);
    const allowed = filtered ? new Set(entries) : null;
    const all = this.quoteEntries;
    const scored: { e: QuoteEntry; k: number; position: number; own: number }[] = [];
    for (const k of candidates) {
      const e = all[k]!;
      if (allowed && !allowed.has(e)) continue;
      let position = Infinity;
      for (const passage of places.passages[k]!) position = Math.min(position, rank.get(passage) ?? Infinity);
      scored.push({ e, k, position, own: own.get(k) ?? 0 });
    }
    scored.sort((a, b) => b.own - a.own || a.position - b.position || a.k - b.k);
    return scored.map((x) => x.e);
  }

  /** The quotations' own words (made on first use, or in the background by prepareEntities; carried over when quotations are appended). */
  private get quoteTerms(): QuoteTerms {
    const entries = this.quoteEntries;
    if (this.quoteTermsTable?.entries !== entries) this.quoteTermsTable = this.quoteTermsTable?.extendedTo(entries) ?? QuoteTerms.over(entries);
    return this.quoteTermsTable;
  }

  /** Where each quotation of `quoteEntries` sits: the passages its text overlaps (made on first use). */
  private get quotePlaces(): QuotePlaces {
    if (this.places?.entries !== this.quoteEntries) {
      const entries = this.quoteEntries;
      const byPassage = new Map<number, number[]>();
      const passages: number[][] = [];
      entries.forEach((e, k) => {
        const own: number[] = [];
        for (const p of this.passagesByDoc[e.docIndex] ?? []) {
          if (p.start < e.mention.end && e.mention.start < p.end) own.push(p.id);
        }
        passages.push(own);
        for (const id of own) {
          const list = byPassage.get(id);
          if (list) list.push(k);
          else byPassage.set(id, [k]);
        }
      });
      this.places = { entries, byPassage, passages };
    }
    return this.places;
  }

  /** The situation report of a window (src/engine/brief.ts): documents, people, events, quotations, outlets. */
  brief(options: BriefOptions = {}): BriefResult {
    return buildBrief(this, options);
  }

  /** See BriefingEngine.prepareBrief: the window's people rows, made in slices of `budgetMs`. */
  async prepareBrief(options: BriefOptions = {}, budgetMs = 8): Promise<void> {
    if (!this.tablesReady) return; // /brief answers "still reading the names" until then
    await runStepsAsync(prepareBriefSteps(this, options), budgetMs).catch(() => undefined);
  }
}

/** The items `[offset, end)` a window asks for out of `total` (all of them without one). */
function windowOf(window: ResultWindow, total: number): { offset: number; end: number } {
  const offset = Math.min(total, Math.max(0, Math.floor(window.offset ?? 0)));
  const limit = window.limit === undefined ? total : Math.max(0, Math.floor(window.limit));
  return { offset, end: Math.min(total, offset + limit) };
}
