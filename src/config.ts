/**
 * Configuration comes only from the environment (and a `.env` file, read by
 * dotenv at start), validated once when a process starts. Every variable is
 * listed, with a comment, in `.env.example` and the README.
 */
import { join } from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { addressPolicyFrom, type AddressPolicy } from './sources/guard.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface SitrepConfig {
  discordToken: string | null;
  discordClientId: string | null;
  discordGuildId: string | null;
  /** REST base such as http://127.0.0.1:PORT/api, for a local fake Discord. */
  discordApiUrl: string | null;
  corpusDir: string;
  cacheDir: string;
  logLevel: LogLevel;
  healthPort: number | null;
  /** Number of gateway shards; 'auto' asks Discord. */
  shardCount: number | 'auto';
  redisUrl: string | null;
  /** How often the bot rescans the corpus folder for new or changed files, in seconds; 0 turns it off. */
  corpusRescanSeconds: number;
  /** Where fetched and added articles are stored and indexed with the corpus (FETCHED_DIR, default `<corpus>/fetched`). */
  fetchedDir: string;
  /** Which addresses may be fetched (FETCH_ALLOW_PRIVATE: false → public, loopback, true → any). */
  fetchAllowPrivate: AddressPolicy;
  /** Deadline for one fetch, redirects and body included (FETCH_TIMEOUT_SECONDS). */
  fetchTimeoutSeconds: number;
  /** Threads that analyse documents (ANALYSIS_THREADS); null: one per core (os.availableParallelism()). */
  analysisThreads: number | null;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`sitrep: invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
const SNOWFLAKE = /^\d{17,20}$/;

function optional(env: NodeJS.ProcessEnv, name: string): string | null {
  const value = env[name]?.trim();
  return value ? value : null;
}

/** Reads and validates the configuration; throws ConfigError listing every problem at once. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): SitrepConfig {
  const problems: string[] = [];
  const discordToken = optional(env, 'DISCORD_TOKEN');
  const discordClientId = optional(env, 'DISCORD_CLIENT_ID');
  const discordGuildId = optional(env, 'DISCORD_GUILD_ID');
  const discordApiUrl = optional(env, 'DISCORD_API_URL');
  if (discordClientId && !SNOWFLAKE.test(discordClientId)) problems.push('DISCORD_CLIENT_ID must be a Discord id (17 to 20 digits)');
  if (discordGuildId && !SNOWFLAKE.test(discordGuildId)) problems.push('DISCORD_GUILD_ID must be a Discord id (17 to 20 digits)');
  if (discordApiUrl && !/^https?:\/\/\S+$/.test(discordApiUrl)) problems.push('DISCORD_API_URL must be an http(s) URL such as http://127.0.0.1:3000/api');

  const logLevel = (optional(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  if (!LOG_LEVELS.includes(logLevel as LogLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  let healthPort: number | null = null;
  const rawPort = optional(env, 'HEALTH_PORT');
  if (rawPort !== null) {
    healthPort = Number(rawPort);
    if (!Number.isInteger(healthPort) || healthPort < 0 || healthPort > 65535) problems.push('HEALTH_PORT must be a port number from 0 to 65535');
  }

  let shardCount: number | 'auto' = 'auto';
  const rawShards = optional(env, 'SHARD_COUNT');
  if (rawShards !== null && rawShards !== 'auto') {
    shardCount = Number(rawShards);
    if (!Number.isInteger(shardCount) || shardCount < 1) problems.push('SHARD_COUNT must be "auto" or a whole number of at least 1');
  }

  const redisUrl = optional(env, 'REDIS_URL');
  if (redisUrl && !/^rediss?:\/\/\S+$/.test(redisUrl)) problems.push('REDIS_URL must look like redis://host:port');

  let corpusRescanSeconds = 60;
  const rawRescan = optional(env, 'CORPUS_RESCAN_SECONDS');
  if (rawRescan !== null) {
    corpusRescanSeconds = Number(rawRescan);
    if (!Number.isInteger(corpusRescanSeconds) || corpusRescanSeconds < 0) problems.push('CORPUS_RESCAN_SECONDS must be a whole number of seconds (0 turns rescanning off)');
  }

  const fetchAllowPrivate = addressPolicyFrom(optional(env, 'FETCH_ALLOW_PRIVATE'));
  if (!fetchAllowPrivate) problems.push('FETCH_ALLOW_PRIVATE must be false (default), loopback or true');
  let fetchTimeoutSeconds = 20;
  const rawTimeout = optional(env, 'FETCH_TIMEOUT_SECONDS');
  if (rawTimeout !== null) {
    fetchTimeoutSeconds = Number(rawTimeout);
    if (!(fetchTimeoutSeconds > 0 && fetchTimeoutSeconds <= 300)) problems.push('FETCH_TIMEOUT_SECONDS must be a number of seconds above 0 and at most 300');
  }
  let analysisThreads: number | null = null;
  const rawThreads = optional(env, 'ANALYSIS_THREADS');
  if (rawThreads !== null && rawThreads !== 'auto') {
    analysisThreads = Number(rawThreads);
    if (!Number.isInteger(analysisThreads) || analysisThreads < 1 || analysisThreads > 256) problems.push('ANALYSIS_THREADS must be "auto" or a whole number from 1 to 256');
  }

  if (problems.length > 0) throw new ConfigError(problems);
  const corpusDir = optional(env, 'CORPUS_DIR') ?? 'corpus';
  return {
    discordToken,
    discordClientId,
    discordGuildId,
    discordApiUrl,
    corpusDir,
    cacheDir: optional(env, 'CACHE_DIR') ?? '.sitrep-cache',
    logLevel: logLevel as LogLevel,
    healthPort,
    shardCount,
    redisUrl,
    corpusRescanSeconds,
    fetchedDir: optional(env, 'FETCHED_DIR') ?? join(corpusDir, 'fetched'),
    fetchAllowPrivate: fetchAllowPrivate!,
    fetchTimeoutSeconds,
    analysisThreads,
  };
}

/** Loads `.env` (if present) into process.env without overriding what is set, then validates. */
export function loadConfig(): SitrepConfig {
  loadDotenv({ quiet: true });
  return readConfig(process.env);
}

/**
 * For a process entry point: the configuration, or null after writing what is
 * wrong to standard error (the caller exits 2). No stack trace for a typo.
 */
export function loadConfigOrReport(write: (text: string) => void = (text) => process.stderr.write(text)): SitrepConfig | null {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      write(`${error.message}\n`);
      return null;
    }
    throw error;
  }
}
