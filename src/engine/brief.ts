/**
 * /brief: the situation report of a window of documents — what is new, who
 * matters, what happened, who said what, and who reports — built only from
 * excerpts of the sources with their citations. Nothing is paraphrased.
 *
 * The window is a set of documents: those Sitrep first saw between `since`
 * and `until` where it keeps that record (digests), else those published
 * then; without bounds, the whole corpus. With a topic, every item must be
 * about it on its own: the passage holding the mention, event or quotation
 * matches the topic in its own text (the headline, indexed with every
 * passage, does not qualify a passage by itself).
 *
 * Ranking (docs/DESIGN.md, "/brief"), all general rules:
 * - people and organisations: spread first (documents, weighted by recency,
 *   and outlets), then prominence (headline, opening paragraphs), then
 *   mentions on a log scale; places and things are left out;
 * - events: how many sources report them, how close their date is to the
 *   window's end, their precision, and whether an opening paragraph states them;
 * - quotations: attributed to someone, six words or more, by the most salient
 *   speakers, in the newest documents; at most two per speaker.
 */
import type { BriefDocument, BriefOutlet, BriefPerson, BriefResult, CorpusDocument, EntityKind, Quote, TimelineEvent } from '../types.js';
import type { DocumentEntity } from '../analysis/people.js';
import type { SearchIndex } from '../index/search-index.js';
import { nameKey } from '../analysis/people.js';
import { termsOf } from '../index/terms.js';
import type { EntityIndex } from './who.js';
import { editDistance } from './who.js';
import { entryTerms, toEvent, type TimelineEntry } from './timeline.js';
import { toQuote, type QuoteEntry } from './quotes.js';
import { SitrepError } from './errors.js';
import { peekItem } from './peek.js';
import { parseWhen } from './when.js';
import { MAX_QUERY_CHARS } from './limits.js';

/** The caps of each list. */
export const BRIEF_LIMITS = { documents: 10, people: 8, events: 8, quotes: 5, outlets: 10, suggestions: 5 } as const;
/** A topic longer than this is cut (the same cap as other topics). */
export const MAX_BRIEF_TOPIC_CHARS = MAX_QUERY_CHARS;
/** A quotation shorter than this is a fragment, not a statement. */
export const BRIEF_MIN_QUOTE_WORDS = 6;
/** Quotations by one speaker in a brief, at most. */
const MAX_QUOTES_PER_SPEAKER = 2;
/** Content paragraphs counted as an article's opening. */
const LEDE_PARAGRAPHS = 2;
/** Passages a topic is matched against. */
const TOPIC_PASSAGES = 2000;
const DAY_MS = 86_400_000;

export interface BriefOptions {
  topic?: string | null;
  /** "24h", "3d", "1w", a date or an ISO time; or ms since the epoch. */
  since?: string | number | null;
  until?: string | number | null;
  /**
   * When Sitrep first saw a document (ms since the epoch), where it keeps
   * that record; the window is then by first-seen time, else by publication date.
   */
  firstSeen?: ((document: CorpusDocument) => number | null) | null;
  /** Only documents of the window may be cited (digests): events other documents report are left out. */
  windowOnly?: boolean;
  now?: number;
}

/** What a brief is built from: one snapshot of the engine. */
export interface BriefCorpus {
  readonly documents: readonly CorpusDocument[];
  /** Each document's entities as the analysis found them. */
  readonly entitiesByDoc: readonly (readonly DocumentEntity[])[];
  readonly index: SearchIndex;
  readonly entities: EntityIndex;
  readonly timelineEntries: readonly TimelineEntry[];
  readonly quoteEntries: readonly QuoteEntry[];
}

interface PersonTally {
  id: number;
  name: string;
  kind: EntityKind;
  mentions: number;
  docs: number;
  /** Outlets reporting it: the first one, then a set once there is a second. */
  outlet: string | null;
  outlets: Set<string> | null;
  weight: number;
  headlineWeight: number;
  ledeWeight: number;
  score: number;
}

function words(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

const wordCounts = new WeakMap<QuoteEntry, number>();

/** Words in a quotation, counted once per entry. */
function wordsOf(entry: QuoteEntry): number {
  let n = wordCounts.get(entry);
  if (n === undefined) {
    n = words(entry.mention.text);
    wordCounts.set(entry, n);
  }
  return n;
}

/** Start of a YYYY-MM-DD day in ms, or null. */
function dayStart(published: string | null): number | null {
  if (!published) return null;
  const ms = Date.parse(`${published.slice(0, 10)}T00:00:00Z`);
  return Number.isFinite(ms) ? ms : null;
}

const PRECISION_WEIGHT: Record<string, number> = { day: 1, month: 0.7, quarter: 0.6, year: 0.4, decade: 0.1 };

/** The window of a brief: its bounds, each document's time on its clock, and the documents in it. */
interface BriefWindow {
  sinceMs: number | null;
  untilMs: number | null;
  byFirstSeen: boolean;
  window: BriefResult['window'];
  timeOf(i: number): number | null;
  /** The documents in the window, in corpus order. */
  inside: number[];
}

function briefWindow(corpus: BriefCorpus, options: BriefOptions): BriefWindow {
  const now = options.now ?? Date.now();
  const bound = (value: string | number | null | undefined, option: 'since' | 'until'): number | null => {
    if (value === null || value === undefined || value === '') return null;
    return typeof value === 'number' ? value : parseWhen(value, now, option);
  };
  const sinceMs = bound(options.since, 'since');
  const untilMs = bound(options.until, 'until');
  if (sinceMs !== null && untilMs !== null && sinceMs > untilMs) {
    throw new SitrepError('InvalidDateRange', `since (${new Date(sinceMs).toISOString()}) is after until (${new Date(untilMs).toISOString()})`, {
      from: options.since,
      to: options.until,
    });
  }
  const { documents } = corpus;
  const byFirstSeen = typeof options.firstSeen === 'function';
  const window: BriefResult['window'] = sinceMs === null && untilMs === null ? null : byFirstSeen ? 'first-seen' : 'published';

  // Each document's time on the window's clock, read once (NaN: none).
  const times = new Float64Array(documents.length);
  for (let i = 0; i < documents.length; i++) {
    const d = documents[i]!;
    times[i] = (byFirstSeen ? options.firstSeen!(d) : dayStart(d.meta.published)) ?? Number.NaN;
  }
  const timeOf = (i: number): number | null => (Number.isNaN(times[i]!) ? null : times[i]!);
  const inWindow = (i: number): boolean => {
    if (window === null) return true;
    const t = timeOf(i);
    if (t === null) return false;
    // A publication date is a whole day: it is in the window if any of it is.
    const end = byFirstSeen ? t : t + DAY_MS - 1;
    return (sinceMs === null || end > sinceMs) && (untilMs === null || t <= untilMs);
  };
  const inside: number[] = [];
  for (let i = 0; i < documents.length; i++) if (inWindow(i)) inside.push(i);
  return { sinceMs, untilMs, byFirstSeen, window, timeOf, inside };
}

/**
 * What a brief reads from every document of its window, made ahead in steps (the people rows,
 * kept once made): the first whole-corpus brief at BBC ×10 reads 21,000 documents' entities, seconds
 * that would otherwise hold the caller's event loop. A bad option is left for `buildBrief` to report.
 */
export function* prepareBriefSteps(corpus: BriefCorpus, options: BriefOptions = {}): Generator<void, void> {
  let inside: number[];
  try {
    inside = briefWindow(corpus, options).inside;
  } catch {
    return;
  }
  for (let k = 0; k < inside.length; k++) {
    if (k % 32 === 31) yield;
    peopleRows(corpus, inside[k]!);
    ledeEnd(corpus.documents[inside[k]!]!);
  }
  // The quotations' word counts (every quotation of the window is weighed).
  const windowSet = new Set(inside);
  const quotes = corpus.quoteEntries;
  for (let k = 0; k < quotes.length; k++) {
    if (k % 2048 === 2047) yield;
    if (windowSet.has(quotes[k]!.docIndex)) wordsOf(quotes[k]!);
  }
}

/** Builds the brief of one window. Pure: the same corpus and options give the same brief. */
export function buildBrief(corpus: BriefCorpus, options: BriefOptions = {}): BriefResult {
  const rawTopic = options.topic?.replace(/\s+/g, ' ').trim() || null;
  const topic = rawTopic && rawTopic.length > MAX_BRIEF_TOPIC_CHARS ? rawTopic.slice(0, MAX_BRIEF_TOPIC_CHARS) : rawTopic;
  const { sinceMs, untilMs, byFirstSeen, window, timeOf, inside: window_ } = briefWindow(corpus, options);
  const { documents } = corpus;
  const sortTime = (i: number): number => timeOf(i) ?? -Infinity;
  const newestFirst = (a: number, b: number): number =>
    sortTime(b) - sortTime(a) || (documents[b]!.meta.published ?? '').localeCompare(documents[a]!.meta.published ?? '') || a - b;

  // With a topic: the passages about it, by their own text.
  let relevant: Map<number, { start: number; end: number; terms: Set<string> }[]> | null = null;
  // Every form a topic word stands for (its stem and its surface form as a name).
  const topicTerms = topic ? new Set(corpus.index.queryGroups(topic).flat()) : null;
  if (topic) {
    if (topicTerms!.size === 0) {
      throw new SitrepError('NothingToSearch', 'nothing to search for: the topic has only punctuation or common words', { topic });
    }
    const windowSet = window === null ? null : new Set(window_);
    const hits = corpus.index.search(topic, TOPIC_PASSAGES, {
      prefixLast: false,
      ...(windowSet ? { filter: (p) => windowSet.has(p.docIndex) } : {}),
    });
    relevant = new Map();
    for (const hit of hits) {
      const text = documents[hit.passage.docIndex]!.text.slice(hit.passage.start, hit.passage.end);
      const own = new Set(termsOf(text));
      const matched = new Set(hit.matchedTerms.filter((t) => own.has(t)));
      if (matched.size === 0) continue; // matched through the headline or heading only
      const list = relevant.get(hit.passage.docIndex) ?? [];
      list.push({ start: hit.passage.start, end: hit.passage.end, terms: matched });
      relevant.set(hit.passage.docIndex, list);
    }
  }
  const about = (docIndex: number, offset: number): boolean => {
    if (!relevant) return true;
    return relevant.get(docIndex)?.some((p) => offset >= p.start && offset < p.end) ?? false;
  };

  const windowDocs = (relevant ? window_.filter((i) => relevant!.has(i)) : window_).sort(newestFirst);
  const windowSet = new Set(windowDocs);
  // Recency of each window document: 1 for the newest, down to 0 for the oldest.
  const recency = new Map<number, number>();
  windowDocs.forEach((i, rank) => recency.set(i, windowDocs.length === 1 ? 1 : 1 - rank / (windowDocs.length - 1)));

  const brief = (i: number): BriefDocument => briefDocument(documents[i]!, byFirstSeen ? timeOf(i) : null);
  const latestIndex = latestDocument(documents.length, timeOf);

  const people = rankPeople(corpus, windowDocs, recency, relevant ? about : null);
  const events = rankEvents(corpus, windowSet, recency, about, topicTerms, {
    windowOnly: options.windowOnly === true || window === null,
    sinceMs,
    untilMs,
    referenceMs: untilMs ?? newestTime(windowDocs, (i) => timeOf(i) ?? dayStart(documents[i]!.meta.published)),
  });
  const quotes = rankQuotes(corpus, windowSet, recency, about, topicTerms, people.ranked);

  const outletCounts = new Map<string | null, number>();
  for (const i of windowDocs) {
    const outlet = documents[i]!.meta.outlet;
    outletCounts.set(outlet, (outletCounts.get(outlet) ?? 0) + 1);
  }
  const outlets: BriefOutlet[] = [...outletCounts.entries()]
    .map(([outlet, count]) => ({ outlet, documents: count }))
    .sort((a, b) => b.documents - a.documents || (a.outlet === null ? 1 : b.outlet === null ? -1 : a.outlet.localeCompare(b.outlet)))
    .slice(0, BRIEF_LIMITS.outlets);

  const suggestions = topic && relevant!.size === 0 && !hasTopicAnywhere(corpus, topic) ? nearTopics(corpus, topic) : [];

  return {
    topic,
    since: sinceMs === null ? null : new Date(sinceMs).toISOString(),
    until: untilMs === null ? null : new Date(untilMs).toISOString(),
    documents: windowDocs.slice(0, BRIEF_LIMITS.documents).map(brief),
    people: peopleOf(corpus, people.ranked),
    events: events.events,
    quotes: quotes.quotes,
    outlets,
    window,
    suggestions,
    totals: { documents: windowDocs.length, people: people.total, events: events.total, quotes: quotes.total },
    latest: latestIndex === null ? null : brief(latestIndex),
  };
}

function newestTime(docs: readonly number[], timeOf: (i: number) => number | null): number {
  let best = -Infinity;
  for (const i of docs) best = Math.max(best, timeOf(i) ?? -Infinity);
  return best;
}

function briefDocument(d: CorpusDocument, firstSeenMs: number | null): BriefDocument {
  const out: BriefDocument = { doc: d.doc, title: d.meta.title, outlet: d.meta.outlet, published: d.meta.published, url: d.meta.url };
  if (firstSeenMs !== null) out.firstSeen = new Date(firstSeenMs).toISOString();
  return out;
}

function latestDocument(count: number, timeOf: (i: number) => number | null): number | null {
  let best: number | null = null;
  let bestTime = -Infinity;
  for (let i = 0; i < count; i++) {
    const t = timeOf(i);
    if (t !== null && t > bestTime) {
      best = i;
      bestTime = t;
    }
  }
  return best;
}

/** True when a name word of `name` appears as a whole word in `title`. */
function namedIn(title: string, names: readonly string[]): boolean {
  const titleKey = ` ${nameKey(title)} `;
  return names.some((n) => {
    const key = nameKey(n);
    return key.length > 1 && titleKey.includes(` ${key} `);
  });
}

/** Salience: spread (documents by recency, outlets), prominence (headline, opening), then mentions on a log scale. */
function salience(weight: number, outlets: number, headline: number, lede: number, mentions: number): number {
  return 2 * weight + Math.max(0, outlets - 1) + 1.5 * headline + lede + Math.log2(1 + mentions);
}

/** One person or organisation of one document, as the corpus knows it. */
interface DocumentPersonRow {
  id: number;
  name: string;
  kind: EntityKind;
  /** Offsets of its mentions in the document, ascending. */
  starts: number[];
  /** Named in the document's headline. */
  headline: boolean;
}

/**
 * Each document's people and organisations mapped to corpus entities, computed
 * once per document content and entity index: by the document's hash, so the
 * same document read from a snapshot in place of the one built here (Briefing.rebased)
 * keeps its rows, and a new version of a document gets new ones.
 */
const rowCache = new WeakMap<EntityIndex, Map<string, DocumentPersonRow[]>>();

function peopleRows(corpus: BriefCorpus, docIndex: number): DocumentPersonRow[] {
  let byDocument = rowCache.get(corpus.entities);
  if (!byDocument) {
    byDocument = new Map();
    rowCache.set(corpus.entities, byDocument);
  }
  const document = corpus.documents[docIndex]!;
  let rows = byDocument.get(document.hash);
  if (rows) return rows;
  const byId = new Map<number, DocumentPersonRow>();
  // Read without keeping: a whole-corpus brief passes every document, and only these rows are kept.
  const entities = peekItem(corpus.entitiesByDoc, docIndex) ?? [];
  for (const { entityIndex, ref } of corpus.entities.documentEntities(docIndex)) {
    const entity = entities[entityIndex];
    if (!entity || (entity.kind !== 'person' && entity.kind !== 'organization')) continue;
    let row = byId.get(ref.id);
    if (!row) {
      row = { id: ref.id, name: ref.name, kind: entity.kind, starts: [], headline: false };
      byId.set(ref.id, row);
    }
    for (const m of entity.mentions) row.starts.push(m.start);
    row.headline ||= namedIn(document.meta.title, [entity.name, ...entity.aliases, ref.name]);
  }
  rows = [...byId.values()];
  // Sorted, and copied to their size: a list grown by push keeps room for 16 more (rows are kept, 200,000 of them at BBC ×10).
  for (const row of rows) row.starts = row.starts.sort((a, b) => a - b).slice();
  byDocument.set(document.hash, rows);
  return rows;
}

function rankPeople(
  corpus: BriefCorpus,
  windowDocs: readonly number[],
  recency: ReadonlyMap<number, number>,
  about: ((docIndex: number, offset: number) => boolean) | null,
): { ranked: PersonTally[]; total: number } {
  // Tallies in typed arrays by entity id (ids are small and dense): no object per entity per call.
  const rowsOf: DocumentPersonRow[][] = [];
  let size = 0;
  for (const docIndex of windowDocs) {
    const rows = peopleRows(corpus, docIndex);
    rowsOf.push(rows);
    for (const row of rows) if (row.id >= size) size = row.id + 1;
  }
  const mentionsOf = new Int32Array(size);
  const docsOf = new Int32Array(size);
  const weightOf = new Float64Array(size);
  const headlineOf = new Float64Array(size);
  const ledeOf = new Float64Array(size);
  const firstRow: (DocumentPersonRow | undefined)[] = new Array<DocumentPersonRow | undefined>(size);
  const firstOutlet: (string | undefined)[] = new Array<string | undefined>(size);
  const moreOutlets = new Map<number, Set<string>>();
  windowDocs.forEach((docIndex, k) => {
    const document = corpus.documents[docIndex]!;
    const lede = ledeEnd(document);
    const w = 0.5 + 0.5 * (recency.get(docIndex) ?? 1);
    const outlet = document.meta.outlet;
    for (const row of rowsOf[k]!) {
      let mentions = row.starts.length;
      let first = row.starts[0]!;
      if (about) {
        mentions = 0;
        first = Infinity;
        for (const start of row.starts) {
          if (!about(docIndex, start)) continue;
          mentions++;
          if (start < first) first = start;
        }
        if (mentions === 0) continue;
      }
      const id = row.id;
      firstRow[id] ??= row;
      mentionsOf[id] = mentionsOf[id]! + mentions;
      docsOf[id] = docsOf[id]! + 1;
      if (outlet && outlet !== firstOutlet[id]) {
        if (firstOutlet[id] === undefined) firstOutlet[id] = outlet;
        else {
          let set = moreOutlets.get(id);
          if (!set) moreOutlets.set(id, (set = new Set([firstOutlet[id]!])));
          set.add(outlet);
        }
      }
      weightOf[id] = weightOf[id]! + w;
      if (row.headline) headlineOf[id] = headlineOf[id]! + w;
      if (first < lede) ledeOf[id] = ledeOf[id]! + w;
    }
  });
  // Only the best PEOPLE_CANDIDATES are looked at further: select them instead of sorting them all.
  const tallyOf = (id: number, score: number): PersonTally => {
    const row = firstRow[id]!;
    return {
      id, name: row.name, kind: row.kind, mentions: mentionsOf[id]!, docs: docsOf[id]!, outlet: firstOutlet[id] ?? null, outlets: moreOutlets.get(id) ?? null,
      weight: weightOf[id]!, headlineWeight: headlineOf[id]!, ledeWeight: ledeOf[id]!, score,
    };
  };
  const order = (a: PersonTally, b: PersonTally): number => b.score - a.score || b.mentions - a.mentions || a.name.localeCompare(b.name);
  const top: PersonTally[] = [];
  let total = 0;
  for (let id = 0; id < size; id++) {
    if (docsOf[id] === 0) continue;
    total++;
    const outlets = moreOutlets.get(id)?.size ?? (firstOutlet[id] === undefined ? 0 : 1);
    const score = salience(weightOf[id]!, outlets, headlineOf[id]!, ledeOf[id]!, mentionsOf[id]!);
    if (top.length === PEOPLE_CANDIDATES && score < top[PEOPLE_CANDIDATES - 1]!.score) continue;
    const t = tallyOf(id, score);
    if (top.length < PEOPLE_CANDIDATES) {
      top.push(t);
      if (top.length === PEOPLE_CANDIDATES) top.sort(order);
      continue;
    }
    if (order(t, top[PEOPLE_CANDIDATES - 1]!) >= 0) continue;
    let i = PEOPLE_CANDIDATES - 1;
    top[i] = t;
    while (i > 0 && order(top[i]!, top[i - 1]!) < 0) {
      [top[i], top[i - 1]] = [top[i - 1]!, top[i]!];
      i--;
    }
  }
  if (top.length < PEOPLE_CANDIDATES) top.sort(order);
  return { ranked: top, total };
}

/** Ranked entities looked up in the corpus to place the people list (beyond it they are not needed). */
const PEOPLE_CANDIDATES = 30;
/** News media are the reporters of a story more than its actors: their salience counts this much. */
const MEDIA_WEIGHT = 0.25;
/** Last words of news organisations' names, and role words that describe one. */
const MEDIA_NAME = /\bnews\b|\b(?:times|post|daily|shimbun|journal|herald|tribune|gazette|telegraph|press|broadcasting|television|tv|radio|chronicle|observer|guardian|mail|express|wire)$/i;
const MEDIA_ROLE = /\b(?:newspaper|news agency|broadcaster|news outlet|tabloid|daily|wire service|media outlet|state media|magazine)\b/i;

/**
 * The top of the ranking as the corpus knows each entity: its kind after
 * merging (a name one document's tagger took for an organisation may be a
 * place across the corpus: then it is left out), its best description, and
 * whether it is a news organisation (an outlet of the corpus, a name like
 * "… News" or "… Times", or described as a newspaper or agency), which
 * reports the story rather than acts in it and so weighs less.
 */
function peopleOf(corpus: BriefCorpus, ranked: readonly PersonTally[]): BriefPerson[] {
  const outlets = outletNames(corpus);
  const candidates: { person: BriefPerson; score: number; order: number }[] = [];
  const floor = (): number => (candidates.length < BRIEF_LIMITS.people ? -Infinity : candidates[BRIEF_LIMITS.people - 1]!.score);
  for (let order = 0; order < Math.min(ranked.length, PEOPLE_CANDIDATES); order++) {
    const tally = ranked[order]!;
    const raw = tally.score;
    // A weight only lowers a score: once the raw score cannot reach the list, nothing further can.
    if (raw < floor()) break;
    const match = corpus.entities.who(tally.name).match;
    if (!match || match.name !== tally.name) continue;
    if (match.kind !== 'person' && match.kind !== 'organization') continue;
    const media =
      match.kind === 'organization' &&
      (outlets.has(nameKey(match.name)) || MEDIA_NAME.test(match.name) || match.descriptions.some((d) => MEDIA_ROLE.test(d.text)));
    const person: BriefPerson = { name: tally.name, kind: match.kind, description: match.descriptions[0] ?? null, mentions: tally.mentions, documents: tally.docs };
    candidates.push({ person, score: raw * (media ? MEDIA_WEIGHT : 1), order });
    candidates.sort((a, b) => b.score - a.score || a.order - b.order);
  }
  return candidates.slice(0, BRIEF_LIMITS.people).map((c) => c.person);
}

const outletCache = new WeakMap<BriefCorpus['documents'], Set<string>>();

function outletNames(corpus: BriefCorpus): Set<string> {
  let names = outletCache.get(corpus.documents);
  if (!names) {
    names = new Set(corpus.documents.flatMap((d) => (d.meta.outlet ? [nameKey(d.meta.outlet)] : [])));
    outletCache.set(corpus.documents, names);
  }
  return names;
}

function rankEvents(
  corpus: BriefCorpus,
  windowSet: ReadonlySet<number>,
  recency: ReadonlyMap<number, number>,
  about: (docIndex: number, offset: number) => boolean,
  topicTerms: ReadonlySet<string> | null,
  options: { windowOnly: boolean; sinceMs: number | null; untilMs: number | null; referenceMs: number },
): { events: TimelineEvent[]; total: number } {
  const referenceDay = Number.isFinite(options.referenceMs) ? Math.floor(options.referenceMs / DAY_MS) : null;
  const sinceDay = options.sinceMs === null ? null : Math.floor(options.sinceMs / DAY_MS);
  const untilDay = options.untilMs === null ? null : Math.floor(options.untilMs / DAY_MS);
  const scored: { entry: TimelineEntry; cited: TimelineEntry[]; score: number; order: number }[] = [];
  corpus.timelineEntries.forEach((entry, order) => {
    const reportedHere = windowSet.has(entry.docIndex) || entry.others.some((e) => windowSet.has(e.docIndex));
    const datedInWindow =
      !options.windowOnly && sinceDay !== null && entry.interval.first >= sinceDay && (untilDay === null || entry.interval.last <= untilDay);
    if (!reportedHere && !datedInWindow) return;
    const all = entry.others.length === 0 ? [entry] : [entry, ...entry.others];
    let cited = reportedHere ? all.filter((e) => windowSet.has(e.docIndex)) : all;
    if (topicTerms) {
      cited = cited.filter((e) => about(e.docIndex, e.mentionStart) || [...entryTerms(e, corpus.documents)].some((t) => topicTerms.has(t)));
      if (cited.length === 0) return;
    }
    const primary = cited[0]!;
    const sources = all.length === 1 ? 1 : new Set(all.map((e) => e.docIndex)).size;
    let score = 1.5 * (sources - 1) + PRECISION_WEIGHT[entry.date.precision]! * (entry.date.approximate ? 0.7 : 1);
    if (referenceDay !== null) {
      const middle = (entry.interval.first + entry.interval.last) / 2;
      score += 2 / (1 + Math.abs(middle - referenceDay) / 30);
    }
    if (primary.mentionStart < ledeEnd(corpus.documents[primary.docIndex]!)) score += 0.5;
    score += 0.5 * (recency.get(primary.docIndex) ?? 0);
    scored.push({ entry, cited: options.windowOnly ? cited : [primary, ...all.filter((e) => e !== primary)], score, order });
  });
  scored.sort((a, b) => b.score - a.score || a.order - b.order);
  const events = scored
    .slice(0, BRIEF_LIMITS.events)
    .map((s) => toEvent({ ...s.cited[0]!, others: s.cited.slice(1) }, corpus.documents));
  return { events, total: scored.length };
}

/** End of an article's opening (its first content paragraphs). */
/** Where each document's opening paragraphs end (a document's paragraphs may be decoded on each read: kept here). */
const ledeEnds = new WeakMap<CorpusDocument, number>();
function ledeEnd(document: CorpusDocument): number {
  let end = ledeEnds.get(document);
  if (end === undefined) {
    const { paragraphs } = document;
    end = paragraphs[Math.min(LEDE_PARAGRAPHS, paragraphs.length) - 1]?.end ?? 0;
    ledeEnds.set(document, end);
  }
  return end;
}

function rankQuotes(
  corpus: BriefCorpus,
  windowSet: ReadonlySet<number>,
  recency: ReadonlyMap<number, number>,
  about: (docIndex: number, offset: number) => boolean,
  topicTerms: ReadonlySet<string> | null,
  people: readonly PersonTally[],
): { quotes: Quote[]; total: number } {
  const salience = new Map<number, number>();
  people.slice(0, 20).forEach((p, rank) => salience.set(p.id, 1 - rank / 20));
  const scored: { entry: QuoteEntry; score: number; order: number }[] = [];
  corpus.quoteEntries.forEach((entry, order) => {
    if (!windowSet.has(entry.docIndex)) return;
    const { mention } = entry;
    if (!mention.speaker || mention.speakerKind === 'anonymous') return;
    const n = wordsOf(entry);
    if (n < BRIEF_MIN_QUOTE_WORDS) return;
    const ownTerms = topicTerms ? termsOf(mention.text).filter((t) => topicTerms.has(t)).length : 0;
    if (topicTerms && ownTerms === 0 && !about(entry.docIndex, mention.start)) return;
    let score = 0;
    if (entry.speakerEntity) score += 1 + 2 * (salience.get(entry.speakerEntity.id) ?? 0);
    score += n >= 10 && n <= 60 ? 1 : n > 60 ? 0.5 : 0.3;
    score += Math.min(ownTerms, 2) * 0.5;
    score += recency.get(entry.docIndex) ?? 0;
    if (mention.start < ledeEnd(corpus.documents[entry.docIndex]!)) score += 0.3;
    scored.push({ entry, score, order });
  });
  scored.sort((a, b) => b.score - a.score || a.order - b.order);
  const perSpeaker = new Map<string, number>();
  const quotes: Quote[] = [];
  let total = 0;
  for (const { entry } of scored) {
    const speaker = entry.speakerEntity ? `#${entry.speakerEntity.id}` : nameKey(entry.speakerName ?? entry.mention.speaker!.name);
    const count = perSpeaker.get(speaker) ?? 0;
    if (count >= MAX_QUOTES_PER_SPEAKER) continue;
    perSpeaker.set(speaker, count + 1);
    total++;
    if (quotes.length < BRIEF_LIMITS.quotes) quotes.push(toQuote(entry, corpus.documents, corpus.entities));
  }
  return { quotes, total };
}

/** Whether the topic is found in any passage's own text anywhere in the corpus. */
function hasTopicAnywhere(corpus: BriefCorpus, topic: string): boolean {
  for (const hit of corpus.index.search(topic, 50, { prefixLast: false })) {
    const own = new Set(termsOf(corpus.documents[hit.passage.docIndex]!.text.slice(hit.passage.start, hit.passage.end)));
    if (hit.matchedTerms.some((t) => own.has(t))) return true;
  }
  return false;
}

/** Near topics for one that matches nothing: names by spelling, then frequent headline words close to it. */
function nearTopics(corpus: BriefCorpus, topic: string): string[] {
  const out: string[] = [];
  const who = corpus.entities.who(topic);
  if (who.match) out.push(who.match.name);
  out.push(...who.suggestions);
  const key = nameKey(topic);
  if (key.length >= 3) {
    const counts = headlineTerms(corpus);
    const max = key.length <= 4 ? 1 : 2;
    const near = [...counts.entries()]
      .filter(([term]) => term !== key && Math.abs(term.length - key.length) <= max && editDistance(term, key, max) <= max)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([term]) => term);
    out.push(...near);
  }
  return [...new Set(out)].slice(0, BRIEF_LIMITS.suggestions);
}

const headlineTermCache = new WeakMap<BriefCorpus['documents'], Map<string, number>>();

/** How many headlines use each word (lower case), computed once per snapshot. */
function headlineTerms(corpus: BriefCorpus): Map<string, number> {
  let counts = headlineTermCache.get(corpus.documents);
  if (!counts) {
    counts = new Map();
    for (const d of corpus.documents) {
      for (const word of new Set(nameKey(d.meta.title).split(' '))) if (word.length >= 3) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
    headlineTermCache.set(corpus.documents, counts);
  }
  return counts;
}
