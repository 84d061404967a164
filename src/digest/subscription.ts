/**
 * Digest subscriptions: one per channel, validated before anything is stored,
 * kept in Redis (one hash per channel plus a set of channel ids) and mirrored
 * to a JSON file on disk so they survive a Redis that lost everything.
 */
import type { Redis } from 'ioredis';
import { DiskMirror } from './disk-mirror.js';
import { DigestError } from './errors.js';
import { MAX_QUERY_CHARS } from '../engine/limits.js';
import { formatDays, parseDays, parseTime, parseTimezone } from './schedule.js';

/** Redis key prefix used when none is given. */
export const DEFAULT_KEY_PREFIX = 'sitrep:';
/** The longest topic a digest may be narrowed to. */
export const MAX_TOPIC_CHARS = MAX_QUERY_CHARS;

const SNOWFLAKE = /^\d{17,20}$/;

export interface Subscription {
  guildId: string;
  channelId: string;
  /** Local time of day, "HH:MM" (24-hour). */
  time: string;
  /** IANA time zone, canonical spelling. */
  timezone: string;
  /** Canonical days: "daily", "weekdays", "weekends" or "mon,wed,fri". */
  days: string;
  /** Only documents about this topic; null for everything new. */
  topic: string | null;
  paused: boolean;
  /** Why it was paused ("paused by a moderator", "missing permissions (50013) three times"). */
  pausedReason: string | null;
  consecutivePermissionFailures: number;
  /** ISO time up to which documents have been posted; null before the first digest. */
  lastDigestAt: string | null;
  /** ISO time of the last scheduled slot handled (posted, nothing new, or skipped as too late); null before the first. */
  lastSlotAt?: string | null;
  /** ISO time of the last slot skipped because it was more than the grace late (shown by `/digest list`); null when none. */
  missedSlotAt?: string | null;
  /** Discord user id of whoever set it up. */
  createdBy: string;
  /** ISO time of the (last) subscribe: the first digest covers documents first seen after it. */
  createdAt: string;
}

/** What a user asks for; every field but the ids is validated and normalised. */
export interface SubscribeRequest {
  guildId: string;
  channelId: string;
  time: string;
  timezone: string;
  /** Default "daily". */
  days?: string;
  topic?: string | null;
  createdBy: string;
}

/** Validates a request and returns the subscription it describes; throws DigestError naming the first problem. */
export function validateSubscription(request: SubscribeRequest, now: Date = new Date()): Subscription {
  for (const [name, value] of [['guildId', request.guildId], ['channelId', request.channelId]] as const) {
    if (!SNOWFLAKE.test(value)) throw new DigestError('InvalidChannel', `${name} must be a Discord id (17 to 20 digits)`, { field: name, value });
  }
  const time = parseTime(request.time);
  const timezone = parseTimezone(request.timezone);
  const days = formatDays(parseDays(request.days ?? 'daily'));
  let topic: string | null = null;
  if (request.topic !== undefined && request.topic !== null) {
    topic = request.topic.replace(/\s+/g, ' ').trim();
    if (topic === '') topic = null;
    else if (topic.length > MAX_TOPIC_CHARS) throw new DigestError('InvalidTopic', `the topic is longer than ${MAX_TOPIC_CHARS} characters`, { length: topic.length, max: MAX_TOPIC_CHARS });
  }
  return {
    guildId: request.guildId,
    channelId: request.channelId,
    time,
    timezone,
    days,
    topic,
    paused: false,
    pausedReason: null,
    consecutivePermissionFailures: 0,
    lastDigestAt: null,
    lastSlotAt: null,
    missedSlotAt: null,
    createdBy: request.createdBy,
    createdAt: now.toISOString(),
  };
}

function toHash(s: Subscription): Record<string, string> {
  return {
    guildId: s.guildId,
    channelId: s.channelId,
    time: s.time,
    timezone: s.timezone,
    days: s.days,
    topic: s.topic ?? '',
    paused: s.paused ? '1' : '0',
    pausedReason: s.pausedReason ?? '',
    consecutivePermissionFailures: String(s.consecutivePermissionFailures),
    lastDigestAt: s.lastDigestAt ?? '',
    lastSlotAt: s.lastSlotAt ?? '',
    missedSlotAt: s.missedSlotAt ?? '',
    createdBy: s.createdBy,
    createdAt: s.createdAt,
  };
}

function fromHash(h: Record<string, string>): Subscription | null {
  if (!h.channelId || !h.guildId || !h.time || !h.timezone || !h.days) return null;
  return {
    guildId: h.guildId,
    channelId: h.channelId,
    time: h.time,
    timezone: h.timezone,
    days: h.days,
    topic: h.topic ? h.topic : null,
    paused: h.paused === '1',
    pausedReason: h.pausedReason ? h.pausedReason : null,
    consecutivePermissionFailures: Number(h.consecutivePermissionFailures ?? 0) || 0,
    lastDigestAt: h.lastDigestAt ? h.lastDigestAt : null,
    lastSlotAt: h.lastSlotAt ? h.lastSlotAt : null,
    missedSlotAt: h.missedSlotAt ? h.missedSlotAt : null,
    createdBy: h.createdBy ?? '',
    createdAt: h.createdAt ?? new Date(0).toISOString(),
  };
}

// Updates fields of an existing subscription only: a worker finishing a
// digest must not resurrect a subscription removed meanwhile as a partial hash.
const UPDATE_IF_EXISTS = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1`;
const INCREMENT_IF_EXISTS = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
return redis.call('HINCRBY', KEYS[1], ARGV[1], 1)`;

type UpdatableField = 'paused' | 'pausedReason' | 'consecutivePermissionFailures' | 'lastDigestAt' | 'lastSlotAt' | 'missedSlotAt';

/** The Redis side of subscriptions. Keys: `<prefix>digest:sub:<channelId>` (hash), `<prefix>digest:channels` (set), `<prefix>digest:initialized`. */
export class SubscriptionStore {
  readonly redis: Redis;
  readonly prefix: string;

  constructor(redis: Redis, prefix: string = DEFAULT_KEY_PREFIX) {
    this.redis = redis;
    this.prefix = prefix;
  }

  key(channelId: string): string {
    return `${this.prefix}digest:sub:${channelId}`;
  }

  get channelsKey(): string {
    return `${this.prefix}digest:channels`;
  }

  /** Set once subscriptions have lived in this Redis; its absence with a non-empty disk mirror means Redis lost its data. */
  get initializedKey(): string {
    return `${this.prefix}digest:initialized`;
  }

  async put(subscription: Subscription): Promise<void> {
    const key = this.key(subscription.channelId);
    await this.redis
      .multi()
      .del(key)
      .hset(key, toHash(subscription))
      .sadd(this.channelsKey, subscription.channelId)
      .set(this.initializedKey, '1')
      .exec();
  }

  async get(channelId: string): Promise<Subscription | null> {
    return fromHash(await this.redis.hgetall(this.key(channelId)));
  }

  async all(): Promise<Subscription[]> {
    const ids = (await this.redis.smembers(this.channelsKey)).sort();
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.key(id));
    const results = (await pipeline.exec()) ?? [];
    const out: Subscription[] = [];
    for (const [error, value] of results) {
      if (error) throw error;
      const s = fromHash(value as Record<string, string>);
      if (s) out.push(s);
    }
    return out;
  }

  async byGuild(guildId: string): Promise<Subscription[]> {
    return (await this.all()).filter((s) => s.guildId === guildId);
  }

  async remove(channelId: string): Promise<boolean> {
    const results = await this.redis.multi().del(this.key(channelId)).srem(this.channelsKey, channelId).set(this.initializedKey, '1').exec();
    return Number(results?.[0]?.[1] ?? 0) > 0;
  }

  /** Sets fields of an existing subscription; false when there is none. */
  async update(channelId: string, fields: Partial<Pick<Subscription, UpdatableField>>): Promise<boolean> {
    const args: string[] = [];
    for (const [name, value] of Object.entries(fields)) {
      args.push(name, typeof value === 'boolean' ? (value ? '1' : '0') : value === null || value === undefined ? '' : String(value));
    }
    if (args.length === 0) return (await this.redis.exists(this.key(channelId))) > 0;
    return Number(await this.redis.eval(UPDATE_IF_EXISTS, 1, this.key(channelId), ...args)) === 1;
  }

  /** Adds one to the count of consecutive permission failures; returns the new count, or null when unsubscribed. */
  async countPermissionFailure(channelId: string): Promise<number | null> {
    const n = Number(await this.redis.eval(INCREMENT_IF_EXISTS, 1, this.key(channelId), 'consecutivePermissionFailures'));
    return n < 0 ? null : n;
  }

  async isInitialized(): Promise<boolean> {
    return (await this.redis.exists(this.initializedKey)) > 0;
  }

  async markInitialized(): Promise<void> {
    await this.redis.set(this.initializedKey, '1');
  }
}

interface MirrorFile {
  version: 1;
  savedAt: string;
  subscriptions: Subscription[];
}

/** Every subscription in one JSON file (`CACHE_DIR/digest-subscriptions.json`), written atomically and batched. */
export class SubscriptionMirror {
  private readonly file: DiskMirror<MirrorFile>;

  constructor(path: string) {
    this.file = new DiskMirror<MirrorFile>(path);
  }

  get path(): string {
    return this.file.path;
  }

  load(): Subscription[] {
    const parsed = this.file.read() as Partial<MirrorFile> | null;
    if (parsed === null) return [];
    if (!Array.isArray(parsed.subscriptions)) throw new Error(`sitrep digest: ${this.path} holds no subscriptions list`);
    return parsed.subscriptions;
  }

  save(subscriptions: readonly Subscription[]): void {
    this.file.write({ version: 1, savedAt: new Date().toISOString(), subscriptions: [...subscriptions] });
  }

  /** Saves what `read` returns, soon; resolves when a save that started after this call has finished. */
  request(read: () => Promise<Subscription[]>): Promise<void> {
    return this.file.request(async () => ({ version: 1 as const, savedAt: new Date().toISOString(), subscriptions: await read() }));
  }
}
