/**
 * Pagination state carried in a button's custom id, so a click is answered
 * from the id alone, even by a freshly restarted bot:
 *
 *   pg|<command>|<page>|<slot>|<args>
 *
 * `args` are the command's options as a URL query string (`topic=navy&from=2024`).
 * When they do not fit in Discord's 100 characters, they are kept in a bounded
 * in-memory table under a short hash (`#<hash>`); such a button still works
 * until the bot restarts, and after a restart the click is answered with a
 * note to run the command again.
 */
import { createHash } from 'node:crypto';

export const PAGE_PREFIX = 'pg';
/** How many long argument sets are remembered. */
export const LONG_ARGS_CAPACITY = 2000;

/** The slot of a button that opens a command's answer in a new ephemeral message instead of replacing its own. */
export const OPEN_SLOT = 'o';

/** A command's options as strings (absent options are left out). */
export type PageArgs = Record<string, string>;

export interface PageState {
  command: string;
  page: number;
  /** Distinguishes the buttons of one message ("p" previous, "n" next). */
  slot: string;
  args: PageArgs;
}

export type DecodedPageState = { ok: true; state: PageState } | { ok: false; reason: 'not-a-page-button' | 'malformed' | 'expired'; command?: string };

const longArgs = new Map<string, PageArgs>();

function remember(hash: string, args: PageArgs): void {
  longArgs.delete(hash);
  longArgs.set(hash, args);
  while (longArgs.size > LONG_ARGS_CAPACITY) {
    const oldest = longArgs.keys().next().value;
    if (oldest === undefined) break;
    longArgs.delete(oldest);
  }
}

function serialiseArgs(args: PageArgs): string {
  const entries = Object.entries(args)
    .filter(([, v]) => v !== '')
    .sort(([a], [b]) => a.localeCompare(b));
  return new URLSearchParams(entries).toString();
}

/** Encodes the state in at most `maxLength` characters (Discord's custom id limit, owned by render.ts). */
export function encodePageState(state: PageState, maxLength: number): string {
  if (!/^[a-z0-9_-]{1,32}$/.test(state.command)) throw new Error(`page-state: invalid command name "${state.command}"`);
  const head = `${PAGE_PREFIX}|${state.command}|${state.page}|${state.slot}|`;
  const inline = serialiseArgs(state.args);
  if (head.length + inline.length <= maxLength) return head + inline;
  const hash = createHash('sha256').update(`${state.command}\n${inline}`).digest('base64url').slice(0, 16);
  remember(hash, { ...state.args });
  return `${head}#${hash}`;
}

export function decodePageState(customId: string): DecodedPageState {
  const parts = customId.split('|');
  if (parts[0] !== PAGE_PREFIX) return { ok: false, reason: 'not-a-page-button' };
  if (parts.length !== 5) return { ok: false, reason: 'malformed' };
  const [, command = '', pageText = '', slot = '', rest = ''] = parts;
  const page = Number(pageText);
  if (!command || !Number.isInteger(page) || page < 0) return { ok: false, reason: 'malformed' };
  let args: PageArgs;
  if (rest.startsWith('#')) {
    const known = longArgs.get(rest.slice(1));
    if (!known) return { ok: false, reason: 'expired', command };
    args = { ...known };
  } else {
    args = Object.fromEntries(new URLSearchParams(rest));
  }
  return { ok: true, state: { command, page, slot, args } };
}

/** Forgets every long argument set (what a restart does); for tests. */
export function forgetLongArgs(): void {
  longArgs.clear();
}
