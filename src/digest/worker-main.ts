/**
 * `npm run worker`: the digest worker as its own process. Loads the
 * configuration from the environment, opens the briefing engine over
 * CORPUS_DIR, posts through Discord's REST API with DISCORD_TOKEN, and shuts
 * down gracefully (worker.close()) on SIGTERM or SIGINT.
 */
import { join } from 'node:path';
import { loadConfigOrReport } from '../config.js';
import { isSitrepError } from '../engine/errors.js';
import { openBriefing } from '../engine/open.js';
import { createLogger } from '../log.js';
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
  let briefing;
  try {
    ({ briefing } = await openBriefing(config.corpusDir, log));
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
  const source = new BriefingDigestSource(briefing, firstSeen);
  await source.recordSeen();
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
  log.info('digest worker started', { corpus: config.corpusDir, documents: briefing.documents.length });
  if (stopSignal === null) await stopped;
  log.info('shutting down the digest worker', { signal: stopSignal });
  await handle.close();
  await firstSeenRedis.quit().catch(() => firstSeenRedis.disconnect());
  log.info('digest worker stopped');
  return 0;
}

process.exitCode = await main();
