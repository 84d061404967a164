/**
 * Parsing the command line is pure: it returns what to do or a usage error,
 * and never prints or exits (src/cli/main.ts does that).
 */
import { parseArgs } from 'node:util';

export type CliCommand = 'search' | 'sources' | 'who' | 'timeline' | 'quote' | 'brief' | 'analyze' | 'extract' | 'add' | 'feeds' | 'console' | 'help' | 'version';

export type FeedsAction = 'add' | 'list' | 'remove' | 'poll';

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
  /** `feeds` subcommand. */
  feeds?: FeedsAction;
  /** `feeds add --every MINUTES`. */
  every?: number;
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
  add URL|FILE...             fetch or read articles (.html/.txt/.md) and store them in the corpus
  feeds add URL               follow a news feed (RSS, Atom, JSON Feed)  [--every MINUTES]
  feeds list                  the feeds followed, when polled, failures, paused or not
  feeds remove URL            stop following a feed (its articles stay)
  feeds poll [URL]            poll every feed (or one) now, once
  console                     an interactive console over the same engine

Options:
  --corpus DIR                the corpus folder (default: corpus/, or CORPUS_DIR)
  --limit N                   how many search results (default 5)
  --every MINUTES             how often a feed is polled (default 10, at least 2)
  --json                      print the JSON of CLI-CONTRACT.md instead of text
  -h, --help                  this help
  --version                   the version
`;

const COMMANDS = new Set<CliCommand>(['search', 'sources', 'who', 'timeline', 'quote', 'brief', 'analyze', 'extract', 'add', 'feeds', 'console', 'help', 'version']);
const FEEDS_ACTIONS = new Set<FeedsAction>(['add', 'list', 'remove', 'poll']);

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
        every: { type: 'string' },
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
  if (values.every !== undefined) {
    if (!/^\d+$/.test(values.every)) throw new UsageError('--every takes a whole number of minutes (at least 2)');
    invocation.every = Number(values.every);
  }
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
    case 'add':
      if (rest.length === 0) throw new UsageError('add needs at least one URL or FILE, e.g. sitrep add https://example.com/news/story');
      invocation.files = rest;
      invocation.text = '';
      break;
    case 'feeds': {
      const [action, ...args] = rest;
      if (!action || !FEEDS_ACTIONS.has(action as FeedsAction)) throw new UsageError('feeds needs one of: add URL, list, remove URL, poll [URL]');
      invocation.feeds = action as FeedsAction;
      invocation.files = args;
      invocation.text = '';
      if ((action === 'add' || action === 'remove') && args.length !== 1) throw new UsageError(`feeds ${action} needs exactly one URL`);
      if (invocation.every !== undefined && action !== 'add') throw new UsageError('--every goes with feeds add');
      if ((action === 'list' && args.length > 0) || (action === 'poll' && args.length > 1)) throw new UsageError(`feeds ${action} takes ${action === 'list' ? 'no arguments' : 'at most one URL'}`);
      break;
    }
    default:
      break;
  }
  return invocation;
}
