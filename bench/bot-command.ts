/**
 * How `npm start` runs the bot, read from package.json's start script: the environment variables it
 * sets before `exec node` and the Node flags it passes. The bench runs the processes that stand for a
 * running bot with both, so what it measures is what the bot gets.
 */
import { readFileSync } from 'node:fs';

export interface BotCommand {
  env: Record<string, string>;
  flags: string[];
}

/** Parses a start script of the form `NAME=value … exec node --flag … file.js`. */
export function parseStartScript(script: string): BotCommand {
  const words = script.trim().split(/\s+/);
  const env: Record<string, string> = {};
  let i = 0;
  for (; i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!); i++) {
    const word = words[i]!;
    const eq = word.indexOf('=');
    env[word.slice(0, eq)] = word.slice(eq + 1);
  }
  if (words[i] === 'exec') i++;
  if (words[i] !== 'node') throw new Error(`bench: the start script does not run node: ${script}`);
  const flags: string[] = [];
  for (i++; i < words.length && words[i]!.startsWith('--'); i++) flags.push(words[i]!);
  return { env, flags };
}

export function botCommand(packageJson = new URL('../package.json', import.meta.url)): BotCommand {
  const pkg = JSON.parse(readFileSync(packageJson, 'utf8')) as { scripts: Record<string, string> };
  return parseStartScript(pkg.scripts.start ?? '');
}
