/**
 * One HTTP client for everything Sitrep fetches (feeds, article pages,
 * robots.txt, Discord attachments), built to be a good citizen and safe:
 *
 * - only http and https, no user name or password in the address, no cookies
 *   (none are sent, Set-Cookie is ignored);
 * - every connection goes to an address checked by src/sources/guard.ts,
 *   after DNS resolution and on every redirect; redirects are followed by
 *   hand, at most MAX_REDIRECTS;
 * - one request per site (host) per second at most, and a site that answered
 *   429 or 503 with Retry-After is not asked again before that time — in
 *   this process, or across every process sharing Redis with a RedisPacer
 *   (src/sources/pacing.ts);
 * - a deadline for the whole exchange, a cap on the body (compressed and
 *   decompressed: gzip, deflate and brotli are accepted);
 * - conditional requests (If-None-Match / If-Modified-Since) when validators
 *   are given; a 304 comes back as `notModified`.
 *
 * node:http is used directly rather than fetch because its `lookup` hook lets
 * the checked address be the one the socket connects to.
 */
import http from 'node:http';
import https from 'node:https';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import { checkLiteralHost, guardedLookup, systemResolver, type AddressPolicy, type Resolver } from './guard.js';
import { isSourceError, SourceError } from './errors.js';
import { LocalPacer, type HostPacer } from './pacing.js';
import { MAX_URL_CHARS } from '../engine/limits.js';

export const MAX_REDIRECTS = 5;
export const DEFAULT_TIMEOUT_MS = 20_000;
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
/** At most one request per host in this interval. */
export const DEFAULT_HOST_INTERVAL_MS = 1000;
/** A Retry-After longer than this is capped (a site cannot park a feed for a week). */
const MAX_RETRY_AFTER_MS = 6 * 60 * 60 * 1000;
/** How many times a request re-checks when the previous one to its site left (each wait is at most one interval). */
const MAX_SETTLE_ROUNDS = 3;
export const USER_AGENT = 'Sitrep/0.1 (Discord news briefing bot; fetches the feeds and pages its community adds; respects robots.txt)';

export interface FetchOptions {
  addresses: AddressPolicy;
  timeoutMs?: number;
  maxBytes?: number;
  hostIntervalMs?: number;
  userAgent?: string;
  /** DNS resolution (tests inject one to check rebinding). */
  resolver?: Resolver;
  /** Per-site pacing; default one in this process (LocalPacer) with `hostIntervalMs`. */
  pacer?: HostPacer;
}

export interface FetchRequest {
  url: string;
  accept: string;
  etag?: string | null;
  lastModified?: string | null;
  /** Overrides the client's body cap for this request. */
  maxBytes?: number;
}

export interface FetchResponse {
  /** The address finally answered (after redirects). */
  url: string;
  status: number;
  notModified: boolean;
  /** The media type without parameters, lower case ("text/html"), or null. */
  contentType: string | null;
  charset: string | null;
  etag: string | null;
  lastModified: string | null;
  body: Buffer;
}

/** "https://user:secret@host/path" → "https://host/path": addresses as logs and messages may show them. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.href;
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}

/** Parses an address Sitrep may fetch: http(s), no credentials. Throws SourceError('BadAddress'). */
export function parseFetchUrl(raw: string, base?: string): URL {
  if (raw.length > MAX_URL_CHARS) {
    throw new SourceError('BadAddress', `that address is longer than ${MAX_URL_CHARS} characters; Sitrep does not fetch it`, { url: redactUrl(raw.slice(0, 200)), length: raw.length });
  }
  let url: URL;
  try {
    url = base === undefined ? new URL(raw.trim()) : new URL(raw.trim(), base);
  } catch {
    throw new SourceError('BadAddress', `"${redactUrl(raw).slice(0, 200)}" is not a web address (it should start with https://)`, { url: redactUrl(raw) });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SourceError('BadAddress', `only http and https addresses are fetched, not ${url.protocol.replace(/:$/, '')}:`, { url: redactUrl(url.href) });
  }
  if (url.username || url.password) {
    throw new SourceError('BadAddress', 'addresses with a user name or password are not fetched', { url: redactUrl(url.href) });
  }
  url.hash = '';
  return url;
}

/** Milliseconds to wait from a Retry-After value (seconds or an HTTP date), capped; null when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  let ms: number;
  if (/^\d+$/.test(trimmed)) ms = Number(trimmed) * 1000;
  else {
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return null;
    ms = at - now;
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}

function mediaType(header: string | undefined): { type: string | null; charset: string | null } {
  if (!header) return { type: null, charset: null };
  const [type, ...params] = header.split(';');
  const charset = params.map((p) => /^\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(p)?.[1]).find(Boolean) ?? null;
  return { type: type!.trim().toLowerCase() || null, charset: charset?.toLowerCase() ?? null };
}

/** A pacing wait. Not unref'd: a fetch waiting for its turn is work under way, and a one-off command (`sitrep add`) must not exit in the middle of it. */
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class Fetcher {
  private readonly options: Required<Omit<FetchOptions, 'resolver' | 'pacer'>> & { resolver: Resolver };
  /** One request per host per interval, and Retry-After parking. */
  readonly pacer: HostPacer;

  constructor(options: FetchOptions) {
    this.options = {
      addresses: options.addresses,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
      hostIntervalMs: options.hostIntervalMs ?? DEFAULT_HOST_INTERVAL_MS,
      userAgent: options.userAgent ?? USER_AGENT,
      resolver: options.resolver ?? systemResolver,
    };
    this.pacer = options.pacer ?? new LocalPacer(this.options.hostIntervalMs);
  }

  get addressPolicy(): AddressPolicy {
    return this.options.addresses;
  }

  /** When a host asked to be left alone until (ms since epoch), if it did. */
  retryAt(url: string): number | null {
    try {
      return this.pacer.parkedUntil(new URL(url).host);
    } catch {
      return null;
    }
  }

  /** Waits for this host's turn (one request per host per interval); throws RateLimited while it is parked. */
  private async turn(host: string): Promise<void> {
    const turn = await this.pacer.reserve(host);
    if ('parkedUntil' in turn) {
      throw new SourceError('RateLimited', `${host} asked to be left alone until ${new Date(turn.parkedUntil).toISOString()} (Retry-After)`, { host, retryAt: turn.parkedUntil });
    }
    if (turn.waitMs > 0) await sleep(turn.waitMs);
    // The previous request may have left later than its slot: keep a whole interval after it actually did.
    for (let i = 0; i < MAX_SETTLE_ROUNDS; i++) {
      const more = await this.pacer.settle(host);
      if (more <= 0) break;
      await sleep(more);
    }
  }

  /** One GET, following up to MAX_REDIRECTS redirects, each hop checked. Throws SourceError. */
  async get(request: FetchRequest): Promise<FetchResponse> {
    const deadline = Date.now() + this.options.timeoutMs;
    const maxBytes = request.maxBytes ?? this.options.maxBytes;
    let url = parseFetchUrl(request.url);
    for (let hop = 0; ; hop++) {
      checkLiteralHost(url, this.options.addresses);
      await this.turn(url.host);
      if (Date.now() >= deadline) throw this.timeout(url);
      let response;
      try {
        response = await this.exchange(url, request, deadline, maxBytes, hop === 0);
      } catch (error) {
        // A 429/503 with Retry-After parks the host (for every process, with a RedisPacer) before it is reported.
        const at = isSourceError(error) && error.identifier === 'RateLimited' ? error.context.retryAt : null;
        if (typeof at === 'number') await this.pacer.park(url.host, at);
        throw error;
      }
      if (response.redirect) {
        if (hop >= MAX_REDIRECTS) throw new SourceError('TooManyRedirects', `more than ${MAX_REDIRECTS} redirects from ${redactUrl(request.url)}`, { url: redactUrl(request.url) });
        url = parseFetchUrl(response.redirect, url.href);
        continue;
      }
      return { ...response.result!, url: url.href };
    }
  }

  private timeout(url: URL): SourceError {
    return new SourceError('Timeout', `${url.host} did not answer within ${Math.round(this.options.timeoutMs / 1000)} s`, { host: url.host });
  }

  private exchange(
    url: URL,
    request: FetchRequest,
    deadline: number,
    maxBytes: number,
    first: boolean,
  ): Promise<{ redirect?: string; result?: Omit<FetchResponse, 'url'> }> {
    const headers: Record<string, string> = {
      'user-agent': this.options.userAgent,
      accept: request.accept,
      'accept-encoding': 'gzip, br, deflate',
    };
    // Validators belong to the address they were given for, not to where it redirects.
    if (first && request.etag) headers['if-none-match'] = request.etag;
    if (first && request.lastModified) headers['if-modified-since'] = request.lastModified;
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (error: unknown): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.destroy();
        reject(error instanceof SourceError ? error : this.networkError(url, error));
      };
      const timer = setTimeout(() => fail(this.timeout(url)), Math.max(1, deadline - Date.now()));
      const req = client.request(
        url,
        { method: 'GET', headers, agent: false, lookup: guardedLookup(this.options.addresses, this.options.resolver) as never },
        (res) => {
          const status = res.statusCode ?? 0;
          const header = (name: string): string | undefined => {
            const value = res.headers[name];
            return Array.isArray(value) ? value[0] : value;
          };
          if ([301, 302, 303, 307, 308].includes(status) && header('location')) {
            res.resume();
            settled = true;
            clearTimeout(timer);
            resolve({ redirect: header('location')! });
            return;
          }
          if (status === 429 || status === 503) {
            res.resume();
            const wait = retryAfterMs(header('retry-after'));
            const until = wait !== null ? `; asked to wait ${Math.ceil(wait / 1000)} s (Retry-After)` : '';
            fail(new SourceError('RateLimited', `${url.host} answered ${status} ${status === 429 ? 'Too Many Requests' : 'Service Unavailable'}${until}`, { host: url.host, status, retryAt: wait === null ? null : Date.now() + wait }));
            return;
          }
          const type = mediaType(header('content-type'));
          const base = { status, contentType: type.type, charset: type.charset, etag: header('etag') ?? null, lastModified: header('last-modified') ?? null };
          if (status === 304) {
            res.resume();
            settled = true;
            clearTimeout(timer);
            resolve({ result: { ...base, notModified: true, body: Buffer.alloc(0) } });
            return;
          }
          if (status < 200 || status > 299) {
            res.resume();
            fail(new SourceError('HttpStatus', `${url.host} answered ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''} for ${redactUrl(url.href)}`, { host: url.host, status, url: redactUrl(url.href) }));
            return;
          }
          const declared = Number(header('content-length'));
          if (Number.isFinite(declared) && declared > maxBytes) {
            res.destroy();
            fail(this.tooLarge(url, maxBytes));
            return;
          }
          this.readBody(res, header('content-encoding'), maxBytes, url).then((body) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            resolve({ result: { ...base, notModified: false, body } });
          }, fail);
        },
      );
      req.on('error', fail);
      // Paced from when the request actually left, not from when its slot was booked.
      req.once('finish', () => void this.pacer.sent(url.host));
      req.end();
    });
  }

  private tooLarge(url: URL, maxBytes: number): SourceError {
    return new SourceError('TooLarge', `the answer from ${url.host} is over the ${(maxBytes / 1024 / 1024).toFixed(1)} MB limit`, { host: url.host, maxBytes });
  }

  private networkError(url: URL, error: unknown): SourceError {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new SourceError('Network', `${url.hostname} is not a name that resolves (DNS: ${code})`, { host: url.host, code });
    if (code === 'ECONNREFUSED') return new SourceError('Network', `${url.host} refused the connection`, { host: url.host, code });
    return new SourceError('Network', `could not fetch from ${url.host}: ${code ?? (error as Error).message}`, { host: url.host, code });
  }

  /** Reads and decompresses the body, stopping as soon as either side passes the cap. */
  private readBody(res: http.IncomingMessage, encoding: string | undefined, maxBytes: number, url: URL): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const enc = (encoding ?? '').trim().toLowerCase();
      let stream: Readable = res;
      let raw = 0;
      res.on('data', (chunk: Buffer) => {
        raw += chunk.length;
        if (raw > maxBytes) {
          res.destroy();
          reject(this.tooLarge(url, maxBytes));
        }
      });
      if (enc === 'gzip' || enc === 'x-gzip') stream = res.pipe(createGunzip());
      else if (enc === 'br') stream = res.pipe(createBrotliDecompress());
      else if (enc === 'deflate') stream = res.pipe(createInflate());
      else if (enc && enc !== 'identity') {
        res.destroy();
        reject(new SourceError('WrongContentType', `${url.host} sent the answer in an encoding Sitrep cannot read (${enc})`, { host: url.host, encoding: enc }));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          res.destroy();
          stream.destroy();
          reject(this.tooLarge(url, maxBytes));
          return;
        }
        chunks.push(chunk);
      });
      stream.on('end', () => resolve(Buffer.concat(chunks)));
      stream.on('error', (error) => reject(new SourceError('Network', `the answer from ${url.host} could not be read (${(error as NodeJS.ErrnoException).code ?? error.message})`, { host: url.host })));
      res.on('error', (error) => reject(error));
    });
  }
}
