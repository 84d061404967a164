/**
 * From an address, a file or an upload to a stored article: fetch (or read),
 * extract the article from HTML (src/sources/extract), check it is an article,
 * store it once (src/sources/store.ts). Every refusal is a SourceError whose
 * message says exactly why.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { buildDocument } from '../corpus/document.js';
import { loadExtractor } from './article.js';
import { reasonFor, SourceError } from './errors.js';
import { DEFAULT_MAX_BYTES, parseFetchUrl, redactUrl, type Fetcher } from './http.js';
import type { RobotsRules } from './robots.js';
import type { ArticleStore, ArticleToStore, StoredArticle } from './store.js';

/** The largest file or upload accepted (a news page is far smaller). */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
export const PAGE_ACCEPT = 'text/html, application/xhtml+xml;q=0.9, text/plain;q=0.5';
const FEED_TYPES = /^application\/(?:rss|atom|feed|rdf)\+(?:xml|json)$/;

/** What `add` reports per stored article (the CLI's `added[]`, plus words). */
export interface Added {
  doc: string;
  title: string;
  outlet: string | null;
  published: string | null;
  url: string | null;
  words: number;
}

export interface Skipped {
  input: string;
  reason: string;
}

/** Who or what is adding: a feed, or a Discord server and member. */
export interface Provenance {
  feed?: string | null;
  guild?: string | null;
  member?: string | null;
  /** The feed item's date, used when the page states none. */
  itemPublished?: string | null;
  itemTitle?: string | null;
}

export function addedOf(stored: StoredArticle): Added {
  return { doc: stored.doc, title: stored.title, outlet: stored.outlet, published: stored.published, url: stored.url, words: stored.words };
}

function paragraphsOf(text: string): string[] {
  return text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
}

export interface IngestParts {
  fetcher: Fetcher;
  robots: RobotsRules;
  store: ArticleStore;
}

export class SourceIngest {
  constructor(private readonly parts: IngestParts) {}

  get store(): ArticleStore {
    return this.parts.store;
  }

  get fetcher(): Fetcher {
    return this.parts.fetcher;
  }

  /** HTML → the article to store; `url` is where it came from (null for a file). */
  async articleFromHtml(bytes: Buffer, contentType: string | null, url: string | null, provenance: Provenance = {}): Promise<ArticleToStore> {
    const { decodeHtml, extractArticle } = await loadExtractor();
    const page = extractArticle(decodeHtml(bytes, contentType), { url });
    const paragraphs = page.paragraphs.length > 0 ? page.paragraphs : paragraphsOf(page.text);
    if (paragraphs.length === 0) {
      const why = page.error ?? 'no article text found on the page';
      throw new SourceError('NotAnArticle', /^not an article/.test(why) ? why : `not an article: ${why}`, { url });
    }
    return {
      title: page.title ?? provenance.itemTitle ?? null,
      outlet: page.outlet,
      published: page.published ?? provenance.itemPublished ?? null,
      author: page.author,
      url,
      canonical: page.canonical ?? null,
      language: page.language,
      paragraphs,
      feed: provenance.feed ?? null,
      guild: provenance.guild ?? null,
      member: provenance.member ?? null,
    };
  }

  /** Plain text (.txt/.md, front matter allowed) → the article to store, read as the corpus reads a file. */
  articleFromText(name: string, bytes: Buffer, url: string | null, provenance: Provenance = {}): ArticleToStore {
    const built = buildDocument(name, bytes);
    if (!built.ok) throw new SourceError('NotAnArticle', `not an article: ${built.reason}`, { input: name });
    const { document } = built;
    const paragraphs = document.paragraphs.map((p) => document.text.slice(p.start, p.end));
    return {
      title: document.meta.title === name ? null : document.meta.title,
      outlet: document.meta.outlet,
      published: document.meta.published ?? provenance.itemPublished ?? null,
      author: document.meta.author,
      url: url ?? document.meta.url,
      canonical: null,
      language: null,
      paragraphs,
      feed: provenance.feed ?? null,
      guild: provenance.guild ?? null,
      member: provenance.member ?? null,
    };
  }

  /** Fetches a page (robots.txt permitting) and stores its article. Throws SourceError. */
  async addUrl(raw: string, provenance: Provenance = {}): Promise<Added> {
    const url = parseFetchUrl(raw).href;
    const known = await this.parts.store.findByUrl(url);
    if (known) throw new SourceError('Duplicate', `already in the sources as “${known.title}” (${known.doc})`, { doc: known.doc });
    await this.parts.robots.assertAllowed(url);
    const response = await this.parts.fetcher.get({ url, accept: PAGE_ACCEPT, maxBytes: DEFAULT_MAX_BYTES });
    const type = response.contentType;
    let article: ArticleToStore;
    if (type === null || type === 'text/html' || type === 'application/xhtml+xml') {
      article = await this.articleFromHtml(response.body, response.charset ? `${type ?? 'text/html'}; charset=${response.charset}` : null, url, provenance);
    } else if (type === 'text/plain' || type === 'text/markdown') {
      article = this.articleFromText(basename(new URL(url).pathname) || 'page.txt', response.body, url, provenance);
    } else if (FEED_TYPES.test(type) || type === 'application/xml' || type === 'text/xml') {
      throw new SourceError('WrongContentType', `that address is a feed (${type}), not an article: follow it with feeds add`, { url, type });
    } else {
      throw new SourceError('WrongContentType', `not a web page: the address sent ${type}`, { url, type });
    }
    // Redirected? The address given is the one stored as `url`; a different final address counts as canonical when the page names none.
    if (!article.canonical && response.url !== url) article.canonical = response.url;
    return addedOf(await this.parts.store.save(article));
  }

  /** Reads a local file (.html/.htm/.txt/.md, at most 5 MB) and stores its article. */
  async addFile(path: string, provenance: Provenance = {}): Promise<Added> {
    const info = await stat(path).catch(() => null);
    if (!info || !info.isFile()) throw new SourceError('UnreadableFile', `no such file: ${path}`, { path });
    if (info.size > MAX_UPLOAD_BYTES) throw new SourceError('TooLarge', `${basename(path)} is over the ${MAX_UPLOAD_BYTES / 1024 / 1024} MB limit`, { path });
    const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
      throw new SourceError('UnreadableFile', `cannot read ${path} (${error.code ?? error.message})`, { path });
    });
    return this.addBytes(basename(path), bytes, null, provenance);
  }

  /** Stores the article in an uploaded or local file, by its extension (.html/.htm, .txt/.md). */
  async addBytes(name: string, bytes: Buffer, url: string | null, provenance: Provenance = {}): Promise<Added> {
    const ext = extname(name).toLowerCase();
    let article: ArticleToStore;
    if (ext === '.html' || ext === '.htm') article = await this.articleFromHtml(bytes, null, url, provenance);
    else if (ext === '.txt' || ext === '.md' || ext === '.markdown') article = this.articleFromText(name, bytes, url, provenance);
    else throw new SourceError('WrongContentType', `${name}: only .txt, .md and .html files are read`, { name });
    if (!url) article.folder = 'files';
    article.source ??= name;
    return addedOf(await this.parts.store.save(article));
  }

  /** Fetches an attachment (a Discord CDN URL; in tests a local server) and stores it; `name` gives its kind. */
  async addAttachment(name: string, attachmentUrl: string, size: number | null, provenance: Provenance = {}): Promise<Added> {
    if (size !== null && size > MAX_UPLOAD_BYTES) throw new SourceError('TooLarge', `${name} is over the ${MAX_UPLOAD_BYTES / 1024 / 1024} MB limit`, { name });
    const ext = extname(name).toLowerCase();
    if (!['.html', '.htm', '.txt', '.md', '.markdown'].includes(ext)) throw new SourceError('WrongContentType', `${name}: only .txt, .md and .html files are read`, { name });
    const response = await this.parts.fetcher.get({ url: attachmentUrl, accept: '*/*', maxBytes: MAX_UPLOAD_BYTES });
    return this.addBytes(name, response.body, null, provenance);
  }

  /** `add URL|FILE...`: each input added or skipped with the reason, in order; never throws. */
  async addMany(inputs: readonly string[], provenance: Provenance = {}): Promise<{ added: Added[]; skipped: Skipped[] }> {
    const added: Added[] = [];
    const skipped: Skipped[] = [];
    for (const input of inputs) {
      try {
        added.push(/^[a-z][a-z0-9+.-]*:\/\//i.test(input) ? await this.addUrl(input, provenance) : await this.addFile(input, provenance));
      } catch (error) {
        skipped.push({ input: /:\/\//.test(input) ? redactUrl(input) : input, reason: reasonFor(error) });
      }
    }
    return { added, skipped };
  }
}
