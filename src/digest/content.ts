/**
 * What a digest says, as plain data: the documents Sitrep first saw in a time
 * window, each with a lead excerpt, plus the quotes and timeline events found
 * in them. Where the documents come from is behind `DigestSource`; rendering
 * for Discord is src/digest/render.ts.
 */
import type { Redis } from 'ioredis';
import type { Briefing } from '../engine/briefing.js';
import { bestExcerpt } from '../engine/excerpts.js';
import type { BriefResult, CorpusDocument, Excerpt, Quote, TimelineEvent } from '../types.js';
import { DEFAULT_KEY_PREFIX } from './subscription.js';

export interface DigestDocument {
  doc: string;
  title: string;
  outlet: string | null;
  /** YYYY-MM-DD the document states, or null. */
  published: string | null;
  url: string | null;
  /** When Sitrep first saw this document (ms since the epoch). */
  firstSeenMs: number;
  /** The opening of the article (or, with a topic, the passage most about it), cited. */
  lead: Excerpt | null;
  /** Quotes found in this document. */
  quotes: Quote[];
  /** Dated events stated in this document. */
  events: TimelineEvent[];
}

export interface DigestWindow {
  /** Exclusive lower bound: documents first seen after this. */
  sinceMs: number;
  /** Inclusive upper bound: documents first seen at or before this. */
  untilMs: number;
  /** Only documents about this topic. */
  topic?: string | null;
}

/**
 * Where a digest's documents come from. Implementations record when they
 * first see a document (durably) so "new since the last digest" survives
 * restarts; a document nobody saw before the window's end counts as first
 * seen at `untilMs` at the latest.
 */
export interface DigestSource {
  documentsSince(window: DigestWindow): Promise<DigestDocument[]>;
  /** The brief of the window (only its documents cited); a source without one posts documents one by one. */
  briefSince?(window: DigestWindow): Promise<BriefResult>;
}

/** A digest as plain data; `renderDigest` turns it into Discord messages. */
export interface Digest {
  channelId: string;
  topic: string | null;
  sinceMs: number;
  untilMs: number;
  documents: DigestDocument[];
  /** The brief of the window's documents (src/engine/brief.ts), when the source makes one: the digest then posts it. */
  brief?: BriefResult | null;
}

export function isEmptyDigest(digest: Digest): boolean {
  return digest.documents.length === 0;
}

/** Collects the digest of one window; documents oldest first (by first-seen time, then publication date). */
export async function buildDigest(source: DigestSource, channelId: string, window: DigestWindow): Promise<Digest> {
  const topic = window.topic ?? null;
  const docs = window.untilMs <= window.sinceMs ? [] : await source.documentsSince(window);
  const inWindow = docs
    .filter((d) => d.firstSeenMs > window.sinceMs && d.firstSeenMs <= window.untilMs)
    .sort((a, b) => a.firstSeenMs - b.firstSeenMs || (a.published ?? '').localeCompare(b.published ?? '') || a.doc.localeCompare(b.doc));
  const digest: Digest = { channelId, topic, sinceMs: window.sinceMs, untilMs: window.untilMs, documents: inWindow };
  if (inWindow.length > 0 && source.briefSince) {
    // A brief that cannot be made (a topic of only common words, say) leaves the document-by-document digest.
    digest.brief = await source.briefSince(window).catch(() => null);
  }
  return digest;
}

/** Durable "first seen" times of document contents: hash `<prefix>digest:first-seen`, field = SHA-256 of the file, value = ms. */
export class FirstSeenStore {
  readonly redis: Redis;
  readonly key: string;

  constructor(redis: Redis, prefix: string = DEFAULT_KEY_PREFIX) {
    this.redis = redis;
    this.key = `${prefix}digest:first-seen`;
  }

  /** Records `atMs` for every hash not seen before (HSETNX) and returns every hash's first-seen time. */
  async record(hashes: readonly string[], atMs: number): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (hashes.length === 0) return out;
    const pipeline = this.redis.pipeline();
    for (const hash of hashes) pipeline.hsetnx(this.key, hash, String(atMs));
    pipeline.hmget(this.key, ...hashes);
    const results = (await pipeline.exec()) ?? [];
    const last = results[results.length - 1];
    if (!last || last[0]) throw last?.[0] ?? new Error('sitrep digest: no answer from Redis');
    const values = last[1] as (string | null)[];
    hashes.forEach((hash, i) => out.set(hash, Number(values[i] ?? atMs)));
    return out;
  }
}

/** How many passages a topic search may look at when narrowing a digest. */
const TOPIC_SEARCH_LIMIT = 500;

/**
 * DigestSource over the briefing engine. `briefing` is a function so a
 * reloaded corpus (the corpus watcher swaps the engine) is picked up.
 */
export class BriefingDigestSource implements DigestSource {
  private readonly briefing: () => Briefing;
  readonly firstSeen: FirstSeenStore;
  private readonly now: () => number;

  constructor(briefing: Briefing | (() => Briefing), firstSeen: FirstSeenStore, now: () => number = Date.now) {
    this.briefing = typeof briefing === 'function' ? briefing : () => briefing;
    this.firstSeen = firstSeen;
    this.now = now;
  }

  /** Records the current corpus as seen now; call at start-up and after every reload. */
  async recordSeen(): Promise<void> {
    await this.firstSeen.record(this.briefing().documents.map((d) => d.hash), this.now());
  }

  /** The brief of the documents first seen in the window, citing only them. */
  async briefSince(window: DigestWindow): Promise<BriefResult> {
    const briefing = this.briefing();
    const seen = await this.firstSeen.record(briefing.documents.map((d) => d.hash), Math.min(this.now(), window.untilMs));
    const topic = window.topic?.trim() || null;
    return briefing.brief({
      since: window.sinceMs,
      until: window.untilMs,
      firstSeen: (d) => seen.get(d.hash) ?? null,
      windowOnly: true,
      ...(topic ? { topic } : {}),
    });
  }

  async documentsSince(window: DigestWindow): Promise<DigestDocument[]> {
    const briefing = this.briefing();
    const seen = await this.firstSeen.record(briefing.documents.map((d) => d.hash), Math.min(this.now(), window.untilMs));
    const fresh = new Map<number, CorpusDocument>();
    briefing.documents.forEach((d, i) => {
      const at = seen.get(d.hash)!;
      if (at > window.sinceMs && at <= window.untilMs) fresh.set(i, d);
    });
    if (fresh.size === 0) return [];

    const topic = window.topic?.trim() || null;
    // With a topic: documents with a passage about it, led by the best such passage.
    const leads = new Map<number, Excerpt>();
    if (topic) {
      const hits = briefing.index.search(topic, TOPIC_SEARCH_LIMIT, { prefixLast: false, filter: (p) => fresh.has(p.docIndex) });
      for (const hit of hits) {
        const i = hit.passage.docIndex;
        if (!leads.has(i)) leads.set(i, bestExcerpt(fresh.get(i)!, hit.passage.start, hit.passage.end, hit.matchedTerms));
      }
      for (const i of [...fresh.keys()]) if (!leads.has(i)) fresh.delete(i);
      if (fresh.size === 0) return [];
    }
    const docs = new Set([...fresh.values()].map((d) => d.doc));
    const quotes = briefing.quote(topic ? { topic } : {}).quotes.filter((q) => docs.has(q.source.doc));
    const events = briefing.timeline(topic ? { topic } : {}).events.filter((e) => docs.has(e.source.doc));

    return [...fresh.entries()].map(([i, d]) => ({
      doc: d.doc,
      title: d.meta.title,
      outlet: d.meta.outlet,
      published: d.meta.published,
      url: d.meta.url,
      firstSeenMs: seen.get(d.hash)!,
      lead: leads.get(i) ?? openingOf(d),
      quotes: quotes.filter((q) => q.source.doc === d.doc),
      events: events.filter((e) => e.source.doc === d.doc),
    }));
  }
}

/** The first content paragraph, cut to its first sentences. */
function openingOf(document: CorpusDocument): Excerpt | null {
  const first = document.paragraphs[0];
  if (!first) return null;
  return bestExcerpt(document, first.start, first.end, []);
}
