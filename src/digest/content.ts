/**
 * What a digest says, as plain data: the documents Sitrep first saw in a time
 * window, each with a lead excerpt, plus the quotes and timeline events found
 * in them. Where the documents come from is behind `DigestSource`; rendering
 * for Discord is src/bot/render.ts (renderDigest).
 */
import type { Redis } from 'ioredis';
import type { Briefing } from '../engine/briefing.js';
import { bestExcerpt } from '../engine/excerpts.js';
import type { Logger } from '../log.js';
import type { BriefResult, CorpusDocument, Excerpt, Quote, TimelineEvent } from '../types.js';
import { DiskMirror } from './disk-mirror.js';
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
  /**
   * When each document (by content hash) was first seen, as this process last
   * read the durable record (at start, after each reload, at each digest);
   * null until it has been read once. For `/brief since:` (no Redis call per command).
   */
  firstSeenTimes?(): ReadonlyMap<string, number> | null;
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

/** File in CACHE_DIR holding the disk mirror of first-seen times. */
export const FIRST_SEEN_MIRROR_FILE = 'digest-first-seen.json';
/** Field prefix of a document path's first-seen time (content hashes are bare hex). */
const PATH_FIELD = 'path:';
/** Fields merged per Redis call when restoring from the mirror. */
const RESTORE_CHUNK = 500;

/** Sets each field to the smaller of its value and the given one (restoring from the mirror never makes a document newer). */
const MERGE_MIN = `
for i = 1, #ARGV, 2 do
  local current = redis.call('HGET', KEYS[1], ARGV[i])
  if (not current) or tonumber(current) > tonumber(ARGV[i + 1]) then redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
return 1`;

interface FirstSeenFile {
  version: 1;
  savedAt: string;
  /** Field (content hash, or "path:" + document path) → first-seen ms. */
  firstSeen: Record<string, number>;
}

/** A document as the first-seen record knows it: its content hash and every path it is stored under. */
export interface SeenDocument {
  hash: string;
  paths: readonly string[];
}

export interface FirstSeenOptions {
  /** The disk mirror (CACHE_DIR/digest-first-seen.json); none when absent. */
  mirrorPath?: string;
  log?: Logger;
}

/**
 * Durable "first seen" times of documents: hash `<prefix>digest:first-seen`,
 * one field per content (its SHA-256) and one per path ("path:<doc path>"),
 * value = ms. A document is as old as the oldest of its fields, so an edited
 * document (new content, known path) is not new, nor is known content under a
 * new path (a copy or rename); updates are never re-announced.
 *
 * The hash is mirrored to a JSON file (atomic writes, batched). When Redis
 * lost it (the marker `<prefix>digest:first-seen:restored` is gone), the
 * mirror is merged back (keeping the smaller time of each field) before
 * anything new is recorded, so a flushed Redis does not re-announce the corpus.
 */
export class FirstSeenStore {
  readonly redis: Redis;
  readonly key: string;
  readonly markerKey: string;
  private readonly mirror: DiskMirror<FirstSeenFile> | null;
  private readonly log: Logger | undefined;

  constructor(redis: Redis, prefix: string = DEFAULT_KEY_PREFIX, options: FirstSeenOptions = {}) {
    this.redis = redis;
    this.key = `${prefix}digest:first-seen`;
    this.markerKey = `${prefix}digest:first-seen:restored`;
    this.mirror = options.mirrorPath ? new DiskMirror<FirstSeenFile>(options.mirrorPath) : null;
    this.log = options.log;
  }

  get mirrorPath(): string | null {
    return this.mirror?.path ?? null;
  }

  /**
   * Records `atMs` for every document whose content and paths were all
   * unseen, and returns each document's first-seen time by content hash.
   */
  async record(documents: readonly SeenDocument[], atMs: number): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (documents.length === 0) return out;
    await this.restoreIfLost();
    const fieldsOf = (d: SeenDocument) => [d.hash, ...d.paths.map((p) => `${PATH_FIELD}${p}`)];
    const fields = [...new Set(documents.flatMap(fieldsOf))];
    const pipeline = this.redis.pipeline();
    for (const field of fields) pipeline.hsetnx(this.key, field, String(atMs));
    pipeline.hmget(this.key, ...fields);
    const results = (await pipeline.exec()) ?? [];
    const last = results[results.length - 1];
    if (!last || last[0]) throw last?.[0] ?? new Error('sitrep digest: no answer from Redis');
    const values = last[1] as (string | null)[];
    const seen = new Map(fields.map((f, i) => [f, Number(values[i] ?? atMs)]));
    for (const d of documents) out.set(d.hash, Math.min(...fieldsOf(d).map((f) => seen.get(f) ?? atMs)));
    const added = results.slice(0, -1).some(([, value]) => Number(value) === 1);
    if (added) void this.saveMirror();
    return out;
  }

  /** Writes the mirror from Redis soon (batched); failures are logged, not thrown. */
  saveMirror(): Promise<void> {
    const mirror = this.mirror;
    if (!mirror) return Promise.resolve();
    return mirror
      .request(async () => {
        const all = await this.redis.hgetall(this.key);
        const firstSeen: Record<string, number> = {};
        for (const [field, value] of Object.entries(all)) firstSeen[field] = Number(value);
        return { version: 1 as const, savedAt: new Date().toISOString(), firstSeen };
      })
      .catch((error: unknown) => this.log?.warn('could not save the first-seen mirror', { component: 'digest', path: mirror.path, error: error instanceof Error ? error.message : String(error) }));
  }

  /** Merges the mirror back into Redis when Redis lost the record (no marker); returns the fields restored. */
  async restoreIfLost(): Promise<number> {
    if ((await this.redis.exists(this.markerKey)) > 0) return 0;
    let entries: [string, number][] = [];
    if (this.mirror) {
      try {
        const file = this.mirror.read() as Partial<FirstSeenFile> | null;
        if (file && file.firstSeen && typeof file.firstSeen === 'object') {
          entries = Object.entries(file.firstSeen).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1]));
        }
      } catch (error) {
        this.log?.warn('the first-seen mirror is unreadable; documents may be announced again', { component: 'digest', path: this.mirror.path, error: error instanceof Error ? error.message : String(error) });
      }
    }
    for (let i = 0; i < entries.length; i += RESTORE_CHUNK) {
      const args = entries.slice(i, i + RESTORE_CHUNK).flatMap(([field, ms]) => [field, String(ms)]);
      await this.redis.eval(MERGE_MIN, 1, this.key, ...args);
    }
    await this.redis.set(this.markerKey, '1');
    if (entries.length > 0) this.log?.warn('Redis had lost the first-seen record of documents; restored it from the disk mirror', { component: 'digest', fields: entries.length, path: this.mirror?.path });
    return entries.length;
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
  /** The first-seen times last read from the record (by content hash); null before the first read. */
  private known: Map<string, number> | null = null;

  constructor(briefing: Briefing | (() => Briefing), firstSeen: FirstSeenStore, now: () => number = Date.now) {
    this.briefing = typeof briefing === 'function' ? briefing : () => briefing;
    this.firstSeen = firstSeen;
    this.now = now;
  }

  /** Records the current corpus as seen now; call at start-up and after every reload. */
  async recordSeen(): Promise<void> {
    this.remember(await this.firstSeen.record(this.briefing().documents, this.now()));
  }

  private remember(seen: ReadonlyMap<string, number>): void {
    this.known ??= new Map();
    for (const [hash, at] of seen) this.known.set(hash, at);
  }

  firstSeenTimes(): ReadonlyMap<string, number> | null {
    return this.known;
  }

  /** The brief of the documents first seen in the window, citing only them. */
  async briefSince(window: DigestWindow): Promise<BriefResult> {
    const briefing = this.briefing();
    const seen = await this.firstSeen.record(briefing.documents, Math.min(this.now(), window.untilMs));
    this.remember(seen);
    const topic = window.topic?.trim() || null;
    const options = {
      since: window.sinceMs,
      until: window.untilMs,
      firstSeen: (d: CorpusDocument) => seen.get(d.hash) ?? null,
      windowOnly: true,
      ...(topic ? { topic } : {}),
    };
    // A long window (a digest's first after weeks) reads many documents: ahead, in slices.
    await briefing.prepareBrief(options);
    return briefing.brief(options);
  }

  async documentsSince(window: DigestWindow): Promise<DigestDocument[]> {
    const briefing = this.briefing();
    const seen = await this.firstSeen.record(briefing.documents, Math.min(this.now(), window.untilMs));
    this.remember(seen);
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
    // Only these documents' quotations and events are made (describing every speaker of the corpus would cost seconds).
    const quotes = briefing.quote({ ...(topic ? { topic } : {}), documents: docs }).quotes;
    const events = briefing.timeline({ ...(topic ? { topic } : {}), documents: docs }).events;

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
