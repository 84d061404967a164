/**
 * Telling the other processes what was stored. Each process that stores
 * articles (the bot, an `npm run worker` polling a feed, a shard process
 * running /article add) publishes the stored (or removed) documents' paths
 * on the Redis channel `<prefix>sources:stored`; every other process with
 * live sources hears it and hands the paths to its own engine, which reads
 * them from the shared folder at once instead of at its next rescan. Best
 * effort: with Redis down nothing is sent or heard and the rescan
 * (CORPUS_RESCAN_SECONDS) still finds the files; nothing here throws.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import { within } from './pacing.js';

/** At most this many paths in one announcement, each at most this long (a message that says more is ignored). */
const MAX_DOCS = 1000;
const MAX_DOC_CHARS = 1000;
/** How long a publish may wait for Redis. */
const PUBLISH_TIMEOUT_MS = 1000;

interface Announcement {
  from: string;
  docs: string[];
}

function parse(message: string): Announcement | null {
  try {
    const value = JSON.parse(message) as Partial<Announcement>;
    if (typeof value.from !== 'string' || !Array.isArray(value.docs) || value.docs.length > MAX_DOCS) return null;
    if (!value.docs.every((d) => typeof d === 'string' && d.length > 0 && d.length <= MAX_DOC_CHARS)) return null;
    return { from: value.from, docs: value.docs };
  } catch {
    return null;
  }
}

export class StoredAnnouncer {
  readonly channel: string;
  /** This process's own mark, so it does not take in what it announced itself. */
  private readonly self = randomBytes(8).toString('hex');
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private closed = false;

  /** `heard` receives the paths another process stored or removed (relative to the corpus folder). */
  constructor(
    url: string,
    prefix: string,
    heard: (docs: string[]) => Promise<void>,
    private readonly log?: Logger,
  ) {
    this.channel = `${prefix}sources:stored`;
    this.publisher = new Redis(url, { maxRetriesPerRequest: 1, connectionName: 'sitrep-sources-announce' });
    this.subscriber = new Redis(url, { maxRetriesPerRequest: 1, connectionName: 'sitrep-sources-listen' });
    // Failures are expected while Redis is away (the rescan covers them); ioredis reconnects and resubscribes by itself.
    this.publisher.on('error', () => undefined);
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      const announcement = parse(message);
      if (!announcement || announcement.from === this.self || announcement.docs.length === 0) return;
      heard(announcement.docs).catch((error: unknown) => this.log?.warn('could not take in articles another process stored; the next rescan will', { error: String(error) }));
    });
    this.subscriber.subscribe(this.channel).catch((error: unknown) => this.log?.debug('not listening for stored articles yet (Redis unreachable)', { error: String(error) }));
  }

  /** Resolves once the subscription is in place (tests; the bot does not wait). */
  async ready(): Promise<void> {
    await this.subscriber.subscribe(this.channel);
  }

  /** Announces stored or removed documents; never throws, never waits more than a second. */
  async publish(docs: readonly string[]): Promise<void> {
    if (this.closed || docs.length === 0) return;
    for (let i = 0; i < docs.length; i += MAX_DOCS) {
      const message = JSON.stringify({ from: this.self, docs: docs.slice(i, i + MAX_DOCS) } satisfies Announcement);
      await within(this.publisher.publish(this.channel, message), PUBLISH_TIMEOUT_MS);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const connection of [this.subscriber, this.publisher]) {
      await within(connection.quit(), PUBLISH_TIMEOUT_MS);
      connection.disconnect();
    }
  }
}
