/**
 * The BullMQ side of digests: one job scheduler per subscribed channel (stable
 * id, cron pattern from time and days, `tz` from the subscription), the shared
 * job options, reconciliation of schedulers with the stored subscriptions
 * (restoring those from the disk mirror when Redis lost everything), catching
 * up a slot missed while Redis or every worker was down, and the start-up
 * check of Redis's eviction and persistence settings.
 *
 * Reconciling never drops a slot that is due: a scheduler is only re-created
 * when its definition (pattern, time zone) changed or its pending job is gone,
 * because BullMQ's upsertJobScheduler removes the pending (possibly overdue)
 * job and schedules the next run from now.
 */
import { join } from 'node:path';
import { Queue, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import { RedisOutage } from './outage.js';
import { cronPattern, nextRunAfter, parseDays } from './schedule.js';
import { DEFAULT_KEY_PREFIX, SubscriptionMirror, SubscriptionStore, type Subscription } from './subscription.js';

export const DEFAULT_QUEUE_NAME = 'digest';
export const DIGEST_JOB_NAME = 'digest';
/** File in CACHE_DIR holding the disk mirror of subscriptions. */
export const MIRROR_FILE = 'digest-subscriptions.json';
/** Attempts per slot (the first try and five retries) with exponential backoff from this delay. */
export const DEFAULT_ATTEMPTS = 6;
export const DEFAULT_BACKOFF_MS = 5_000;

/** A slot this much past its time is skipped, not posted late (one hour). */
export const DEFAULT_GRACE_MS = 60 * 60 * 1000;
/** How far back reconciliation looks for a missed slot (a weekly digest has one slot in any 8 days). */
const CATCH_UP_LOOKBACK_MS = 8 * 24 * 3600 * 1000;
/** How long the record that a missed slot was reported is kept (seconds), so several processes report it once. */
const MISSED_RECORD_TTL_SECONDS = 7 * 24 * 3600;

export interface DigestJobData {
  channelId: string;
  /** Set for "post now": the job's own slot time (ms). Scheduled jobs take theirs from BullMQ. */
  manualSlotMs?: number;
  /** Set for a missed scheduled slot queued again by reconciliation (a catch-up): the slot's time (ms). */
  slotMs?: number;
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
  /** A slot missed by more than this is skipped (default one hour); a later one is posted late. */
  graceMs?: number;
  /** Shared by every Redis connection of the process, so an outage is one warning (made here when absent). */
  outage?: RedisOutage;
  now?: () => number;
}

export function schedulerId(channelId: string): string {
  return `digest-${channelId}`;
}

/** BullMQ's id of the job a scheduler makes for the slot at `slotMs`. */
export function scheduledJobId(channelId: string, slotMs: number): string {
  return `repeat:${schedulerId(channelId)}:${slotMs}`;
}

/** The deterministic id of the catch-up job of a missed slot: one per (channel, slot), however many processes reconcile. */
export function catchUpJobId(channelId: string, slotMs: number): string {
  return `catchup-${channelId}-${slotMs}`;
}

export function bullPrefix(prefix: string): string {
  return `${prefix}bull`;
}

/**
 * A Redis client for Sitrep's own keys. ioredis reconnects by itself and holds
 * commands in its offline queue meanwhile; `maxRetriesPerRequest: 3` fails a
 * held command after three reconnect attempts instead of hanging forever (the
 * service does not wait that long either: it answers "unavailable" at once
 * while the client is not ready). Errors and readiness go to `outage`.
 */
export function connectRedis(url: string, outage?: RedisOutage, source = 'digest'): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 3, connectionName: 'sitrep-digest' });
  // Without an error listener ioredis would print every failed attempt.
  if (outage) outage.watch(redis, source);
  else redis.on('error', () => undefined);
  return redis;
}

export function patternFor(subscription: Pick<Subscription, 'time' | 'days'>, second = 0): string {
  return cronPattern(subscription.time, parseDays(subscription.days), second);
}

/** When a subscription next fires after `fromMs` (ms), or null. */
export function nextRunOf(subscription: Pick<Subscription, 'time' | 'days' | 'timezone'>, fromMs: number, second = 0): number | null {
  return nextRunAfter(patternFor(subscription, second), subscription.timezone, fromMs);
}

/** The most recent slot of a subscription in (`afterMs`, `untilMs`], or null. */
export function lastSlotIn(subscription: Pick<Subscription, 'time' | 'days' | 'timezone'>, afterMs: number, untilMs: number, second = 0): number | null {
  let last: number | null = null;
  for (let at = nextRunOf(subscription, afterMs, second); at !== null && at <= untilMs; at = nextRunOf(subscription, at, second)) last = at;
  return last;
}

export interface ReconcileReport {
  /** Subscriptions copied back into Redis from the disk mirror (Redis had lost them). */
  restored: number;
  /** Schedulers created or re-created (new, changed, or their pending job was gone). */
  scheduled: number;
  /** Schedulers removed (paused, unsubscribed, or unknown). */
  removed: number;
  /** Missed slots queued to be posted late (within the grace). */
  caughtUp: number;
  /** Missed slots skipped (more than the grace late). */
  skipped: number;
}

/** The pieces both the service and the worker hold. */
export class DigestSchedules {
  readonly queue: Queue<DigestJobData>;
  readonly store: SubscriptionStore;
  readonly mirror: SubscriptionMirror;
  readonly log: Logger | undefined;
  readonly outage: RedisOutage;
  readonly graceMs: number;
  private readonly jobOptions: JobsOptions;
  private readonly second: number;
  private readonly prefix: string;
  private readonly now: () => number;
  private reconciling: Promise<ReconcileReport> | null = null;

  constructor(redis: Redis, options: DigestRedisOptions & { redisUrl: string }) {
    const prefix = options.prefix ?? DEFAULT_KEY_PREFIX;
    this.prefix = prefix;
    this.store = new SubscriptionStore(redis, prefix);
    this.mirror = new SubscriptionMirror(join(options.cacheDir, MIRROR_FILE));
    this.log = options.log;
    this.outage = options.outage ?? new RedisOutage(options.log);
    this.graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
    this.now = options.now ?? Date.now;
    this.second = options.scheduleSecond ?? 0;
    this.queue = new Queue<DigestJobData>(options.queueName ?? DEFAULT_QUEUE_NAME, {
      connection: { url: options.redisUrl, maxRetriesPerRequest: null },
      prefix: bullPrefix(prefix),
    });
    this.queue.on('error', this.outage.onError('queue', 'digest queue error'));
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

  /**
   * Makes sure the channel's scheduler exists with the subscription's
   * pattern and time zone and has its pending job; changes nothing otherwise,
   * so a pending job that is already due (Redis or the workers were down) is
   * kept and posted. Returns true when the scheduler was (re)created.
   */
  async ensure(subscription: Subscription): Promise<boolean> {
    const id = schedulerId(subscription.channelId);
    const existing = await this.queue.getJobScheduler(id);
    if (existing && existing.pattern === patternFor(subscription, this.second) && (existing.tz ?? null) === subscription.timezone && typeof existing.next === 'number') {
      const pending = await this.queue.getJob(scheduledJobId(subscription.channelId, existing.next));
      if (pending) return false;
    }
    await this.upsert(subscription);
    return true;
  }

  /** Creates or replaces the channel's scheduler; its pending job is replaced by one for the next slot from now. */
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
    let caughtUp = 0;
    let skipped = 0;
    for (const s of subscriptions) {
      if (s.paused) continue;
      active.add(schedulerId(s.channelId));
      if (await this.ensure(s)) scheduled++;
      const missed = await this.catchUp(s);
      if (missed === 'queued') caughtUp++;
      else if (missed === 'skipped') skipped++;
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
    if (restored > 0 || skipped > 0) await this.saveMirror();
    const report = { restored, scheduled, removed, caughtUp, skipped };
    // A reconcile that changed nothing (the usual one after a reconnect) is not worth a line.
    if (restored + scheduled + removed + caughtUp + skipped > 0) this.log?.info('digest schedules reconciled', { component: 'digest', ...report });
    else this.log?.debug('digest schedules reconciled: nothing to change', { component: 'digest' });
    return report;
  }

  /**
   * The most recent slot of an active subscription that is due, was never
   * handled (after lastSlotAt, lastDigestAt and the subscribe), and has no
   * job of its own (BullMQ's, pending or done, or an earlier catch-up): within
   * the grace it is queued once under a deterministic job id; later, it is
   * skipped with one log line and a note `/digest list` shows.
   */
  async catchUp(subscription: Subscription): Promise<'queued' | 'skipped' | null> {
    const now = this.now();
    const handled = Math.max(
      Date.parse(subscription.createdAt) || 0,
      subscription.lastSlotAt ? Date.parse(subscription.lastSlotAt) : 0,
      subscription.lastDigestAt ? Date.parse(subscription.lastDigestAt) : 0,
      now - CATCH_UP_LOOKBACK_MS,
    );
    const slotMs = lastSlotIn(subscription, handled, now, this.second);
    if (slotMs === null) return null;
    const { channelId } = subscription;
    if (await this.queue.getJob(scheduledJobId(channelId, slotMs))) return null;
    if (await this.queue.getJob(catchUpJobId(channelId, slotMs))) return null;
    const lateByMs = now - slotMs;
    const log = this.log?.child({ component: 'digest', channelId, slot: new Date(slotMs).toISOString() });
    if (lateByMs <= this.graceMs) {
      await this.queue.add(DIGEST_JOB_NAME, { channelId, slotMs }, { ...this.jobOptions, jobId: catchUpJobId(channelId, slotMs) });
      log?.info('digest slot was missed while Redis or the workers were down; posting it late', { lateByMs });
      return 'queued';
    }
    await this.recordMissed(subscription, slotMs, lateByMs);
    return 'skipped';
  }

  /**
   * Marks a slot skipped for being more than the grace late: the note for
   * `/digest list` and lastSlotAt (never backwards), and one log line however
   * many processes notice it (SET NX on a per-slot record).
   */
  async recordMissed(subscription: Pick<Subscription, 'channelId' | 'lastSlotAt' | 'missedSlotAt'>, slotMs: number, lateByMs: number): Promise<void> {
    const at = new Date(slotMs).toISOString();
    const later = (iso: string | null | undefined) => !iso || Date.parse(iso) < slotMs;
    await this.store.update(subscription.channelId, {
      ...(later(subscription.lastSlotAt) ? { lastSlotAt: at } : {}),
      ...(later(subscription.missedSlotAt) ? { missedSlotAt: at } : {}),
    });
    const first = await this.store.redis.set(`${this.prefix}digest:missed:${subscription.channelId}:${slotMs}`, '1', 'EX', MISSED_RECORD_TTL_SECONDS, 'NX');
    if (first !== null) {
      this.log?.warn('digest slot skipped: more than the grace late (its documents go into the next digest)', {
        component: 'digest',
        channelId: subscription.channelId,
        slot: at,
        lateByMs,
        graceMs: this.graceMs,
      });
    }
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
