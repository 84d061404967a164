/**
 * The digest worker: a BullMQ worker on the digest queue that posts each due
 * slot through a DigestPoster, paced below Discord's global rate limit. The
 * bot starts it in-process with `startDigestWorker`; `npm run worker` runs it
 * alone (worker-main.ts). Several workers may share one Redis: each slot is
 * one BullMQ job (id `repeat:<scheduler>:<time>`), processed by one of them.
 */
import { Worker, type Job } from 'bullmq';
import type { DigestSource } from './content.js';
import { needRedis } from './errors.js';
import type { DigestPoster } from './poster.js';
import { isConnectionError, RedisOutage } from './outage.js';
import { DigestProcessor, SlotBusyError, type DigestOutcome } from './processor.js';
import type { RenderOptions } from '../bot/render.js';
import { bullPrefix, checkRedisDurability, connectRedis, DEFAULT_QUEUE_NAME, DigestSchedules, onReconnect, type DigestJobData, type DigestRedisOptions, type ReconcileReport } from './schedules.js';
import { DEFAULT_KEY_PREFIX } from './subscription.js';

/** Messages per second the worker may start, below Discord's global 50 requests per second. */
export const DEFAULT_LIMITER = { max: 40, duration: 1000 } as const;
/** Digests processed at once per worker. */
export const DEFAULT_CONCURRENCY = 10;
/** How long close() waits for running digests and BullMQ's connections (ms). */
export const DEFAULT_CLOSE_TIMEOUT_MS = 10_000;

export interface DigestWorkerOptions extends DigestRedisOptions {
  source: DigestSource;
  poster: DigestPoster;
  render?: RenderOptions;
  /** Jobs (digests) started per `duration` ms, across every worker on the queue (default 40 per second). */
  limiter?: { max: number; duration: number };
  concurrency?: number;
  /** A slot later than this is skipped (default: the grace, one hour). */
  lateAfterMs?: number;
  failuresBeforePause?: number;
  /** How long close() waits for running digests and BullMQ's connections (default 10 s). */
  closeTimeoutMs?: number;
  /** Skip the start-up warning about maxmemory-policy and persistence. */
  skipRedisCheck?: boolean;
  now?: () => number;
}

export interface DigestWorkerHandle {
  worker: Worker<DigestJobData, DigestOutcome>;
  processor: DigestProcessor;
  schedules: DigestSchedules;
  reconcile(): Promise<ReconcileReport>;
  /** Waits for running digests to finish (worker.close()), then closes the connections. */
  close(): Promise<void>;
}

/** The slot a job stands for: its scheduled time (BullMQ's prevMillis) or, for "post now", the minute asked. */
export function slotOfJob(job: Job<DigestJobData>): { channelId: string; slotMs: number; manual: boolean } {
  if (job.data.manualSlotMs !== undefined) return { channelId: job.data.channelId, slotMs: job.data.manualSlotMs, manual: true };
  // A catch-up of a missed slot stands for that scheduled slot (same posted-records and nonces).
  if (job.data.slotMs !== undefined) return { channelId: job.data.channelId, slotMs: job.data.slotMs, manual: false };
  const scheduled = job.opts.prevMillis ?? job.timestamp + (job.opts.delay ?? 0);
  return { channelId: job.data.channelId, slotMs: scheduled, manual: false };
}

/**
 * Starts a digest worker in this process: checks Redis's settings (a warning
 * each for eviction and persistence), reconciles schedules with subscriptions
 * (restoring from the disk mirror if Redis lost them), again after each Redis
 * reconnect, and processes due slots. Throws DigestError('DigestsNeedRedis')
 * without a Redis URL.
 */
export async function startDigestWorker(options: DigestWorkerOptions): Promise<DigestWorkerHandle> {
  if (!options.redisUrl) throw needRedis();
  const prefix = options.prefix ?? DEFAULT_KEY_PREFIX;
  const log = options.log?.child({ component: 'digest' });
  const outage = options.outage ?? new RedisOutage(options.log);
  const redis = connectRedis(options.redisUrl, outage, 'worker');
  const schedules = new DigestSchedules(redis, { ...options, outage, redisUrl: options.redisUrl });
  const processor = new DigestProcessor({
    redis,
    schedules,
    source: options.source,
    poster: options.poster,
    prefix,
    ...(log ? { log } : {}),
    ...(options.render ? { render: options.render } : {}),
    ...(options.lateAfterMs !== undefined ? { lateAfterMs: options.lateAfterMs } : {}),
    ...(options.failuresBeforePause !== undefined ? { failuresBeforePause: options.failuresBeforePause } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const worker = new Worker<DigestJobData, DigestOutcome>(
    options.queueName ?? DEFAULT_QUEUE_NAME,
    async (job) => processor.process(slotOfJob(job)),
    {
      connection: { url: options.redisUrl, maxRetriesPerRequest: null },
      prefix: bullPrefix(prefix),
      limiter: options.limiter ?? DEFAULT_LIMITER,
      concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
      autorun: false,
    },
  );
  worker.on('error', outage.onError('worker', 'digest worker error'));
  worker.on('failed', (job, error) => {
    const fields = { jobId: job?.id, attemptsMade: job?.attemptsMade, error: error.message };
    if (error instanceof SlotBusyError) log?.info('digest job waits for another job of the same slot; it will retry', fields);
    else if (isConnectionError(error)) outage.failed(error, 'worker');
    else log?.warn('digest job failed', fields);
  });

  try {
    if (!options.skipRedisCheck) await checkRedisDurability(redis, log);
    await schedules.reconcile();
  } catch (error) {
    await worker.close(true).catch(() => undefined);
    await schedules.close().catch(() => undefined);
    redis.disconnect();
    throw error;
  }
  const stopWatching = onReconnect(redis, () => {
    log?.debug('Redis reconnected; reconciling digest schedules');
    schedules.reconcile().catch((error: unknown) => {
      if (isConnectionError(error)) outage.failed(error, 'worker');
      else log?.warn('digest reconcile after reconnect failed', { error: error instanceof Error ? error.message : String(error) });
    });
  });
  void worker.run().catch((error: unknown) => log?.error('digest worker stopped', { error }));
  await worker.waitUntilReady();

  let closing: Promise<void> | null = null;
  return {
    worker,
    processor,
    schedules,
    reconcile: () => schedules.reconcile(),
    close: () =>
      (closing ??= (async () => {
        stopWatching();
        // BullMQ's close waits for its blocking connection to end; one still reconnecting
        // after an outage never does (taskforcesh/bullmq#4656): stop waiting after a while.
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS);
        });
        const closed = await Promise.race([worker.close().then(() => 'closed' as const), timedOut]);
        clearTimeout(timer);
        if (closed === 'timeout') log?.warn('the digest worker did not close in time (its Redis connection was still reconnecting); stopping without it');
        await schedules.saveMirror();
        await schedules.close();
        await redis.quit().catch(() => redis.disconnect());
      })()),
  };
}
