/**
 * The bot's runtime: a discord.js Client with only the Guilds intent (slash
 * commands need no more), the command modules and the one interaction
 * handler. Commands are registered by src/bot/deploy-commands.ts, never here.
 */
import { Client, Events, GatewayIntentBits, Status, type RESTOptions } from 'discord.js';
import { Agent } from 'undici';
import type { DigestService } from '../digest/service.js';
import type { SourcesService } from './sources-integration.js';
import type { BriefingEngine } from '../engine/api.js';
import type { BotLogger, Command } from './command.js';
import { loadCommands } from './commands.js';
import { createInteractionHandler, normaliseInteractionPayload, type InteractionHandlerOptions } from './interactions.js';

export interface BotOptions {
  token: string;
  /** The engine, or null while it is being built: commands are then answered "still loading" until setEngine. */
  engine: BriefingEngine | null;
  /** REST base URL such as http://127.0.0.1:PORT/api (DISCORD_API_URL); Discord's own when absent. */
  apiUrl?: string | null;
  log?: BotLogger;
  /** Preloaded commands; loaded from commands/ when absent. */
  commands?: Map<string, Command>;
  /** Gateway shards of this process; discord.js decides when absent (from SHARDS / SHARD_COUNT under a ShardingManager). */
  shards?: number[];
  shardCount?: number;
  /** Called whenever the gateway connection or the engine changes (for /healthz and the sharding manager). */
  onStatus?: (status: BotStatus) => void;
  /** Scheduled digests for /digest (see startDigests); absent or null: /digest says they need REDIS_URL. */
  digests?: DigestService | null;
  /** Per-member cooldowns (src/bot/load.ts); the defaults when absent. */
  cooldowns?: InteractionHandlerOptions['cooldowns'];
  /** Live sources for /article and /feeds (see startSources). */
  sources?: SourcesService | null;
}

export interface BotStatus {
  /** Every gateway shard of this client is connected (READY or RESUMED). */
  gateway: boolean;
  /** Documents in the engine, or null while it is still being built. */
  documents: number | null;
}

export interface RunningBot {
  client: Client;
  commands: Map<string, Command>;
  /** Puts the engine in place; from then on commands are answered from it. */
  setEngine(engine: BriefingEngine): void;
  /** Puts the digest service in place (startDigests needs the client's REST first), or takes it away. */
  setDigests(digests: DigestService | null): void;
  /** Puts the live-sources service in place, or takes it away. */
  setSources(sources: SourcesService | null): void;
  status(): BotStatus;
  /**
   * Stops accepting interactions (new ones are left unanswered, for another
   * instance or a restart), waits up to `graceMs` for those being answered,
   * then closes the gateway connection.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
}

/** One JSON object per line on standard error. */
export const jsonLogger: BotLogger = {
  info: (message, fields) => console.error(JSON.stringify({ level: 'info', message, ...fields })),
  warn: (message, fields) => console.error(JSON.stringify({ level: 'warn', message, ...fields })),
  error: (message, fields) =>
    console.error(
      JSON.stringify({ level: 'error', message, ...fields, ...(fields?.error instanceof Error ? { error: { name: fields.error.name, message: fields.error.message, stack: fields.error.stack } } : {}) }),
    ),
};

/**
 * How many HTTP connections to Discord's API one client keeps. Under a burst, a bounded pool of
 * keep-alive connections answers the first interactions first; hundreds of connections opened at
 * once all progress together and finish late together (measured with `npm run test:stress`).
 */
export const REST_CONNECTIONS = 32;

export function createClient(options: { apiUrl?: string | null; shards?: number[]; shardCount?: number }): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [] },
    // discord.js's REST takes undici's Dispatcher; its own copy of undici is the same major version.
    rest: { ...(options.apiUrl ? { api: options.apiUrl } : {}), agent: new Agent({ connections: REST_CONNECTIONS }) as NonNullable<RESTOptions['agent']> },
    ...(options.shards ? { shards: options.shards } : {}),
    ...(options.shardCount ? { shardCount: options.shardCount } : {}),
  });
}

/** True when the client is logged in and every one of its gateway shards is connected. */
export function gatewayConnected(client: Client): boolean {
  if (!client.isReady() || client.ws.shards.size === 0) return false;
  for (const shard of client.ws.shards.values()) if (shard.status !== Status.Ready) return false;
  return true;
}

/** Documents behind an engine, when it says (the Briefing has `documents`). */
function documentCount(engine: BriefingEngine): number {
  const documents = (engine as { documents?: unknown }).documents;
  return Array.isArray(documents) ? documents.length : engine.sources().documents.length;
}

/** Logs in and resolves once the client is ready (the engine may come later, through setEngine). */
export async function startBot(options: BotOptions): Promise<RunningBot> {
  const log = options.log ?? jsonLogger;
  const commands = options.commands ?? (await loadCommands());
  const catalogue = [...commands.values()]
    .filter((c) => c.kind === 'slash')
    .map((c) => {
      const json = c.data.toJSON() as { name: string; description?: string };
      return { name: json.name, description: json.description ?? '' };
    });
  let engine = options.engine;
  let digests = options.digests ?? null;
  let sources = options.sources ?? null;
  let documents = engine ? documentCount(engine) : null;
  let accepting = true;
  const inFlight = new Set<Promise<void>>();
  const client = createClient(options);
  const status = (): BotStatus => ({ gateway: gatewayConnected(client), documents });
  const report = (): void => options.onStatus?.(status());
  const handle = createInteractionHandler({ commands, engine: () => engine, log, catalogue, digests: () => digests, sources: () => sources, ...(options.cooldowns ? { cooldowns: options.cooldowns } : {}) });
  client.on(Events.InteractionCreate, (interaction) => {
    if (!accepting) return;
    // The handler catches everything it can answer; this only guards against a bug in the handler itself.
    const done = handle(interaction)
      .catch((error: unknown) => log.error('interaction handler crashed', { interactionId: interaction.id, error }))
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  });
  // discord.js builds an interaction from the raw payload right after this event: fill in missing fields first.
  client.on(Events.Raw, normaliseInteractionPayload);
  client.on(Events.Error, (error) => log.error('discord client error', { error }));
  client.on(Events.ShardReady, (shardId) => {
    log.info('shard connected', { shardId });
    report();
  });
  client.on(Events.ShardDisconnect, (event, shardId) => {
    log.warn('shard disconnected', { shardId, code: event.code });
    report();
  });
  client.on(Events.ShardReconnecting, (shardId) => {
    // destroy() closes the connection the same way; only a reconnect while running is news.
    if (accepting) log.info('shard reconnecting', { shardId });
    report();
  });
  client.on(Events.ShardResume, (shardId, replayed) => {
    log.info('shard resumed', { shardId, replayed });
    report();
  });
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(options.token);
  await ready;
  log.info('bot ready', { user: client.user?.tag, guilds: client.guilds.cache.size, shards: [...client.ws.shards.keys()], commands: [...commands.keys()] });
  report();
  return {
    client,
    commands,
    setDigests(next) {
      digests = next;
    },
    setSources(next) {
      sources = next;
    },
    setEngine(next) {
      engine = next;
      documents = documentCount(next);
      report();
    },
    status,
    async stop({ graceMs = 0 } = {}) {
      accepting = false;
      if (inFlight.size > 0 && graceMs > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
        clearTimeout(timer);
      }
      await client.destroy();
    },
  };
}
