/**
 * The timeline: dated events found in the corpus, built once per snapshot and
 * filtered per question. An event is a DATE expression the analysis resolved
 * to one of the five timeline precisions, in a content paragraph, with the
 * sentence that states it (or, for a long sentence, the clause around the
 * date). Durations, ages, "now"/"recently" and dates whose year cannot be
 * known (an undated page's "March 24") never become events.
 *
 * The same event reported by several sources is grouped: same date value and
 * sentences that share most of their content words.
 */
import type { CorpusDocument, TimelineDate, TimelineEvent } from '../types.js';
import { citationFor } from '../corpus/document.js';
import { termsOf } from '../index/terms.js';
import { toTimelineDate, type DateMention } from '../analysis/dates/index.js';
import { intervalOf, type DayInterval } from './dates.js';
import { sentencesIn } from './excerpts.js';
import { runSteps } from '../steps.js';

/** Sentences longer than this are cut to the clause that holds the date. */
export const MAX_EVENT_CHARS = 320;
/** A clause is widened with its neighbours until it is at least this long. */
const MIN_CLAUSE_CHARS = 90;
/** Two sentences report the same event when this share of the smaller one's content words is shared. */
const SAME_EVENT_OVERLAP = 0.6;

export interface TimelineEntry {
  date: TimelineDate;
  interval: DayInterval;
  docIndex: number;
  /** The date expression's own span. */
  mentionStart: number;
  mentionEnd: number;
  /** The event text's span (sentence or clause). */
  start: number;
  end: number;
  /** The event text's content words, for grouping; computed when needed (null: not yet). */
  terms: Set<string> | null;
  /** Entries of other documents grouped into this one (same event, other sources). */
  others: TimelineEntry[];
}

/** Clause boundaries inside a sentence: semicolons, colons, and commas before a conjunction or relative word. */
const CLAUSE_BREAK = /;\s+|:\s+|,\s+(?=(?:and|but|while|whereas|which|although|though|as|when|after|before|because|so)\b)/gi;

/** The clause of [start, end) that holds [at, atEnd), widened to at least MIN_CLAUSE_CHARS when it can be. */
export function clauseAround(text: string, start: number, end: number, at: number, atEnd: number): { start: number; end: number } {
  if (end - start <= MAX_EVENT_CHARS) return { start, end };
  const cuts = [start];
  const sentence = text.slice(start, end);
  for (const m of sentence.matchAll(CLAUSE_BREAK)) cuts.push(start + m.index! + m[0].length);
  cuts.push(end);
  let i = 0;
  while (i + 1 < cuts.length - 1 && cuts[i + 1]! <= at) i++;
  let first = i;
  let last = i + 1;
  while (last < cuts.length - 1 && cuts[last]! < atEnd) last++;
  while (cuts[last]! - cuts[first]! < MIN_CLAUSE_CHARS && (first > 0 || last < cuts.length - 1)) {
    // The words before a date usually say what happened; widen backwards first.
    if (first > 0) first--;
    else last++;
  }
  let s = cuts[first]!;
  let e = cuts[last]!;
  while (e > s && /[\s,;:]/.test(text[e - 1]!)) e--;
  while (s < e && /\s/.test(text[s]!)) s++;
  return { start: s, end: e };
}

/** A document's dated events, before grouping (each once per value and span). */
export function documentEntries(document: CorpusDocument, docIndex: number, dates: readonly DateMention[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const seen = new Set<string>();
  for (const mention of dates) {
    const date = toTimelineDate(mention);
    const parsed = date ? intervalOf(date.value) : null;
    if (!date || !parsed) continue;
    const sentence = sentencesIn(document, mention.start, mention.end)[0];
    if (!sentence || sentence.start > mention.start || sentence.end < mention.end) continue;
    const span = clauseAround(document.text, sentence.start, sentence.end, mention.start, mention.end);
    const key = `${date.value}|${span.start}|${span.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    entries.push({ date, interval: parsed.interval, docIndex, mentionStart: mention.start, mentionEnd: mention.end, start: span.start, end: span.end, terms: null, others: [] });
  }
  return entries;
}

/**
 * A copy of `entry` with another document, group and terms, written out field by field (not a spread:
 * see withDocumentPaths in src/corpus/document.ts).
 */
function entryOf(entry: TimelineEntry, docIndex: number, others: TimelineEntry[], terms: Set<string> | null): TimelineEntry {
  return { date: entry.date, interval: entry.interval, docIndex, mentionStart: entry.mentionStart, mentionEnd: entry.mentionEnd, start: entry.start, end: entry.end, terms, others };
}

const byTime = (a: TimelineEntry, b: TimelineEntry): number =>
  a.interval.first - b.interval.first || a.interval.last - b.interval.last || a.docIndex - b.docIndex || a.start - b.start;

/** The heads of one date value by word: positions per word, and each head's word count. */
interface ValueWords {
  postings: Map<string, number[]>;
  sizes: number[];
  indexed: number;
}

/**
 * The timeline of a corpus: events sorted by date, the same event from
 * several sources grouped under its first report. Documents added later
 * (with a higher document index than any before) are grouped in place —
 * their entries come last among those of the same date value, exactly where
 * a full build would take them — so adding one never rebuilds the table.
 */
export class TimelineTable {
  /** Grouped entries, in date order. */
  readonly entries: TimelineEntry[] = [];
  /** Group heads by date value, in the order they were made. */
  private readonly byValue = new Map<string, TimelineEntry[]>();
  /** Per date value, its heads' words (made when first needed). */
  private readonly words = new Map<string, ValueWords>();
  /** The documents the entries point into (read when terms are needed). */
  private readonly documents: () => readonly CorpusDocument[];

  private constructor(documents: () => readonly CorpusDocument[]) {
    this.documents = documents;
  }

  /** Groups raw entries (any order) as a full build does. */
  static fromEntries(entries: TimelineEntry[], documents: () => readonly CorpusDocument[]): TimelineTable {
    return runSteps(TimelineTable.fromEntriesSteps(entries, documents));
  }

  /** `fromEntries` in steps (a generator pausing every few hundred entries: grouping reads each entry's words). */
  static *fromEntriesSteps(entries: TimelineEntry[], documents: () => readonly CorpusDocument[]): Generator<void, TimelineTable> {
    const table = new TimelineTable(documents);
    entries.sort(byTime);
    yield;
    for (let i = 0; i < entries.length; i++) {
      if (i % 500 === 499) yield;
      table.place(entries[i]!, false);
    }
    return table;
  }

  /** The same table over other documents of the same content (read from a snapshot): entries, groups and their words shared. */
  withDocuments(documents: () => readonly CorpusDocument[]): TimelineTable {
    const table = new TimelineTable(documents);
    for (const entry of this.entries) table.entries.push(entry);
    for (const [value, heads] of this.byValue) table.byValue.set(value, heads);
    for (const [value, words] of this.words) table.words.set(value, words);
    return table;
  }

  /** A table whose grouping is already known (a snapshot): heads in date order, each with its `others`. */
  static fromGrouped(heads: TimelineEntry[], documents: () => readonly CorpusDocument[]): TimelineTable {
    const table = new TimelineTable(documents);
    for (const head of heads) {
      table.entries.push(head);
      const peers = table.byValue.get(head.date.value) ?? [];
      peers.push(head);
      table.byValue.set(head.date.value, peers);
    }
    return table;
  }

  private termsOf(entry: TimelineEntry): Set<string> {
    return entry.terms ?? new Set(termsOf(this.documents()[entry.docIndex]!.text.slice(entry.start, entry.end)));
  }

  /**
   * The heads of a date value by content word (positions in its list of
   * heads), with each head's number of words, so a new entry is compared only
   * with the heads it shares words with. Append-only, and shared with the
   * tables derived from this one; a table that no longer is the latest (its
   * list is shorter than what was indexed) makes its own.
   */
  private wordsOf(value: string, peers: readonly TimelineEntry[]): ValueWords {
    let words = this.words.get(value);
    if (!words || words.indexed > peers.length) {
      words = { postings: new Map(), sizes: [], indexed: 0 };
      this.words.set(value, words);
    }
    while (words.indexed < peers.length) this.indexHead(words, peers[words.indexed]!, this.termsOf(peers[words.indexed]!));
    return words;
  }

  private indexHead(words: ValueWords, head: TimelineEntry, terms: Set<string>): void {
    const position = words.indexed++;
    words.sizes[position] = terms.size;
    for (const term of terms) {
      const list = words.postings.get(term);
      if (list) list.push(position);
      else words.postings.set(term, [position]);
    }
    head.terms = null; // the index holds what grouping needs
  }

  private place(entry: TimelineEntry, insert: boolean): void {
    const value = entry.date.value;
    const peers = this.byValue.get(value) ?? [];
    const words = this.wordsOf(value, peers);
    const terms = this.termsOf(entry);
    // Shared words with every head that has any; a twin shares SAME_EVENT_OVERLAP of the smaller set.
    const shared = new Map<number, number>();
    for (const term of terms) for (const position of words.postings.get(term) ?? []) shared.set(position, (shared.get(position) ?? 0) + 1);
    let at = -1;
    for (const position of [...shared.keys()].sort((a, b) => a - b)) {
      const small = Math.min(terms.size, words.sizes[position]!);
      if (small === 0 || shared.get(position)! / small < SAME_EVENT_OVERLAP) continue;
      const p = peers[position]!;
      if (p.docIndex !== entry.docIndex && !p.others.some((o) => o.docIndex === entry.docIndex)) {
        at = position;
        break;
      }
    }
    entry.terms = null;
    if (at >= 0) {
      const twin = peers[at]!;
      if (!insert) {
        twin.others.push(entry);
        return;
      }
      // Copy on write: the table before the change may still be answering.
      const copy = entryOf(twin, twin.docIndex, [...twin.others, entry], twin.terms);
      const updated = [...peers];
      updated[at] = copy;
      this.byValue.set(value, updated);
      this.entries[this.position(twin)] = copy;
      return;
    }
    const next = insert ? [...peers, entry] : (peers.push(entry), peers);
    this.byValue.set(value, next);
    this.indexHead(words, entry, terms);
    if (insert) this.entries.splice(this.insertionPoint(entry), 0, entry);
    else this.entries.push(entry);
  }

  /** Where an entry sorts among the heads (after any equal one). */
  private insertionPoint(entry: TimelineEntry): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (byTime(this.entries[mid]!, entry) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The index of a head in `entries` (found by binary search on its date, then scanned). */
  private position(head: TimelineEntry): number {
    let i = this.insertionPoint(head) - 1;
    while (i >= 0 && this.entries[i] !== head) i--;
    return i;
  }

  /**
   * The table with the entries of documents added after every document
   * already in it (higher document indexes), over the new document list.
   * This table is left as it was.
   */
  withAppended(entries: TimelineEntry[], documents: () => readonly CorpusDocument[]): TimelineTable {
    const next = new TimelineTable(documents);
    next.entries.push(...this.entries);
    for (const [value, peers] of this.byValue) next.byValue.set(value, peers);
    for (const [value, words] of this.words) next.words.set(value, words);
    for (const entry of entries.sort(byTime)) next.place(entry, true);
    return next;
  }

  /** The table over other documents: a new reader of documents, entries mapped (or dropped when `docIndex` maps to -1), regrouped. */
  remapped(keep: Int32Array, documents: () => readonly CorpusDocument[]): TimelineTable {
    const kept: TimelineEntry[] = [];
    for (const entry of this.flat()) {
      const docIndex = keep[entry.docIndex]!;
      if (docIndex >= 0) kept.push(entryOf(entry, docIndex, [], null));
    }
    return TimelineTable.fromEntries(kept, documents);
  }

  /** Every entry, heads and grouped ones, ungrouped (to regroup after documents were removed). */
  flat(): TimelineEntry[] {
    return this.entries.flatMap((head) => [head, ...head.others]);
  }
}

/** Builds the sorted, grouped timeline entries of a corpus from each document's date mentions. */
export function buildTimeline(documents: readonly CorpusDocument[], datesByDoc: readonly (readonly DateMention[])[]): TimelineEntry[] {
  const entries = documents.flatMap((document, docIndex) => documentEntries(document, docIndex, datesByDoc[docIndex] ?? []));
  return TimelineTable.fromEntries(entries, () => documents).entries;
}

/** An entry's content words (kept on the entry while it is being grouped, else read from its text). */
export function entryTerms(entry: TimelineEntry, documents: readonly CorpusDocument[]): Set<string> {
  return entry.terms ?? new Set(termsOf(documents[entry.docIndex]!.text.slice(entry.start, entry.end)));
}

export function toEvent(entry: TimelineEntry, documents: readonly CorpusDocument[]): TimelineEvent {
  const document = documents[entry.docIndex]!;
  const event: TimelineEvent = {
    date: entry.date,
    text: document.text.slice(entry.start, entry.end),
    source: citationFor(document, entry.start, entry.end),
  };
  if (entry.others.length > 0) {
    event.alsoReportedBy = entry.others.map((o) => citationFor(documents[o.docIndex]!, o.start, o.end));
  }
  return event;
}
