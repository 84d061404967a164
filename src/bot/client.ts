/**
 * The bot's runtime: a discord.js Client with only the Guilds intent (slash
 * commands need no more), the command modules and the one interaction
 * handler. Commands are registered by src/bot/deploy-commands.ts, never here.
 */
import { Client, Events, GatewayIntentBits } from 'discord.js';
import type { DigestService } from '../digest/service.js';
import type { BriefingEngine } from '../engine/api.js';
import type { BotLogger, Command, CommandContext } from './command.js';
import { loadCommands } from './commands.js';
import { createInteractionHandler } from './interactions.js';

export interface BotOptions {
  token: string;
  engine: BriefingEngine;
  /** REST base URL such as http://127.0.0.1:PORT/api (DISCORD_API_URL); Discord's own when absent. */
  apiUrl?: string | null;
  log?: BotLogger;
  /** Preloaded commands; loaded from commands/ when absent. */
  commands?: Map<string, Command>;
  /** Gateway shards of this process; discord.js decides when absent. */
  shards?: number[];
  shardCount?: number;
  /** Scheduled digests for /digest (see startDigests); absent or null: /digest says they need REDIS_URL. */
  digests?: DigestService | null;
}

export interface RunningBot {
  client: Client;
  commands: Map<string, Command>;
  /** What every command receives; `context.digests` may be set after start (startDigests needs `client.rest`). */
  context: CommandContext;
  stop(): Promise<void>;
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

export function createClient(options: { apiUrl?: string | null; shards?: number[]; shardCount?: number }): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [] },
    ...(options.apiUrl ? { rest: { api: options.apiUrl } } : {}),
    ...(options.shards ? { shards: options.shards } : {}),
    ...(options.shardCount ? { shardCount: options.shardCount } : {}),
  });
}

/** Logs in and resolves once the client is ready. */
export async function startBot(options: BotOptions): Promise<RunningBot> {
  const log = options.log ?? jsonLogger;
  const commands = options.commands ?? (await loadCommands());
  const catalogue = [...commands.values()]
    .filter((c) => c.kind === 'slash')
    .map((c) => {
      const json = c.data.toJSON() as { name: string; description?: string };
      return { name: json.name, description: json.description ?? '' };
    });
  const context: CommandContext = { engine: options.engine, log, catalogue, digests: options.digests ?? null };
  const client = createClient(options);
  const handle = createInteractionHandler({ commands, context });
  client.on(Events.InteractionCreate, (interaction) => {
    // The handler catches everything it can answer; this only guards against a bug in the handler itself.
    handle(interaction).catch((error: unknown) => log.error('interaction handler crashed', { interactionId: interaction.id, error }));
  });
  client.on(Events.Error, (error) => log.error('discord client error', { error }));
  client.on(Events.ShardDisconnect, (_event, shardId) => log.warn('shard disconnected', { shardId }));
  client.on(Events.ShardResume, (shardId, replayed) => log.info('shard resumed', { shardId, replayed }));
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(options.token);
  await ready;
  log.info('bot ready', { user: client.user?.tag, guilds: client.guilds.cache.size, commands: [...commands.keys()] });
  return {
    client,
    commands,
    context,
    async stop() {
      await client.destroy();
    },
  };
}
