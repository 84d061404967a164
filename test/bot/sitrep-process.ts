/**
 * Runs Sitrep as an operator does (`npm start`: its environment and Node flags, from package.json,
 * with tsx loading the sources) with a given environment, collecting its JSON log lines from
 * standard error. Used by the end-to-end tests (run.test.ts) and the load test (test/stress/).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { botCommand } from '../../bench/bot-command.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

export interface SitrepProcess {
  child: ChildProcess;
  logs: LogLine[];
  /** Standard error lines that are not JSON log records. */
  otherStderr: string[];
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node <npm start's flags> --import tsx src/main.ts` with exactly this environment (plus PATH, HOME and npm start's own). */
export function startSitrepProcess(env: Record<string, string>): SitrepProcess {
  const start = botCommand();
  const child = spawn(process.execPath, [...start.flags, '--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    // Every variable Sitrep reads is given, so a developer's .env (dotenv never overrides) cannot change the test.
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...start.env,
      DISCORD_CLIENT_ID: '',
      DISCORD_GUILD_ID: '',
      // A fresh cache per process: a snapshot left by another test must not decide how this one starts.
      CACHE_DIR: mkdtempSync(join(tmpdir(), 'sitrep-run-cache-')),
      LOG_LEVEL: 'info',
      REDIS_URL: '',
      SHARD_COUNT: 'auto',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const logs: LogLine[] = [];
  const otherStderr: string[] = [];
  const waiters = new Set<() => void>();
  let buffer = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        otherStderr.push(line);
      }
      newline = buffer.indexOf('\n');
    }
    for (const waiter of [...waiters]) waiter();
  });
  const exit = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  return {
    child,
    logs,
    otherStderr,
    exit,
    waitForLog(predicate, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const found = logs.find(predicate);
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no such log line within ${timeoutMs} ms; got:\n${logs.map((l) => JSON.stringify(l)).join('\n')}\n${otherStderr.join('\n')}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

