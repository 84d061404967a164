/**
 * Digest → Discord message payloads. Discord's limits for messages live here,
 * in one place: content ≤ 2000 characters, ≤ 10 embeds, an embed title ≤ 256,
 * description ≤ 4096, footer ≤ 2048, and ≤ 6000 characters over all embeds of
 * one message. A digest larger than one message is split into several parts.
 * Every part has `allowed_mentions: { parse: [] }`, and corpus text is escaped
 * so it can neither mention anyone nor format the message.
 */
import type { Excerpt, Quote, TimelineEvent } from '../types.js';
import type { Digest, DigestDocument } from './content.js';

export const MAX_CONTENT_CHARS = 2000;
export const MAX_EMBEDS_PER_MESSAGE = 10;
export const MAX_EMBED_TITLE_CHARS = 256;
export const MAX_EMBED_DESCRIPTION_CHARS = 4096;
export const MAX_EMBED_FOOTER_CHARS = 2048;
export const MAX_EMBED_TOTAL_CHARS = 6000;
export const MAX_URL_CHARS = 2048;
/** One document's embed stays under this, so a message holds several documents. */
export const DOCUMENT_DESCRIPTION_BUDGET = 1800;
/** Quotes and events shown per document before "and N more". */
export const MAX_LINES_PER_KIND = 5;

export interface DiscordEmbed {
  title?: string;
  url?: string;
  description?: string;
  footer?: { text: string };
  color?: number;
}

/** A message payload for `POST /channels/:id/messages` (nonce added by the poster). */
export interface DigestMessage {
  content: string;
  embeds: DiscordEmbed[];
  allowed_mentions: { parse: [] };
}

export interface RenderOptions {
  /** When nothing is new, post one line saying so instead of nothing. Default false. */
  postWhenEmpty?: boolean;
}

const ELLIPSIS = '…';
const EMBED_COLOR = 0x3b6ea5;

/**
 * Escapes text from the corpus for Discord: markdown (bold, italics, code,
 * spoilers, links, quotes, headings, lists) is shown literally, and "@everyone",
 * "@here", `<@id>`, `<#id>`, `<t:…>` and the like cannot form.
 */
export function escapeCorpusText(text: string): string {
  return text
    .replace(/[\\*_~`|[\]()<>]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([#\-+]|\d+\.)(?=\s|#|$)/gm, (_m, space: string, mark: string) => `${space}\\${mark}`)
    .replace(/@(?=[\p{L}\p{N}_&!])/gu, '@\u200b');
}

/** Escaped text cut (at a word boundary where one is near) so that it fits in `max` characters, with "…" when cut. */
export function fitEscaped(raw: string, max: number): string {
  const full = escapeCorpusText(raw);
  if (full.length <= max) return full;
  if (max <= ELLIPSIS.length) return ELLIPSIS.slice(0, Math.max(0, max));
  let lo = 0;
  let hi = raw.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (escapeCorpusText(raw.slice(0, mid)).length + ELLIPSIS.length <= max) lo = mid;
    else hi = mid - 1;
  }
  let cut = lo;
  const space = raw.lastIndexOf(' ', cut);
  if (space > cut * 0.7) cut = space;
  return `${escapeCorpusText(raw.slice(0, cut).trimEnd())}${ELLIPSIS}`;
}

/** Plain text we write ourselves, cut to fit. */
function fit(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - ELLIPSIS.length))}${ELLIPSIS}`;
}

function isWebUrl(url: string | null): url is string {
  return url !== null && url.length <= MAX_URL_CHARS && /^https?:\/\/[^\s<>]+$/.test(url);
}

function citationLine(source: Excerpt['source']): string {
  const where = [source.outlet, source.published].filter((x): x is string => !!x).join(', ');
  const para = source.paragraph !== undefined ? `, ¶${source.paragraph}` : '';
  return `${where ? `${escapeCorpusText(where)} · ` : ''}${escapeCorpusText(source.doc)}${para} (chars ${source.start}–${source.end})`;
}

function quoteLine(quote: Quote, max: number): string {
  const who = quote.speaker ? ` — ${escapeCorpusText(quote.speaker.name)}` : '';
  return `“${fitEscaped(quote.text, Math.max(20, max - who.length - 2))}”${who}`;
}

function eventLine(event: TimelineEvent, max: number): string {
  const date = `**${escapeCorpusText(event.date.value)}${event.date.approximate ? ' (approx.)' : ''}** `;
  return `${date}${fitEscaped(event.text, Math.max(20, max - date.length))}`;
}

/** Adds lines under a heading while they fit in `budget`; ends with "…and N more" when some do not. */
function section(heading: string, lines: ((max: number) => string)[], budget: number): string {
  if (lines.length === 0 || budget < heading.length + 40) return '';
  let out = heading;
  let shown = 0;
  for (const line of lines.slice(0, MAX_LINES_PER_KIND)) {
    const text = `\n• ${line(Math.min(400, budget - out.length - 30))}`;
    if (out.length + text.length > budget - 25) break;
    out += text;
    shown++;
  }
  if (shown === 0) return '';
  if (shown < lines.length) out += `\n…and ${lines.length - shown} more`;
  return out;
}

function documentEmbed(d: DigestDocument): DiscordEmbed {
  const parts: string[] = [];
  if (d.lead) parts.push(`> ${fitEscaped(d.lead.text.replace(/\s+/g, ' '), 900)}\n${citationLine(d.lead.source)}`);
  let description = parts.join('\n');
  const quotes = section('**Quotes**', d.quotes.map((q) => (max: number) => quoteLine(q, max)), DOCUMENT_DESCRIPTION_BUDGET - description.length - 2);
  if (quotes) description += `${description ? '\n\n' : ''}${quotes}`;
  const events = section('**Timeline**', d.events.map((e) => (max: number) => eventLine(e, max)), DOCUMENT_DESCRIPTION_BUDGET - description.length - 2);
  if (events) description += `${description ? '\n\n' : ''}${events}`;
  const footer = [d.outlet, d.published, d.doc].filter((x): x is string => !!x).join(' · ');
  const embed: DiscordEmbed = {
    title: fitEscaped(d.title || d.doc, MAX_EMBED_TITLE_CHARS),
    color: EMBED_COLOR,
    footer: { text: fit(footer, MAX_EMBED_FOOTER_CHARS) },
  };
  if (isWebUrl(d.url)) embed.url = d.url;
  if (description) embed.description = fit(description, MAX_EMBED_DESCRIPTION_CHARS);
  return embed;
}

/** The characters Discord counts toward the 6000 limit of one message's embeds. */
export function embedChars(embed: DiscordEmbed): number {
  return (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0);
}

function unix(ms: number): number {
  return Math.floor(ms / 1000);
}

function header(digest: Digest): string {
  const n = digest.documents.length;
  const about = digest.topic ? ` about “${fitEscaped(digest.topic, 120)}”` : '';
  return fit(`**Sitrep digest**${about}: ${n} new document${n === 1 ? '' : 's'} since <t:${unix(digest.sinceMs)}:f>`, MAX_CONTENT_CHARS);
}

/**
 * Renders a digest as one or more messages within Discord's limits. An empty
 * digest renders as no message, or one "nothing new" line with `postWhenEmpty`.
 */
export function renderDigest(digest: Digest, options: RenderOptions = {}): DigestMessage[] {
  if (digest.documents.length === 0) {
    if (!options.postWhenEmpty) return [];
    const about = digest.topic ? ` about “${fitEscaped(digest.topic, 120)}”` : '';
    return [{ content: fit(`**Sitrep digest**${about}: nothing new since <t:${unix(digest.sinceMs)}:f>.`, MAX_CONTENT_CHARS), embeds: [], allowed_mentions: { parse: [] } }];
  }
  const groups: DiscordEmbed[][] = [];
  let current: DiscordEmbed[] = [];
  let chars = 0;
  for (const d of digest.documents) {
    const embed = documentEmbed(d);
    const size = embedChars(embed);
    if (current.length > 0 && (current.length >= MAX_EMBEDS_PER_MESSAGE || chars + size > MAX_EMBED_TOTAL_CHARS)) {
      groups.push(current);
      current = [];
      chars = 0;
    }
    current.push(embed);
    chars += size;
  }
  if (current.length > 0) groups.push(current);
  const first = header(digest);
  return groups.map((embeds, i) => ({
    content: i === 0 ? (groups.length > 1 ? fit(`${first} (${groups.length} parts)`, MAX_CONTENT_CHARS) : first) : `**Sitrep digest**, part ${i + 1} of ${groups.length}`,
    embeds,
    allowed_mentions: { parse: [] },
  }));
}
