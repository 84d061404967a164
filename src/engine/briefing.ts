import type { BriefResult, CorpusDocument, QuoteResult, SearchResult, SourcesResult, SpeakerFilter, TimelineResult, WhoResult } from '../types.js';
import type { BriefingEngine, QuoteOptions, SearchOptions, TimelineOptions } from './api.js';
import { SitrepError } from './errors.js';
import { SearchIndex } from '../index/search-index.js';
import { bestExcerpt } from './excerpts.js';
import { analyseDocument, type DocumentAnalysis } from '../analysis/document-analysis.js';
import { buildTimeline, toEvent, type TimelineEntry } from './timeline.js';
import { parseDateRange } from './dates.js';
import type { Passage } from '../index/search-index.js';
import { EntityIndex } from './who.js';
import { buildQuotes, quotesBySpeaker, toQuote, type QuoteEntry } from './quotes.js';
import { groupsMatched, termsOf } from '../index/terms.js';
import { rankPassages } from './ranking.js';
import { buildBrief, type BriefOptions } from './brief.js';

/** Default number of excerpts a search returns. */
export const DEFAULT_SEARCH_LIMIT = 5;
/** The most excerpts one search may ask for. */
export const MAX_SEARCH_LIMIT = 50;
/** Queries are cut to this many characters (at a word boundary), with a note. */
export const MAX_QUERY_CHARS = 300;
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
export class Briefing implements BriefingEngine {
  readonly documents: readonly CorpusDocument[];
  readonly index: SearchIndex;
  readonly analyses: readonly DocumentAnalysis[];
  readonly entities: EntityIndex;
  readonly timelineEntries: TimelineEntry[];
  readonly quoteEntries: QuoteEntry[];
  /** Passages of each document in order, for finding the passage that holds an offset. */
  private readonly passagesByDoc: Passage[][];

  constructor(documents: readonly CorpusDocument[], index?: SearchIndex, analyses?: readonly DocumentAnalysis[]) {
    this.documents = documents;
    this.index = index ?? SearchIndex.build(documents);
    this.analyses = analyses ?? documents.map(analyseDocument);
    this.entities = new EntityIndex(documents, this.analyses.map((a) => a.entities));
    this.quoteEntries = buildQuotes(this.analyses.map((a) => a.quotes), this.entities);
    this.timelineEntries = buildTimeline(documents, this.analyses.map((a) => a.dates));
    this.passagesByDoc = documents.map(() => []);
    for (const passage of this.index.passages) this.passagesByDoc[passage.docIndex]!.push(passage);
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
    const hits = rankPassages(this.index, this.documents, trimmed, MAX_TOPIC_PASSAGES, { prefixLast: false, pool: MAX_TOPIC_PASSAGES });
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
    return rankPassages(this.index, this.documents, query, limit, { prefixLast }).map((hit) => {
      const document = this.documents[hit.passage.docIndex]!;
      return bestExcerpt(document, hit.passage.start, hit.passage.end, hit.matchedTerms);
    });
  }

  sources(): SourcesResult {
    const counts = new Map<number, number>();
    for (const passage of this.index.passages) counts.set(passage.docIndex, (counts.get(passage.docIndex) ?? 0) + 1);
    return {
      documents: this.documents.map((d, i) => ({
        doc: d.doc,
        title: d.meta.title,
        outlet: d.meta.outlet,
        published: d.meta.published,
        url: d.meta.url,
        passages: counts.get(i) ?? 0,
        ...(d.paths.length > 1 ? { paths: d.paths } : {}),
      })),
    };
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
    const events = this.timelineEntries
      .filter((entry) => {
        if (from && entry.interval.last < from.first) return false;
        if (to && entry.interval.first > to.last) return false;
        if (topic) {
          const inTopic = (e: TimelineEntry): boolean => {
            const passage = this.passageAt(e.docIndex, e.mentionStart);
            return passage !== undefined && topic.has(passage.id);
          };
          if (!inTopic(entry) && !entry.others.some(inTopic)) return false;
        }
        return true;
      })
      .map((entry) => toEvent(entry, this.documents));
    return { events };
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
    const speaker = options.speaker?.replace(/\s+/g, ' ').trim();
    let speakerFilter: SpeakerFilter | null = null;
    if (speaker) {
      ({ entries, filter: speakerFilter } = quotesBySpeaker(entries, speaker, this.entities));
    }
    const topic = options.topic?.trim();
    if (topic) {
      // A quotation is about the topic when its words are, or the passage carrying it is (by its own text).
      const rank = this.topicPassages(topic);
      const groups = this.index.queryGroups(topic);
      const scored = entries
        .map((e) => {
          const passage = this.passageAt(e.docIndex, e.mention.start);
          const position = passage ? rank.get(passage.id) : undefined;
          const own = groupsMatched(groups, new Set(termsOf(e.mention.text)));
          return { e, position, own };
        })
        .filter((x) => x.position !== undefined || x.own > 0)
        .sort((a, b) => b.own - a.own || (a.position ?? Infinity) - (b.position ?? Infinity));
      entries = scored.map((x) => x.e);
    }
    return { quotes: entries.map((e) => toQuote(e, this.documents, this.entities)), speaker: speakerFilter };
  }

  /** The situation report of a window (src/engine/brief.ts): documents, people, events, quotations, outlets. */
  brief(options: BriefOptions = {}): BriefResult {
    return buildBrief(this, options);
  }
}
