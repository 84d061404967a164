/**
 * Live sources, put together: one fetcher (one per process, so its per-site
 * pacing holds across everything the process fetches), robots.txt rules, the
 * article store and the feed list, all under the fetched folder. The CLI
 * (`add`, `feeds …`) and the bot (`/article`, `/feeds`, scheduled polls) open
 * it the same way.
 */
import { join } from 'node:path';
import { SourceError } from './errors.js';
import type { AddressPolicy, Resolver } from './guard.js';
import { DEFAULT_HOST_INTERVAL_MS, Fetcher, redactUrl } from './http.js';
import { RedisPacer, type HostPacer } from './pacing.js';
import type { Logger } from '../log.js';
import { SourceIngest, type Added } from './ingest.js';
import { FEED_ACCEPT, pollFeed, type PollOptions, type PollReport } from './poll.js';
import { readFeed } from './feed.js';
import { FeedRegistry, normaliseFeedUrl, viewOf, type FeedView } from './registry.js';
import { RobotsRules } from './robots.js';
import { ArticleStore } from './store.js';

export interface SourcesOptions {
  corpusDir: string;
  /** FETCHED_DIR; default `<corpusDir>/fetched`. */
  fetchedDir?: string | null;
  addresses: AddressPolicy;
  timeoutMs?: number;
  hostIntervalMs?: number;
  maxFailures?: number;
  resolver?: Resolver;
  /**
   * Shares per-site pacing and Retry-After with every process on this Redis
   * (REDIS_URL); without it (or while Redis is unreachable) pacing holds in
   * this process only.
   */
  redisUrl?: string | null;
  /** Redis key prefix for the shared pacing (default "sitrep:"). */
  prefix?: string;
  /** A pacer made elsewhere (tests); overrides `redisUrl`. */
  pacer?: HostPacer;
  log?: Logger;
  /** Told after articles were stored (the bot re-reads the corpus). */
  onStored?: (added: Added[]) => Promise<void>;
  /** Told once when a feed pauses itself (the bot says so in the feed's channel). */
  onPaused?: (feed: FeedView) => Promise<void>;
}

/** Where fetched articles go when FETCHED_DIR is not set. */
export function defaultFetchedDir(corpusDir: string): string {
  return join(corpusDir, 'fetched');
}

export interface FeedAddOptions {
  every?: number;
  guild?: string | null;
  member?: string | null;
  channel?: string | null;
}

export class Sources {
  readonly fetcher: Fetcher;
  readonly store: ArticleStore;
  readonly registry: FeedRegistry;
  readonly ingest: SourceIngest;
  readonly fetchedDir: string;
  private readonly options: SourcesOptions;

  constructor(options: SourcesOptions) {
    this.options = options;
    this.fetchedDir = options.fetchedDir ?? defaultFetchedDir(options.corpusDir);
    const intervalMs = options.hostIntervalMs ?? DEFAULT_HOST_INTERVAL_MS;
    const pacer =
      options.pacer ??
      (options.redisUrl
        ? new RedisPacer({ url: options.redisUrl, intervalMs, ...(options.prefix ? { prefix: options.prefix } : {}), ...(options.log ? { log: options.log } : {}) })
        : undefined);
    this.fetcher = new Fetcher({
      ...(pacer ? { pacer } : {}),
      addresses: options.addresses,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.hostIntervalMs !== undefined ? { hostIntervalMs: options.hostIntervalMs } : {}),
      ...(options.resolver ? { resolver: options.resolver } : {}),
    });
    this.store = new ArticleStore(this.fetchedDir, options.corpusDir);
    this.registry = new FeedRegistry(this.fetchedDir);
    this.ingest = new SourceIngest({ fetcher: this.fetcher, robots: new RobotsRules(this.fetcher), store: this.store });
  }

  /** `add URL|FILE...`: stores each, says why not for the others; tells the engine once. */
  async add(inputs: readonly string[], provenance: { guild?: string | null; member?: string | null } = {}) {
    const result = await this.ingest.addMany(inputs, provenance);
    if (result.added.length > 0) await this.options.onStored?.(result.added);
    return result;
  }

  /**
   * Follows a feed: checks the address answers with a feed (one GET, its title
   * kept), then registers it. A feed that was paused is resumed instead.
   */
  async addFeed(url: string, options: FeedAddOptions = {}): Promise<{ feed: FeedView; resumed: boolean }> {
    const key = normaliseFeedUrl(url);
    const existing = await this.registry.get(key);
    if (existing?.paused && (options.guild === undefined || existing.guild === options.guild)) {
      existing.paused = null;
      existing.failures = 0;
      existing.pauseAnnounced = false;
      existing.lastError = null;
      await this.registry.save(existing);
      return { feed: viewOf(existing), resumed: true };
    }
    if (existing) await this.registry.create(key, {}); // throws FeedExists
    const response = await this.fetcher.get({ url: key, accept: FEED_ACCEPT });
    const parsed = await readFeed(response.body, response.contentType, response.charset, response.url);
    const record = await this.registry.create(key, { ...options, title: parsed.title });
    return { feed: viewOf(record), resumed: false };
  }

  async listFeeds(broken?: string[]): Promise<FeedView[]> {
    return (await this.registry.list(broken)).map(viewOf);
  }

  async removeFeed(url: string, guild?: string): Promise<FeedView> {
    return viewOf(await this.registry.remove(url, guild));
  }

  private pollOptions(): PollOptions {
    const { maxFailures, onPaused, onStored } = this.options;
    return {
      registry: this.registry,
      ingest: this.ingest,
      ...(maxFailures !== undefined ? { maxFailures } : {}),
      ...(onPaused ? { onPaused } : {}),
      ...(onStored ? { onStored } : {}),
    };
  }

  /** Polls one feed (explicitly: a paused one too) or every feed not paused, now, once. */
  async poll(url?: string): Promise<PollReport[]> {
    const pollOptions = this.pollOptions();
    if (url !== undefined) {
      const feed = await this.registry.get(url);
      if (!feed) throw new SourceError('FeedNotFound', `${redactUrl(url)} is not a followed feed`, { url });
      return [await pollFeed(feed.url, pollOptions, true)];
    }
    const reports: PollReport[] = [];
    for (const feed of await this.registry.list()) reports.push(await pollFeed(feed.url, pollOptions, false));
    return reports;
  }

  /** Polls one feed as the scheduler does (a paused feed is left alone). */
  pollScheduled(url: string): Promise<PollReport> {
    return pollFeed(url, this.pollOptions());
  }

  /** Closes the shared pacing's Redis connection, if any (bounded: never hangs). */
  async close(): Promise<void> {
    await this.fetcher.pacer.close();
  }
}
