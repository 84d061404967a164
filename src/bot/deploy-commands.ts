/**
 * Registers the commands in commands/ with Discord: in one guild when
 * DISCORD_GUILD_ID is set (instant, for development), else globally. Run it
 * after changing a command's definition (`npm run deploy-commands`); the bot
 * itself never registers commands on start-up.
 *
 * Environment (and .env, read and validated by src/config.ts): DISCORD_TOKEN,
 * DISCORD_CLIENT_ID (the application id), DISCORD_GUILD_ID (optional),
 * DISCORD_API_URL (optional, e.g. a local fake).
 */
import { pathToFileURL } from 'node:url';
import { REST, Routes, type RESTPutAPIApplicationCommandsResult } from 'discord.js';
import { ConfigError, loadConfig, readConfig, type SitrepConfig } from '../config.js';
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

/** Failure to read the deploy script's settings; the message lists every problem. */
export class DeployEnvError extends Error {
  constructor(problems: string[]) {
    super(`sitrep deploy-commands:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'DeployEnvError';
  }
}

/** The variables the deploy script needs, from a validated configuration; throws listing what is missing. */
export function deployEnvFrom(config: SitrepConfig): DeployEnv {
  const problems: string[] = [];
  if (!config.discordToken) problems.push('DISCORD_TOKEN is not set');
  if (!config.discordClientId) problems.push('DISCORD_CLIENT_ID is not set');
  if (problems.length > 0 || !config.discordToken || !config.discordClientId) throw new DeployEnvError(problems);
  return { token: config.discordToken, clientId: config.discordClientId, guildId: config.discordGuildId, apiUrl: config.discordApiUrl };
}

/** Reads and checks the variables the deploy script needs (with src/config.ts's rules); throws one error listing every problem. */
export function readDeployEnv(env: NodeJS.ProcessEnv): DeployEnv {
  try {
    return deployEnvFrom(readConfig(env));
  } catch (error) {
    throw error instanceof ConfigError ? withDeployNeeds(error, env) : error;
  }
}

/** The configuration's problems together with what the deploy script itself needs. */
function withDeployNeeds(error: ConfigError, env: NodeJS.ProcessEnv): DeployEnvError {
  const problems = [...error.problems];
  if (!env.DISCORD_TOKEN?.trim()) problems.push('DISCORD_TOKEN is not set');
  if (!env.DISCORD_CLIENT_ID?.trim()) problems.push('DISCORD_CLIENT_ID is not set');
  return new DeployEnvError(problems);
}

async function main(): Promise<number> {
  let env: DeployEnv;
  try {
    env = deployEnvFrom(loadConfig());
  } catch (error) {
    const problem = error instanceof ConfigError ? withDeployNeeds(error, process.env) : error;
    if (!(problem instanceof DeployEnvError)) throw problem;
    process.stderr.write(`${problem.message}\n`);
    return 2;
  }
  const commands = await loadCommands();
  const stored = await deployCommands({ ...env, commands });
  const where = env.guildId ? `guild ${env.guildId}` : 'globally';
  console.error(`sitrep: registered ${stored.length} commands ${where}: ${stored.map((c) => c.name).join(', ')}`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
