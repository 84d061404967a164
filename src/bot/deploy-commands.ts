/**
 * Registers the commands in commands/ with Discord: in one guild when
 * DISCORD_GUILD_ID is set (instant, for development), else globally. Run it
 * after changing a command's definition (`npm run deploy-commands`); the bot
 * itself never registers commands on start-up.
 *
 * Environment: DISCORD_TOKEN, DISCORD_CLIENT_ID (the application id),
 * DISCORD_GUILD_ID (optional), DISCORD_API_URL (optional, e.g. a local fake).
 */
import { pathToFileURL } from 'node:url';
import { REST, Routes, type RESTPutAPIApplicationCommandsResult } from 'discord.js';
import type { Command } from './command.js';
import { loadCommands } from './commands.js';

export interface DeployOptions {
  token: string;
  clientId: string;
  guildId?: string | null;
  apiUrl?: string | null;
  commands: Map<string, Command> | Command[];
}

/** Overwrites the registered commands with these; returns what Discord stored. */
export async function deployCommands(options: DeployOptions): Promise<RESTPutAPIApplicationCommandsResult> {
  const rest = new REST(options.apiUrl ? { api: options.apiUrl } : {}).setToken(options.token);
  const list = options.commands instanceof Map ? [...options.commands.values()] : options.commands;
  const body = list.map((c) => c.data.toJSON());
  const route = options.guildId ? Routes.applicationGuildCommands(options.clientId, options.guildId) : Routes.applicationCommands(options.clientId);
  return (await rest.put(route, { body })) as RESTPutAPIApplicationCommandsResult;
}

export interface DeployEnv {
  token: string;
  clientId: string;
  guildId: string | null;
  apiUrl: string | null;
}

/** Reads and checks the variables the deploy script needs; throws one error listing every problem. */
export function readDeployEnv(env: NodeJS.ProcessEnv): DeployEnv {
  const get = (name: string): string | null => env[name]?.trim() || null;
  const problems: string[] = [];
  const token = get('DISCORD_TOKEN');
  const clientId = get('DISCORD_CLIENT_ID');
  const guildId = get('DISCORD_GUILD_ID');
  const apiUrl = get('DISCORD_API_URL');
  if (!token) problems.push('DISCORD_TOKEN is not set');
  if (!clientId) problems.push('DISCORD_CLIENT_ID is not set');
  else if (!/^\d{17,20}$/.test(clientId)) problems.push('DISCORD_CLIENT_ID must be a Discord id (17 to 20 digits)');
  if (guildId && !/^\d{17,20}$/.test(guildId)) problems.push('DISCORD_GUILD_ID must be a Discord id (17 to 20 digits)');
  if (apiUrl && !/^https?:\/\/\S+$/.test(apiUrl)) problems.push('DISCORD_API_URL must be an http(s) URL');
  if (problems.length > 0 || !token || !clientId) throw new Error(`sitrep deploy-commands:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return { token, clientId, guildId, apiUrl };
}

async function main(): Promise<void> {
  const { config } = await import('dotenv');
  config({ quiet: true });
  const env = readDeployEnv(process.env);
  const commands = await loadCommands();
  const stored = await deployCommands({ ...env, commands });
  const where = env.guildId ? `guild ${env.guildId}` : 'globally';
  console.error(`sitrep: registered ${stored.length} commands ${where}: ${stored.map((c) => c.name).join(', ')}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
