/**
 * How live sources look on Discord: what `/article` and `/feeds` answer and the
 * one message a paused feed leaves in its channel. Built from render.ts's
 * pieces (escaping, links, limits, no mentions), so Discord's limits stay in
 * one place. Feed titles, article titles and reasons come from the web: all
 * escaped.
 */
import type { Added } from '../sources/ingest.js';
import type { PollReport } from '../sources/poll.js';
import type { FeedView } from '../sources/registry.js';
import type { StoredArticle } from '../sources/store.js';
import type { APIApplicationCommandOptionChoice } from 'discord.js';
import { DISCORD_LIMITS, discordTime, escapeAndFit, escapeText, fitMessage, length, NO_MENTIONS, renderNotice, safeUrl, truncate, type BotMessage, EMBED_COLOR } from './render.js';

/** Room for a list in one embed description, below the 4096 limit. */
const LIST_BUDGET = 3900;

function articleLine(a: Pick<Added, 'title' | 'outlet' | 'published' | 'url' | 'doc'> & { words?: number }): string {
  const title = escapeAndFit(a.title || a.doc, 200);
  const url = safeUrl(a.url);
  const head = url ? `**[${title}](<${url}>)**` : `**${title}**`;
  const meta = [a.outlet ? escapeAndFit(a.outlet, 80) : null, a.published ? escapeText(a.published) : 'no date stated', a.words !== undefined ? `${a.words} words` : null].filter(Boolean).join(' · ');
  return `${head}\n${meta}\n-# ${escapeText(a.doc)}`;
}

/** `/article add`: what was stored. */
export function renderArticleAdded(added: Added): BotMessage {
  return renderNotice(`Added to the sources:\n${articleLine(added)}\n-# It is searchable now and goes into the next digest of every channel whose topic it matches.`, 'info');
}

/** `/article remove`: what was removed. */
export function renderArticleRemoved(article: StoredArticle): BotMessage {
  return renderNotice(`Removed from the sources:\n${articleLine(article)}`, 'info');
}

/** A refusal with its exact reason ("that address is a private network…"). */
export function renderNotAdded(input: string, reason: string): BotMessage {
  return renderNotice(`Not added: ${escapeAndFit(input, 300)}\n${escapeAndFit(reason, 1200)}`, 'error');
}

function feedStatus(feed: FeedView): string {
  if (feed.paused) return `⏸ ${escapeAndFit(feed.paused, 500)}`;
  const polled = feed.lastPolledAt ? `last polled ${discordTime(feed.lastPolledAt, 'R')}` : 'not polled yet';
  const added = feed.lastAddedAt ? `, last new article ${discordTime(feed.lastAddedAt, 'R')}` : '';
  const failing = feed.failures > 0 ? `\n⚠️ ${feed.failures} failed poll${feed.failures === 1 ? '' : 's'} in a row: ${escapeAndFit(feed.lastError ?? '', 300)}` : '';
  return `${polled}${added}${failing}`;
}

function feedHead(feed: FeedView): string {
  const url = safeUrl(feed.url);
  const title = escapeAndFit(feed.title ?? feed.url, 150);
  return `${url ? `**[${title}](<${url}>)**` : `**${title}**`} — every ${feed.every} min`;
}

/** `/feeds add`: followed, and what the first poll stored. */
export function renderFeedAdded(feed: FeedView, resumed: boolean, poll: PollReport): BotMessage {
  const lines = [`${resumed ? 'Resumed' : 'Following'} ${feedHead(feed)}`];
  if (poll.error) lines.push(`The first poll failed: ${escapeAndFit(poll.error, 600)}. It is tried again on schedule.`);
  else lines.push(`First poll: ${poll.added.length} new article${poll.added.length === 1 ? '' : 's'} stored${poll.skipped.length > 0 ? `, ${poll.skipped.length} skipped` : ''}.`);
  let used = length(lines.join('\n'));
  for (const a of poll.added) {
    const line = `• ${articleLine(a).split('\n')[0]}`;
    if (used + length(line) > LIST_BUDGET - 200) {
      lines.push(`…and more (see /sources).`);
      break;
    }
    lines.push(line);
    used += length(line) + 1;
  }
  const reasons = new Map<string, number>();
  for (const s of poll.skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
  for (const [reason, n] of [...reasons].slice(0, 5)) lines.push(`-# skipped ${n}: ${escapeAndFit(reason, 200)}`);
  return renderNotice(lines.join('\n'), 'info');
}

/** `/feeds list`: every feed, its schedule and state, who added it (this server's marked). */
export function renderFeedList(feeds: readonly FeedView[], guildId: string): BotMessage {
  if (feeds.length === 0) return renderNotice('No feeds are followed yet. A manager can add one with /feeds add.', 'info');
  let description = '';
  let shown = 0;
  for (const feed of feeds) {
    const who = feed.guild === guildId ? (feed.member ? `added here by <@${feed.member}>` : 'added here') : feed.guild ? 'added by another server' : 'added from the command line';
    const block = `${feedHead(feed)}\n${feedStatus(feed)}\n-# ${who}`;
    const next = `${description}${description ? '\n\n' : ''}${block}`;
    if (length(next) > LIST_BUDGET - 40) break;
    description = next;
    shown++;
  }
  if (shown < feeds.length) description += `\n\n…and ${feeds.length - shown} more`;
  const paused = feeds.filter((f) => f.paused).length;
  return fitMessage({
    embeds: [{ title: 'Feeds followed', description, color: EMBED_COLOR, footer: { text: `${feeds.length} feed${feeds.length === 1 ? '' : 's'}${paused ? ` · ${paused} paused` : ''}` } }],
    components: [],
    allowedMentions: NO_MENTIONS,
  });
}

/** `/feeds remove`. */
export function renderFeedRemoved(feed: FeedView): BotMessage {
  return renderNotice(`No longer following ${feedHead(feed)}. The articles it brought stay in the sources (remove one with /article remove).`, 'info');
}

/** Said once in the channel a feed was added from, when it pauses itself. */
export function renderFeedPaused(feed: FeedView): BotMessage {
  return renderNotice(`⏸ ${feedHead(feed)} is no longer polled: ${escapeAndFit(feed.paused ?? 'too many failed polls', 600)}\nA manager can resume it with /feeds add or remove it with /feeds remove.`, 'error');
}

/** A refusal for a member without Manage Server. */
export function renderSourcesNotAllowed(): BotMessage {
  return renderNotice('Only members with the Manage Server permission can add or remove sources and feeds. Ask a moderator.', 'error');
}

/** Autocomplete for /article remove: titles shown, document ids as values (an id over 100 characters cannot be offered). */
export function renderArticleChoices(articles: readonly StoredArticle[]): APIApplicationCommandOptionChoice<string>[] {
  return articles
    .filter((a) => a.doc.length <= DISCORD_LIMITS.choiceValue)
    .slice(0, DISCORD_LIMITS.choices)
    .map((a) => ({ name: truncate(a.title.replace(/\s+/g, ' ').trim() || a.doc, DISCORD_LIMITS.choiceName), value: a.doc }));
}

/** Autocomplete for /feeds remove: "title — url" shown, the URL as value. */
export function renderFeedChoices(feeds: readonly FeedView[]): APIApplicationCommandOptionChoice<string>[] {
  return feeds
    .filter((f) => f.url.length <= DISCORD_LIMITS.choiceValue)
    .slice(0, DISCORD_LIMITS.choices)
    .map((f) => ({ name: truncate(f.title ? `${f.title} — ${f.url}` : f.url, DISCORD_LIMITS.choiceName), value: f.url }));
}
