/**
 * Sitrep's domain types. These are the shapes the engine returns to every
 * front end (CLI, Discord commands, digest worker); they follow
 * ../shared/CLI-CONTRACT.md field for field, so the CLI prints them as they are.
 *
 * Offsets are JavaScript string offsets (UTF-16 code units) into the file's
 * text decoded as UTF-8, exactly as `fs.readFileSync(path, 'utf8')` returns it.
 */

/** Where an excerpt comes from: data, not text. Rendering decides how it looks. */
export interface Citation {
  /** Path of the file relative to the corpus folder, with forward slashes. */
  doc: string;
  title: string;
  outlet: string | null;
  /** ISO date (YYYY-MM-DD) the document states, or null: never invented. */
  published: string | null;
  url: string | null;
  start: number;
  end: number;
  /** 1-based number of the content paragraph the range starts in; absent for furniture (a byline, say). */
  paragraph?: number;
}

/** A verbatim slice of a source file: `fileText.slice(source.start, source.end) === text`. */
export interface Excerpt {
  text: string;
  source: Citation;
}

export type EntityKind = 'person' | 'organization' | 'place' | 'other';

export type DatePrecision = 'day' | 'month' | 'quarter' | 'year' | 'decade';

export interface TimelineDate {
  /** ISO-8601 prefix at its true precision: "1960", "2021-12", "2024-03-24", "2024-Q1", "203X". */
  value: string;
  precision: DatePrecision;
  /** "early 2030s", "by 2027", "late August". */
  approximate: boolean;
}

export interface TimelineEvent {
  date: TimelineDate;
  /** The sentence (or clause) stating the event, verbatim. */
  text: string;
  source: Citation;
  /** The same event reported by other sources (grouped); absent when there are none. */
  alsoReportedBy?: Citation[];
}

export interface Speaker {
  /** Resolved name, e.g. "Lin Jian" for "the Chinese diplomat". */
  name: string;
  description: string | null;
  /** The words in the text that name the speaker. */
  mention: string;
}

export interface Quote {
  /** The words inside the quotation marks. */
  text: string;
  speaker: Speaker | null;
  /** Cites the range of the quoted words. */
  source: Citation;
}

export interface EntityMatch {
  name: string;
  kind: EntityKind;
  aliases: string[];
  descriptions: Excerpt[];
  mentions: number;
  documents: string[];
  excerpts: Excerpt[];
}

export interface SourceDocument {
  doc: string;
  title: string;
  outlet: string | null;
  published: string | null;
  url: string | null;
  passages: number;
}

// ---- results of the briefing engine (one per command) ----

export interface SearchResult {
  query: string;
  results: Excerpt[];
  /** Set when the query was changed before searching (trimmed, say). Not part of the JSON contract's required fields. */
  notes?: string[];
}

export interface SourcesResult {
  documents: SourceDocument[];
  /** How many documents the corpus holds (`documents` may be a window of them). */
  total: number;
}

export interface WhoResult {
  query: string;
  /** The entity the name answers for; null when the name is not in the sources (then `suggestions` are near names). */
  match: EntityMatch | null;
  suggestions: string[];
  /** Set when the name was changed before looking it up (cut to 100 characters, say). */
  notes?: string[];
}

/** What a `--speaker` filter resolved to (CLI-CONTRACT): the entity whose quotations are listed, or none. */
export interface SpeakerFilter {
  query: string;
  /** The name whose quotations are listed; null: the name is not in the sources, and no quotation is listed. */
  match: string | null;
  /** Near names, best first, when there is no exact match. */
  suggestions: string[];
}

export interface TimelineResult {
  events: TimelineEvent[];
  /** How many events matched (`events` may be a window of them). */
  total: number;
}

export interface QuoteResult {
  quotes: Quote[];
  /** How many quotations matched (`quotes` may be a window of them). */
  total: number;
  /** Present when a speaker was asked for: null when none was. */
  speaker?: SpeakerFilter | null;
}

// ---- per-file analysis (`sitrep analyze`) ----

export interface Span {
  start: number;
  end: number;
  text: string;
}

export interface PersonSpan extends Span {
  /** The name this mention refers to (the full name where the document gives one). */
  name: string;
}

export interface EntitySpan extends Span {
  kind: EntityKind;
}

export interface DateSpan extends Span {
  /** ISO value; for an expression whose year cannot be resolved, the value keeps "XXXX" in place of the year. */
  value: string;
  precision: DatePrecision;
  approximate: boolean;
}

export interface QuoteSpan extends Span {
  speaker: (Span & { name: string }) | null;
}

export interface FileAnalysis {
  file: string;
  people: PersonSpan[];
  dates: { start: number; end: number; text: string; value: string; precision: string }[];
  quotes: QuoteSpan[];
}

// ---- the corpus as the engine holds it ----

export interface DocumentMeta {
  title: string;
  outlet: string | null;
  /** YYYY-MM-DD, from front matter or a date the page itself states; never invented. */
  published: string | null;
  url: string | null;
  author: string | null;
}

/** A content paragraph (page furniture excluded); offsets into the document's text. */
export interface Paragraph {
  /** 0-based position among the document's content paragraphs. */
  index: number;
  start: number;
  end: number;
}

export interface Sentence {
  start: number;
  end: number;
  /** Index of the paragraph that holds it. */
  paragraph: number;
}

/** What a block of a page is; only `content` paragraphs are indexed for search. */
export type BlockRole =
  | 'site'
  | 'breadcrumb'
  | 'headline'
  | 'dateline'
  | 'byline'
  | 'bio'
  | 'navigation'
  | 'related'
  | 'credit'
  | 'heading'
  | 'content';

export interface Block {
  start: number;
  end: number;
  role: BlockRole;
}

export interface CorpusDocument {
  /** Path relative to the corpus folder (forward slashes); the first path when duplicates exist. */
  doc: string;
  /** Every path whose content is identical to this document's. */
  paths: string[];
  /** The whole file decoded (UTF-8, or Latin-1 when it is not valid UTF-8). */
  text: string;
  encoding: 'utf8' | 'latin1';
  meta: DocumentMeta;
  /** Offset where the body starts (after YAML front matter, if any). */
  bodyStart: number;
  /** Every block of the page with its role (furniture included), in order. */
  blocks: Block[];
  /** Content paragraphs, the units of search. */
  paragraphs: Paragraph[];
  /** Sentences of the content paragraphs. */
  sentences: Sentence[];
  /** SHA-256 of the file's bytes. */
  hash: string;
  /** File modification time, ms since the epoch. */
  mtimeMs: number;
}

// ---- /brief: the situation report ----

export interface BriefDocument {
  doc: string;
  title: string;
  outlet: string | null;
  published: string | null;
  url: string | null;
  /** When Sitrep first saw it (ISO), where that is recorded. */
  firstSeen?: string;
}

export interface BriefPerson {
  name: string;
  kind: EntityKind;
  /** The entity's best cited description, or null when the sources give none. */
  description: Excerpt | null;
  /** Mentions in the window's documents (about the topic, with one). */
  mentions: number;
  /** Documents of the window that mention it. */
  documents: number;
}

export interface BriefOutlet {
  outlet: string | null;
  documents: number;
}

export interface BriefResult {
  topic: string | null;
  /** The window's bounds as ISO times, or null when open. */
  since: string | null;
  until: string | null;
  /** Newest first. */
  documents: BriefDocument[];
  /** Most salient first. */
  people: BriefPerson[];
  /** Most important first. */
  events: TimelineEvent[];
  /** Most notable first. */
  quotes: Quote[];
  outlets: BriefOutlet[];
  /** What since/until were compared with: when Sitrep first saw a document, or its publication date. */
  window: 'first-seen' | 'published' | null;
  /** Near topics (names, frequent words) when the topic matches nothing in the sources. */
  suggestions: string[];
  /** How many of each the window holds before the lists are capped. */
  totals: { documents: number; people: number; events: number; quotes: number };
  /** The newest document of the whole corpus (by the same clock as the window), for "nothing new since …". */
  latest: BriefDocument | null;
}
