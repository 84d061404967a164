/**
 * The one module that knows how Sitrep looks on Discord and what Discord
 * accepts. Every message the bot sends is built here — command answers,
 * notices, autocomplete choices and the scheduled digests the worker posts —
 * so Discord's limits, mention suppression and the escaping of untrusted
 * text live in one place and are tested on their edges.
 *
 * Text from the corpus and from users is untrusted: an article or a query may
 * contain `@everyone`, `<@123>`, `**markdown**`, masked links, bare URLs, or
 * invisible characters (direction overrides such as U+202E that make a
 * citation read backwards, zero-width characters, tag characters). `inert`
 * removes the invisible formatting and `escapeText` also escapes the markup,
 * so the text shows as written and can neither format, mention, link nor
 * reorder what follows it. Citations keep their verbatim offsets into the
 * original file; only what is shown changes. `fitMessage` applies `inert`
 * once more to every string of every message, as the last line of defence.
 * The only links the bot makes are citation links to a document's own
 * http(s) URL.
 */
import type { SubscriptionView } from '../digest/service.js';
import type { Digest, DigestDocument } from '../digest/content.js';
import type { APIActionRowComponent, APIButtonComponent, APIEmbed, APIApplicationCommandOptionChoice } from 'discord.js';
import type { BriefResult, Citation, EntityMatch, Excerpt, Quote, QuoteResult, SearchResult, SourceDocument, SourcesResult, SpeakerFilter, TimelineEvent, TimelineResult, WhoResult } from '../types.js';
import { encodePageState, OPEN_SLOT, type PageArgs } from './page-state.js';
import { MAX_NAME_CHARS, MAX_QUERY_CHARS, MAX_URL_CHARS } from '../engine/limits.js';

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
  embedUrl: 2048,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
  customId: 100,
  buttonLabel: 80,
  actionRows: 5,
} as const;

/**
 * How long user input may be. The command definitions (commands/*) set these
 * as `max_length`, so Discord refuses longer input in the client; a forged
 * interaction can still send more (Discord itself allows 6,000), so the
 * engine keeps its own caps and this module never echoes more than these.
 */
export const INPUT_LIMITS = {
  /** A person's or organisation's name (/who name, /quote speaker). */
  name: MAX_NAME_CHARS,
  /** Search words or a topic (/search query, /timeline, /quote, /brief and /digest topics). */
  query: MAX_QUERY_CHARS,
  /** A web address (/article add link, /feeds add url). */
  url: MAX_URL_CHARS,
} as const;

/** How text that came from a user is echoed back: "…" after INPUT_LIMITS code points, escaped. */
export function echo(text: string, kind: keyof typeof INPUT_LIMITS): string {
  return escapeAndFit(text, INPUT_LIMITS[kind]);
}

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
  if (max <= length(ellipsis)) return [...ellipsis].slice(0, Math.max(0, max)).join('');
  const room = max - length(ellipsis);
  let cut = [...text].slice(0, room).join('');
  // An odd run of trailing backslashes would escape the ellipsis.
  const trailing = /\\+$/.exec(cut)?.[0].length ?? 0;
  if (trailing % 2 === 1) cut = cut.slice(0, -1);
  return cut.replace(/\s+$/u, '') + ellipsis;
}

const ZERO_WIDTH_SPACE = '\u200b';
const ZWNJ = '\u200c';
const ZWJ = '\u200d';

/**
 * Invisible formatting characters: every default-ignorable code point and
 * every format character (Unicode Cf), which covers the direction controls
 * (U+202A–U+202E embeddings and overrides, U+2066–U+2069 isolates, U+200E/F
 * marks, U+061C), zero-width spaces and joiners, the word joiner and
 * invisible operators, soft hyphens, the byte-order mark, Hangul fillers,
 * interlinear annotations and tag characters. The first alternative is a
 * subdivision flag (🏴 + tag letters + cancel tag), matched whole so it can be kept.
 */
const FORMATTING = /\u{1F3F4}[\u{E0030}-\u{E0039}\u{E0061}-\u{E007A}]{1,6}\u{E007F}|[\p{Default_Ignorable_Code_Point}\p{Cf}]/gu;
/**
 * Kept wherever they are, because they cannot hide or reorder anything:
 * variation selectors (text or emoji style of the character before),
 * Mongolian free variation selectors (glyph shapes), and the visible
 * prepended concatenation marks of Arabic and Syriac numbers.
 */
const HARMLESS_FORMATTING = /^[\uFE00-\uFE0F\u{E0100}-\u{E01EF}\u180B-\u180D\u180F\u0600-\u0605\u06DD\u070F\u0890\u0891\u08E2\u{110BD}\u{110CD}]$/u;
/** Joiners are part of an emoji sequence between a pictograph (or its modifier or VS16) and a pictograph… */
const EMOJI_BEFORE_JOINER = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F]/u;
const EMOJI_AFTER_JOINER = /\p{Extended_Pictographic}/u;
/** …and part of the spelling between two letters of the scripts whose orthography uses ZWJ and ZWNJ (Persian, Urdu, the Indic scripts…). */
const JOINING_SCRIPT =
  /[\p{scx=Arab}\p{scx=Syrc}\p{scx=Thaa}\p{scx=Nkoo}\p{scx=Mong}\p{scx=Deva}\p{scx=Beng}\p{scx=Guru}\p{scx=Gujr}\p{scx=Orya}\p{scx=Taml}\p{scx=Telu}\p{scx=Knda}\p{scx=Mlym}\p{scx=Sinh}\p{scx=Khmr}\p{scx=Mymr}\p{scx=Tibt}]/u;
const LETTER_OR_MARK = /[\p{L}\p{M}]/u;

function codePointBefore(text: string, offset: number): string {
  if (offset <= 0) return '';
  const low = text.charCodeAt(offset - 1);
  return offset >= 2 && low >= 0xdc00 && low <= 0xdfff ? text.slice(offset - 2, offset) : text.slice(offset - 1, offset);
}

function codePointAt(text: string, offset: number): string {
  const cp = text.codePointAt(offset);
  return cp === undefined ? '' : String.fromCodePoint(cp);
}

function isScriptLetter(ch: string): boolean {
  return LETTER_OR_MARK.test(ch) && JOINING_SCRIPT.test(ch);
}

/** Whether the formatting character `ch` at `offset` of `text` is safe to keep. */
function keepFormatting(ch: string, text: string, offset: number): boolean {
  if (ch.length > 2 || HARMLESS_FORMATTING.test(ch)) return true;
  const before = codePointBefore(text, offset);
  // What escapeText writes after "@" so "@everyone" cannot look like a ping: kept, it hides nothing.
  if (ch === ZERO_WIDTH_SPACE) return before === '@';
  if (ch !== ZWJ && ch !== ZWNJ) return false;
  const after = codePointAt(text, offset + ch.length);
  if (ch === ZWJ && EMOJI_BEFORE_JOINER.test(before) && EMOJI_AFTER_JOINER.test(after)) return true;
  return isScriptLetter(before) && isScriptLetter(after);
}

/**
 * Makes text inert without changing what it says: line breaks are
 * normalised (CR, NEL, U+2028 and U+2029 become "\n"), control characters
 * other than newline and tab are dropped, and so is invisible formatting
 * (see FORMATTING): direction controls cannot reverse how a citation reads,
 * zero-width characters cannot hide text. Kept, because they are visible or
 * needed and cannot reorder anything: ZWJ inside emoji sequences, ZWJ and
 * ZWNJ between letters of the scripts that spell with them, variation
 * selectors, subdivision flags. No markdown is escaped (see escapeText).
 */
export function inert(text: string): string {
  return (
    text
      .replace(/\r\n?|[\u0085\u2028\u2029]/g, '\n')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '')
      .replace(FORMATTING, (ch: string, offset: number, whole: string) => (keepFormatting(ch, whole, offset) ? ch : ''))
  );
}

/** Untrusted text for places Discord shows without markdown (footers, autocomplete choices, button labels): inert and cut. */
export function plainText(text: string, max: number): string {
  return truncate(inert(text), max);
}

/**
 * Makes untrusted text display literally: no markdown, no mentions, no
 * links, no emoji or timestamp tags, no invisible formatting (`inert`).
 * Backslash escapes survive in content and in embeds alike.
 */
export function escapeText(text: string): string {
  return (
    inert(text)
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
  // Escaping never shortens text, so no more than `max` raw code points can fit: cut long text first
  // (after dropping invisible formatting, so a run of it cannot crowd out the visible text).
  const visible = inert(text);
  let raw = visible.length > max ? truncate(visible, max) : visible;
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

/** An http(s) URL safe to link to (invisible formatting and brackets percent-encoded, at most 512 characters), or null. */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  // The URL parser percent-encodes controls in the path and query but leaves some format characters
  // (and brackets) as they are; encode them so the link shows and goes where it says.
  const href = parsed.href.replace(/[()<>\s]|[\p{Default_Ignorable_Code_Point}\p{Cf}]/gu, (c) => encodeURIComponent(c).replace(/[()]/g, (p) => `%${p.charCodeAt(0).toString(16).toUpperCase()}`));
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

/** Greedy packing, in order: groups of at most `maxCount` items whose sizes add up to at most `budget` (an item larger than the budget goes alone). */
function pack<T>(items: readonly T[], size: (item: T) => number, maxCount: number, budget: number): T[][] {
  const groups: T[][] = [];
  let group: T[] = [];
  let used = 0;
  for (const item of items) {
    const n = size(item);
    if (group.length > 0 && (group.length >= maxCount || used + n > budget)) {
      groups.push(group);
      group = [];
      used = 0;
    }
    group.push(item);
    used += n;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/** The items page `page` of a list shows: ITEMS_PER_PAGE from `page * ITEMS_PER_PAGE` (what a command asks the engine for). */
export function pageWindow(page: number): { offset: number; limit: number } {
  return { offset: Math.max(0, Math.floor(page)) * ITEMS_PER_PAGE, limit: ITEMS_PER_PAGE };
}

/** How many pages a list of `total` items takes (at least one). */
export function pageCountOf(total: number): number {
  return Math.max(1, Math.ceil(total / ITEMS_PER_PAGE));
}

/**
 * Asks the engine for page `page` of a list; a page past the end (a button made before the
 * corpus shrank) is asked again as the last page. Only the page's items are made, whatever the
 * list's length.
 */
export function askPage<R extends { total: number }>(page: number, ask: (window: { offset: number; limit: number }) => R): { result: R; page: number } {
  const first = ask(pageWindow(page));
  const last = pageCountOf(first.total) - 1;
  if (page <= last) return { result: first, page };
  return { result: ask(pageWindow(last)), page: last };
}

/**
 * Renders one page's items (at most ITEMS_PER_PAGE) within PAGE_BUDGET code points: each at its
 * full size when they fit, else each within an equal share (the renderers shorten the quoted text
 * first, so citations survive); a block still over its share is cut.
 */
export function renderPageBlocks<T>(items: readonly T[], render: (item: T, budget: number) => string, budget = PAGE_BUDGET): string[] {
  const shown = items.slice(0, ITEMS_PER_PAGE);
  const size = (blocks: string[]): number => blocks.reduce((n, b) => n + length(b) + 2, 0);
  const full = shown.map((item) => render(item, budget));
  if (size(full) <= budget) return full;
  const share = Math.floor(budget / Math.max(1, shown.length)) - 2;
  return shown.map((item) => {
    const block = render(item, share);
    return length(block) > share ? truncate(block, share) : block;
  });
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
 * The last line of defence for embeds: every string made inert (see `inert`)
 * and clamped to Discord's limits, the 6000 total included, and a link only
 * to a safe http(s) URL (so a renderer bug shows a cut message rather than a
 * 50035 error, and no path can send invisible formatting).
 */
export function fitEmbeds(input: readonly APIEmbed[]): APIEmbed[] {
  const L = DISCORD_LIMITS;
  const clamp = (text: string, max: number): string => truncate(inert(text), max);
  const embeds = input.slice(0, L.embedsPerMessage).map((e) => {
    const out: APIEmbed = { ...e };
    if (out.title !== undefined) out.title = clamp(out.title, L.embedTitle);
    if (out.description !== undefined) out.description = clamp(out.description, L.embedDescription);
    if (out.url !== undefined) {
      const url = safeUrl(out.url);
      if (url) out.url = url;
      else delete out.url;
    }
    if (out.footer) out.footer = { ...out.footer, text: clamp(out.footer.text, L.embedFooter) };
    if (out.author) out.author = { ...out.author, name: clamp(out.author.name, L.embedAuthorName) };
    if (out.fields) out.fields = out.fields.slice(0, L.embedFields).map((f) => ({ ...f, name: clamp(f.name, L.embedFieldName), value: clamp(f.value, L.embedFieldValue) }));
    return out;
  });
  // Over the 6000 total: shorten descriptions (last embed first), then drop fields from the end,
  // then drop trailing embeds, and last shorten the footer of the one embed left. The running
  // total is kept up to date as parts go, so this is linear in the message.
  let total = embeds.reduce((n, e) => n + embedTextLength(e), 0);
  for (let i = embeds.length - 1; i >= 0 && total > L.embedTotal; i--) {
    const e = embeds[i]!;
    if (!e.description) continue;
    const before = length(e.description);
    e.description = truncate(e.description, Math.max(1, before - (total - L.embedTotal)));
    total -= before - length(e.description);
  }
  for (let i = embeds.length - 1; i >= 0 && total > L.embedTotal; i--) {
    const fields = embeds[i]!.fields;
    while (fields && fields.length > 0 && total > L.embedTotal) {
      const f = fields.pop()!;
      total -= length(f.name) + length(f.value);
    }
  }
  while (total > L.embedTotal && embeds.length > 1) total -= embedTextLength(embeds.pop()!);
  const last = embeds[0];
  if (last?.footer && total > L.embedTotal) last.footer = { ...last.footer, text: truncate(last.footer.text, Math.max(1, length(last.footer.text) - (total - L.embedTotal))) };
  return embeds;
}

/** Button labels made inert and cut; at most five rows. */
function fitComponents(rows: readonly APIActionRowComponent<APIButtonComponent>[]): APIActionRowComponent<APIButtonComponent>[] {
  return rows.slice(0, DISCORD_LIMITS.actionRows).map((row) => ({
    ...row,
    components: row.components.map((b) => ('label' in b && b.label !== undefined ? { ...b, label: plainText(b.label, DISCORD_LIMITS.buttonLabel) } : b)),
  }));
}

/**
 * The last line of defence for a whole message: embeds as in `fitEmbeds`,
 * content inert and within 2000 code points, and mentions always off.
 */
export function fitMessage(message: BotMessage): BotMessage {
  const fitted: BotMessage = { embeds: fitEmbeds(message.embeds), components: fitComponents(message.components), allowedMentions: NO_MENTIONS };
  if (message.content !== undefined) fitted.content = truncate(inert(message.content), DISCORD_LIMITS.content);
  return fitted;
}

function message(embeds: APIEmbed[], components: APIActionRowComponent<APIButtonComponent>[] = [], content?: string): BotMessage {
  return fitMessage({ embeds, components, allowedMentions: NO_MENTIONS, ...(content !== undefined ? { content } : {}) });
}

/** A page of a list result: one embed, footer "Page i of n", buttons when there is more than one page. */
function pagedMessage<T>(options: {
  command: string;
  args: PageArgs;
  title: string;
  intro?: string;
  /** The page's items (the engine's window for this page; more are ignored). */
  items: readonly T[];
  render: (item: T, budget: number) => string;
  /** How many items the whole list has. */
  total: number;
  page: number;
  empty: string;
  countLabel: string;
}): BotMessage {
  const pageCount = pageCountOf(options.total);
  const page = Math.min(Math.max(0, options.page), pageCount - 1);
  const blocks = renderPageBlocks(options.items, options.render);
  const body = blocks.length > 0 ? blocks.join('\n\n') : options.empty;
  const description = options.intro ? `${options.intro}\n\n${body}` : body;
  const footer = pageCount > 1 ? `Page ${page + 1} of ${pageCount} · ${options.countLabel}` : options.countLabel;
  return message([{ title: truncate(options.title, DISCORD_LIMITS.embedTitle), description, color: EMBED_COLOR, footer: { text: footer } }], pageButtons(options.command, options.args, page, pageCount));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

// ---------- one renderer per answer ----------

export function renderSearch(result: SearchResult, args: PageArgs, page: number, command = 'search', heading?: string): BotMessage {
  const notes = (result.notes ?? []).map((n) => `-# ${escapeText(n)}`).join('\n');
  // The whole (short) list is here: a page past its end shows the last page.
  const shown = Math.min(Math.max(0, page), pageCountOf(result.results.length) - 1);
  return pagedMessage({
    command,
    args,
    title: heading ?? `Search: ${echo(result.query, 'query')}`,
    ...(notes ? { intro: notes } : {}),
    items: result.results.slice(pageWindow(shown).offset),
    render: (e, budget) => renderExcerpt(e, Math.min(budget, MAX_EXCERPT_CHARS + 300)),
    total: result.results.length,
    page: shown,
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

/** Other outlets that reported an event: the first few by name, then how many more. */
const ALSO_REPORTED_SHOWN = 3;

function renderEvent(event: TimelineEvent, budget: number): string {
  const others = event.alsoReportedBy ?? [];
  const named = others.slice(0, ALSO_REPORTED_SHOWN).map((c) => escapeAndFit(c.outlet ?? c.title, 60));
  const more = others.length > ALSO_REPORTED_SHOWN ? ` and ${others.length - ALSO_REPORTED_SHOWN} more` : '';
  const also = others.length > 0 ? `\n-# also reported by ${named.join(', ')}${more}` : '';
  const head = `**${dateLabel(event)}**\n`;
  return `${head}${renderExcerpt({ text: event.text, source: event.source }, Math.min(MAX_EXCERPT_CHARS + 300, budget - length(head) - length(also)))}${also}`;
}

/** `result.events` is page `page`'s window of the timeline (see pageWindow); `result.total` counts every event. */
export function renderTimeline(result: TimelineResult, args: PageArgs, page: number): BotMessage {
  const scope = [args.topic ? `on ${echo(args.topic, 'query')}` : '', args.from ? `from ${escapeAndFit(args.from, 20)}` : '', args.to ? `to ${escapeAndFit(args.to, 20)}` : ''].filter(Boolean).join(' ');
  return pagedMessage({
    command: 'timeline',
    args,
    title: `Timeline${scope ? ` ${scope}` : ''}`,
    items: result.events,
    render: renderEvent,
    total: result.total,
    page,
    empty: 'No dated events match. Widen the dates or drop the topic.',
    countLabel: plural(result.total, 'event'),
  });
}

export function renderQuote(quote: Quote, budget = MAX_EXCERPT_CHARS + 600): string {
  const speaker = quote.speaker
    ? `**${escapeAndFit(quote.speaker.name, 100)}**${quote.speaker.description ? `, ${escapeAndFit(quote.speaker.description, 160)}` : ''}`
    : '*speaker not identified*';
  const cite = citationLine(quote.source);
  // The quoted words give way first, so the speaker and the citation stay whole.
  const room = Math.max(40, Math.min(MAX_EXCERPT_CHARS, budget - length(speaker) - length(cite) - 8));
  const text = escapeAndFit(quote.text.replace(/\s*\n\s*/g, ' '), room);
  return `${blockQuote(`“${text}”`)}\n${speaker}\n${cite}`;
}

/**
 * `result.quotes` is page `page`'s window of the quotations (see pageWindow); `result.total` counts
 * them all. `result.speaker`: what a speaker filter resolved to; a name not in the sources is said
 * so, with near names.
 */
export function renderQuotes(result: Pick<QuoteResult, 'quotes' | 'total' | 'speaker'>, args: PageArgs, page: number): BotMessage {
  const scope = [args.speaker ? `by ${echo(args.speaker, 'name')}` : '', args.topic ? `on ${echo(args.topic, 'query')}` : ''].filter(Boolean).join(' ');
  const speaker = result.speaker;
  if (speaker && speaker.match === null) {
    const near = speaker.suggestions.slice(0, 5).map((s) => escapeAndFit(s, 80));
    const said = `${echo(speaker.query, 'name')} is not in the sources${near.length > 0 ? ` — did you mean ${near.join(', ')}?` : '.'}`;
    return message([{ title: truncate(`Quotes${scope ? ` ${scope}` : ''}`, DISCORD_LIMITS.embedTitle), description: said, color: EMBED_COLOR }]);
  }
  return pagedMessage({
    command: 'quote',
    args,
    title: `Quotes${scope ? ` ${scope}` : ''}`,
    items: result.quotes,
    render: renderQuote,
    total: result.total,
    page,
    empty: 'No quotation matches. Try another speaker or topic.',
    countLabel: plural(result.total, 'quote'),
  });
}

function renderSource(doc: SourceDocument): string {
  const url = safeUrl(doc.url);
  const title = escapeAndFit(doc.title || doc.doc, 200);
  const head = url ? `**[${title}](<${url}>)**` : `**${title}**`;
  const meta = [doc.outlet ? escapeAndFit(doc.outlet, 80) : null, doc.published, plural(doc.passages, 'passage')].filter(Boolean).join(' · ');
  return `${head}\n${meta}\n-# ${escapeAndFit(doc.doc, 200)}`;
}

/** `result.documents` is page `page`'s window of the corpus (see pageWindow); `result.total` counts every document. */
export function renderSources(result: SourcesResult, page: number): BotMessage {
  return pagedMessage({
    command: 'sources',
    args: {},
    title: 'Sources in the corpus',
    items: result.documents,
    render: renderSource,
    total: result.total,
    page,
    empty: 'The corpus is empty.',
    countLabel: plural(result.total, 'document'),
  });
}

export function renderWho(result: WhoResult): BotMessage {
  const match: EntityMatch | null = result.match;
  if (!match) {
    const suggestions = result.suggestions.slice(0, 10).map((s) => `• ${escapeAndFit(s, 100)}`).join('\n');
    return message([
      {
        title: truncate(`No one called “${echo(result.query, 'name')}”`, DISCORD_LIMITS.embedTitle),
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
  // Footers show text as it is (no markdown, no mentions), so they are made inert and cut but not escaped.
  const others = result.suggestions.length > 0 ? `Others: ${result.suggestions.slice(0, 5).map((s) => plainText(s, 60)).join(', ')}` : undefined;
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

// ---------- /brief ----------

/** How the brief's four sections share one message (under the 6000 total, titles and footer included). */
export const BRIEF_BUDGET = { documents: 1300, people: 1350, events: 1550, quotes: 1450 } as const;

/** A compact citation for the brief's dense lines: outlet and date, linked title or file, paragraph. */
function shortCitation(source: CitedSource): string {
  const url = safeUrl(source.url);
  const title = escapeAndFit(source.title || source.doc, 70);
  const parts = [source.outlet ? `*${escapeAndFit(source.outlet, 40)}*` : '', source.published ? escapeText(source.published) : ''].filter(Boolean);
  parts.push(url ? `[${title}](<${url}>)` : `“${title}”`);
  if (typeof source.paragraph === 'number') parts.push(`¶${source.paragraph}`);
  return `-# ${parts.join(', ')}`;
}

/** Lines added while they fit `budget`; the rest are counted in a last line. */
function fitLines(lines: string[], budget: number, more: (n: number) => string): string {
  const out: string[] = [];
  let used = 0;
  for (let i = 0; i < lines.length; i++) {
    const size = length(lines[i]!) + 2;
    if (used + size > budget - 40) {
      out.push(more(lines.length - i));
      break;
    }
    out.push(lines[i]!);
    used += size;
  }
  return out.join('\n');
}

function briefScope(result: BriefResult): string {
  const parts: string[] = [];
  if (result.topic) parts.push(`on ${echo(result.topic, 'query')}`);
  if (result.since) parts.push(`since ${discordTime(result.since, 'f')}`);
  if (result.until) parts.push(`until ${discordTime(result.until, 'f')}`);
  return parts.join(' ');
}

/** Buttons under a brief: the full lists, each opened in a message of its own. */
function briefButtons(result: BriefResult): APIActionRowComponent<APIButtonComponent>[] {
  const open = (label: string, command: string, args: PageArgs): APIButtonComponent => ({
    type: 2,
    style: 2,
    label: truncate(plainText(label, DISCORD_LIMITS.buttonLabel), DISCORD_LIMITS.buttonLabel),
    custom_id: encodePageState({ command, page: 0, args, slot: OPEN_SLOT }, DISCORD_LIMITS.customId),
  });
  const topic: PageArgs = result.topic ? { topic: result.topic.slice(0, INPUT_LIMITS.query) } : {};
  const lists: APIButtonComponent[] = [open('Full timeline', 'timeline', topic), open('All quotations', 'quote', topic), open('Sources', 'sources', {})];
  const rows: APIActionRowComponent<APIButtonComponent>[] = [{ type: 1, components: lists }];
  const people = result.people.slice(0, 5).map((p) => open(`Who is ${p.name}?`, 'who', { name: p.name.slice(0, INPUT_LIMITS.name) }));
  if (people.length > 0) rows.push({ type: 1, components: people });
  return rows;
}

/** A document of a brief or digest: linked title, outlet and date. */
function briefDocumentLine(d: { title: string; doc: string; url: string | null; outlet: string | null; published: string | null }): string {
  const url = safeUrl(d.url);
  const name = escapeAndFit(d.title || d.doc, 110);
  const meta = [d.outlet ? `*${escapeAndFit(d.outlet, 40)}*` : '', d.published ? escapeText(d.published) : ''].filter(Boolean).join(', ');
  return `• ${url ? `[${name}](<${url}>)` : name}${meta ? ` — ${meta}` : ''}`;
}

/** The brief's "Who matters", "What happened" and "Who said what" embeds (those with something to say). */
function briefSections(result: BriefResult, color: number = EMBED_COLOR): APIEmbed[] {
  const embeds: APIEmbed[] = [];
  if (result.people.length > 0) {
    const people = result.people.map((p) => {
      const counts = `${plural(p.mentions, 'mention')} in ${plural(p.documents, 'document')}`;
      const role = p.description ? ` — ${escapeAndFit(p.description.text.replace(/\s+/g, ' '), 140)}\n${shortCitation(p.description.source)}` : `\n-# ${counts}`;
      return `**${escapeAndFit(p.name, 80)}**${role}`;
    });
    embeds.push({ title: 'Who matters', description: fitLines(people, BRIEF_BUDGET.people, (n) => `-# … ${plural(n, 'more')}`), color });
  }
  if (result.events.length > 0) {
    const events = result.events.map((e) => `**${dateLabel(e)}** — ${escapeAndFit(e.text.replace(/\s+/g, ' '), 230)}\n${shortCitation(e.source)}`);
    embeds.push({ title: 'What happened', description: fitLines(events, BRIEF_BUDGET.events, (n) => `-# … ${plural(n, 'more event')}`), color });
  }
  if (result.quotes.length > 0) {
    const quotes = result.quotes.map((q) => {
      const speaker = q.speaker ? `**${escapeAndFit(q.speaker.name, 80)}**${q.speaker.description ? `, ${escapeAndFit(q.speaker.description, 80)}` : ''}` : '*speaker not identified*';
      return `“${escapeAndFit(q.text.replace(/\s+/g, ' '), 220)}” — ${speaker}\n${shortCitation(q.source)}`;
    });
    embeds.push({ title: 'Who said what', description: fitLines(quotes, BRIEF_BUDGET.quotes, (n) => `-# … ${plural(n, 'more quotation')}`), color });
  }
  return embeds;
}

/**
 * The situation report in one message: what is new (documents and who reports
 * them), who matters (with a cited description), what happened (dated events)
 * and who said what (quotations), each line cited, with buttons that open the
 * full timeline, quotations, sources and /who answers. An empty window says so
 * and names the newest document.
 */
export function renderBrief(result: BriefResult): BotMessage {
  const scope = briefScope(result);
  const title = truncate(`Brief${scope ? ` ${scope}` : ''}`, DISCORD_LIMITS.embedTitle);
  const clock = result.window === 'first-seen' ? 'by when Sitrep first saw each document' : result.window === 'published' ? 'by publication date' : '';
  if (result.documents.length === 0) {
    const lines = [`Nothing new${result.topic ? ` on ${echo(result.topic, 'query')}` : ''}${result.since ? ` since ${discordTime(result.since, 'f')}` : ''}${clock ? ` (${clock})` : ''}.`];
    const latest = result.latest;
    if (latest) {
      const when = latest.firstSeen ? discordTime(latest.firstSeen, 'R') : latest.published ? escapeText(latest.published) : 'at an unknown date';
      lines.push(`The last document arrived ${when}: ${escapeAndFit(latest.title, 150)}${latest.outlet ? ` (*${escapeAndFit(latest.outlet, 60)}*)` : ''}.`);
    }
    if (result.suggestions.length > 0) lines.push(`Nothing in the sources matches that topic. Did you mean: ${result.suggestions.slice(0, 5).map((s) => escapeAndFit(s, 60)).join(', ')}?`);
    const embeds: APIEmbed[] = [{ title, description: lines.join('\n'), color: EMBED_COLOR }];
    if (result.events.length > 0) {
      const events = result.events.map((e) => `**${dateLabel(e)}** — ${escapeAndFit(e.text.replace(/\s+/g, ' '), 220)}\n${shortCitation(e.source)}`);
      embeds.push({ title: 'Dated in this window', description: fitLines(events, BRIEF_BUDGET.events, (n) => `-# … ${plural(n, 'more event')}`), color: EMBED_COLOR });
    }
    return message(embeds);
  }

  const { totals } = result;
  const reporting = result.outlets.map((o) => `${o.outlet ? escapeAndFit(o.outlet, 40) : 'outlet unknown'} (${o.documents})`).join(', ');
  const head = `${plural(totals.documents, 'document')}${clock ? `, ${clock}` : ''}.`;
  const newDocs = fitLines(result.documents.map(briefDocumentLine), BRIEF_BUDGET.documents - length(reporting) - length(head), (n) => `… and ${n} more`);
  const more = totals.documents > result.documents.length ? `\n… and ${totals.documents - result.documents.length} more` : '';
  const embeds: APIEmbed[] = [
    { title, description: `${head}\n\n${newDocs}${more}\n\n**Reporting:** ${reporting}`, color: EMBED_COLOR },
    ...briefSections(result),
  ];
  return message(embeds, briefButtons(result));
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
    const trimmed = inert(name).replace(/\s+/g, ' ').trim();
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

/** A digest message as renderDigest (below) makes it, already within Discord's limits. */
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

// ---------- scheduled digests: the posted messages ----------

/**
 * A digest message as the worker posts it (`POST /channels/:id/messages`
 * through REST, so the REST field names; the poster adds the nonce).
 */
export interface DigestMessage {
  content: string;
  embeds: APIEmbed[];
  allowed_mentions: { parse: [] };
}

export interface RenderOptions {
  /** When nothing is new, post one line saying so instead of nothing. Default false. */
  postWhenEmpty?: boolean;
  /**
   * Lines Sitrep itself has to say about this post (such as "posted 12 minutes late"), shown small under
   * the header of the first part. Written by Sitrep, not users: they may hold Discord timestamp tags
   * (`discordTime`); they are made inert, not escaped.
   */
  notes?: readonly string[];
}

/** One document's embed stays under this, so a message holds several documents. */
export const DIGEST_DOCUMENT_BUDGET = 1800;
/** Quotes and events shown per document before "and N more". */
export const DIGEST_LINES_PER_KIND = 5;
const DIGEST_COLOR = 0x3b6ea5;

/** "Kyodo, 2024-03-24 · doc.txt, ¶3 (chars 120–300)": where a digest excerpt comes from, escaped. */
function digestCitation(source: CitedSource): string {
  const where = [source.outlet, source.published].filter((x): x is string => !!x).join(', ');
  const para = source.paragraph !== undefined ? `, ¶${source.paragraph}` : '';
  return `${where ? `${escapeAndFit(where, 120)} · ` : ''}${escapeAndFit(source.doc, 200)}${para} (chars ${source.start}–${source.end})`;
}

function digestQuoteLine(quote: Quote, max: number): string {
  const who = quote.speaker ? ` — ${escapeAndFit(quote.speaker.name, INPUT_LIMITS.name)}` : '';
  return `“${escapeAndFit(quote.text.replace(/\s+/g, ' '), Math.max(20, max - length(who) - 2))}”${who}`;
}

function digestEventLine(event: TimelineEvent, max: number): string {
  const date = `**${escapeAndFit(event.date.value, 20)}${event.date.approximate ? ' (approx.)' : ''}** `;
  return `${date}${escapeAndFit(event.text.replace(/\s+/g, ' '), Math.max(20, max - length(date)))}`;
}

/** Lines under a heading while they fit in `budget`; ends with "…and N more" when some do not. */
function digestSection(heading: string, lines: ((max: number) => string)[], budget: number): string {
  if (lines.length === 0 || budget < length(heading) + 40) return '';
  let out = heading;
  let shown = 0;
  for (const line of lines.slice(0, DIGEST_LINES_PER_KIND)) {
    const text = `\n• ${line(Math.min(400, budget - length(out) - 30))}`;
    if (length(out) + length(text) > budget - 25) break;
    out += text;
    shown++;
  }
  if (shown === 0) return '';
  if (shown < lines.length) out += `\n…and ${lines.length - shown} more`;
  return out;
}

function digestDocumentEmbed(d: DigestDocument): APIEmbed {
  let description = d.lead ? `> ${escapeAndFit(d.lead.text.replace(/\s+/g, ' '), 900)}\n${digestCitation(d.lead.source)}` : '';
  const quotes = digestSection('**Quotes**', d.quotes.map((q) => (max: number) => digestQuoteLine(q, max)), DIGEST_DOCUMENT_BUDGET - length(description) - 2);
  if (quotes) description += `${description ? '\n\n' : ''}${quotes}`;
  const events = digestSection('**Timeline**', d.events.map((e) => (max: number) => digestEventLine(e, max)), DIGEST_DOCUMENT_BUDGET - length(description) - 2);
  if (events) description += `${description ? '\n\n' : ''}${events}`;
  // Footers show text as it is (no markdown): inert and cut, not escaped.
  const footer = [d.outlet, d.published, d.doc].filter((x): x is string => !!x).map((x) => plainText(x, 200)).join(' · ');
  const embed: APIEmbed = { title: escapeAndFit(d.title || d.doc, DISCORD_LIMITS.embedTitle), color: DIGEST_COLOR, footer: { text: truncate(footer, DISCORD_LIMITS.embedFooter) } };
  const url = safeUrl(d.url);
  if (url) embed.url = url;
  if (description) embed.description = truncate(description, DISCORD_LIMITS.embedDescription);
  return embed;
}

/** The characters Discord counts toward the 6000 limit of one message's embeds. */
export function embedChars(embed: APIEmbed): number {
  return embedTextLength(embed);
}

function digestHeader(digest: Digest, tail: string): string {
  const about = digest.topic ? ` about “${echo(digest.topic, 'query')}”` : '';
  return `**Sitrep digest**${about}${tail}`;
}

function digestMessage(content: string, embeds: APIEmbed[]): DigestMessage {
  return { content: truncate(inert(content), DISCORD_LIMITS.content), embeds: fitEmbeds(embeds), allowed_mentions: { parse: [] } };
}

/**
 * Renders a digest as one or more messages within Discord's limits (one
 * embed per document, at most 10 embeds and 6000 embed characters per
 * message). An empty digest renders as no message, or one "nothing new"
 * line with `postWhenEmpty`.
 */
export function renderDigest(digest: Digest, options: RenderOptions = {}): DigestMessage[] {
  const notes = (options.notes ?? []).map((n) => `\n-# ${n}`).join('');
  if (digest.documents.length === 0) {
    if (!options.postWhenEmpty) return [];
    return [digestMessage(`${digestHeader(digest, `: nothing new since ${discordTime(digest.sinceMs, 'f')}.`)}${notes}`, [])];
  }
  if (digest.brief) return renderBriefDigest(digest, digest.brief, notes);
  const groups = pack(digest.documents.map(digestDocumentEmbed), embedChars, DISCORD_LIMITS.embedsPerMessage, DISCORD_LIMITS.embedTotal);
  const n = digest.documents.length;
  const parts = groups.length > 1 ? ` (${groups.length} parts)` : '';
  const first = `${digestHeader(digest, `: ${plural(n, 'new document')} since ${discordTime(digest.sinceMs, 'f')}${parts}`)}${notes}`;
  return groups.map((embeds, i) => digestMessage(i === 0 ? first : `**Sitrep digest**, part ${i + 1} of ${groups.length}`, embeds));
}

/**
 * A digest as a brief of its window: who matters, what happened and who said
 * what in the new documents, then the list of those documents, in one message
 * where it fits; a list too long for it continues in further parts.
 */
function renderBriefDigest(digest: Digest, brief: BriefResult, notes: string): DigestMessage[] {
  const sections = briefSections(brief, DIGEST_COLOR);
  const lines = digest.documents.map(briefDocumentLine);
  const groups: APIEmbed[][] = [sections];
  let chars = sections.reduce((n, e) => n + embedChars(e), 0);
  let i = 0;
  while (i < lines.length) {
    let current = groups[groups.length - 1]!;
    // Room in this message for one more list embed: the 6000 total, 10 embeds, and a title.
    let room = Math.min(DISCORD_LIMITS.embedDescription, DISCORD_LIMITS.embedTotal - chars - 40);
    if (current.length >= DISCORD_LIMITS.embedsPerMessage || room < 200) {
      current = [];
      groups.push(current);
      chars = 0;
      room = DISCORD_LIMITS.embedDescription;
    }
    const taken: string[] = [];
    let used = 0;
    while (i < lines.length && used + length(lines[i]!) + 1 <= room) {
      taken.push(lines[i]!);
      used += length(lines[i]!) + 1;
      i++;
    }
    if (taken.length === 0) {
      taken.push(truncate(lines[i]!, room));
      i++;
    }
    const embed: APIEmbed = { title: current.some((e) => e.title?.startsWith('New documents')) || groups.length > 1 ? 'New documents (continued)' : 'New documents', description: taken.join('\n'), color: DIGEST_COLOR };
    current.push(embed);
    chars += embedChars(embed);
  }
  const n = digest.documents.length;
  const parts = groups.length > 1 ? ` (${groups.length} parts)` : '';
  const first = `${digestHeader(digest, `: ${plural(n, 'new document')} since ${discordTime(digest.sinceMs, 'f')}${parts}`)}${notes}`;
  return groups.map((embeds, k) => digestMessage(k === 0 ? first : `**Sitrep digest**, part ${k + 1} of ${groups.length}`, embeds));
}
