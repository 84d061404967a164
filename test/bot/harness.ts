/**
 * Sitrep's bot against the fake Discord: deploys the commands to the fake's
 * guild with the real deploy code, starts the real bot (real discord.js
 * Client) with a given engine, and captures the bot's logs.
 */
import type { BriefingEngine } from '../../src/engine/api.js';
import type { BotLogger, Command } from '../../src/bot/command.js';
import { startBot, type BotOptions, type RunningBot } from '../../src/bot/client.js';
import { MemberCooldown } from '../../src/bot/load.js';
import { loadCommands } from '../../src/bot/commands.js';
import { deployCommands } from '../../src/bot/deploy-commands.js';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from '../fake-discord/fake-discord.js';

export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown>;
}

export function captureLogger(): { log: BotLogger; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const push = (level: LogEntry['level']) => (message: string, fields: Record<string, unknown> = {}) => void entries.push({ level, message, fields });
  return { log: { info: push('info'), warn: push('warn'), error: push('error') }, entries };
}

export interface SitrepHarness {
  discord: FakeDiscord;
  bot: RunningBot;
  logs: LogEntry[];
  /** Stops the bot and starts a new one on the same fake Discord (a restart). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the bot on a fresh fake Discord; with `engine` null it answers "still loading" until `bot.setEngine`. */
/**
 * Functional tests send commands back to back as one member, faster than any person; the
 * per-member cooldown would refuse them. They get a cooldown that never bites, unless a test
 * passes its own (the cooldown itself is tested in test/bot/load.test.ts and the stress test).
 */
const FUNCTIONAL_COOLDOWNS = {
  commands: new MemberCooldown({ burst: 1_000_000, perSecond: 1_000_000 }),
  autocomplete: new MemberCooldown({ burst: 1_000_000, perSecond: 1_000_000 }),
};

export async function startSitrep(
  engine: BriefingEngine | null,
  options: { fake?: FakeDiscordOptions; extraCommands?: Command[]; cooldowns?: BotOptions['cooldowns'] } = {},
): Promise<SitrepHarness> {
  const discord = await startFakeDiscord(options.fake);
  const commands = await loadCommands();
  for (const extra of options.extraCommands ?? []) commands.set(extra.data.name, extra);
  await deployCommands({ token: discord.token, clientId: discord.applicationId, guildId: discord.guildId, apiUrl: discord.apiUrl, commands });
  const { log, entries } = captureLogger();
  const start = () => startBot({ token: discord.token, apiUrl: discord.apiUrl, engine, log, commands, cooldowns: options.cooldowns ?? FUNCTIONAL_COOLDOWNS });
  const harness: SitrepHarness = {
    discord,
    bot: await start(),
    logs: entries,
    async restart() {
      await harness.bot.stop();
      harness.bot = await start();
    },
    async stop() {
      await harness.bot.stop();
      await discord.close();
    },
  };
  return harness;
}
