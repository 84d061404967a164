/**
 * Where added articles live: text files with YAML front matter under the
 * fetched folder (FETCHED_DIR, by default `<corpus>/fetched`), one per
 * article, at `<site>/<date>-<slug>.md`:
 *
 *   ---
 *   title: …
 *   outlet: …
 *   published: 2024-03-24        # the page's own date, else the feed item's, else null
 *   author: …
 *   url: https://…               # the address fetched
 *   canonical: https://…         # the page's own canonical URL, when it states one
 *   fetched: 2024-03-24T10:00:00.000Z
 *   language: en
 *   ---
 *   First paragraph.
 *
 *   Second paragraph.
 *
 * The corpus loader indexes the folder with the corpus, so citations point at
 * these files and `file.slice(start, end) === text` holds as for any corpus
 * file. The same article is stored once: the store knows every stored URL,
 * canonical URL and text (a hash of its words), read back from the files
 * themselves, so an operator may edit or delete them by hand.
 */
import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { stringify as stringifyYaml, parse as parseYaml } from 'yaml';
import { normalizePublishedDate } from '../corpus/dates.js';
import { SourceError } from './errors.js';

/** Fewer words than this is not an article. */
export const MIN_ARTICLE_WORDS = 50;
const STORED_EXTENSIONS = /\.(?:md|txt|markdown)$/i;
/** How old a look at the folder may be for a quick "is this URL stored?" (saving always looks again). */
const RECENT_MS = 5000;

export interface ArticleToStore {
  title: string | null;
  outlet: string | null;
  published: string | null;
  author: string | null;
  /** The address fetched (feed item link or the URL given), or null for a file. */
  url: string | null;
  canonical: string | null;
  language: string | null;
  /** Body paragraphs (no headline). */
  paragraphs: string[];
  /** Sub-folder instead of the URL's site, e.g. "files" for uploads. */
  folder?: string;
  /** Who added it: the feed, or a Discord server and member. */
  feed?: string | null;
  guild?: string | null;
  member?: string | null;
  /** The file an uploaded or local page came from (for `local/` conversions: its path in the corpus). */
  source?: string | null;
}

export interface StoredArticle {
  /** Path relative to the corpus folder (the document id). */
  doc: string;
  /** Path relative to the fetched folder. */
  path: string;
  title: string;
  outlet: string | null;
  published: string | null;
  url: string | null;
  canonical: string | null;
  words: number;
  guild: string | null;
  /** The feed it came from, if any. */
  feed: string | null;
}

interface Known {
  path: string;
  mtimeMs: number;
  keys: string[];
  article: StoredArticle;
}

/** Letters-and-digits words, as a reader counts them. */
export function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu)?.length ?? 0;
}

/** The text's identity: its words, lower case, in order (spacing, punctuation and case differences ignored). */
export function textKey(text: string): string {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return `text:${createHash('sha256').update(words.join(' ')).digest('hex')}`;
}

/** A URL's identity for duplicates: no fragment, host lower case, default port and trailing slash ignored. */
export function urlKey(raw: string): string | null {
  try {
    const url = new URL(raw);
    url.hash = '';
    let key = `${url.protocol}//${url.host.toLowerCase()}${url.pathname.replace(/\/+$/, '')}${url.search}`;
    key = key.replace(/^https:/, 'http:');
    return `url:${key}`;
  } catch {
    return null;
  }
}

function slugify(text: string, max = 60): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= max) return slug;
  const cut = slug.lastIndexOf('-', max);
  return slug.slice(0, cut > 20 ? cut : max);
}

/** "www.Example.co.uk:8080" → "example.co.uk-8080": a folder name for a site. */
export function siteFolder(url: string | null): string {
  if (!url) return 'files';
  try {
    const host = new URL(url).host.toLowerCase().replace(/^www\./, '');
    return host.replace(/[^a-z0-9.-]+/g, '-') || 'files';
  } catch {
    return 'files';
  }
}

/** Folds a paragraph to one block of text: no blank line inside it, spaces tidied. */
function tidyParagraph(paragraph: string): string {
  return paragraph
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

export class ArticleStore {
  readonly dir: string;
  readonly corpusDir: string;
  private readonly known = new Map<string, Known>();
  private readonly byKey = new Map<string, string>();
  private queue: Promise<unknown> = Promise.resolve();
  private lastRescan = 0;

  constructor(fetchedDir: string, corpusDir: string) {
    this.dir = fetchedDir;
    this.corpusDir = corpusDir;
  }

  /** The document id (path relative to the corpus folder) of a path relative to the fetched folder. */
  docOf(path: string): string {
    return relative(this.corpusDir, join(this.dir, path)).split(sep).join('/');
  }

  /** Runs `task` after every earlier store change in this process (one writer at a time). */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Re-reads the folder: files added, changed or removed since the last look
   * (by anyone), unless it was looked at less than `maxAgeMs` ago. Only new or
   * changed files are read; this process's own writes are known at once.
   */
  async rescan(maxAgeMs = 0): Promise<void> {
    if (maxAgeMs > 0 && Date.now() - this.lastRescan < maxAgeMs) return;
    this.lastRescan = Date.now();
    const present = new Set<string>();
    const walk = async (dir: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (entry.name.startsWith('.')) continue;
        const full = join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (entry.isFile() && STORED_EXTENSIONS.test(entry.name)) present.add(relative(this.dir, full).split(sep).join('/'));
      }
    };
    await walk(this.dir);
    for (const path of [...this.known.keys()]) if (!present.has(path)) this.forget(path);
    for (const path of present) {
      const info = await stat(join(this.dir, path)).catch(() => null);
      if (!info) continue;
      const known = this.known.get(path);
      if (known && known.mtimeMs === info.mtimeMs) continue;
      if (known) this.forget(path);
      const text = await readFile(join(this.dir, path), 'utf8').catch(() => null);
      if (text === null) continue;
      this.remember(path, info.mtimeMs, text);
    }
  }

  private forget(path: string): void {
    const known = this.known.get(path);
    if (!known) return;
    for (const key of known.keys) if (this.byKey.get(key) === path) this.byKey.delete(key);
    this.known.delete(path);
  }

  private remember(path: string, mtimeMs: number, text: string): void {
    const { fields, body } = splitFrontMatter(text);
    const str = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value.trim() : value instanceof Date ? value.toISOString().slice(0, 10) : null);
    const url = str(fields.url);
    const canonical = str(fields.canonical);
    const keys = [url ? urlKey(url) : null, canonical ? urlKey(canonical) : null, textKey(body)].filter((k): k is string => k !== null);
    const article: StoredArticle = {
      doc: this.docOf(path),
      path,
      title: str(fields.title) ?? path,
      outlet: str(fields.outlet),
      published: str(fields.published),
      url,
      canonical,
      words: countWords(body),
      guild: str(fields.guild),
      feed: str(fields.feed),
    };
    this.known.set(path, { path, mtimeMs, keys, article });
    for (const key of keys) if (!this.byKey.has(key)) this.byKey.set(key, path);
  }

  /** The stored article with this URL (as fetched or canonical), if any. */
  async findByUrl(url: string): Promise<StoredArticle | null> {
    // Asked once per feed item: a look at the folder a few seconds old is enough (save looks again).
    await this.rescan(RECENT_MS);
    const key = urlKey(url);
    const path = key ? this.byKey.get(key) : undefined;
    return path ? (this.known.get(path)?.article ?? null) : null;
  }

  /** The stored article with the same text (same words in order), if any. */
  async findByText(body: string): Promise<StoredArticle | null> {
    await this.rescan();
    const path = this.byKey.get(textKey(body));
    return path ? (this.known.get(path)?.article ?? null) : null;
  }

  /** Every stored article. */
  async list(): Promise<StoredArticle[]> {
    await this.rescan();
    return [...this.known.values()].map((k) => k.article).sort((a, b) => a.doc.localeCompare(b.doc));
  }

  /** The article stored under this document id or fetched-folder path, if any. */
  async find(docOrPath: string): Promise<StoredArticle | null> {
    await this.rescan();
    for (const known of this.known.values()) if (known.article.doc === docOrPath || known.path === docOrPath) return known.article;
    return null;
  }

  /**
   * Stores an article; throws SourceError('NotAnArticle') under MIN_ARTICLE_WORDS,
   * SourceError('Duplicate') when the same URL, canonical URL or text is stored,
   * SourceError('CannotStore') when the folder cannot be written.
   */
  save(article: ArticleToStore, fetched: Date = new Date()): Promise<StoredArticle> {
    return this.serial(async () => {
      const paragraphs = article.paragraphs.map(tidyParagraph).filter(Boolean);
      const body = paragraphs.join('\n\n');
      const words = countWords(body);
      if (words < MIN_ARTICLE_WORDS) {
        throw new SourceError('NotAnArticle', `not an article: ${words === 0 ? 'no text' : `fewer than ${MIN_ARTICLE_WORDS} words of text (${words})`}`, { words });
      }
      await this.rescan();
      const keys = [article.url ? urlKey(article.url) : null, article.canonical ? urlKey(article.canonical) : null, textKey(body)].filter((k): k is string => k !== null);
      for (const key of keys) {
        const twin = this.byKey.get(key);
        const existing = twin ? this.known.get(twin)?.article : undefined;
        if (existing) throw duplicate(existing, key);
      }
      const title = article.title?.trim() || paragraphs[0]!.split(/(?<=[.!?])\s/)[0]!.slice(0, 120);
      // The calendar day, as the corpus reads front matter dates (a page's time of day is not kept).
      const published = article.published ? normalizePublishedDate(article.published) : null;
      const date = published ?? fetched.toISOString().slice(0, 10);
      const folder = article.folder ?? siteFolder(article.url);
      const stem = `${date}-${slugify(title) || 'article'}`;
      const front: Record<string, unknown> = {
        title,
        outlet: article.outlet,
        published,
        author: article.author,
        url: article.url,
        canonical: article.canonical,
        fetched: fetched.toISOString(),
        language: article.language,
      };
      if (article.feed) front.feed = article.feed;
      if (article.guild) front.guild = article.guild;
      if (article.member) front.member = article.member;
      if (article.source) front.source = article.source;
      const content = articleFileText(front, body);
      const path = await this.writeNew(folder, stem, content);
      const info = await stat(join(this.dir, path));
      this.remember(path, info.mtimeMs, content);
      return this.known.get(path)!.article;
    });
  }

  /** Writes `content` under a name not yet taken: temporary file, then a hard link (which never replaces a file). */
  private async writeNew(folder: string, stem: string, content: string): Promise<string> {
    const target = join(this.dir, folder);
    const temp = join(this.dir, `.tmp-${randomBytes(6).toString('hex')}.md`);
    try {
      await mkdir(target, { recursive: true });
      await writeFile(temp, content, 'utf8');
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw cannotStore(this.dir, error);
    }
    try {
      for (let n = 1; n < 1000; n++) {
        const path = `${folder}/${stem}${n === 1 ? '' : `-${n}`}.md`;
        try {
          await link(temp, join(this.dir, path));
          return path;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw cannotStore(this.dir, error);
        }
      }
      throw cannotStore(this.dir, new Error('too many articles with the same name'));
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  /** Deletes a stored article (never a file outside the fetched folder). */
  remove(docOrPath: string): Promise<StoredArticle> {
    return this.serial(async () => {
      const article = await this.find(docOrPath);
      if (!article) throw new SourceError('ArticleNotFound', `no added article is stored as ${docOrPath}`, { doc: docOrPath });
      const full = resolve(this.dir, article.path);
      if (!full.startsWith(resolve(this.dir) + sep)) throw new SourceError('ArticleNotFound', `no added article is stored as ${docOrPath}`, { doc: docOrPath });
      await unlink(full).catch((error: unknown) => {
        throw cannotStore(dirname(full), error);
      });
      this.forget(article.path);
      return article;
    });
  }
}

/** A stored article file: YAML front matter, then the body. */
export function articleFileText(front: Record<string, unknown>, body: string): string {
  return `---\n${stringifyYaml(front, { lineWidth: 0 })}---\n${body}\n`;
}

function duplicate(existing: StoredArticle, key: string): SourceError {
  const how = key.startsWith('text:') ? 'the same text' : 'the same address';
  return new SourceError('Duplicate', `already in the sources as “${existing.title}” (${existing.doc}): ${how}`, { doc: existing.doc, title: existing.title, url: existing.url });
}

function cannotStore(dir: string, error: unknown): SourceError {
  const code = (error as NodeJS.ErrnoException).code;
  const hint = code === 'EROFS' || code === 'EACCES' || code === 'EPERM' ? ': the folder is read-only; set FETCHED_DIR to a writable folder' : '';
  return new SourceError('CannotStore', `cannot store articles in ${dir} (${code ?? (error as Error).message})${hint}`, { dir, code });
}

/** Front matter fields (raw YAML values) and the body after it. */
export function splitFrontMatter(text: string): { fields: Record<string, unknown>; body: string } {
  const match = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(text);
  if (!match) return { fields: {}, body: text };
  let fields: Record<string, unknown> = {};
  try {
    const parsed: unknown = parseYaml(match[1]!);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) fields = parsed as Record<string, unknown>;
  } catch {
    // An operator's broken edit: the body still counts for duplicates.
  }
  return { fields, body: text.slice(match[0].length) };
}
