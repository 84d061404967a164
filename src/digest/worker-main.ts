/**
 * `npm run worker`: the digest worker as its own process. Loads the
 * configuration from the environment, opens the live engine over CORPUS_DIR
 * (and FETCHED_DIR; told at once of articles any process stores, and
 * rescanned every CORPUS_RESCAN_SECONDS, so they reach its digests), posts through Discord's REST API with
 * DISCORD_TOKEN, and also polls feeds: it runs a worker of the BullMQ feed
 * schedulers (src/sources/schedule.ts, as the bot does), so feeds are polled
 * without the bot running, the work shared with every other process on the
 * same Redis (each feed's lock keeps it from being polled twice at once).
 * Shuts down gracefully (worker.close()) on SIGTERM or SIGINT.
 */
import { join } from 'node:path';
import { REST } from 'discord.js';
import { startSourcesFromConfig, type SourcesService } from '../bot/sources-integration.js';
import { loadConfigOrReport, type SitrepConfig } from '../config.js';
import { isSitrepError } from '../engine/errors.js';
import { openBriefing } from '../engine/open.js';
import { createLogger, type Logger } from '../log.js';
import type { LiveBriefing } from '../engine/live.js';
import { BriefingDigestSource, FIRST_SEEN_MIRROR_FILE, FirstSeenStore } from './content.js';
import { RedisOutage } from './outage.js';
import { isDigestError } from './errors.js';
import { RestDigestPoster } from './rest-poster.js';
import { connectRedis } from './schedules.js';
import { DEFAULT_KEY_PREFIX } from './subscription.js';
import { startDigestWorker } from './worker.js';

// Listen for the stop signals first, so one that arrives while starting up still shuts down cleanly.
let stopSignal: string | null = null;
let onStop: (() => void) | null = null;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    stopSignal ??= signal;
    onStop?.();
  });
}
const stopped = new Promise<void>((resolve) => {
  onStop = resolve;
});

async function main(): Promise<number> {
  const config = loadConfigOrReport();
  if (!config) return 2;
  const log = createLogger({ level: config.logLevel, fields: { process: 'digest-worker' } });
  if (!config.redisUrl) {
    process.stderr.write('sitrep: digests need REDIS_URL (a Redis server to keep schedules in); set it in the environment or .env.\n');
    return 2;
  }
  if (!config.discordToken) {
    process.stderr.write('sitrep: the digest worker needs DISCORD_TOKEN to post; set it in the environment or .env.\n');
    return 2;
  }
  let live;
  try {
    ({ live } = await openBriefing(config.corpusDir, log, { fetchedDir: config.fetchedDir }));
  } catch (error) {
    if (isSitrepError(error)) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const outage = new RedisOutage(log);
  const firstSeenRedis = connectRedis(config.redisUrl, outage, 'first-seen');
  const firstSeen = new FirstSeenStore(firstSeenRedis, DEFAULT_KEY_PREFIX, { mirrorPath: join(config.cacheDir, FIRST_SEEN_MIRROR_FILE), log });
  const source = new BriefingDigestSource(() => live.briefing, firstSeen);
  const recordSeen = (): Promise<void> => source.recordSeen().catch((error: unknown) => log.warn('could not record the documents first seen now; the next digest does', { error: String(error) }));
  await recordSeen();
  // Articles stored here (feed polls) reach the engine at once, those other processes store when they announce them (else at the next rescan); each new snapshot is recorded as first seen.
  const stopListening = live.onChange(() => void recordSeen());
  if (config.corpusRescanSeconds > 0) live.watch(config.corpusRescanSeconds * 1000);
  let handle;
  try {
    handle = await startDigestWorker({
      redisUrl: config.redisUrl,
      cacheDir: join(config.cacheDir),
      source,
      poster: new RestDigestPoster({ token: config.discordToken, api: config.discordApiUrl }),
      log,
      outage,
    });
  } catch (error) {
    if (isDigestError(error)) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const sources = await openFeedPolling(config, log, live);
  log.info('digest worker started', { corpus: config.corpusDir, documents: live.briefing.documents.length, feedPolling: sources !== null });
  if (stopSignal === null) await stopped;
  log.info('shutting down the digest worker', { signal: stopSignal });
  // Polls under way finish (BullMQ's worker.close waits for them) before the engine stops.
  await sources?.close().catch((error: unknown) => log.warn('feed polling did not close cleanly', { error: String(error) }));
  await handle.close();
  stopListening();
  await live.close();
  await firstSeenRedis.quit().catch(() => firstSeenRedis.disconnect());
  log.info('digest worker stopped');
  return 0;
}

/**
 * Polls feeds in this process (a worker of the BullMQ feed schedulers, as the
 * bot runs one), storing articles into the live engine; a failure leaves the
 * digest worker running without polling, said in the log.
 */
async function openFeedPolling(config: SitrepConfig, log: Logger, live: LiveBriefing): Promise<SourcesService | null> {
  try {
    // The REST client says in its channel that a feed paused itself.
    const rest = new REST({ retries: 1, timeout: 15_000, ...(config.discordApiUrl ? { api: config.discordApiUrl } : {}) }).setToken(config.discordToken ?? '');
    return await startSourcesFromConfig(config, { live, rest, log, runScheduler: true });
  } catch (error) {
    log.error('feed polling did not start in the digest worker; it runs digests only', { error });
    return null;
  }
}

process.exitCode = await main();
