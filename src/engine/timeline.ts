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
  terms: Set<string>;
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

function overlap(a: Set<string>, b: Set<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  if (small.size === 0) return 0;
  let shared = 0;
  for (const t of small) if (large.has(t)) shared++;
  return shared / small.size;
}

/** Builds the sorted, grouped timeline entries of a corpus from each document's date mentions. */
export function buildTimeline(documents: readonly CorpusDocument[], datesByDoc: readonly (readonly DateMention[])[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  documents.forEach((document, docIndex) => {
    const seen = new Set<string>();
    for (const mention of datesByDoc[docIndex] ?? []) {
      const date = toTimelineDate(mention);
      const parsed = date ? intervalOf(date.value) : null;
      if (!date || !parsed) continue;
      const sentence = sentencesIn(document, mention.start, mention.end)[0];
      if (!sentence || sentence.start > mention.start || sentence.end < mention.end) continue;
      const span = clauseAround(document.text, sentence.start, sentence.end, mention.start, mention.end);
      const key = `${date.value}|${span.start}|${span.end}`;
      if (seen.has(key)) continue;
      seen.add(key);
      entries.push({
        date,
        interval: parsed.interval,
        docIndex,
        mentionStart: mention.start,
        mentionEnd: mention.end,
        start: span.start,
        end: span.end,
        terms: new Set(termsOf(document.text.slice(span.start, span.end))),
        others: [],
      });
    }
  });
  entries.sort((a, b) => a.interval.first - b.interval.first || a.interval.last - b.interval.last || a.docIndex - b.docIndex || a.start - b.start);

  // Group the same event across documents: same value, sentences sharing most content words.
  const grouped: TimelineEntry[] = [];
  const byValue = new Map<string, TimelineEntry[]>();
  for (const entry of entries) {
    const peers = byValue.get(entry.date.value) ?? [];
    const twin = peers.find((p) => p.docIndex !== entry.docIndex && !p.others.some((o) => o.docIndex === entry.docIndex) && overlap(p.terms, entry.terms) >= SAME_EVENT_OVERLAP);
    if (twin) {
      twin.others.push(entry);
      continue;
    }
    peers.push(entry);
    byValue.set(entry.date.value, peers);
    grouped.push(entry);
  }
  return grouped;
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
