/**
 * Reading a feed: RSS 2.0, RSS 1.0 (RDF), Atom and JSON Feed, parsed by
 * feedsmith, reduced to what polling needs: each item's identity, link,
 * title and date. Relative links are resolved against the feed's address.
 * feedsmith is loaded on first use (it is large; the bot starts without it).
 */
import { SourceError } from './errors.js';

export interface FeedItem {
  /** What identifies the item across polls: its guid/id, else its link. */
  key: string;
  link: string | null;
  title: string | null;
  /** The item's date as YYYY-MM-DD, or null. */
  published: string | null;
}

export interface ParsedFeed {
  format: 'rss' | 'atom' | 'rdf' | 'json';
  title: string | null;
  items: FeedItem[];
}

type Loose = Record<string, unknown>;

function text(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() || null;
  if (value && typeof value === 'object' && 'value' in value) return text((value as Loose).value);
  return null;
}

function absolute(link: string | null, base: string): string | null {
  if (!link) return null;
  try {
    const url = new URL(link, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** A feed's date ("Mon, 01 Jan 2024 10:00:00 GMT", "2024-01-01T…") as YYYY-MM-DD, or null. */
export function feedDate(value: unknown): string | null {
  const raw = text(value);
  if (!raw) return null;
  const iso = /^(\d{4}-\d{2}-\d{2})/.exec(raw);
  if (iso) return iso[1]!;
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().slice(0, 10);
}

function list(value: unknown): Loose[] {
  return Array.isArray(value) ? value.filter((v): v is Loose => !!v && typeof v === 'object') : [];
}

function item(key: string | null, link: string | null, title: string | null, published: string | null): FeedItem | null {
  const id = key ?? link;
  return id ? { key: id, link, title, published } : null;
}

function atomLink(entry: Loose): string | null {
  const links = list(entry.links);
  const alternate = links.find((l) => l.rel === undefined || l.rel === 'alternate') ?? links[0];
  return text(alternate?.href);
}

/** The feed a web page names (`<link rel="alternate" type="application/rss+xml" href>`), for a helpful refusal. */
export function discoverFeedLink(html: string, base: string): string | null {
  for (const tag of html.slice(0, 200_000).match(/<link\b[^>]*>/gi) ?? []) {
    if (!/rel\s*=\s*["']?alternate/i.test(tag)) continue;
    if (!/type\s*=\s*["']?application\/(?:rss|atom|feed)\+(?:xml|json)/i.test(tag)) continue;
    const href = /href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(tag);
    const found = absolute(href?.[1] ?? href?.[2] ?? href?.[3] ?? null, base);
    if (found) return found;
  }
  return null;
}

/** Decodes a feed body: the charset the server or the XML declaration names, else UTF-8. */
function decode(body: Buffer, charset: string | null): string {
  const declared = charset ?? /^<\?xml[^>]*encoding=["']([\w-]+)["']/i.exec(body.subarray(0, 200).toString('latin1'))?.[1] ?? 'utf-8';
  try {
    return new TextDecoder(declared).decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}

let feedsmith: Promise<typeof import('feedsmith')> | null = null;

/** Parses a feed; throws SourceError('NotAFeed') saying what the address sent instead. */
export async function readFeed(body: Buffer, contentType: string | null, charset: string | null, feedUrl: string): Promise<ParsedFeed> {
  const { parseFeed } = await (feedsmith ??= import('feedsmith'));
  const source = decode(body, charset).replace(/^\uFEFF/, '');
  const trimmed = source.trimStart();
  let input: unknown = source;
  if (trimmed.startsWith('{')) {
    try {
      input = JSON.parse(trimmed);
    } catch {
      throw new SourceError('NotAFeed', 'not a feed: the address sent broken JSON', { url: feedUrl });
    }
  }
  let parsed: { format: string; feed: unknown };
  try {
    parsed = parseFeed(input as string) as { format: string; feed: unknown };
  } catch {
    if (/^<!doctype html|^<html|<body[\s>]/i.test(trimmed.slice(0, 2000)) || contentType === 'text/html') {
      const named = discoverFeedLink(source, feedUrl);
      throw new SourceError('NotAFeed', `not a feed: the address is a web page (${contentType ?? 'HTML'}), not RSS, Atom or JSON Feed${named ? `; the page names a feed at ${named}` : ''}`, { url: feedUrl, suggestion: named });
    }
    throw new SourceError('NotAFeed', `not a feed: the address sent ${contentType ?? 'something'} that is not RSS, Atom or JSON Feed`, { url: feedUrl });
  }
  const feed = (parsed.feed ?? {}) as Loose;
  const items: FeedItem[] = [];
  switch (parsed.format) {
    case 'rss':
      for (const i of list(feed.items)) {
        const link = absolute(text(i.link), feedUrl);
        const guid = text(i.guid);
        const dc = (i.dc ?? {}) as Loose;
        const found = item(guid, link ?? absolute(guid, feedUrl), text(i.title), feedDate(i.pubDate) ?? feedDate(list(dc.dates)[0] ?? (dc.dates as unknown[] | undefined)?.[0] ?? dc.date));
        if (found) items.push(found);
      }
      break;
    case 'rdf':
      for (const i of list(feed.items)) {
        const link = absolute(text(i.link), feedUrl);
        const dc = (i.dc ?? {}) as Loose;
        const dates = Array.isArray(dc.dates) ? dc.dates : [dc.date];
        const found = item(text((i.rdf as Loose | undefined)?.about), link, text(i.title), feedDate(dates[0]));
        if (found) items.push(found);
      }
      break;
    case 'atom':
      for (const e of list(feed.entries)) {
        const found = item(text(e.id), absolute(atomLink(e), feedUrl), text(e.title), feedDate(e.published) ?? feedDate(e.updated));
        if (found) items.push(found);
      }
      break;
    case 'json':
      for (const i of list(feed.items)) {
        const link = absolute(text(i.url) ?? text(i.external_url), feedUrl);
        const id = i.id === undefined || i.id === null ? null : String(i.id);
        const found = item(id, link, text(i.title), feedDate(i.date_published) ?? feedDate(i.date_modified));
        if (found) items.push(found);
      }
      break;
    default:
      throw new SourceError('NotAFeed', `not a feed Sitrep reads (${parsed.format})`, { url: feedUrl });
  }
  return { format: parsed.format as ParsedFeed['format'], title: text(feed.title), items };
}
