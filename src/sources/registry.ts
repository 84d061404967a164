/**
 * The list of feeds, durable on disk and editable by an operator: one JSON
 * file per feed in `FETCHED_DIR/_feeds/` (`<id>.json`, id = a hash of the
 * feed's URL), holding its schedule, who added it, its validators (ETag,
 * Last-Modified), failures, and the items already seen. Nothing about feeds
 * lives only in Redis, so a Redis flush loses nothing: the job schedulers are
 * rebuilt from these files. Each file is written whole (temporary file, then
 * rename) and only by the one poll that holds the feed's lock.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SourceError } from './errors.js';
import { parseFetchUrl, redactUrl } from './http.js';

export const DEFAULT_FEED_MINUTES = 10;
export const MIN_FEED_MINUTES = 2;
export const MAX_FEED_MINUTES = 7 * 24 * 60;
/** Items remembered per feed (a feed lists far fewer; old ones fall off the end). */
const MAX_SEEN = 5000;
/** A poll's lock older than this is taken to be left by a crashed process. */
const STALE_LOCK_MS = 30 * 60 * 1000;
export const FEEDS_FOLDER = '_feeds';

/** A feed as the CLI contract shows it (`Feed`), plus who added it. */
export interface FeedView {
  url: string;
  title: string | null;
  every: number;
  lastPolledAt: string | null;
  lastAddedAt: string | null;
  failures: number;
  paused: string | null;
  lastError: string | null;
  guild: string | null;
  member: string | null;
  channel: string | null;
  addedAt: string;
}

export interface FeedRecord extends FeedView {
  etag: string | null;
  lastModified: string | null;
  /** When the site asked (Retry-After) to be left alone until; ISO. */
  retryAt: string | null;
  /** The pause has been said in the channel where the feed was added. */
  pauseAnnounced: boolean;
  seen: string[];
}

export function feedId(url: string): string {
  return createHash('sha256').update(url).digest('hex').slice(0, 16);
}

/** Minutes between polls, checked: a whole number from MIN_FEED_MINUTES to a week. */
export function checkInterval(every: number | undefined): number {
  if (every === undefined) return DEFAULT_FEED_MINUTES;
  if (!Number.isInteger(every) || every < MIN_FEED_MINUTES || every > MAX_FEED_MINUTES) {
    throw new SourceError('InvalidInterval', `every must be a whole number of minutes from ${MIN_FEED_MINUTES} to ${MAX_FEED_MINUTES} (got ${every})`, { every });
  }
  return every;
}

export function viewOf(record: FeedRecord): FeedView {
  const { url, title, every, lastPolledAt, lastAddedAt, failures, paused, lastError, guild, member, channel, addedAt } = record;
  return { url, title, every, lastPolledAt, lastAddedAt, failures, paused, lastError, guild, member, channel, addedAt };
}

export class FeedRegistry {
  readonly dir: string;
  constructor(fetchedDir: string) {
    this.dir = join(fetchedDir, FEEDS_FOLDER);
  }

  private file(url: string): string {
    return join(this.dir, `${feedId(url)}.json`);
  }

  /** Every feed, oldest first; a file an operator broke is skipped with its error in `broken`. */
  async list(broken: string[] = []): Promise<FeedRecord[]> {
    const names = (await readdir(this.dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).sort();
    const feeds: FeedRecord[] = [];
    for (const name of names) {
      try {
        feeds.push(normalise(JSON.parse(await readFile(join(this.dir, name), 'utf8')) as Partial<FeedRecord>));
      } catch (error) {
        broken.push(`${name}: ${(error as Error).message}`);
      }
    }
    return feeds.sort((a, b) => a.addedAt.localeCompare(b.addedAt) || a.url.localeCompare(b.url));
  }

  async get(url: string): Promise<FeedRecord | null> {
    const key = normaliseFeedUrl(url);
    try {
      return normalise(JSON.parse(await readFile(this.file(key), 'utf8')) as Partial<FeedRecord>);
    } catch {
      return (await this.list()).find((f) => f.url === key || f.url === url) ?? null;
    }
  }

  /** Writes the record whole (temporary file, then rename). */
  async save(record: FeedRecord): Promise<void> {
    const temp = join(this.dir, `.${feedId(record.url)}.${randomBytes(4).toString('hex')}.tmp`);
    const trimmed = { ...record, seen: record.seen.slice(-MAX_SEEN) };
    try {
      await mkdir(this.dir, { recursive: true });
      await writeFile(temp, `${JSON.stringify(trimmed, null, 2)}\n`, 'utf8');
      await rename(temp, this.file(record.url));
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw this.cannotWrite(error);
    }
  }

  private cannotWrite(error: unknown): SourceError {
    const code = (error as NodeJS.ErrnoException).code;
    const hint = code === 'EROFS' || code === 'EACCES' || code === 'EPERM' ? ': the folder is read-only; set FETCHED_DIR to a writable folder' : '';
    return new SourceError('CannotStore', `cannot keep the feed list in ${this.dir} (${code ?? (error as Error).message})${hint}`, { dir: this.dir, code });
  }

  async create(url: string, options: { every?: number; title?: string | null; guild?: string | null; member?: string | null; channel?: string | null }): Promise<FeedRecord> {
    const key = normaliseFeedUrl(url);
    const existing = await this.get(key);
    if (existing) throw new SourceError('FeedExists', `${redactUrl(key)} is already followed (added ${existing.addedAt.slice(0, 10)})`, { url: key, paused: existing.paused });
    const record: FeedRecord = {
      url: key,
      title: options.title ?? null,
      every: checkInterval(options.every),
      lastPolledAt: null,
      lastAddedAt: null,
      failures: 0,
      paused: null,
      lastError: null,
      guild: options.guild ?? null,
      member: options.member ?? null,
      channel: options.channel ?? null,
      addedAt: new Date().toISOString(),
      etag: null,
      lastModified: null,
      retryAt: null,
      pauseAnnounced: false,
      seen: [],
    };
    await this.save(record);
    return record;
  }

  /** Removes a feed; with `guild`, only a feed that server added. */
  async remove(url: string, guild?: string): Promise<FeedRecord> {
    const record = await this.get(url);
    if (!record) throw new SourceError('FeedNotFound', `${redactUrl(url)} is not a followed feed`, { url });
    if (guild !== undefined && record.guild !== guild) {
      throw new SourceError('NotYourFeed', 'that feed was added by another server (or from the command line); only its managers can remove it', { url: record.url });
    }
    await unlink(this.file(record.url)).catch(() => undefined);
    return record;
  }

  /**
   * Runs `task` holding the feed's lock (a file created exclusively), so one
   * feed is never polled twice at once, whichever process or machine polls it.
   * Returns null, without running it, when another poll holds the lock.
   */
  async withLock<T>(url: string, task: () => Promise<T>): Promise<T | null> {
    await mkdir(this.dir, { recursive: true }).catch((error: unknown) => {
      throw this.cannotWrite(error);
    });
    const lock = join(this.dir, `.${feedId(url)}.lock`);
    let handle;
    try {
      handle = await open(lock, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw this.cannotWrite(error);
      const info = await stat(lock).catch(() => null);
      if (info && Date.now() - info.mtimeMs < STALE_LOCK_MS) return null;
      await unlink(lock).catch(() => undefined);
      try {
        handle = await open(lock, 'wx');
      } catch {
        return null;
      }
    }
    try {
      await handle.writeFile(`${process.pid} ${new Date().toISOString()}\n`);
      await handle.close();
      return await task();
    } finally {
      await unlink(lock).catch(() => undefined);
    }
  }
}

/** The feed's address as stored: parsed, checked (http/https, no credentials), no fragment. */
export function normaliseFeedUrl(url: string): string {
  return parseFetchUrl(url).href;
}

/** Fills what an operator's hand-edited file leaves out. */
function normalise(raw: Partial<FeedRecord>): FeedRecord {
  if (typeof raw.url !== 'string') throw new Error('no "url"');
  const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
  return {
    url: raw.url,
    title: str(raw.title),
    every: typeof raw.every === 'number' && raw.every >= MIN_FEED_MINUTES ? Math.round(raw.every) : DEFAULT_FEED_MINUTES,
    lastPolledAt: str(raw.lastPolledAt),
    lastAddedAt: str(raw.lastAddedAt),
    failures: typeof raw.failures === 'number' ? raw.failures : 0,
    paused: str(raw.paused),
    lastError: str(raw.lastError),
    guild: str(raw.guild),
    member: str(raw.member),
    channel: str(raw.channel),
    addedAt: str(raw.addedAt) ?? new Date(0).toISOString(),
    etag: str(raw.etag),
    lastModified: str(raw.lastModified),
    retryAt: str(raw.retryAt),
    pauseAnnounced: raw.pauseAnnounced === true,
    seen: Array.isArray(raw.seen) ? raw.seen.filter((s): s is string => typeof s === 'string') : [],
  };
}
