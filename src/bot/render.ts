/**
 * The one module that knows how Sitrep looks on Discord and what Discord
 * accepts. Every message the bot sends is built here, so Discord's limits,
 * mention suppression and the escaping of corpus text live in one place and
 * are tested on their edges.
 *
 * Corpus text is untrusted: an article may contain `@everyone`, `<@123>`,
 * `**markdown**`, masked links or bare URLs. It is escaped so it shows as
 * written and can neither format, mention nor link. The only links the bot
 * makes are the citation links to a document's own http(s) URL.
 */
import type { SubscriptionView } from '../digest/service.js';
import type { APIActionRowComponent, APIButtonComponent, APIEmbed, APIApplicationCommandOptionChoice } from 'discord.js';
import type { Citation, EntityMatch, Excerpt, Quote, SearchResult, SourceDocument, SourcesResult, TimelineEvent, WhoResult } from '../types.js';
import { encodePageState, type PageArgs } from './page-state.js';

/** Discord's limits (API v10). Counted in code points, as Discord counts. */
export const DISCORD_LIMITS = {
  content: 2000,
  embedsPerMessage: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFooter: 2048,
  embedAuthorName: 256,
  /** Title, description, field names and values, footer and author name, summed over all embeds of a message. */
  embedTotal: 6000,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
  customId: 100,
  buttonLabel: 80,
} as const;

/** How much text one page of results may use: below the description limit, leaving room in the 6000 total. */
export const PAGE_BUDGET = 3500;
/** At most this many excerpts, events or quotes on one page. */
export const ITEMS_PER_PAGE = 4;
/** An excerpt is cut to this many characters before escaping. */
export const MAX_EXCERPT_CHARS = 700;

export const EMBED_COLOR = 0x2f6f9f;
export const ERROR_COLOR = 0xb3261e;

/** Sent with every message: corpus text must never ping anyone. */
export const NO_MENTIONS = Object.freeze({ parse: [] as never[] });

/** A message as the bot sends it: reply, editReply, followUp, update and channel.send all take this. */
export interface BotMessage {
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
  allowedMentions: { parse: never[] };
}

// ---------- text ----------

/** Length in code points (what Discord counts). */
export function length(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Cuts to at most `max` code points, ending with an ellipsis when cut; never leaves a dangling escape backslash. */
export function truncate(text: string, max: number, ellipsis = '…'): string {
  if (length(text) <= max) return text;
  const room = Math.max(0, max - length(ellipsis));
  let cut = [...text].slice(0, room).join('');
  // An odd run of trailing backslashes would escape the ellipsis.
  const trailing = /\\+$/.exec(cut)?.[0].length ?? 0;
  if (trailing % 2 === 1) cut = cut.slice(0, -1);
  return cut.replace(/\s+$/u, '') + ellipsis;
}

const ZERO_WIDTH_SPACE = '\u200b';

/**
 * Makes untrusted text display literally: no markdown, no mentions, no
 * links, no emoji or timestamp tags. Backslash escapes survive in content
 * and in embeds alike.
 */
export function escapeText(text: string): string {
  return (
    text
      // Normalise line breaks; control characters other than newlines and tabs are dropped.
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
      // Markdown and tag punctuation: emphasis, code, spoilers, quotes, headings, links, mentions, emoji.
      .replace(/[\\*_~`|<>[\]()#]/g, '\\$&')
      // List markers and numbered lists at the start of a line.
      .replace(/^(\s*)([-+])(?=\s)/gm, '$1\\$2')
      .replace(/^(\s*\d+)\.(?=\s)/gm, '$1\\.')
      // Bare URLs: escaping the colon stops autolinking and still shows "https://". (Every "://" is
      // escaped: matching the scheme too made long runs of letters quadratic, seconds for a few pages.)
      .replace(/:\/\//g, '\\://')
      // @everyone and @here cannot ping with allowedMentions off, but must not look like a ping either.
      .replace(/@(everyone|here)/gi, `@${ZERO_WIDTH_SPACE}$1`)
  );
}

/** Escapes text and cuts it so the escaped form fits `max` code points. */
export function escapeAndFit(text: string, max: number): string {
  // Escaping never shortens text, so no more than `max` raw code points can fit: cut long text first.
  let raw = text.length > max ? truncate(text, max) : text;
  let escaped = escapeText(raw);
  while (length(escaped) > max && raw.length > 0) {
    const over = length(escaped) - max;
    const keep = Math.max(0, length(raw) - over - 1);
    raw = truncate(raw, keep + 1);
    escaped = escapeText(raw);
    if (keep === 0) break;
  }
  return length(escaped) <= max ? escaped : truncate(escaped, max);
}

/** Prefixes every line with "> " so the text renders as one block quote. */
export function blockQuote(text: string): string {
  return text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

/** An http(s) URL safe to put in a masked link, or null. */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  const href = parsed.href.replace(/[()<>\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return href.length <= 512 ? href : null;
}

// ---------- citations and excerpts ----------

/** The engine may add a 1-based paragraph number to a citation. */
type CitedSource = Citation & { paragraph?: number };

/**
 * One line that says where a passage comes from: outlet, date, title (a link
 * when the document has a URL) and paragraph. Everything in it is escaped.
 */
export function citationLine(source: CitedSource): string {
  const parts: string[] = [];
  if (source.outlet) parts.push(`*${escapeAndFit(source.outlet, 80)}*`);
  if (source.published) parts.push(escapeText(source.published));
  const title = escapeAndFit(source.title || source.doc, 120);
  const url = safeUrl(source.url);
  parts.push(url ? `[${title}](<${url}>)` : `“${title}”`);
  if (typeof source.paragraph === 'number') parts.push(`¶${source.paragraph}`);
  return `— ${parts.join(', ')}`;
}

/** An excerpt as a block quote followed by its citation line, within `budget` code points. */
export function renderExcerpt(excerpt: Excerpt, budget = MAX_EXCERPT_CHARS + 300): string {
  const cite = citationLine(excerpt.source);
  const room = Math.max(40, Math.min(MAX_EXCERPT_CHARS, budget - length(cite) - 4));
  const text = excerpt.text.replace(/\s*\n\s*/g, ' ').trim();
  return `${blockQuote(escapeAndFit(text, room))}\n${cite}`;
}

// ---------- pages ----------

/** Splits rendered blocks into pages of at most ITEMS_PER_PAGE blocks and PAGE_BUDGET code points. */
export function paginate(blocks: string[], budget = PAGE_BUDGET, perPage = ITEMS_PER_PAGE): string[][] {
  const pages: string[][] = [];
  let page: string[] = [];
  let used = 0;
  for (const raw of blocks) {
    const block = length(raw) > budget ? truncate(raw, budget) : raw;
    const size = length(block) + 2;
    if (page.length > 0 && (page.length >= perPage || used + size > budget)) {
      pages.push(page);
      page = [];
      used = 0;
    }
    page.push(block);
    used += size;
  }
  if (page.length > 0) pages.push(page);
  return pages;
}

/** Previous/next buttons whose custom ids carry the whole state: command, arguments and page. */
export function pageButtons(command: string, args: PageArgs, page: number, pageCount: number): APIActionRowComponent<APIButtonComponent>[] {
  if (pageCount <= 1) return [];
  const button = (label: string, target: number, disabled: boolean): APIButtonComponent => ({
    type: 2,
    style: 2,
    label,
    // The slot keeps the two ids distinct even when both point at the same page.
    custom_id: encodePageState({ command, page: target, args, slot: label === 'Previous' ? 'p' : 'n' }, DISCORD_LIMITS.customId),
    disabled,
  });
  return [
    {
      type: 1,
      components: [button('Previous', Math.max(0, page - 1), page === 0), button('Next', Math.min(pageCount - 1, page + 1), page >= pageCount - 1)],
    },
  ];
}

function embedTextLength(embed: APIEmbed): number {
  let n = length(embed.title ?? '') + length(embed.description ?? '') + length(embed.footer?.text ?? '') + length(embed.author?.name ?? '');
  for (const f of embed.fields ?? []) n += length(f.name) + length(f.value);
  return n;
}

/**
 * The last line of defence: clamps every part of a message to Discord's
 * limits (so a renderer bug shows a cut message rather than a 50035 error).
 */
export function fitMessage(message: BotMessage): BotMessage {
  const L = DISCORD_LIMITS;
  const embeds = message.embeds.slice(0, L.embedsPerMessage).map((e) => {
    const out: APIEmbed = { ...e };
    if (out.title !== undefined) out.title = truncate(out.title, L.embedTitle);
    if (out.description !== undefined) out.description = truncate(out.description, L.embedDescription);
    if (out.footer) out.footer = { ...out.footer, text: truncate(out.footer.text, L.embedFooter) };
    if (out.author) out.author = { ...out.author, name: truncate(out.author.name, L.embedAuthorName) };
    if (out.fields) out.fields = out.fields.slice(0, L.embedFields).map((f) => ({ ...f, name: truncate(f.name, L.embedFieldName), value: truncate(f.value, L.embedFieldValue) }));
    return out;
  });
  const total = (): number => embeds.reduce((n, e) => n + embedTextLength(e), 0);
  // Over the 6000 total: shorten descriptions (last embed first), then drop fields from the end,
  // then drop trailing embeds, and last shorten the footer of the one embed left.
  for (let i = embeds.length - 1; i >= 0 && total() > L.embedTotal; i--) {
    const e = embeds[i]!;
    if (e.description) e.description = truncate(e.description, Math.max(1, length(e.description) - (total() - L.embedTotal)));
  }
  for (let i = embeds.length - 1; i >= 0 && total() > L.embedTotal; i--) {
    const fields = embeds[i]!.fields;
    while (fields && fields.length > 0 && total() > L.embedTotal) fields.pop();
  }
  while (total() > L.embedTotal && embeds.length > 1) embeds.pop();
  const last = embeds[0];
  if (last?.footer && total() > L.embedTotal) last.footer = { ...last.footer, text: truncate(last.footer.text, Math.max(1, length(last.footer.text) - (total() - L.embedTotal))) };
  const fitted: BotMessage = { embeds, components: message.components.slice(0, 5), allowedMentions: NO_MENTIONS };
  if (message.content !== undefined) fitted.content = truncate(message.content, L.content);
  return fitted;
}

function message(embeds: APIEmbed[], components: APIActionRowComponent<APIButtonComponent>[] = [], content?: string): BotMessage {
  return fitMessage({ embeds, components, allowedMentions: NO_MENTIONS, ...(content !== undefined ? { content } : {}) });
}

/** A page of a list result: one embed, footer "Page i of n", buttons when there is more than one page. */
function pagedMessage(options: {
  command: string;
  args: PageArgs;
  title: string;
  intro?: string;
  blocks: string[];
  page: number;
  empty: string;
  countLabel: string;
}): BotMessage {
  const pages = paginate(options.blocks);
  const pageCount = Math.max(1, pages.length);
  const page = Math.min(Math.max(0, options.page), pageCount - 1);
  const body = pages[page]?.join('\n\n') ?? options.empty;
  const description = options.intro ? `${options.intro}\n\n${body}` : body;
  const footer = pages.length > 1 ? `Page ${page + 1} of ${pageCount} · ${options.countLabel}` : options.countLabel;
  return message([{ title: truncate(options.title, DISCORD_LIMITS.embedTitle), description, color: EMBED_COLOR, footer: { text: footer } }], pageButtons(options.command, options.args, page, pageCount));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

// ---------- one renderer per answer ----------

export function renderSearch(result: SearchResult, args: PageArgs, page: number, command = 'search', heading?: string): BotMessage {
  const notes = (result.notes ?? []).map((n) => `-# ${escapeText(n)}`).join('\n');
  return pagedMessage({
    command,
    args,
    title: heading ?? `Search: ${escapeAndFit(result.query, 200)}`,
    ...(notes ? { intro: notes } : {}),
    blocks: result.results.map((e) => renderExcerpt(e)),
    page,
    empty: 'No passage in the corpus matches that. Try fewer or different words.',
    countLabel: plural(result.results.length, 'passage'),
  });
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "24 March 2024 · day", "Q1 2024 · quarter", "≈ the 2030s · decade": the date as a reader says it, and its precision. */
export function dateLabel(event: TimelineEvent): string {
  const { value, precision, approximate } = event.date;
  let m: RegExpExecArray | null;
  let said = value;
  if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value))) said = `${Number(m[3])} ${MONTH_NAMES[Number(m[2]) - 1]} ${m[1]}`;
  else if ((m = /^(\d{4})-(\d{2})$/.exec(value))) said = `${MONTH_NAMES[Number(m[2]) - 1]} ${m[1]}`;
  else if ((m = /^(\d{4})-Q([1-4])$/.exec(value))) said = `Q${m[2]} ${m[1]}`;
  else if ((m = /^(\d{3})X$/.exec(value))) said = `the ${m[1]}0s`;
  return `${approximate ? '≈ ' : ''}${escapeText(said)} · ${precision}${approximate ? ', approximate' : ''}`;
}

export function renderTimeline(events: TimelineEvent[], args: PageArgs, page: number): BotMessage {
  const blocks = events.map((event) => {
    const also = event.alsoReportedBy && event.alsoReportedBy.length > 0 ? `\n-# also reported by ${event.alsoReportedBy.map((c) => escapeAndFit(c.outlet ?? c.title, 60)).join(', ')}` : '';
    return `**${dateLabel(event)}**\n${renderExcerpt({ text: event.text, source: event.source })}${also}`;
  });
  const scope = [args.topic ? `on ${escapeAndFit(args.topic, 80)}` : '', args.from ? `from ${escapeText(args.from)}` : '', args.to ? `to ${escapeText(args.to)}` : ''].filter(Boolean).join(' ');
  return pagedMessage({
    command: 'timeline',
    args,
    title: `Timeline${scope ? ` ${scope}` : ''}`,
    blocks,
    page,
    empty: 'No dated events match. Widen the dates or drop the topic.',
    countLabel: plural(events.length, 'event'),
  });
}

export function renderQuote(quote: Quote): string {
  const text = escapeAndFit(quote.text.replace(/\s*\n\s*/g, ' '), MAX_EXCERPT_CHARS);
  const speaker = quote.speaker
    ? `**${escapeAndFit(quote.speaker.name, 100)}**${quote.speaker.description ? `, ${escapeAndFit(quote.speaker.description, 160)}` : ''}`
    : '*speaker not identified*';
  return `${blockQuote(`“${text}”`)}\n${speaker}\n${citationLine(quote.source)}`;
}

export function renderQuotes(quotes: Quote[], args: PageArgs, page: number): BotMessage {
  const scope = [args.speaker ? `by ${escapeAndFit(args.speaker, 80)}` : '', args.topic ? `on ${escapeAndFit(args.topic, 80)}` : ''].filter(Boolean).join(' ');
  return pagedMessage({
    command: 'quote',
    args,
    title: `Quotes${scope ? ` ${scope}` : ''}`,
    blocks: quotes.map(renderQuote),
    page,
    empty: 'No quotation matches. Try another speaker or topic.',
    countLabel: plural(quotes.length, 'quote'),
  });
}

function renderSource(doc: SourceDocument): string {
  const url = safeUrl(doc.url);
  const title = escapeAndFit(doc.title || doc.doc, 200);
  const head = url ? `**[${title}](<${url}>)**` : `**${title}**`;
  const meta = [doc.outlet ? escapeAndFit(doc.outlet, 80) : null, doc.published, plural(doc.passages, 'passage')].filter(Boolean).join(' · ');
  return `${head}\n${meta}\n-# ${escapeText(doc.doc)}`;
}

export function renderSources(result: SourcesResult, page: number): BotMessage {
  return pagedMessage({
    command: 'sources',
    args: {},
    title: 'Sources in the corpus',
    blocks: result.documents.map(renderSource),
    page,
    empty: 'The corpus is empty.',
    countLabel: plural(result.documents.length, 'document'),
  });
}

export function renderWho(result: WhoResult): BotMessage {
  const match: EntityMatch | null = result.match;
  if (!match) {
    const suggestions = result.suggestions.slice(0, 10).map((s) => `• ${escapeAndFit(s, 100)}`).join('\n');
    return message([
      {
        title: truncate(`No one called “${escapeAndFit(result.query, 100)}”`, DISCORD_LIMITS.embedTitle),
        description: suggestions ? `Did you mean:\n${suggestions}` : 'Nobody by that name appears in the corpus.',
        color: EMBED_COLOR,
      },
    ]);
  }
  const fields: NonNullable<APIEmbed['fields']> = [];
  if (match.aliases.length > 0) fields.push({ name: 'Also called', value: truncate(match.aliases.map((a) => escapeAndFit(a, 100)).join(', '), DISCORD_LIMITS.embedFieldValue) });
  fields.push({ name: 'Mentions', value: `${match.mentions} in ${plural(match.documents.length, 'document')}`, inline: true });
  fields.push({ name: 'Kind', value: match.kind, inline: true });
  const described = match.descriptions.slice(0, 2).map((d) => renderExcerpt(d, 500));
  const seen = new Set(match.descriptions.slice(0, 2).map((d) => `${d.source.doc}:${d.source.start}`));
  const excerpts = match.excerpts.filter((e) => !seen.has(`${e.source.doc}:${e.source.start}`)).slice(0, 3).map((e) => renderExcerpt(e, 700));
  const description = [...described, ...excerpts].join('\n\n') || 'No passage describes them.';
  // Footers show text as it is (no markdown, no mentions), so they are cut but not escaped.
  const others = result.suggestions.length > 0 ? `Others: ${result.suggestions.slice(0, 5).map((s) => truncate(s, 60)).join(', ')}` : undefined;
  return message([
    {
      title: truncate(escapeAndFit(match.name, 200), DISCORD_LIMITS.embedTitle),
      description: truncate(description, PAGE_BUDGET),
      color: EMBED_COLOR,
      fields,
      ...(others ? { footer: { text: others } } : {}),
    },
  ]);
}

export function renderHelp(commands: { name: string; description: string }[]): BotMessage {
  const lines = commands.map((c) => `**/${escapeText(c.name)}** — ${escapeText(c.description)}`);
  lines.push('**Find sources** — right-click (or long-press) a message › Apps › Find sources: passages that support or relate to it.');
  return message([
    {
      title: 'Sitrep',
      description: `Cited answers from the news corpus. Every excerpt says where it comes from.\n\n${lines.join('\n')}\n\nAdd \`public: True\` to show an answer to the channel (or \`False\` to keep it to yourself).`,
      color: EMBED_COLOR,
    },
  ]);
}

/** A short message for the user: errors and notices, red when it is an error. */
export function renderNotice(text: string, kind: 'error' | 'info' = 'error'): BotMessage {
  return message([{ description: truncate(text, DISCORD_LIMITS.embedDescription), color: kind === 'error' ? ERROR_COLOR : EMBED_COLOR }]);
}

/** Autocomplete choices: at most 25, each name and value within 100 characters, no duplicates. */
export function renderChoices(names: string[]): APIApplicationCommandOptionChoice<string>[] {
  const out: APIApplicationCommandOptionChoice<string>[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    const trimmed = name.replace(/\s+/g, ' ').trim();
    if (!trimmed) continue;
    const value = truncate(trimmed, DISCORD_LIMITS.choiceValue, '');
    if (seen.has(value)) continue;
    seen.add(value);
    out.push({ name: truncate(trimmed, DISCORD_LIMITS.choiceName), value });
    if (out.length === DISCORD_LIMITS.choices) break;
  }
  return out;
}

// ---------- scheduled digests (/digest) ----------

/** A Discord timestamp tag (shown in each reader's own time zone): F = full date and time, R = relative. */
export function discordTime(at: string | number, style: 'F' | 'f' | 'R' = 'F'): string {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  return `<t:${Math.floor(ms / 1000)}:${style}>`;
}

/** "<#id>": shows the channel's name, never pings. */
export function channelMention(channelId: string): string {
  return /^\d{17,20}$/.test(channelId) ? `<#${channelId}>` : escapeText(channelId);
}

/** The part of a subscription a front end shows. */
export type DigestSubscriptionInfo = Pick<
  SubscriptionView,
  'channelId' | 'time' | 'timezone' | 'days' | 'topic' | 'paused' | 'pausedReason' | 'lastDigestAt' | 'nextRunAt' | 'missedSlotAt'
>;

/** "09:00 Europe/Berlin, weekdays, about “navy”" — every user-given part escaped. */
export function digestScheduleLine(s: DigestSubscriptionInfo): string {
  const topic = s.topic ? `, about “${escapeAndFit(s.topic, 100)}”` : '';
  return `${escapeText(s.time)} ${escapeText(s.timezone)}, ${escapeText(s.days)}${topic}`;
}

/** When the digest next posts, or why it does not. */
export function digestStatusLine(s: DigestSubscriptionInfo): string {
  if (s.paused) return `⏸ Paused: ${escapeAndFit(s.pausedReason ?? 'no reason given', 400)}`;
  return s.nextRunAt ? `Next: ${discordTime(s.nextRunAt, 'F')} (${discordTime(s.nextRunAt, 'R')})` : 'Next: not scheduled';
}

/** Room for the list in one embed description, below the 4096 limit. */
const DIGEST_LIST_BUDGET = 3900;

/** `/digest list`: every digest of the server in one embed; what does not fit ends in "…and N more". */
export function renderDigestList(subscriptions: readonly DigestSubscriptionInfo[]): BotMessage {
  if (subscriptions.length === 0) {
    return renderNotice('No channel in this server has a digest yet. Set one up with /digest subscribe.', 'info');
  }
  const blocks = subscriptions.map((s) => {
    const last = s.lastDigestAt ? `\nLast digest covered up to ${discordTime(s.lastDigestAt, 'f')}` : '';
    const missed = s.missedSlotAt ? `\n⚠️ The digest due ${discordTime(s.missedSlotAt, 'f')} was skipped: Sitrep was down for over an hour. Its documents go into the next digest.` : '';
    return `**${channelMention(s.channelId)}** — ${digestScheduleLine(s)}\n${digestStatusLine(s)}${last}${missed}`;
  });
  let description = '';
  let shown = 0;
  for (const block of blocks) {
    const rest = blocks.length - shown - 1;
    const tail = rest > 0 ? `\n\n…and ${rest} more` : '';
    const next = `${description}${description ? '\n\n' : ''}${block}`;
    if (length(next) + length(tail) > DIGEST_LIST_BUDGET) break;
    description = next;
    shown++;
  }
  if (shown < blocks.length) description += `\n\n…and ${blocks.length - shown} more`;
  const paused = subscriptions.filter((s) => s.paused).length;
  const footer = `${plural(subscriptions.length, 'digest')}${paused > 0 ? ` · ${paused} paused` : ''}`;
  return message([{ title: 'Scheduled digests in this server', description, color: EMBED_COLOR, footer: { text: footer } }]);
}

/** The answer to subscribe, resume, pause and unsubscribe: what now holds, and any warnings (such as missing permissions). */
export function renderDigestChange(
  change: 'created' | 'replaced' | 'paused' | 'resumed' | 'removed',
  subscription: DigestSubscriptionInfo,
  warnings: readonly string[] = [],
): BotMessage {
  const where = channelMention(subscription.channelId);
  const heads = {
    created: `Digest set up for ${where}.`,
    replaced: `The digest for ${where} was replaced (it still starts from where the last one left off).`,
    paused: `The digest for ${where} is paused. /digest resume starts it again.`,
    resumed: `The digest for ${where} is running again.`,
    removed: `The digest for ${where} was removed.`,
  } as const;
  const lines: string[] = [heads[change]];
  if (change !== 'removed') lines.push(`${digestScheduleLine(subscription)}`, digestStatusLine(subscription));
  if (change === 'created' || change === 'replaced') lines.push('-# Each digest lists the documents first seen since the one before; nothing new, no post. /digest preview shows what the next one would say.');
  for (const warning of warnings) lines.push(`⚠️ ${warning}`);
  return renderNotice(lines.join('\n'), 'info');
}

/** A digest message as the core renders it (src/digest/render.ts, already within Discord's limits). */
export interface DigestPart {
  content: string;
  embeds: APIEmbed[];
}

/** At most this many parts of a preview are shown (a digest of many documents has many parts). */
export const MAX_PREVIEW_PARTS = 3;

/**
 * `/digest preview`: the next digest as it would be posted, each part headed
 * by a line saying it is a preview; at most MAX_PREVIEW_PARTS messages. When
 * nothing is new, one notice saying so.
 */
export function renderDigestPreview(channelId: string, sinceMs: number, parts: readonly DigestPart[]): BotMessage[] {
  const where = channelMention(channelId);
  if (parts.length === 0) {
    return [renderNotice(`Nothing new for ${where} since ${discordTime(sinceMs, 'f')}: a digest now would post nothing. Nothing was posted.`, 'info')];
  }
  const shown = parts.slice(0, MAX_PREVIEW_PARTS);
  return shown.map((part, i) => {
    const more = i === shown.length - 1 && parts.length > shown.length ? `\n-# …and ${parts.length - shown.length} more part${parts.length - shown.length === 1 ? '' : 's'} not shown here.` : '';
    const head = `-# Preview of the next digest for ${where}${parts.length > 1 ? ` (part ${i + 1} of ${parts.length})` : ''}. Only you see this; nothing was posted.`;
    return message(part.embeds.map((e) => ({ ...e })), [], `${head}\n${part.content}${more}`);
  });
}

/** `/digest now`: what was queued, or that nothing is new. */
export function renderDigestPostNow(channelId: string, sinceMs: number, documents: number, parts: number): BotMessage {
  const where = channelMention(channelId);
  if (documents === 0) return renderNotice(`Nothing new for ${where} since ${discordTime(sinceMs, 'f')}, so nothing was posted.`, 'info');
  return renderNotice(`Posting the digest to ${where} now: ${plural(documents, 'new document')} in ${plural(parts, 'message')}.`, 'info');
}

/** A refusal for a member without Manage Server. */
export function renderDigestNotAllowed(): BotMessage {
  return renderNotice('Only members with the Manage Server permission can set up or change digests. Ask a moderator.', 'error');
}
