/**
 * Scheduled digests inside the bot process: opens the DigestService that
 * `/digest` talks to, records when documents are first seen (at start and
 * after every corpus reload), and optionally runs the digest worker here,
 * posting through the bot's own REST client. Without a Redis URL it returns a
 * service whose every call answers DigestError('DigestsNeedRedis'), so the
 * command still answers and every other command keeps working.
 */
import type { REST } from 'discord.js';
import type { Redis } from 'ioredis';
import type { Briefing } from '../engine/briefing.js';
import type { Logger } from '../log.js';
import { join } from 'node:path';
import { BriefingDigestSource, FIRST_SEEN_MIRROR_FILE, FirstSeenStore, type DigestSource } from './content.js';
import { isConnectionError, RedisOutage } from './outage.js';
import { RestDigestPoster } from './rest-poster.js';
import { connectRedis } from './schedules.js';
import { openDigestService, type DigestService } from './service.js';
import { DEFAULT_KEY_PREFIX } from './subscription.js';
import { startDigestWorker, type DigestWorkerHandle } from './worker.js';

/** The running engine as the bot holds it: LiveBriefing (src/engine/live.ts) fits. */
export interface LiveEngine {
  readonly briefing: Briefing;
  /** Called after each swap to a new snapshot; returns a function that stops listening. */
  onChange(listener: (briefing: Briefing) => void): () => unknown;
}

export interface StartDigestsOptions {
  /** REDIS_URL; null → digests are off (one log line says how to turn them on). */
  redisUrl: string | null;
  /** CACHE_DIR: where the disk mirror of subscriptions is kept. */
  cacheDir: string;
  /** The engine: a live one (first-seen times are recorded after every reload) or a getter of the current snapshot. */
  live: LiveEngine | (() => Briefing);
  /** The bot client's REST (`client.rest`); the in-process worker posts through it. */
  rest: REST;
  log: Logger;
  /** Run the digest worker in this process (else `npm run worker` must run somewhere). */
  runWorker: boolean;
  /** Redis key prefix (default "sitrep:"); tests use a fresh one. Bot and worker must agree. */
  prefix?: string;
}

export interface RunningDigests {
  /** For the command context (`digests`). */
  service: DigestService;
  /** The in-process worker, when `runWorker` was set and Redis is configured. */
  worker: DigestWorkerHandle | null;
  /** Records the current corpus as seen now (done at start and after each reload by itself). */
  recordSeen(): Promise<void>;
  /** Stops listening for reloads, lets running digests finish, closes every Redis connection. */
  close(): Promise<void>;
}

/** A source for the service without Redis: never asked (every call fails first). */
const NO_SOURCE: DigestSource = { documentsSince: async () => [] };

/**
 * Opens the digest service (and, with `runWorker`, the worker) for the bot.
 * Throws when Redis is configured but cannot be reached at start-up.
 */
export async function startDigests(options: StartDigestsOptions): Promise<RunningDigests> {
  const log = options.log.child({ component: 'digest' });
  if (!options.redisUrl) {
    log.info('scheduled digests are off: set REDIS_URL (a Redis server to keep schedules in) to enable /digest');
    const service = await openDigestService({ redisUrl: null, cacheDir: options.cacheDir, source: NO_SOURCE });
    return { service, worker: null, recordSeen: async () => undefined, close: () => service.close() };
  }

  const live = options.live;
  const current: () => Briefing = typeof live === 'function' ? live : () => live.briefing;
  const prefix = options.prefix ?? DEFAULT_KEY_PREFIX;
  // One outage reporter for every connection of this process: one warning per outage, one line when back.
  const outage = new RedisOutage(options.log);
  const common = { redisUrl: options.redisUrl, cacheDir: options.cacheDir, prefix, log: options.log, outage };
  let firstSeenRedis: Redis | null = null;
  let service: DigestService | null = null;
  let worker: DigestWorkerHandle | null = null;
  let stopListening: (() => unknown) | null = null;
  const close = async (): Promise<void> => {
    stopListening?.();
    stopListening = null;
    await worker?.close();
    await service?.close();
    if (firstSeenRedis) await firstSeenRedis.quit().catch(() => firstSeenRedis?.disconnect());
  };

  try {
    firstSeenRedis = connectRedis(options.redisUrl, outage, 'first-seen');
    const firstSeen = new FirstSeenStore(firstSeenRedis, prefix, { mirrorPath: join(options.cacheDir, FIRST_SEEN_MIRROR_FILE), log });
    const source = new BriefingDigestSource(current, firstSeen);
    // Checks Redis (a warning each for eviction and persistence) and reconciles the schedules.
    service = await openDigestService({ ...common, source });
    const recordSeen = async (): Promise<void> => {
      try {
        await source.recordSeen();
      } catch (error) {
        // The next reload or digest records them (documentsSince records what it sees).
        if (isConnectionError(error)) outage.failed(error, 'first-seen');
        else log.warn('could not record the documents first seen now', { error: error instanceof Error ? error.message : String(error) });
      }
    };
    await recordSeen();
    if (typeof live !== 'function') stopListening = live.onChange(() => void recordSeen());
    if (options.runWorker) {
      worker = await startDigestWorker({ ...common, source, poster: new RestDigestPoster(options.rest), skipRedisCheck: true });
    }
    log.info('scheduled digests are on', { worker: options.runWorker ? 'in this process' : 'separate (npm run worker)' });
    return { service, worker, recordSeen, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}
