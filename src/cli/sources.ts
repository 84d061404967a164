/**
 * `sitrep add` and `sitrep feeds add|list|remove|poll`: live sources from the
 * command line, none of them needing Redis. Fetching obeys FETCH_ALLOW_PRIVATE
 * and FETCH_TIMEOUT_SECONDS; articles go to FETCHED_DIR (default
 * `<corpus>/fetched`), which the bot indexes with the corpus.
 */
import { addressPolicyFrom } from '../sources/guard.js';
import { isSourceError, reasonFor } from '../sources/errors.js';
import type { Added, Skipped } from '../sources/ingest.js';
import { Sources } from '../sources/index.js';
import type { PollReport } from '../sources/poll.js';
import type { FeedView } from '../sources/registry.js';
import type { CliInvocation } from './args.js';
import type { CliIO } from './run.js';

/** The contract's Feed (more fields may be added: who added it, the last error). */
function feedJson(feed: FeedView) {
  return feed;
}

function addedLine(a: Added): string {
  return `  + ${a.title} (${[a.outlet, a.published, `${a.words} words`].filter(Boolean).join(', ')})\n    ${a.doc}${a.url ? `\n    ${a.url}` : ''}`;
}

function skippedLine(s: Skipped): string {
  return `  - ${s.input}: ${s.reason}`;
}

function feedLine(f: FeedView): string {
  const status = f.paused ? `PAUSED: ${f.paused}` : f.failures > 0 ? `${f.failures} failed poll(s) in a row: ${f.lastError ?? ''}` : 'ok';
  return `${f.url}\n  ${f.title ?? '(no title)'} · every ${f.every} min · last polled ${f.lastPolledAt ?? 'never'} · last article ${f.lastAddedAt ?? 'never'} · ${status}`;
}

function pollText(p: PollReport): string {
  const lines = [`${p.feed}: ${p.error ? `not polled or failed: ${p.error}` : `${p.added.length} added, ${p.skipped.length} skipped`}`];
  for (const a of p.added) lines.push(addedLine(a));
  for (const s of p.skipped) lines.push(skippedLine(s));
  return lines.join('\n');
}

export async function runSources(invocation: CliInvocation, io: CliIO): Promise<number> {
  const addresses = addressPolicyFrom(io.env.FETCH_ALLOW_PRIVATE);
  if (!addresses) {
    io.stderr('sitrep: FETCH_ALLOW_PRIVATE must be false, loopback or true\n');
    return 2;
  }
  const timeout = io.env.FETCH_TIMEOUT_SECONDS?.trim();
  if (timeout && !(Number(timeout) > 0)) {
    io.stderr('sitrep: FETCH_TIMEOUT_SECONDS must be a number of seconds above 0\n');
    return 2;
  }
  const sources = new Sources({
    corpusDir: invocation.corpus,
    fetchedDir: io.env.FETCHED_DIR?.trim() || null,
    addresses,
    ...(timeout ? { timeoutMs: Number(timeout) * 1000 } : {}),
    // With REDIS_URL, fetches here keep the per-site pace shared with the bot and workers; without it (or Redis down), this process paces alone.
    redisUrl: io.env.REDIS_URL?.trim() || null,
  });
  const out = (json: unknown, text: string): number => {
    io.stdout(invocation.json ? `${JSON.stringify(json, null, 2)}\n` : `${text}\n`);
    return 0;
  };
  try {
    return await runWith(sources, invocation, io, out);
  } finally {
    await sources.close();
  }
}

async function runWith(sources: Sources, invocation: CliInvocation, io: CliIO, out: (json: unknown, text: string) => number): Promise<number> {
  try {
    if (invocation.command === 'add') {
      const { added, skipped } = await sources.add(invocation.files);
      const json = { added: added.map(({ doc, title, outlet, published, url }) => ({ doc, title, outlet, published, url })), skipped };
      const text = [`Added ${added.length}, skipped ${skipped.length} (stored in ${sources.fetchedDir}).`, ...added.map(addedLine), ...skipped.map(skippedLine)].join('\n');
      return out(json, text);
    }
    const [url] = invocation.files;
    switch (invocation.feeds) {
      case 'add': {
        const { feed, resumed } = await sources.addFeed(url!, invocation.every === undefined ? {} : { every: invocation.every });
        return out({ feed: feedJson(feed) }, `${resumed ? 'Resumed' : 'Following'} ${feedLine(feed)}\nThe first poll (sitrep feeds poll, or the bot's schedule) stores every article it lists.`);
      }
      case 'list': {
        const broken: string[] = [];
        const feeds = await sources.listFeeds(broken);
        for (const b of broken) io.stderr(`sitrep: note: a feed file cannot be read: ${b}\n`);
        return out({ feeds: feeds.map(feedJson) }, feeds.length === 0 ? 'No feeds are followed. Add one with: sitrep feeds add URL' : feeds.map(feedLine).join('\n'));
      }
      case 'remove': {
        const removed = await sources.removeFeed(url!);
        return out({ removed: removed.url }, `No longer following ${removed.url} (its stored articles stay).`);
      }
      case 'poll': {
        const reports = await sources.poll(url);
        const json = { polls: reports.map((p) => ({ feed: p.feed, added: p.added.map(({ doc, title, outlet, published, url: u }) => ({ doc, title, outlet, published, url: u })), skipped: p.skipped, error: p.error })) };
        return out(json, reports.length === 0 ? 'No feeds are followed.' : reports.map(pollText).join('\n'));
      }
      default:
        throw new Error(`sitrep: unknown feeds action ${String(invocation.feeds)}`);
    }
  } catch (error) {
    if (isSourceError(error)) {
      io.stderr(`sitrep: ${reasonFor(error)}\n`);
      return 2;
    }
    throw error;
  }
}
