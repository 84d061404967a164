/**
 * Entry script of one shard process, started by discord.js's ShardingManager
 * from src/bot/run.ts (dist/src/bot/shard.js when built). The manager passes
 * DISCORD_TOKEN, SHARDS (this process's shard id) and SHARD_COUNT (the total)
 * in the environment, which discord.js's Client reads; everything else
 * (DISCORD_API_URL, CORPUS_DIR, LOG_LEVEL...) is inherited from the manager.
 *
 * The process runs one client with its own engine (built in a worker thread),
 * reports its gateway and index state to the manager (for /healthz), and
 * exits 0 after SIGTERM (sent by the manager on shutdown) or when the manager
 * goes away.
 */
import { loadConfigOrReport } from '../config.js';
import { createLogger } from '../log.js';
import { runClient, type ShardStatusMessage } from './run.js';
import type { HealthState } from './health.js';

async function main(): Promise<number> {
  const config = loadConfigOrReport();
  if (!config) return 2;
  const shard = Number(process.env.SHARDS);
  const log = createLogger({ level: config.logLevel, fields: { shard } });
  let trigger: (reason: string) => void = () => undefined;
  const promise = new Promise<string>((resolve) => (trigger = resolve));
  const onSignal = (signal: NodeJS.Signals): void => trigger(signal);
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.once('disconnect', () => trigger('manager gone'));
  const send = (state: HealthState): void => {
    if (process.connected) process.send?.({ sitrep: 'status', state } satisfies ShardStatusMessage);
  };
  const code = await runClient({
    config,
    log,
    digestWorker: false,
    onStatus: send,
    stop: { promise, trigger, dispose: () => undefined },
  });
  log.info('stopped', { code });
  return code;
}

const code = await main();
// The IPC channel to the manager keeps the process alive; leave explicitly.
process.exit(code);
