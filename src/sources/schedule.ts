/**
 * Polling feeds on a schedule. With Redis (REDIS_URL): one BullMQ job
 * scheduler per feed (`feed-<id>`, every N minutes), reconciled with the feed
 * files on disk at start, every few minutes after (so `sitrep feeds add` from
 * the command line is picked up, and a Redis flush loses nothing), and after
 * each change made through the bot; any free worker of any process takes the
 * job, and the feed's lock (src/sources/registry.ts) keeps one feed from
 * being polled twice at once. Without Redis: one timer in this process polls
 * each feed when it is due.
 */
import { Queue, Worker } from 'bullmq';
import type { Logger } from '../log.js';
import type { Sources } from './index.js';
import type { PollReport } from './poll.js';
import { feedId } from './registry.js';

export const FEED_QUEUE_NAME = 'feeds';
const FEED_JOB_NAME = 'poll';
/** How often the schedule is reconciled with the feed files (and, without Redis, how often due feeds are looked for). */
export const RECONCILE_MS = 60_000;
/** Feeds polled at once by one worker (each is paced per site by the fetcher). */
const CONCURRENCY = 4;

export interface FeedScheduler {
  /** Brings the schedule in line with the feed files now. */
  reconcile(): Promise<void>;
  close(): Promise<void>;
}

export interface FeedSchedulerOptions {
  sources: Sources;
  log: Logger;
  /** Redis for BullMQ; null polls in this process on a timer. */
  redisUrl: string | null;
  /** Prefix of Redis keys (default "sitrep:"); BullMQ's live under `<prefix>bull`. */
  prefix?: string;
  /** Run a worker in this process (the bot's main process; `npm run worker` processes also do). */
  runWorker?: boolean;
  /** Told about each scheduled poll. */
  onPoll?: (report: PollReport) => void;
  reconcileMs?: number;
}

export function feedSchedulerId(url: string): string {
  return `feed-${feedId(url)}`;
}

function logPoll(log: Logger, report: PollReport): void {
  if (report.busy) return;
  const fields = { feed: report.feed, added: report.added.length, skipped: report.skipped.length };
  if (report.error) log.warn(`feed poll: ${report.error}`, fields);
  else log.info('feed polled', fields);
}

/** Polls due feeds in this process (no Redis): each when `every` minutes have passed since its last poll. */
function timerScheduler(options: FeedSchedulerOptions): FeedScheduler {
  let running: Promise<void> | null = null;
  const tick = (): Promise<void> =>
    (running ??= (async () => {
      for (const feed of await options.sources.registry.list()) {
        if (feed.paused) continue;
        const last = feed.lastPolledAt ? Date.parse(feed.lastPolledAt) : 0;
        if (Date.now() - last < feed.every * 60_000) continue;
        const report = await options.sources.pollScheduled(feed.url);
        logPoll(options.log, report);
        options.onPoll?.(report);
      }
    })().finally(() => (running = null)));
  const timer = setInterval(() => void tick().catch((error: unknown) => options.log.error('feed polling failed', { error })), options.reconcileMs ?? RECONCILE_MS);
  timer.unref();
  void tick().catch((error: unknown) => options.log.error('feed polling failed', { error }));
  return {
    reconcile: () => tick(),
    close: async () => {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}

async function bullScheduler(options: FeedSchedulerOptions & { redisUrl: string }): Promise<FeedScheduler> {
  const prefix = `${options.prefix ?? 'sitrep:'}bull`;
  const connection = { url: options.redisUrl, maxRetriesPerRequest: null };
  const queue = new Queue(FEED_QUEUE_NAME, { connection, prefix });
  queue.on('error', (error) => options.log.debug('feed queue connection error', { error: error.message }));
  let worker: Worker | null = null;
  if (options.runWorker !== false) {
    worker = new Worker<{ url: string }>(
      FEED_QUEUE_NAME,
      async (job) => {
        const report = await options.sources.pollScheduled(job.data.url);
        logPoll(options.log, report);
        options.onPoll?.(report);
        return { added: report.added.length, error: report.error };
      },
      { connection, prefix, concurrency: CONCURRENCY },
    );
    worker.on('error', (error) => options.log.warn('feed worker error', { error: error.message }));
  }
  const reconcile = async (): Promise<void> => {
    const feeds = (await options.sources.registry.list()).filter((f) => !f.paused);
    const wanted = new Map(feeds.map((f) => [feedSchedulerId(f.url), f]));
    for (const [id, feed] of wanted) {
      await queue.upsertJobScheduler(id, { every: feed.every * 60_000 }, { name: FEED_JOB_NAME, data: { url: feed.url }, opts: { removeOnComplete: 100, removeOnFail: 100 } });
    }
    for (const scheduler of await queue.getJobSchedulers(0, -1)) {
      if (!wanted.has(scheduler.key)) await queue.removeJobScheduler(scheduler.key);
    }
  };
  await reconcile();
  await worker?.waitUntilReady();
  const timer = setInterval(() => void reconcile().catch((error: unknown) => options.log.warn('feed schedule reconcile failed', { error })), options.reconcileMs ?? RECONCILE_MS);
  timer.unref();
  return {
    reconcile,
    close: async () => {
      clearInterval(timer);
      await worker?.close();
      await queue.close();
    },
  };
}

export async function startFeedScheduler(options: FeedSchedulerOptions): Promise<FeedScheduler> {
  if (options.redisUrl) return bullScheduler({ ...options, redisUrl: options.redisUrl });
  return timerScheduler(options);
}
