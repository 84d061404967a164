/**
 * The digest feature's facade for front ends (the `/digest` command glue):
 * subscribe, list, unsubscribe, pause, resume, preview, post now, and time-zone
 * suggestions for autocomplete. Methods return plain data or throw DigestError
 * (identifier + context); only the front end turns those into words.
 */
import type { Redis } from 'ioredis';
import { buildDigest, type Digest, type DigestSource } from './content.js';
import { DigestError, digestsUnavailable, isDigestError, needRedis } from './errors.js';
import { isConnectionError, RedisOutage } from './outage.js';
import { renderDigest, type DigestMessage, type RenderOptions } from '../bot/render.js';
import { timezoneSuggestions } from './schedule.js';
import { checkRedisDurability, connectRedis, DigestSchedules, onReconnect, type DigestRedisOptions, type ReconcileReport } from './schedules.js';
import { validateSubscription, type SubscribeRequest, type Subscription } from './subscription.js';

/** A subscription as listed: with when it next fires (ISO; null while paused). */
export interface SubscriptionView extends Subscription {
  nextRunAt: string | null;
}

export interface SubscribeResult {
  subscription: SubscriptionView;
  /** False when the channel already had a digest (now replaced: idempotent). */
  created: boolean;
}

export interface DigestPreview {
  digest: Digest;
  /** The messages a digest posted now would consist of (none when nothing is new). */
  messages: DigestMessage[];
}

export interface PostNowResult {
  jobId: string;
  /** The slot (minute) the digest is posted for; asking again within the minute queues nothing more. */
  slotMs: number;
}

export interface DigestService {
  /** Creates or replaces the channel's digest; keeps its window (lastDigestAt) when replacing, and un-pauses it. */
  subscribe(request: SubscribeRequest): Promise<SubscribeResult>;
  /** The server's digests, by channel id. */
  list(guildId: string): Promise<SubscriptionView[]>;
  /** Removes the channel's digest and its schedule; returns what was removed. */
  unsubscribe(guildId: string, channelId: string): Promise<Subscription>;
  pause(guildId: string, channelId: string, reason?: string): Promise<SubscriptionView>;
  /** Un-pauses, clears the failure count and re-creates the schedule. */
  resume(guildId: string, channelId: string): Promise<SubscriptionView>;
  /** What the next digest would say now, without posting or moving the window (this server's digests only). */
  preview(guildId: string, channelId: string): Promise<DigestPreview>;
  /** Queues the channel's digest to be posted as soon as a worker can (this server's digests only). */
  postNow(guildId: string, channelId: string): Promise<PostNowResult>;
  /** IANA zone names for autocomplete (≤ 25, exact and prefix matches first). Works without Redis. */
  timezoneSuggestions(prefix: string): string[];
  /**
   * When each document (by content hash) was first seen, as this process last
   * read the record; null without Redis or before it was read. `/brief since:`
   * windows by it, as digests do.
   */
  firstSeenTimes?(): ReadonlyMap<string, number> | null;
  /** Makes schedulers match subscriptions (also done at start and after each Redis reconnect). */
  reconcile(): Promise<ReconcileReport>;
  close(): Promise<void>;
}

export interface DigestServiceOptions extends DigestRedisOptions {
  /** Where digest content comes from (for preview). */
  source: DigestSource;
  render?: RenderOptions;
  now?: () => number;
  /** A call that has not finished after this many ms fails with DigestError('DigestsUnavailable') (default 2000), so /digest answers within Discord's 3 s. */
  callDeadlineMs?: number;
}

/** How long a service call may wait for Redis before answering "unavailable". */
export const DEFAULT_CALL_DEADLINE_MS = 2000;

/** Every call but timezoneSuggestions fails with DigestError('DigestsNeedRedis'). */
class UnavailableDigestService implements DigestService {
  private fail(): Promise<never> {
    return Promise.reject(needRedis());
  }
  subscribe(): Promise<SubscribeResult> {
    return this.fail();
  }
  list(): Promise<SubscriptionView[]> {
    return this.fail();
  }
  unsubscribe(): Promise<Subscription> {
    return this.fail();
  }
  pause(): Promise<SubscriptionView> {
    return this.fail();
  }
  resume(): Promise<SubscriptionView> {
    return this.fail();
  }
  preview(): Promise<DigestPreview> {
    return this.fail();
  }
  postNow(): Promise<PostNowResult> {
    return this.fail();
  }
  timezoneSuggestions(prefix: string): string[] {
    return timezoneSuggestions(prefix);
  }
  reconcile(): Promise<ReconcileReport> {
    return this.fail();
  }
  async close(): Promise<void> {}
}

class RedisDigestService implements DigestService {
  private readonly redis: Redis;
  private readonly schedules: DigestSchedules;
  private readonly options: DigestServiceOptions;
  private readonly now: () => number;
  private readonly stopWatching: () => void;

  constructor(redis: Redis, schedules: DigestSchedules, options: DigestServiceOptions) {
    this.redis = redis;
    this.schedules = schedules;
    this.options = options;
    this.now = options.now ?? Date.now;
    this.stopWatching = onReconnect(redis, () => {
      this.reconcile().catch((error: unknown) => {
        if (isConnectionError(error) || isDigestError(error)) schedules.outage.failed(error, 'service');
        else options.log?.warn('digest reconcile after reconnect failed', { component: 'digest', error: error instanceof Error ? error.message : String(error) });
      });
    });
  }

  /**
   * Runs a call against Redis, failing fast with DigestError('DigestsUnavailable')
   * when the connection is not ready, when Redis drops it, or when the call
   * takes longer than the deadline (a hung Redis).
   */
  private async guarded<T>(call: () => Promise<T>): Promise<T> {
    if (this.redis.status !== 'ready') throw digestsUnavailable(`connection ${this.redis.status}`);
    const deadlineMs = this.options.callDeadlineMs ?? DEFAULT_CALL_DEADLINE_MS;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(digestsUnavailable(`no answer within ${deadlineMs} ms`)), deadlineMs);
    });
    try {
      return await Promise.race([call(), deadline]);
    } catch (error) {
      if (isConnectionError(error)) throw digestsUnavailable(error instanceof Error ? error.message : String(error));
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** A lastSlotAt meaning "every slot before now is handled" (a slot at this very millisecond is not). */
  private slotsHandledUntilNow(): string {
    return new Date(this.now() - 1).toISOString();
  }

  private view(subscription: Subscription): SubscriptionView {
    const next = this.schedules.nextRun(subscription, this.now());
    return { ...subscription, nextRunAt: next === null ? null : new Date(next).toISOString() };
  }

  private async owned(guildId: string, channelId: string): Promise<Subscription> {
    const subscription = await this.schedules.store.get(channelId);
    if (!subscription || subscription.guildId !== guildId) {
      throw new DigestError('NotSubscribed', 'this channel has no digest', { guildId, channelId });
    }
    return subscription;
  }

  async subscribe(request: SubscribeRequest): Promise<SubscribeResult> {
    const fresh = validateSubscription(request, new Date(this.now()));
    return this.guarded(async () => {
      const { store } = this.schedules;
      const existing = await store.get(fresh.channelId);
      // A channel's digest belongs to the server that made it; say nothing about it to another.
      if (existing && existing.guildId !== fresh.guildId) {
        throw new DigestError('InvalidChannel', 'the channel belongs to another server', { guildId: fresh.guildId, channelId: fresh.channelId });
      }
      // A replaced schedule starts now: slots of the new time before now are not missed slots to catch up.
      const subscription: Subscription = existing
        ? { ...fresh, lastDigestAt: existing.lastDigestAt, lastSlotAt: this.slotsHandledUntilNow(), missedSlotAt: existing.missedSlotAt ?? null, createdAt: existing.createdAt }
        : fresh;
      await store.put(subscription);
      await this.schedules.ensure(subscription);
      await this.schedules.saveMirror();
      return { subscription: this.view(subscription), created: existing === null };
    });
  }

  list(guildId: string): Promise<SubscriptionView[]> {
    return this.guarded(async () => (await this.schedules.store.byGuild(guildId)).map((s) => this.view(s)));
  }

  unsubscribe(guildId: string, channelId: string): Promise<Subscription> {
    return this.guarded(async () => {
      const subscription = await this.owned(guildId, channelId);
      await this.schedules.remove(channelId);
      await this.schedules.store.remove(channelId);
      await this.schedules.saveMirror();
      return subscription;
    });
  }

  pause(guildId: string, channelId: string, reason = 'paused by a moderator'): Promise<SubscriptionView> {
    return this.guarded(async () => {
      const subscription = await this.owned(guildId, channelId);
      await this.schedules.store.update(channelId, { paused: true, pausedReason: reason });
      await this.schedules.remove(channelId);
      await this.schedules.saveMirror();
      return this.view({ ...subscription, paused: true, pausedReason: reason });
    });
  }

  resume(guildId: string, channelId: string): Promise<SubscriptionView> {
    return this.guarded(async () => {
      const subscription = await this.owned(guildId, channelId);
      // Slots that passed while paused were skipped on purpose: not missed slots to catch up.
      const lastSlotAt = this.slotsHandledUntilNow();
      const resumed: Subscription = { ...subscription, paused: false, pausedReason: null, consecutivePermissionFailures: 0, lastSlotAt };
      await this.schedules.store.update(channelId, { paused: false, pausedReason: null, consecutivePermissionFailures: 0, lastSlotAt });
      await this.schedules.ensure(resumed);
      await this.schedules.saveMirror();
      return this.view(resumed);
    });
  }

  async preview(guildId: string, channelId: string): Promise<DigestPreview> {
    const subscription = await this.guarded(() => this.owned(guildId, channelId));
    const sinceMs = Date.parse(subscription.lastDigestAt ?? subscription.createdAt);
    // Building the digest searches the corpus too: only its Redis part is under the deadline.
    const digest = await buildDigest(this.options.source, channelId, { sinceMs, untilMs: this.now(), topic: subscription.topic }).catch((error: unknown) => {
      throw isConnectionError(error) ? digestsUnavailable(error instanceof Error ? error.message : String(error)) : error;
    });
    return { digest, messages: renderDigest(digest, this.options.render) };
  }

  postNow(guildId: string, channelId: string): Promise<PostNowResult> {
    return this.guarded(async () => {
      await this.owned(guildId, channelId);
      return this.schedules.addManual(channelId, this.now());
    });
  }

  timezoneSuggestions(prefix: string): string[] {
    return timezoneSuggestions(prefix);
  }

  firstSeenTimes(): ReadonlyMap<string, number> | null {
    return this.options.source.firstSeenTimes?.() ?? null;
  }

  reconcile(): Promise<ReconcileReport> {
    return this.schedules.reconcile();
  }

  async close(): Promise<void> {
    this.stopWatching();
    await this.schedules.close();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/**
 * Opens the digest service. Without a Redis URL it still opens, and every call
 * (but timezoneSuggestions) fails with DigestError('DigestsNeedRedis'). With
 * one, it warns about unsafe Redis settings and reconciles schedules once.
 */
export async function openDigestService(options: DigestServiceOptions): Promise<DigestService> {
  if (!options.redisUrl) return new UnavailableDigestService();
  const outage = options.outage ?? new RedisOutage(options.log);
  const redis = connectRedis(options.redisUrl, outage, 'service');
  const schedules = new DigestSchedules(redis, { ...options, outage, redisUrl: options.redisUrl });
  const service = new RedisDigestService(redis, schedules, options);
  try {
    await checkRedisDurability(redis, options.log);
    await schedules.reconcile();
  } catch (error) {
    await service.close().catch(() => undefined);
    throw error;
  }
  return service;
}
