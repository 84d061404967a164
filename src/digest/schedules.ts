/**
 * The BullMQ side of digests: one job scheduler per subscribed channel (stable
 * id, cron pattern from time and days, `tz` from the subscription), the shared
 * job options, reconciliation of schedulers with the stored subscriptions
 * (restoring those from the disk mirror when Redis lost everything), and the
 * start-up check of Redis's eviction and persistence settings.
 */
import { join } from 'node:path';
import { Queue, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import { cronPattern, nextRunAfter, parseDays } from './schedule.js';
import { DEFAULT_KEY_PREFIX, SubscriptionMirror, SubscriptionStore, type Subscription } from './subscription.js';

export const DEFAULT_QUEUE_NAME = 'digest';
export const DIGEST_JOB_NAME = 'digest';
/** File in CACHE_DIR holding the disk mirror of subscriptions. */
export const MIRROR_FILE = 'digest-subscriptions.json';
/** Attempts per slot (the first try and five retries) with exponential backoff from this delay. */
export const DEFAULT_ATTEMPTS = 6;
export const DEFAULT_BACKOFF_MS = 5_000;

export interface DigestJobData {
  channelId: string;
  /** Set for "post now": the job's own slot time (ms). Scheduled jobs take theirs from BullMQ. */
  manualSlotMs?: number;
}

/** Settings shared by the service (bot side) and the worker; both must agree. */
export interface DigestRedisOptions {
  /** redis://host:port; null → every digest call fails with DigestError('DigestsNeedRedis'). */
  redisUrl: string | null;
  /** Where the disk mirror of subscriptions is kept (CACHE_DIR). */
  cacheDir: string;
  /** Prefix of every Redis key (default "sitrep:"); BullMQ's keys live under `<prefix>bull:`. */
  prefix?: string;
  /** BullMQ queue name (default "digest"). */
  queueName?: string;
  log?: Logger;
  /** Retries per slot for transient failures (default 6 attempts, 5 s doubling). */
  attempts?: number;
  backoffMs?: number;
  /** Second of the minute the schedules fire at (default 0). Tests use it to fire a slot seconds ahead. */
  scheduleSecond?: number;
}

export function schedulerId(channelId: string): string {
  return `digest-${channelId}`;
}

export function bullPrefix(prefix: string): string {
  return `${prefix}bull`;
}

/** A Redis client for Sitrep's own keys: commands fail after a few reconnect attempts instead of hanging forever. */
export function connectRedis(url: string, log?: Logger): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 3, connectionName: 'sitrep-digest' });
  // ioredis reconnects by itself; without a listener it would print every failed attempt.
  redis.on('error', (error: Error) => log?.debug('digest Redis connection error', { component: 'digest', error: error.message }));
  return redis;
}

export function patternFor(subscription: Pick<Subscription, 'time' | 'days'>, second = 0): string {
  return cronPattern(subscription.time, parseDays(subscription.days), second);
}

/** When a subscription next fires after `fromMs` (ms), or null. */
export function nextRunOf(subscription: Pick<Subscription, 'time' | 'days' | 'timezone'>, fromMs: number, second = 0): number | null {
  return nextRunAfter(patternFor(subscription, second), subscription.timezone, fromMs);
}

export interface ReconcileReport {
  /** Subscriptions copied back into Redis from the disk mirror (Redis had lost them). */
  restored: number;
  /** Schedulers created or updated for active subscriptions. */
  scheduled: number;
  /** Schedulers removed (paused, unsubscribed, or unknown). */
  removed: number;
}

/** The pieces both the service and the worker hold. */
export class DigestSchedules {
  readonly queue: Queue<DigestJobData>;
  readonly store: SubscriptionStore;
  readonly mirror: SubscriptionMirror;
  readonly log: Logger | undefined;
  private readonly jobOptions: JobsOptions;
  private readonly second: number;
  private reconciling: Promise<ReconcileReport> | null = null;

  constructor(redis: Redis, options: DigestRedisOptions & { redisUrl: string }) {
    const prefix = options.prefix ?? DEFAULT_KEY_PREFIX;
    this.store = new SubscriptionStore(redis, prefix);
    this.mirror = new SubscriptionMirror(join(options.cacheDir, MIRROR_FILE));
    this.log = options.log;
    this.second = options.scheduleSecond ?? 0;
    this.queue = new Queue<DigestJobData>(options.queueName ?? DEFAULT_QUEUE_NAME, {
      connection: { url: options.redisUrl, maxRetriesPerRequest: null },
      prefix: bullPrefix(prefix),
    });
    this.queue.on('error', (error) => this.log?.warn('digest queue error', { component: 'digest', error }));
    this.jobOptions = {
      attempts: options.attempts ?? DEFAULT_ATTEMPTS,
      backoff: { type: 'exponential', delay: options.backoffMs ?? DEFAULT_BACKOFF_MS },
      removeOnComplete: { age: 7 * 24 * 3600, count: 5000 },
      removeOnFail: { age: 30 * 24 * 3600, count: 5000 },
    };
  }

  get scheduleSecond(): number {
    return this.second;
  }

  nextRun(subscription: Subscription, fromMs: number = Date.now()): number | null {
    return subscription.paused ? null : nextRunOf(subscription, fromMs, this.second);
  }

  /** Creates or updates the channel's scheduler (idempotent: one scheduler per channel). */
  async upsert(subscription: Subscription): Promise<void> {
    await this.queue.upsertJobScheduler(
      schedulerId(subscription.channelId),
      { pattern: patternFor(subscription, this.second), tz: subscription.timezone },
      { name: DIGEST_JOB_NAME, data: { channelId: subscription.channelId }, opts: this.jobOptions },
    );
  }

  async remove(channelId: string): Promise<void> {
    await this.queue.removeJobScheduler(schedulerId(channelId));
  }

  /**
   * Queues a one-off digest for a channel covering documents first seen up to
   * `nowMs`; one per channel per minute however often it is asked for (the job
   * id names the minute, and BullMQ adds nothing for an id it already holds).
   */
  async addManual(channelId: string, nowMs: number): Promise<{ jobId: string; slotMs: number }> {
    const jobId = `manual-${channelId}-${Math.floor(nowMs / 60_000) * 60_000}`;
    const job = await this.queue.add(DIGEST_JOB_NAME, { channelId, manualSlotMs: nowMs }, { ...this.jobOptions, jobId });
    return { jobId, slotMs: job.data.manualSlotMs ?? nowMs };
  }

  /** Saves the disk mirror from Redis soon (coalesced); failures are logged, not thrown. */
  saveMirror(): Promise<void> {
    return this.mirror.request(() => this.store.all()).catch((error: unknown) => {
      this.log?.warn('could not save the digest subscriptions mirror', { component: 'digest', path: this.mirror.path, error });
    });
  }

  /**
   * Makes the schedulers match the subscriptions. When Redis holds no trace of
   * subscriptions (never used, or flushed/restarted without persistence) and
   * the disk mirror holds some, they are restored from the mirror first.
   * Concurrent calls share one run.
   */
  reconcile(): Promise<ReconcileReport> {
    if (!this.reconciling) {
      this.reconciling = this.reconcileOnce().finally(() => {
        this.reconciling = null;
      });
    }
    return this.reconciling;
  }

  private async reconcileOnce(): Promise<ReconcileReport> {
    let restored = 0;
    if (!(await this.store.isInitialized())) {
      const saved = this.mirror.load();
      for (const subscription of saved) await this.store.put(subscription);
      restored = saved.length;
      await this.store.markInitialized();
      if (restored > 0) this.log?.warn('Redis had lost the digest subscriptions; restored them from the disk mirror', { component: 'digest', restored, path: this.mirror.path });
    }
    const subscriptions = await this.store.all();
    const active = new Set<string>();
    let scheduled = 0;
    for (const s of subscriptions) {
      if (s.paused) continue;
      active.add(schedulerId(s.channelId));
      await this.upsert(s);
      scheduled++;
    }
    let removed = 0;
    const existing = await this.queue.getJobSchedulers(0, -1);
    for (const scheduler of existing) {
      const id = scheduler.key;
      if (!active.has(id)) {
        await this.queue.removeJobScheduler(id);
        removed++;
      }
    }
    if (restored > 0) await this.saveMirror();
    this.log?.info('digest schedules reconciled', { component: 'digest', restored, scheduled, removed });
    return { restored, scheduled, removed };
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

/**
 * Calls `onReconnect` each time the client is ready again after losing its
 * connection (not on the first connection). Returns a function that stops.
 */
export function onReconnect(redis: Redis, onReconnect: () => void): () => void {
  let readyBefore = redis.status === 'ready';
  const listener = (): void => {
    if (readyBefore) onReconnect();
    readyBefore = true;
  };
  redis.on('ready', listener);
  return () => redis.off('ready', listener);
}

/** Warns when Redis may evict keys or lose them on restart: digests need `noeviction` and AOF or RDB persistence. */
export async function checkRedisDurability(redis: Redis, log?: Logger): Promise<string[]> {
  const problems: string[] = [];
  try {
    const policy = ((await redis.config('GET', 'maxmemory-policy')) as string[])[1] ?? '';
    const aof = ((await redis.config('GET', 'appendonly')) as string[])[1] ?? '';
    const save = ((await redis.config('GET', 'save')) as string[])[1] ?? '';
    if (policy !== 'noeviction') problems.push(`maxmemory-policy is "${policy}", not "noeviction": Redis may evict schedules and subscriptions`);
    if (aof !== 'yes' && save.trim() === '') problems.push('persistence is off (appendonly no and no RDB save points): a Redis restart loses schedules (they are restored from the disk mirror)');
  } catch (error) {
    log?.debug('could not read the Redis configuration (CONFIG GET is disabled?)', { component: 'digest', error });
    return problems;
  }
  for (const problem of problems) log?.warn(problem, { component: 'digest' });
  return problems;
}
