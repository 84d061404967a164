/**
 * The command line's one runner: parses, opens the engine, runs the command
 * and writes the answer. It returns the exit code; only src/cli/main.ts exits.
 *   0  the command ran (even when nothing matched)
 *   1  an unexpected failure
 *   2  a usage error or input the user must correct (missing corpus, empty query)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../paths.js';
import { isSitrepError } from '../engine/errors.js';
import { openBriefing } from '../engine/open.js';
import { createLogger } from '../log.js';
import { parseCli, USAGE, UsageError, type CliInvocation } from './args.js';
import { formatBrief, formatQuotes, formatSearch, formatSources, formatTimeline, formatWho } from './format.js';
import type { Briefing } from '../engine/briefing.js';
import { analyzeFiles } from './analyze.js';
import { runConsole } from './console.js';
import { extractFiles } from './extract.js';

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  stdin?: NodeJS.ReadableStream;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

function answer(briefing: Briefing, invocation: CliInvocation): { json: unknown; text: string; notes?: string[] } {
  switch (invocation.command) {
    case 'search': {
      const result = briefing.search(invocation.text, invocation.limit === undefined ? {} : { limit: invocation.limit });
      return { json: { query: result.query, results: result.results }, text: formatSearch(result), ...(result.notes ? { notes: result.notes } : {}) };
    }
    case 'sources': {
      const result = briefing.sources();
      return { json: result, text: formatSources(result) };
    }
    case 'who': {
      const result = briefing.who(invocation.text);
      return { json: result, text: formatWho(result), ...(result.notes ? { notes: result.notes } : {}) };
    }
    case 'timeline': {
      const result = briefing.timeline({
        ...(invocation.text ? { topic: invocation.text } : {}),
        ...(invocation.from ? { from: invocation.from } : {}),
        ...(invocation.to ? { to: invocation.to } : {}),
      });
      return { json: result, text: formatTimeline(result) };
    }
    case 'quote': {
      const result = briefing.quote({
        ...(invocation.text ? { topic: invocation.text } : {}),
        ...(invocation.speaker ? { speaker: invocation.speaker } : {}),
      });
      return { json: result, text: formatQuotes(result) };
    }
    case 'brief': {
      const result = briefing.brief({
        ...(invocation.text ? { topic: invocation.text } : {}),
        ...(invocation.since ? { since: invocation.since } : {}),
        ...(invocation.until ? { until: invocation.until } : {}),
      });
      return { json: result, text: formatBrief(result) };
    }
    default:
      throw new Error(`sitrep: no answer for command ${invocation.command}`);
  }
}

export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  let invocation: CliInvocation;
  try {
    invocation = parseCli(argv, { corpus: io.env.CORPUS_DIR?.trim() || 'corpus' });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`sitrep: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  const log = createLogger({ format: 'pretty', level: 'warn', write: (line) => io.stderr(`${line}\n`) });
  try {
    switch (invocation.command) {
      case 'help':
        io.stdout(USAGE);
        return 0;
      case 'version':
        io.stdout(`${version()}\n`);
        return 0;
      case 'analyze':
        return await analyzeFiles(invocation.files, invocation.published ?? null, io);
      case 'extract':
        return await extractFiles(invocation.files, invocation.json, io);
      case 'console': {
        const { briefing } = await openBriefing(invocation.corpus, log, { cacheDir: io.env.CACHE_DIR?.trim() || '.sitrep-cache' });
        await runConsole(briefing, { input: io.stdin ?? process.stdin, write: io.stdout });
        return 0;
      }
      default: {
        const { briefing } = await openBriefing(invocation.corpus, log, { cacheDir: io.env.CACHE_DIR?.trim() || '.sitrep-cache' });
        const { json, text, notes } = answer(briefing, invocation);
        // Text output carries its notes; with --json they go to standard error, keeping the JSON to the contract.
        if (invocation.json) for (const note of notes ?? []) io.stderr(`sitrep: note: ${note}\n`);
        io.stdout(invocation.json ? `${JSON.stringify(json, null, 2)}\n` : `${text}\n`);
        return 0;
      }
    }
  } catch (error) {
    if (isSitrepError(error)) {
      io.stderr(`${error.message}\n`);
      return 2;
    }
    io.stderr(`sitrep: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}
