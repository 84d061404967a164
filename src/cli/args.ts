/**
 * Parsing the command line is pure: it returns what to do or a usage error,
 * and never prints or exits (src/cli/main.ts does that).
 */
import { parseArgs } from 'node:util';

export type CliCommand = 'search' | 'sources' | 'who' | 'timeline' | 'quote' | 'brief' | 'analyze' | 'extract' | 'console' | 'help' | 'version';

export interface CliInvocation {
  command: CliCommand;
  /** Words after the command joined by spaces (query, name or topic). */
  text: string;
  files: string[];
  json: boolean;
  corpus: string;
  limit?: number;
  from?: string;
  to?: string;
  speaker?: string;
  published?: string;
  since?: string;
  until?: string;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `Usage: sitrep <command> [options]

Commands:
  search <query>              find passages (typo-tolerant)
  sources                     list the documents in the corpus
  who <name>                  who a person or organisation is, as the sources say
  timeline [topic]            dated events in order   [--from DATE] [--to DATE]
  quote [topic]               direct quotations       [--speaker NAME]
  brief [topic]               the situation report    [--since WHEN] [--until WHEN]  (WHEN: 24h, 3d, 1w, a date)
  analyze FILE...             people, dates and quotes in files (JSON Lines)  [--published YYYY-MM-DD]
  extract FILE.html...        article text and metadata of web pages (JSON Lines with --json); stores nothing
  console                     an interactive console over the same engine

Options:
  --corpus DIR                the corpus folder (default: corpus/, or CORPUS_DIR)
  --limit N                   how many search results (default 5)
  --json                      print the JSON of CLI-CONTRACT.md instead of text
  -h, --help                  this help
  --version                   the version
`;

const COMMANDS = new Set<CliCommand>(['search', 'sources', 'who', 'timeline', 'quote', 'brief', 'analyze', 'extract', 'console', 'help', 'version']);

export function parseCli(argv: readonly string[], defaults: { corpus: string }): CliInvocation {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean', default: false },
        corpus: { type: 'string' },
        limit: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        speaker: { type: 'string' },
        published: { type: 'string' },
        since: { type: 'string' },
        until: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const base = { json: values.json ?? false, corpus: values.corpus ?? defaults.corpus, files: [] as string[] };
  if (values.version) return { command: 'version', text: '', ...base };
  if (values.help || positionals.length === 0) return { command: 'help', text: '', ...base };
  const [name, ...rest] = positionals;
  if (!COMMANDS.has(name as CliCommand)) throw new UsageError(`unknown command "${name}"`);
  const command = name as CliCommand;
  const text = rest.join(' ').trim();
  const invocation: CliInvocation = { command, text, ...base };

  if (values.limit !== undefined) {
    if (!/^\d+$/.test(values.limit) || Number(values.limit) < 1) throw new UsageError('--limit takes a whole number of at least 1');
    invocation.limit = Number(values.limit);
  }
  if (values.from !== undefined) invocation.from = values.from;
  if (values.to !== undefined) invocation.to = values.to;
  if (values.speaker !== undefined) invocation.speaker = values.speaker;
  if (values.since !== undefined) invocation.since = values.since;
  if (values.until !== undefined) invocation.until = values.until;
  if (values.published !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(values.published)) throw new UsageError('--published takes a date as YYYY-MM-DD');
    invocation.published = values.published;
  }

  switch (command) {
    case 'search':
      if (!text) throw new UsageError('search needs a query, e.g. sitrep search "Tomahawk missiles"');
      break;
    case 'who':
      if (!text) throw new UsageError('who needs a name, e.g. sitrep who "Lin Jian"');
      break;
    case 'analyze':
      if (rest.length === 0) throw new UsageError('analyze needs at least one FILE');
      invocation.files = rest;
      invocation.text = '';
      break;
    case 'extract':
      if (rest.length === 0) throw new UsageError('extract needs at least one FILE.html, e.g. sitrep extract page.html --json');
      invocation.files = rest;
      invocation.text = '';
      break;
    default:
      break;
  }
  return invocation;
}
