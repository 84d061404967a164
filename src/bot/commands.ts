/**
 * Loads the command modules in commands/ (one file per command) and checks
 * each one before the bot uses it: a module that does not export a valid
 * Command stops the start-up with a message naming the file.
 */
import { readdir } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Command } from './command.js';

/** Where the command modules are: commands/ beside src/ (also in dist/). */
export const DEFAULT_COMMANDS_DIR = new URL('../../commands/', import.meta.url);

export class CommandLoadError extends Error {
  constructor(file: string, problem: string) {
    super(`sitrep: command module ${file}: ${problem}`);
    this.name = 'CommandLoadError';
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Checks that a module's default export is a Command; returns it or throws CommandLoadError. */
export function validateCommandModule(file: string, module: unknown): Command {
  const candidate = isObject(module) ? module.default : undefined;
  if (!isObject(candidate)) throw new CommandLoadError(file, 'has no default export');
  const { kind, data, execute, autocomplete, page } = candidate;
  if (kind !== 'slash' && kind !== 'message') throw new CommandLoadError(file, 'kind must be "slash" or "message"');
  if (!isObject(data) || typeof data.toJSON !== 'function' || typeof data.name !== 'string') {
    throw new CommandLoadError(file, 'data must be a command builder (with a name and toJSON)');
  }
  if (typeof execute !== 'function') throw new CommandLoadError(file, 'execute must be a function');
  if (autocomplete !== undefined && typeof autocomplete !== 'function') throw new CommandLoadError(file, 'autocomplete must be a function');
  if (page !== undefined && typeof page !== 'function') throw new CommandLoadError(file, 'page must be a function');
  const json = (data.toJSON as () => unknown)();
  const type = isObject(json) ? (json.type ?? 1) : undefined;
  if ((kind === 'slash' && type !== 1) || (kind === 'message' && type !== 3)) {
    throw new CommandLoadError(file, `kind "${kind}" does not match the command type ${String(type)}`);
  }
  if (kind === 'message' && autocomplete !== undefined) throw new CommandLoadError(file, 'a message command cannot autocomplete');
  return candidate as unknown as Command;
}

/** Turns a command name into the key used in button custom ids ("Find sources" → "find-sources"). */
export function pageKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-');
}

/** Imports every command module in `dir` (.js, or .ts when run from source), keyed by command name. */
export async function loadCommands(dir: URL = DEFAULT_COMMANDS_DIR): Promise<Map<string, Command>> {
  const files = (await readdir(dir)).filter((f) => (extname(f) === '.js' || (extname(f) === '.ts' && !f.endsWith('.d.ts'))) && !f.includes('.test.')).sort();
  const commands = new Map<string, Command>();
  for (const file of files) {
    const command = validateCommandModule(file, await import(new URL(file, dir).href));
    if (commands.has(command.data.name)) throw new CommandLoadError(file, `a second command named "${command.data.name}"`);
    commands.set(command.data.name, command);
  }
  if (commands.size === 0) throw new CommandLoadError(dir.pathname, 'no command modules found');
  return commands;
}
