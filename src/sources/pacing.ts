/**
 * Pacing requests per site (host): at most one request per host per interval,
 * and a host that answered 429/503 with Retry-After ("parked") is not asked
 * again before the time it gave.
 *
 * A slot is booked before the request leaves, and a request may leave late
 * (a busy process, a first request loading its modules); so each request
 * also records when it actually left (`sent`), and the next one, once its
 * slot has come, checks that record (`settle`) and waits the rest of the
 * spacing if the previous request left late. The spacing is the interval
 * plus a small margin (SLOT_MARGIN_MS), for the milliseconds between a
 * request leaving and the site noting it, which vary from one to the next.
 *
 * - `LocalPacer` holds both in this process (a map of next free slots).
 * - `RedisPacer` holds them across every process and machine sharing one
 *   Redis (the bot, `npm run worker`s, the command line): one Lua script
 *   reads the host's parking and books its next slot atomically, in Redis's
 *   own clock (TIME), and answers how long to wait; the time a request
 *   left is kept there too. When Redis is not connected, is slow (a bounded wait) or
 *   answers an error, the in-process pacer decides instead — a fetch never
 *   fails or hangs because of Redis — and Redis is used again once it is
 *   back. Every Redis answer is also noted in the in-process pacer, so the
 *   fallback carries on from where Redis left off.
 */
import { Redis } from 'ioredis';
import type { Logger } from '../log.js';

/** `promise`'s value, or `undefined` when it has not settled within `ms` (its rejection too is `undefined`). */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
    timer.unref();
  });
  try {
    return await Promise.race([promise.catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** What a reservation says: wait this long and go, or the host is parked until this time (ms since the epoch). */
export type Turn = { waitMs: number } | { parkedUntil: number };

export interface HostPacer {
  /** Books the host's next slot; never throws. */
  reserve(host: string): Promise<Turn>;
  /** Once the booked slot has come: how much longer to wait because the previous request left late (0: go). Never throws. */
  settle(host: string): Promise<number>;
  /** A request to the host has just left (its headers were handed to the network). Never throws. */
  sent(host: string): Promise<void>;
  /** The host asked not to be asked again before `until` (ms since the epoch); never throws. */
  park(host: string, until: number): Promise<void>;
  /** Until when the host is parked, as this process knows it (null: not parked). */
  parkedUntil(host: string): number | null;
  close(): Promise<void>;
}

/**
 * Added to the interval between two requests to one site: a request leaves a
 * few milliseconds after its slot (more in a busy process, or after a longer
 * Redis round trip than the previous one's) and the site notes it a few
 * milliseconds later still, by amounts that vary from one request to the
 * next; this keeps two requests at least the interval apart as the site sees
 * them. (50 ms once let two arrive 984 ms apart on a loaded 2-core machine.)
 */
export const SLOT_MARGIN_MS = 100;

export class LocalPacer implements HostPacer {
  /** Per host: when the next request may start. */
  private readonly nextSlot = new Map<string, number>();
  /** Per host: not before this time. */
  private readonly parked = new Map<string, number>();
  /** Per host: when the last request left. */
  private readonly lastSent = new Map<string, number>();

  /** Between two booked slots: the interval plus SLOT_MARGIN_MS. */
  private readonly spacingMs: number;

  constructor(
    readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.spacingMs = intervalMs > 0 ? intervalMs + SLOT_MARGIN_MS : 0;
  }

  reserve(host: string): Promise<Turn> {
    const until = this.parkedUntil(host);
    if (until !== null) return Promise.resolve({ parkedUntil: until });
    const now = this.now();
    const slot = Math.max(now, this.nextSlot.get(host) ?? 0);
    this.nextSlot.set(host, slot + this.spacingMs);
    return Promise.resolve({ waitMs: slot - now });
  }

  settle(host: string): Promise<number> {
    const last = this.lastSent.get(host);
    return Promise.resolve(last === undefined ? 0 : Math.max(0, last + this.spacingMs - this.now()));
  }

  sent(host: string): Promise<void> {
    this.lastSent.set(host, Math.max(this.lastSent.get(host) ?? 0, this.now()));
    return Promise.resolve();
  }

  /** Notes a slot booked elsewhere (in Redis) at `at`, so the next local one comes after it. */
  booked(host: string, at: number): void {
    this.nextSlot.set(host, Math.max(this.nextSlot.get(host) ?? 0, at + this.spacingMs));
  }

  park(host: string, until: number): Promise<void> {
    if (until > (this.parked.get(host) ?? 0)) this.parked.set(host, until);
    return Promise.resolve();
  }

  parkedUntil(host: string): number | null {
    const until = this.parked.get(host);
    if (until === undefined) return null;
    if (until > this.now()) return until;
    this.parked.delete(host);
    return null;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * KEYS[1]: the host's next free slot (ms, Redis clock); KEYS[2]: its parking
 * (ms since the epoch, with a TTL to match). ARGV[1]: the spacing in ms.
 * Returns {1, until} when parked, else {0, wait} after booking the slot.
 */
const RESERVE_SCRIPT = `
local parked = redis.call('GET', KEYS[2])
if parked then return {1, parked} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local spacing = tonumber(ARGV[1])
local slot = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
redis.call('SET', KEYS[1], slot + spacing, 'PX', slot + spacing - now)
return {0, slot - now}
`;

/**
 * KEYS[1]: when the host's last request left (ms, Redis clock). ARGV[1]: the
 * spacing. With ARGV[2] = "sent", records now as that time; otherwise
 * returns how long until the spacing since then has passed.
 */
const SENT_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local spacing = tonumber(ARGV[1])
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
if ARGV[2] == 'sent' then
  if now > last then redis.call('SET', KEYS[1], now, 'PX', spacing + 1000) end
  return 0
end
return math.max(0, last + spacing - now)
`;

/** How long a Redis answer is waited for before the in-process pacer decides. */
export const REDIS_PACER_TIMEOUT_MS = 1000;

type ReserveReply = [number, number | string];
type PacerRedis = Redis & {
  sitrepReserveSlot(slotKey: string, parkKey: string, spacingMs: number): Promise<ReserveReply>;
  sitrepLastSent(sentKey: string, spacingMs: number, mode: 'sent' | 'settle'): Promise<number>;
};

export interface RedisPacerOptions {
  /** REDIS_URL. */
  url: string;
  intervalMs: number;
  /** Redis key prefix (default "sitrep:"); keys are `<prefix>fetch:{slot,sent,parked}:<host>`. */
  prefix?: string;
  timeoutMs?: number;
  log?: Logger;
}

export class RedisPacer implements HostPacer {
  readonly local: LocalPacer;
  private readonly redis: PacerRedis;
  private readonly prefix: string;
  private readonly spacingMs: number;
  private readonly timeoutMs: number;
  private readonly log: Logger | undefined;
  /** Since when Redis has failed us (null: it answers), for one warning per outage. */
  private downSince: number | null = null;
  private closed = false;
  /** Whether the last reservation was booked in Redis (false: this process decided alone). */
  lastShared = false;

  constructor(options: RedisPacerOptions) {
    this.local = new LocalPacer(options.intervalMs);
    this.prefix = `${options.prefix ?? 'sitrep:'}fetch:`;
    this.spacingMs = options.intervalMs > 0 ? options.intervalMs + SLOT_MARGIN_MS : 0;
    this.timeoutMs = options.timeoutMs ?? REDIS_PACER_TIMEOUT_MS;
    this.log = options.log;
    const redis = new Redis(options.url, { maxRetriesPerRequest: 1, connectionName: 'sitrep-fetch-pacer' });
    redis.on('error', () => undefined); // each failure is met by the fallback below, said once per outage
    redis.on('ready', () => {
      if (this.downSince === null) return;
      this.log?.info('Redis is back: per-site fetch pacing is shared across processes again', { component: 'sources' });
      this.downSince = null;
    });
    redis.defineCommand('sitrepReserveSlot', { numberOfKeys: 2, lua: RESERVE_SCRIPT });
    redis.defineCommand('sitrepLastSent', { numberOfKeys: 1, lua: SENT_SCRIPT });
    this.redis = redis as PacerRedis;
  }

  private key(kind: 'slot' | 'sent' | 'parked', host: string): string {
    return `${this.prefix}${kind}:${host.toLowerCase()}`;
  }

  /** True when a command may be sent now (not while ioredis is waiting to reconnect, which would only queue it). */
  private get usable(): boolean {
    return !this.closed && ['ready', 'connect', 'connecting', 'wait'].includes(this.redis.status);
  }

  /** Runs a Redis call with a deadline; null (and the outage noted) when it fails or is late. */
  private async attempt<T>(call: () => Promise<T>): Promise<T | null> {
    if (!this.usable) {
      this.failed(new Error(`the connection is ${this.redis.status}`));
      return null;
    }
    let failure: unknown = null;
    const answer = await within(
      call().catch((error: unknown) => {
        failure = error;
        throw error;
      }),
      this.timeoutMs,
    );
    if (answer === undefined) this.failed(failure ?? new Error(`no answer within ${this.timeoutMs} ms`));
    return answer ?? null;
  }

  private failed(error: unknown): void {
    if (this.closed || this.downSince !== null) return;
    this.downSince = Date.now();
    this.log?.warn('Redis did not answer for per-site fetch pacing: pacing in this process only until it is back', {
      component: 'sources',
      error: error instanceof Error ? error.message : String(error),
    });
  }

  async reserve(host: string): Promise<Turn> {
    const parked = this.local.parkedUntil(host);
    if (parked !== null) return { parkedUntil: parked };
    if (this.spacingMs === 0) return this.local.reserve(host);
    const asked = Date.now();
    const reply = await this.attempt(() => this.redis.sitrepReserveSlot(this.key('slot', host), this.key('parked', host), this.spacingMs));
    this.lastShared = reply !== null;
    if (!reply) return this.local.reserve(host);
    const [kind, value] = reply;
    if (Number(kind) === 1) {
      const until = Number(value);
      if (Number.isFinite(until)) {
        await this.local.park(host, until);
        return { parkedUntil: until };
      }
      return this.local.reserve(host);
    }
    const waitMs = Math.max(0, Number(value));
    this.local.booked(host, asked + waitMs);
    return { waitMs };
  }

  async settle(host: string): Promise<number> {
    const local = await this.local.settle(host);
    if (this.spacingMs === 0) return local;
    const remote = await this.attempt(() => this.redis.sitrepLastSent(this.key('sent', host), this.spacingMs, 'settle'));
    return Math.max(local, Number(remote ?? 0) || 0);
  }

  async sent(host: string): Promise<void> {
    await this.local.sent(host);
    if (this.spacingMs === 0) return;
    await this.attempt(() => this.redis.sitrepLastSent(this.key('sent', host), this.spacingMs, 'sent'));
  }

  async park(host: string, until: number): Promise<void> {
    await this.local.park(host, until);
    const ttl = Math.ceil(until - Date.now());
    if (ttl <= 0) return;
    // Only lengthened: a shorter Retry-After seen by another process does not cut a longer one short.
    await this.attempt(async () => {
      const key = this.key('parked', host);
      const current = Number(await this.redis.get(key));
      if (Number.isFinite(current) && current >= until) return true;
      await this.redis.set(key, String(until), 'PX', ttl);
      return true;
    });
  }

  parkedUntil(host: string): number | null {
    return this.local.parkedUntil(host);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await within(this.redis.quit(), this.timeoutMs);
    this.redis.disconnect();
  }
}
