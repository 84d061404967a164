/**
 * The interactive console: the same engine as the bot, typed as in Discord
 * (`/search Tomahawk`, `/who Lin Jian`, `/timeline topic:treaty from:2020`,
 * `/quote speaker:Hayashi`, `/sources`, `/help`, `/quit`).
 */
import { createInterface } from 'node:readline';
import type { BriefingEngine } from '../engine/api.js';
import { isSitrepError } from '../engine/errors.js';
import { formatBrief, formatQuotes, formatSearch, formatSources, formatTimeline, formatWho } from './format.js';

export const CONSOLE_HELP = `Commands (as in Discord):
  /search <query>                         find passages
  /sources                                list the documents
  /who <name>                             who someone is, per the sources
  /timeline [topic] [from:DATE] [to:DATE] dated events in order
  /quote [topic] [speaker:NAME]           quotations with their speakers
  /brief [topic] [since:WHEN] [until:WHEN] the situation report (WHEN: 24h, 3d, 1w, a date)
  /help                                   this list
  /quit                                   leave`;

/** Splits "topic words key:value key:multi word" into free text and named options. */
export function parseConsoleOptions(rest: string, keys: readonly string[]): { text: string; options: Record<string, string> } {
  const options: Record<string, string> = {};
  const pattern = new RegExp(`\\b(${keys.join('|')}):`, 'g');
  const marks = [...rest.matchAll(pattern)];
  const text = (marks.length > 0 ? rest.slice(0, marks[0]!.index) : rest).trim();
  marks.forEach((m, i) => {
    const end = i + 1 < marks.length ? marks[i + 1]!.index : rest.length;
    options[m[1]!] = rest.slice(m.index! + m[0].length, end).trim();
  });
  return { text, options };
}

/** Answers one console line; returns null for /quit. */
export function answerConsoleLine(engine: BriefingEngine, line: string): string | null {
  const trimmed = line.trim();
  if (!trimmed) return '';
  const match = /^\/?(\w+)\s*([\s\S]*)$/.exec(trimmed);
  const command = match?.[1]?.toLowerCase() ?? '';
  const rest = match?.[2] ?? '';
  try {
    switch (command) {
      case 'quit':
      case 'exit':
        return null;
      case 'help':
        return CONSOLE_HELP;
      case 'search':
        return formatSearch(engine.search(rest));
      case 'sources':
        return formatSources(engine.sources());
      case 'who':
        if (!rest.trim()) return 'Usage: /who <name>';
        return formatWho(engine.who(rest.trim()));
      case 'timeline': {
        const { text, options } = parseConsoleOptions(rest, ['topic', 'from', 'to']);
        const topic = options.topic ?? text;
        return formatTimeline(
          engine.timeline({ ...(topic ? { topic } : {}), ...(options.from ? { from: options.from } : {}), ...(options.to ? { to: options.to } : {}) }),
        );
      }
      case 'quote': {
        const { text, options } = parseConsoleOptions(rest, ['topic', 'speaker']);
        const topic = options.topic ?? text;
        return formatQuotes(engine.quote({ ...(topic ? { topic } : {}), ...(options.speaker ? { speaker: options.speaker } : {}) }));
      }
      case 'brief': {
        const { text, options } = parseConsoleOptions(rest, ['topic', 'since', 'until']);
        const topic = options.topic ?? text;
        return formatBrief(
          engine.brief({ ...(topic ? { topic } : {}), ...(options.since ? { since: options.since } : {}), ...(options.until ? { until: options.until } : {}) }),
        );
      }
      default:
        return `Unknown command "${trimmed.split(/\s/)[0]}". Type /help for the list.`;
    }
  } catch (error) {
    if (isSitrepError(error)) return error.message.replace(/^sitrep: /, '');
    throw error;
  }
}

export async function runConsole(engine: BriefingEngine, io: { input: NodeJS.ReadableStream; write: (text: string) => void }): Promise<void> {
  const rl = createInterface({ input: io.input, terminal: false });
  io.write(`Sitrep console: ${engine.sources().documents.length} documents loaded. Type /help for commands, /quit to leave.\n> `);
  for await (const line of rl) {
    const reply = answerConsoleLine(engine, line);
    if (reply === null) break;
    io.write(reply ? `${reply}\n> ` : '> ');
  }
  rl.close();
  io.write('\n');
}
