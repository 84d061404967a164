/**
 * The Discord bot's runtime (`npm start` with DISCORD_TOKEN set):
 *
 * - start-up never blocks the gateway: the client logs in at once while a
 *   worker thread builds the index (src/bot/engine-loader.ts); until it is
 *   ready, commands are answered "still loading";
 * - `GET /healthz` on HEALTH_PORT: 200 when the gateway is connected and the
 *   index is loaded, else 503 naming what is missing;
 * - SIGTERM / SIGINT: stop accepting interactions, let those in flight finish
 *   (briefly), close the gateway and the health endpoint, exit 0;
 * - sharding: SHARD_COUNT (or, with 'auto', Discord's recommendation from
 *   GET /gateway/bot) above 1 runs discord.js's ShardingManager, one process
 *   per shard (src/bot/shard.ts); otherwise one client in this process;
 * - the corpus folder is rescanned every CORPUS_RESCAN_SECONDS by the live
 *   engine (src/engine/live.ts), which swaps in a new snapshot when files change;
 * - scheduled digests (REDIS_URL): every process opens the digest service for
 *   /digest; the digest worker runs once per deployment (this process, or the
 *   sharding manager).
 */
import { once } from 'node:events';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DiscordAPIError, REST, Routes, ShardingManager, type RESTGetAPIGatewayBotResult, type Shard } from 'discord.js';
import type { SitrepConfig } from '../config.js';
import type { BriefingEngine } from '../engine/api.js';
import { assertCorpusFolder } from '../corpus/load.js';
import { isSitrepError } from '../engine/errors.js';
import { createLogger, type Logger } from '../log.js';
import { startBot, type RunningBot } from './client.js';
import { buildEngineOffThread, type BuiltEngine, type EngineBuild } from './engine-loader.js';
import { LiveBriefing } from '../engine/live.js';
import { takeBuildLock } from '../engine/build-lock.js';
import { startDigests, type RunningDigests } from '../digest/bot-integration.js';
import { startSourcesFromConfig, type SourcesService } from './sources-integration.js';
import { startHealthServer, type HealthServer, type HealthState } from './health.js';

/** How long in-flight interactions may take to finish once a shutdown signal arrives. */
const SHUTDOWN_GRACE_MS = 2000;
/** How long a shard process may take to exit after SIGTERM before it is killed. */
const SHARD_EXIT_TIMEOUT_MS = 5000;
/** How long one shard may take to connect before the manager gives up on start-up. */
const SHARD_READY_TIMEOUT_MS = 60_000;
/** Discord lets each identify bucket start one session per 5 seconds; a little margin. */
const IDENTIFY_INTERVAL_MS = 5500;
/** How often a process waiting for another's build looks for its snapshot. */
const BUILD_WAIT_POLL_MS = 1000;

// ---------- scheduled digests ----------

export interface RunHooks {
  /** Signals that shut the bot down (default SIGTERM and SIGINT). */
  signals?: NodeJS.Signals[];
}

/**
 * Opens scheduled digests for this process (startDigests logs the one line on
 * how to enable them when REDIS_URL is unset). A Redis that cannot be reached
 * leaves the bot running without digests, said in the log.
 */
async function openDigests(config: SitrepConfig, log: Logger, live: LiveBriefing, rest: REST, runWorker: boolean): Promise<RunningDigests | null> {
  try {
    return await startDigests({ redisUrl: config.redisUrl, cacheDir: config.cacheDir, live, rest, log: log.child({ component: 'digest' }), runWorker });
  } catch (error) {
    log.error('scheduled digests did not start (is Redis reachable at REDIS_URL?); the bot runs without them', { error });
    return null;
  }
}

/**
 * The live engine: from the saved snapshot when there is a valid one (the
 * folder is then verified in the background), otherwise built in a worker
 * thread (`onBuild` receives the build, so a shutdown can cancel it). It
 * rescans the corpus every CORPUS_RESCAN_SECONDS from then on.
 */
async function openLiveEngine(config: SitrepConfig, log: Logger, onBuild: (build: EngineBuild) => void = () => undefined): Promise<LiveBriefing> {
  const live = new LiveBriefing(config.corpusDir, { cacheDir: config.cacheDir, fetchedDir: config.fetchedDir, log: log.child({ component: 'corpus' }), analysisThreads: config.analysisThreads });
  let fromSnapshot = await live.startFromSnapshot();
  let release: (() => Promise<void>) | null = null;
  if (!fromSnapshot) {
    // Several processes (shards) starting without saved state: one builds, the others start from its snapshot.
    let told = false;
    while (!(release = await takeBuildLock(config.cacheDir))) {
      if (!told) log.info('another process is building the index; waiting for its snapshot', { cacheDir: config.cacheDir });
      told = true;
      await new Promise((resolve) => setTimeout(resolve, BUILD_WAIT_POLL_MS));
      if (await live.startFromSnapshot({ again: true })) {
        fromSnapshot = true;
        break;
      }
    }
  }
  try {
    await openFrom(live, fromSnapshot, config, log, onBuild);
  } catch (error) {
    await release?.();
    throw error;
  }
  // The lock is let go once the snapshot is written (so a waiting shard finds it); answering does not wait.
  if (release) void live.saved().then(release).catch((error: unknown) => log.warn('could not remove the build lock', { error: String(error) }));
  if (config.corpusRescanSeconds > 0) live.watch(config.corpusRescanSeconds * 1000);
  return live;
}

/** Builds the name and quotation tables in the background; logs when they are ready. */
function warmNames(live: LiveBriefing, log: Logger): void {
  const started = performance.now();
  live
    .warm()
    .then(() => log.info('name tables ready', { ms: Math.round(performance.now() - started) }))
    .catch((error: unknown) => log.error('could not build the name tables', { error }));
}

async function openFrom(live: LiveBriefing, fromSnapshot: boolean, config: SitrepConfig, log: Logger, onBuild: (build: EngineBuild) => void): Promise<void> {
  if (fromSnapshot) {
    log.info('index loaded', { documents: live.briefing.documents.length, passages: live.briefing.index.size, source: 'snapshot' });
    // The name and quotation tables are made now, in the background, rather than at the first /who.
    warmNames(live, log);
  } else {
    const build = buildEngineOffThread(config.corpusDir, log.child({ component: 'index' }), config.fetchedDir, config.analysisThreads);
    onBuild(build);
    const built: BuiltEngine = await build.promise;
    await live.adopt(built.briefing, built.warnings);
    warmNames(live, log);
    log.info('index loaded', {
      documents: built.briefing.documents.length,
      passages: built.briefing.index.size,
      workerMs: built.workerMs,
      mainThreadMs: built.mainThreadMs,
      warnings: built.warnings.length,
      source: 'built',
    });
  }
}

/**
 * Opens live sources (/article, /feeds) over the live engine; with
 * `runScheduler`, this process also polls the feeds (BullMQ with REDIS_URL,
 * else a timer here). A failure leaves the bot running without them.
 */
async function openSources(config: SitrepConfig, log: Logger, live: LiveBriefing, rest: REST | null, runScheduler: boolean): Promise<SourcesService | null> {
  try {
    return await startSourcesFromConfig(config, { live, rest, log, runScheduler });
  } catch (error) {
    log.error('live sources did not start (is Redis reachable at REDIS_URL?); the bot runs without feed polling', { error });
    return null;
  }
}

// ---------- shutdown signals ----------

interface StopSignal {
  /** Resolves with the signal's name (or the reason) when the process is asked to stop. */
  promise: Promise<string>;
  trigger(reason: string): void;
  dispose(): void;
}

function stopSignal(signals: NodeJS.Signals[]): StopSignal {
  let trigger: (reason: string) => void = () => undefined;
  const promise = new Promise<string>((resolve) => (trigger = resolve));
  const handlers = signals.map((signal) => {
    const handler = (): void => trigger(signal);
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return {
    promise,
    trigger: (reason) => trigger(reason),
    dispose: () => {
      for (const [signal, handler] of handlers) process.off(signal, handler);
    },
  };
}

// ---------- health ----------

/** The state /healthz reports; each runtime puts its own reader in once it knows its shape. */
export interface HealthSlot {
  set(reader: () => HealthState): void;
}

const STARTING: HealthState = { gateway: 'connecting', index: 'loading', documents: null };

// ---------- how many shards ----------

export interface ShardPlan {
  total: number;
  /** Milliseconds between spawning two shard processes. */
  spawnDelayMs: number;
  /** Where the number came from, for the log. */
  reason: string;
}

/**
 * Decides how many shards to run. Discord groups shards into identify buckets
 * (`shard_id % max_concurrency`), each allowing one new session per 5 s; with
 * shards spawned in order, `5.5 s / max_concurrency` apart keeps every bucket
 * within its limit.
 */
export async function planShards(config: SitrepConfig, log: Logger): Promise<ShardPlan> {
  if (config.shardCount === 1) return { total: 1, spawnDelayMs: 0, reason: 'SHARD_COUNT=1' };
  const rest = new REST(config.discordApiUrl ? { api: config.discordApiUrl } : {}).setToken(config.discordToken ?? '');
  let gateway: RESTGetAPIGatewayBotResult | null = null;
  try {
    gateway = (await rest.get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult;
  } catch (error) {
    if (error instanceof DiscordAPIError && error.status === 401) throw error;
    log.warn('could not ask Discord for the recommended shard count', { error });
  }
  const concurrency = Math.max(1, gateway?.session_start_limit.max_concurrency ?? 1);
  const spawnDelayMs = Math.ceil(IDENTIFY_INTERVAL_MS / concurrency);
  if (config.shardCount !== 'auto') return { total: config.shardCount, spawnDelayMs, reason: `SHARD_COUNT=${config.shardCount}` };
  if (!gateway) return { total: 1, spawnDelayMs, reason: 'SHARD_COUNT=auto, Discord did not answer: one shard' };
  return { total: Math.max(1, gateway.shards), spawnDelayMs, reason: `SHARD_COUNT=auto, Discord recommends ${gateway.shards}` };
}

// ---------- one client in this process ----------

export interface ClientRunOptions {
  config: SitrepConfig;
  log: Logger;
  /** Where /healthz reads its state from (absent in a shard process, which has no endpoint). */
  health?: HealthSlot;
  /** Run the digest worker in this process (false in shard processes: the manager runs it). */
  digestWorker: boolean;
  /** Told about every change of gateway or index state (a shard process reports to its manager). */
  onStatus?: (state: HealthState) => void;
  stop: StopSignal;
}

/**
 * Runs one discord.js client (with the shards discord.js is given: one when
 * unsharded, the shard of this process under a ShardingManager) until a stop
 * signal; returns the exit code.
 */
export async function runClient(options: ClientRunOptions): Promise<number> {
  const { config, log, stop } = options;
  let bot: RunningBot | null = null;
  let index: HealthState['index'] = 'loading';
  let documents: number | null = null;
  let engine: BriefingEngine | null = null;
  const state = (): HealthState => {
    const gateway = bot ? bot.status().gateway : false;
    return { gateway: gateway ? 'connected' : bot && bot.client.ws.shards.size > 0 ? 'disconnected' : 'connecting', index, documents };
  };
  const report = (): void => options.onStatus?.(state());

  options.health?.set(state);

  // From the saved snapshot when there is a valid one (the folder is verified in the background);
  // otherwise the index is built in a worker thread while the client connects.
  let fatal: (reason: string) => void = () => undefined;
  const failed = new Promise<string>((resolve) => (fatal = resolve));
  let live = null as LiveBriefing | null;
  let build = null as EngineBuild | null;
  const follow = (current: LiveBriefing): LiveBriefing => {
    live = current;
    engine = current.briefing;
    documents = current.briefing.documents.length;
    index = 'loaded';
    bot?.setEngine(current.briefing);
    report();
    current.onChange((next) => {
      engine = next;
      documents = next.documents.length;
      bot?.setEngine(next);
      report();
    });
    return current;
  };
  const engineReady = openLiveEngine(config, log, (started) => (build = started))
    .then(follow)
    .catch((error: unknown) => {
      index = 'failed';
      report();
      if (isSitrepError(error)) log.error(`could not build the index: ${error.message.replace(/^sitrep: /, '')}`, { identifier: error.identifier });
      else log.error('could not build the index', { error });
      fatal('index failed');
      throw error;
    });
  engineReady.catch(() => undefined);
  let digests = null as RunningDigests | null;
  let sources = null as SourcesService | null;

  const starting = startBot({
    token: config.discordToken ?? '',
    apiUrl: config.discordApiUrl,
    engine: null,
    log,
    onStatus: report,
  });
  starting.catch(() => undefined);
  const first = await Promise.race([starting.then((b) => ({ bot: b }), (error: unknown) => ({ error })), stop.promise.then((reason) => ({ reason }))]);
  let code = 0;
  if ('bot' in first) {
    bot = first.bot;
    if (engine) bot.setEngine(engine);
    report();
    // Digests need the client's REST and the live engine; /digest answers "needs REDIS_URL" until they are open.
    const running = bot;
    engineReady
      .then(async (ready) => {
        digests = await openDigests(config, log, ready, running.client.rest, options.digestWorker);
        running.setDigests(digests?.service ?? null);
        sources = await openSources(config, log, ready, running.client.rest, options.digestWorker);
        running.setSources(sources);
      })
      .catch(() => undefined);
    const reason = await Promise.race([stop.promise, failed]);
    if (reason === 'index failed') code = 1;
    log.info('shutting down', { reason });
  } else if ('error' in first) {
    const error = first.error as { code?: unknown; message?: string };
    if (error.code === 'TokenInvalid') log.error('Discord refused DISCORD_TOKEN: check the token (Developer Portal → Bot → Reset Token)');
    else log.error('could not connect to Discord', { error: first.error });
    code = error.code === 'TokenInvalid' ? 2 : 1;
  } else {
    log.info('shutting down during start-up', { reason: first.reason });
    // Let the login finish (or fail) so its connection can be closed.
    bot = await Promise.race([starting.catch(() => null), new Promise<null>((resolve) => setTimeout(() => resolve(null), SHUTDOWN_GRACE_MS).unref())]);
  }

  await build?.cancel();
  // Stops rescans and waits for a snapshot being written, so a SIGTERM never leaves a half-saved state.
  await live?.close();
  await digests?.close().catch((error: unknown) => log.error('scheduled digests did not stop cleanly', { error }));
  await sources?.close().catch((error: unknown) => log.error('feed polling did not stop cleanly', { error }));
  if (bot) await bot.stop({ graceMs: SHUTDOWN_GRACE_MS });
  return code;
}

// ---------- several shard processes ----------

/** The shard entry script beside this file: shard.ts from source, shard.js when built. */
const SHARD_FILE = fileURLToPath(new URL(`./shard${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/** What a shard process tells the manager (src/bot/shard.ts sends it). */
export interface ShardStatusMessage {
  sitrep: 'status';
  state: HealthState;
}

export function isShardStatusMessage(message: unknown): message is ShardStatusMessage {
  return typeof message === 'object' && message !== null && (message as { sitrep?: unknown }).sitrep === 'status';
}

/** Asks a shard process to stop (SIGTERM, handled gracefully by shard.ts) and waits for it to exit. */
async function stopShard(shard: Shard): Promise<void> {
  const child = shard.process;
  if (!child || child.exitCode !== null || child.signalCode !== null) {
    shard.kill();
    return;
  }
  const exited = once(child, 'exit');
  shard.kill(); // removes the manager's respawn listener, then sends SIGTERM
  const timer = setTimeout(() => child.kill('SIGKILL'), SHARD_EXIT_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

async function runManager(config: SitrepConfig, plan: ShardPlan, log: Logger, stop: StopSignal, health: HealthSlot): Promise<number> {
  const states = new Map<number, HealthState>();
  const state = (): HealthState => {
    const all = [...Array(plan.total).keys()].map((id) => states.get(id));
    const connected = all.filter((s) => s?.gateway === 'connected').length;
    const loaded = all.filter((s) => s?.index === 'loaded');
    return {
      gateway: connected === plan.total ? 'connected' : 'connecting',
      index: loaded.length === plan.total ? 'loaded' : all.some((s) => s?.index === 'failed') ? 'failed' : 'loading',
      documents: loaded.length === plan.total ? (loaded[0]?.documents ?? null) : null,
      shards: { connected, total: plan.total },
    };
  };
  health.set(state);
  let stopping = false;

  const manager = new ShardingManager(SHARD_FILE, {
    token: config.discordToken ?? '',
    totalShards: plan.total,
    mode: 'process',
    respawn: true,
    // Same Node flags as this process (`--import tsx` from source, source maps when built).
    execArgv: process.execArgv,
  });
  manager.on('shardCreate', (shard) => {
    log.info('shard process starting', { shard: shard.id });
    shard.on('message', (message: unknown) => {
      if (isShardStatusMessage(message)) states.set(shard.id, message.state);
    });
    shard.on('death', (child) => {
      states.delete(shard.id);
      const exitCode = 'exitCode' in child ? child.exitCode : null;
      if (!stopping) log.warn('shard process exited; the manager starts it again', { shard: shard.id, exitCode });
    });
    shard.on('error', (error) => log.error('shard process error', { shard: shard.id, error }));
  });

  let fatal: (reason: string) => void = () => undefined;
  const failed = new Promise<string>((resolve) => (fatal = resolve));
  log.info('starting shard processes', { shards: plan.total, spawnDelayMs: plan.spawnDelayMs });
  manager.spawn({ amount: plan.total, delay: plan.spawnDelayMs, timeout: SHARD_READY_TIMEOUT_MS }).then(
    () => log.info('every shard process connected', { shards: plan.total }),
    (error: unknown) => {
      if (stopping) return;
      log.error('a shard process did not start', { error });
      fatal('shard start-up failed');
    },
  );

  // The digest worker runs once per deployment, here; it needs an engine of its own (for digest content) only when digests are on.
  let digests = null as RunningDigests | null;
  let managerSources = null as SourcesService | null;
  let managerLive = null as LiveBriefing | null;
  if (config.redisUrl) {
    const rest = new REST(config.discordApiUrl ? { api: config.discordApiUrl } : {}).setToken(config.discordToken ?? '');
    openLiveEngine(config, log)
      .then(async (ready) => {
        managerLive = ready;
        if (!stopping) digests = await openDigests(config, log, ready, rest, true);
        // Feeds are polled once per deployment: here, through BullMQ.
        if (!stopping) managerSources = await openSources(config, log, ready, rest, true);
      })
      .catch((error: unknown) => log.error('scheduled digests did not start: the index failed', { error }));
  } else {
    log.info('scheduled digests are off: set REDIS_URL (e.g. redis://127.0.0.1:6379) to enable /digest');
    log.warn('feeds are not polled on a schedule when sharded without REDIS_URL; use `sitrep feeds poll` or set REDIS_URL');
  }

  const reason = await Promise.race([stop.promise, failed]);
  stopping = true;
  log.info('shutting down', { reason });
  await managerLive?.close();
  await managerSources?.close().catch(() => undefined);
  await digests?.close().catch((error: unknown) => log.error('scheduled digests did not stop cleanly', { error }));
  await Promise.all([...manager.shards.values()].map(stopShard));
  return reason === 'shard start-up failed' ? 1 : 0;
}

// ---------- entry ----------

/** Runs the bot until SIGTERM or SIGINT; returns the process exit code (0 after a clean shutdown). */
export async function runBot(config: SitrepConfig, hooks: RunHooks = {}): Promise<number> {
  const log = createLogger({ level: config.logLevel });
  try {
    await assertCorpusFolder(config.corpusDir);
  } catch (error) {
    if (!isSitrepError(error)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  const stop = stopSignal(hooks.signals ?? ['SIGTERM', 'SIGINT']);
  let reader: () => HealthState = () => STARTING;
  const slot: HealthSlot = { set: (next) => (reader = next) };
  let health: HealthServer | null = null;
  let code = 1;
  try {
    // The health endpoint answers (503) from the first moment, before Discord is even asked anything.
    if (config.healthPort !== null) {
      try {
        health = await startHealthServer(config.healthPort, () => reader(), log);
      } catch (error) {
        log.error(`cannot serve /healthz on HEALTH_PORT ${config.healthPort}: ${(error as Error).message}`);
        return (code = 1);
      }
    }
    let plan: ShardPlan | null;
    try {
      plan = await Promise.race([planShards(config, log), stop.promise.then(() => null)]);
    } catch (error) {
      if (error instanceof DiscordAPIError && error.status === 401) {
        log.error('Discord refused DISCORD_TOKEN: check the token (Developer Portal → Bot → Reset Token)');
        return (code = 2);
      }
      throw error;
    }
    if (!plan) return (code = 0);
    log.info('starting', { shards: plan.total, reason: plan.reason, corpus: config.corpusDir, pid: process.pid });
    if (plan.total > 1) return (code = await runManager(config, plan, log, stop, slot));
    // discord.js reads SHARDS / SHARD_COUNT from the environment; SHARD_COUNT=auto (ours, already read) would confuse it.
    delete process.env.SHARD_COUNT;
    delete process.env.SHARDS;
    return (code = await runClient({ config, log, health: slot, digestWorker: true, stop }));
  } finally {
    stop.dispose();
    await health?.close();
    log.info('stopped', { code });
  }
}
