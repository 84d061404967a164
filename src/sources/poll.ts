/**
 * Polling a feed once: a conditional GET of the feed, then each item not seen
 * before is fetched, extracted and stored. Items already seen are never
 * fetched again; an item that failed for a passing reason (the site busy, a
 * timeout) stays unseen and is tried at the next poll. A feed that fails
 * FEED_MAX_FAILURES polls in a row pauses itself with the reason.
 */
import { isSourceError, reasonFor, type SourceErrorId } from './errors.js';
import { readFeed, type FeedItem } from './feed.js';
import { redactUrl } from './http.js';
import type { Added, SourceIngest, Skipped } from './ingest.js';
import { viewOf, type FeedRecord, type FeedRegistry, type FeedView } from './registry.js';

export const DEFAULT_MAX_FAILURES = 3;
export const FEED_ACCEPT = 'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1';

/** Item failures worth trying again at the next poll (the item stays unseen). */
const PASSING: ReadonlySet<SourceErrorId> = new Set(['RateLimited', 'Timeout', 'Network', 'CannotStore', 'HttpStatus']);

/** One poll's outcome (the CLI's `polls[]`). */
export interface PollReport {
  feed: string;
  added: Added[];
  skipped: Skipped[];
  error: string | null;
  /** The feed paused itself in this poll (so the channel it was added from is told once). */
  pausedNow?: boolean;
  /** Another process was polling the feed; nothing was done. */
  busy?: boolean;
  view?: FeedView;
}

export interface PollOptions {
  registry: FeedRegistry;
  ingest: SourceIngest;
  maxFailures?: number;
  /** Called once when a feed pauses itself (the bot says it in the feed's channel). */
  onPaused?: (feed: FeedView) => Promise<void>;
  /** Called after articles were stored (the engine re-reads the folder). */
  onStored?: (added: Added[]) => Promise<void>;
}

function isPassing(error: unknown): boolean {
  if (!isSourceError(error)) return true;
  if (error.identifier !== 'HttpStatus') return PASSING.has(error.identifier);
  const status = error.context.status;
  return typeof status === 'number' && (status >= 500 || status === 408);
}

/** Polls one feed now (held under its lock); `explicit` polls a paused feed too, and success resumes it. */
export async function pollFeed(url: string, options: PollOptions, explicit = false): Promise<PollReport> {
  const outcome = await options.registry.withLock(url, () => pollLocked(url, options, explicit));
  return outcome ?? { feed: url, added: [], skipped: [], error: 'another poll of this feed is running; nothing was done', busy: true };
}

async function pollLocked(url: string, options: PollOptions, explicit: boolean): Promise<PollReport> {
  const { registry, ingest } = options;
  const feed = await registry.get(url);
  if (!feed) return { feed: redactUrl(url), added: [], skipped: [], error: 'not a followed feed (it was removed)' };
  const report: PollReport = { feed: feed.url, added: [], skipped: [], error: null };
  if (feed.paused && !explicit) return { ...report, error: `paused: ${feed.paused}`, view: viewOf(feed) };
  if (feed.retryAt && Date.parse(feed.retryAt) > Date.now()) {
    return { ...report, error: `the site asked to be left alone until ${feed.retryAt} (Retry-After); not polled`, view: viewOf(feed) };
  }
  const now = new Date().toISOString();
  let response;
  let items: FeedItem[] = [];
  try {
    response = await ingest.fetcher.get({ url: feed.url, accept: FEED_ACCEPT, etag: feed.etag, lastModified: feed.lastModified });
    if (!response.notModified) {
      const parsed = await readFeed(response.body, response.contentType, response.charset, response.url);
      feed.title ??= parsed.title;
      items = parsed.items;
    }
  } catch (error) {
    return failed(feed, error, now, report, options);
  }

  const seen = new Set(feed.seen);
  const stored: Added[] = [];
  // Oldest first, so the stored order follows the feed's own.
  for (const item of [...items].reverse()) {
    if (seen.has(item.key) || (item.link && seen.has(item.link))) continue;
    if (!item.link) {
      report.skipped.push({ input: item.key, reason: 'the feed item has no link to an article' });
      seen.add(item.key);
      feed.seen.push(item.key);
      continue;
    }
    try {
      const added = await ingest.addUrl(item.link, { feed: feed.url, itemPublished: item.published, itemTitle: item.title });
      stored.push(added);
      report.added.push(added);
    } catch (error) {
      report.skipped.push({ input: redactUrl(item.link), reason: reasonFor(error) });
      if (isPassing(error)) continue;
    }
    seen.add(item.key);
    feed.seen.push(item.key);
  }

  feed.etag = response.etag ?? (response.notModified ? feed.etag : null);
  feed.lastModified = response.lastModified ?? (response.notModified ? feed.lastModified : null);
  feed.lastPolledAt = now;
  if (stored.length > 0) feed.lastAddedAt = new Date().toISOString();
  feed.failures = 0;
  feed.lastError = null;
  feed.retryAt = null;
  if (feed.paused) {
    feed.paused = null;
    feed.pauseAnnounced = false;
  }
  await registry.save(feed);
  if (stored.length > 0) await options.onStored?.(stored);
  return { ...report, view: viewOf(feed) };
}

async function failed(feed: FeedRecord, error: unknown, now: string, report: PollReport, options: PollOptions): Promise<PollReport> {
  const reason = reasonFor(error);
  feed.lastPolledAt = now;
  feed.lastError = reason;
  if (isSourceError(error) && error.identifier === 'RateLimited') {
    // The site asked for a pause: not the feed's fault, not counted.
    const at = error.context.retryAt;
    if (typeof at === 'number') feed.retryAt = new Date(at).toISOString();
    await options.registry.save(feed);
    return { ...report, error: reason, view: viewOf(feed) };
  }
  feed.failures += 1;
  const max = options.maxFailures ?? DEFAULT_MAX_FAILURES;
  let pausedNow = false;
  if (!feed.paused && feed.failures >= max) {
    feed.paused = `paused after ${feed.failures} failed polls in a row: ${reason}`;
    pausedNow = true;
  }
  await options.registry.save(feed);
  if (feed.paused && !feed.pauseAnnounced && options.onPaused) {
    try {
      await options.onPaused(viewOf(feed));
      feed.pauseAnnounced = true;
      await options.registry.save(feed);
    } catch {
      // Told at the next failed poll instead; the pause itself holds.
    }
  }
  return { ...report, error: reason, pausedNow, view: viewOf(feed) };
}
