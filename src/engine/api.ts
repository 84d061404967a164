import type { BriefResult, QuoteResult, SearchResult, SourcesResult, TimelineResult, WhoResult } from '../types.js';

import type { BriefOptions } from './brief.js';

export type { BriefOptions };

export interface SearchOptions {
  /** How many excerpts at most (default 5). */
  limit?: number;
}

/**
 * A page of a long answer: the items from `offset` (default 0), at most `limit` of them (default
 * all). Only those are made into results, so a page costs what it shows; the result's `total`
 * counts every item that matched.
 */
export interface ResultWindow {
  offset?: number;
  limit?: number;
}

export interface TimelineOptions extends ResultWindow {
  topic?: string;
  /** Partial ISO dates: "2024", "2024-03", "2024-03-24". */
  from?: string;
  to?: string;
  /** Only events these documents report (doc ids). */
  documents?: ReadonlySet<string>;
}

export interface QuoteOptions extends ResultWindow {
  topic?: string;
  /** Only quotations in these documents (doc ids). */
  documents?: ReadonlySet<string>;
  /** A name or alias, resolved like /who: a name not in the sources lists no quotation (see QuoteResult.speaker). */
  speaker?: string;
}

/**
 * The briefing engine's public face: every front end (CLI, Discord commands,
 * digest worker) calls these and renders the plain results. Methods are
 * synchronous over an in-memory snapshot of the corpus; they throw
 * `SitrepError` (src/engine/errors.ts) for input the user should correct.
 */
export interface BriefingEngine {
  search(query: string, options?: SearchOptions): SearchResult;
  /** Passages that best support or relate to a piece of text (the "Find sources" context menu). */
  related(text: string, options?: SearchOptions): SearchResult;
  sources(window?: ResultWindow): SourcesResult;
  who(name: string): WhoResult;
  /** Known names ranked for autocomplete: exact and prefix first, then fuzzy. */
  completeNames(prefix: string, limit?: number): string[];
  timeline(options?: TimelineOptions): TimelineResult;
  quote(options?: QuoteOptions): QuoteResult;
  /** The situation report of a window: what is new, who matters, what happened, who said what. */
  brief(options?: BriefOptions): BriefResult;
  /**
   * Reads what `brief(options)` needs from every document of its window, yielding to the event loop
   * as it goes (a first brief over a large corpus reads every document's entities); `brief` after it
   * does only its own work. Never rejects: a bad option is `brief`'s to report.
   */
  prepareBrief?(options?: BriefOptions): Promise<void>;
  /**
   * True while the name and quotation tables (/who, /quote, /brief) are not
   * built and building them at once would hold the caller for long (a large
   * corpus just started); reading this starts building them in the background.
   */
  readonly namesPending?: boolean;
  /**
   * The same for the entity table alone, which is built first (/who and name autocomplete need
   * nothing else); absent: as `namesPending`.
   */
  readonly entitiesPending?: boolean;
}
