/**
 * Delivery of digest messages. The worker posts through `DigestPoster`; the
 * bot implements it over discord.js, `RestDigestPoster` (rest-poster.ts) over
 * `@discordjs/rest`. Failures are sorted by `classifyPostError` so that
 * posters may simply throw what their HTTP client throws.
 */
import { createHash } from 'node:crypto';
import type { DigestMessage } from '../bot/render.js';

/** Discord accepts nonces of at most 25 characters. */
export const NONCE_CHARS = 25;

export interface DigestPoster {
  /**
   * Posts one message to a channel with `nonce` and `enforce_nonce: true`, so
   * Discord returns the earlier message instead of posting twice when the same
   * nonce is sent again shortly after. Resolves with the message id.
   */
  post(channelId: string, payload: DigestMessage, nonce: string): Promise<{ id: string }>;
}

/**
 * The nonce of one part of one slot's digest in one channel: deterministic, so
 * a retry after a crash sends the same nonce; 25 hexadecimal characters.
 */
export function digestNonce(channelId: string, slot: string, part: number): string {
  return createHash('sha256').update(`${channelId}\0${slot}\0${part}`).digest('hex').slice(0, NONCE_CHARS);
}

/** Discord JSON error codes that mean the bot cannot post in the channel. */
export const MISSING_ACCESS = 50001;
export const MISSING_PERMISSIONS = 50013;
export const UNKNOWN_CHANNEL = 10003;

export type PostFailureKind =
  /** Missing Access (50001), Missing Permissions (50013) or Unknown Channel (10003): counts toward pausing. */
  | 'no-access'
  /** 429, 5xx, timeouts and network errors: retry with backoff. */
  | 'transient'
  /** Any other 4xx: retrying the same request is pointless. */
  | 'permanent';

export interface PostFailure {
  kind: PostFailureKind;
  /** Discord's JSON error code, when there is one. */
  code: number | null;
  /** HTTP status, when there is one. */
  status: number | null;
  message: string;
}

const NETWORK_CODES = /^(E(CONN(REFUSED|RESET|ABORTED)|TIMEDOUT|PIPE|AI_AGAIN|NOTFOUND|HOSTUNREACH|NETUNREACH)|UND_ERR_\w+)$/;

/** Sorts an error thrown by a poster (discord.js, @discordjs/rest, fetch, or a test double) by what to do about it. */
export function classifyPostError(error: unknown): PostFailure {
  const e = (error ?? {}) as { code?: unknown; status?: unknown; name?: unknown; message?: unknown; cause?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(error);
  const code = typeof e.code === 'number' ? e.code : null;
  const status = typeof e.status === 'number' ? e.status : null;
  if (code === MISSING_ACCESS || code === MISSING_PERMISSIONS || code === UNKNOWN_CHANNEL) return { kind: 'no-access', code, status, message };
  if (status !== null) {
    if (status === 429 || status === 408 || status >= 500) return { kind: 'transient', code, status, message };
    if (status >= 400) return { kind: 'permanent', code, status, message };
  }
  if (e.name === 'RateLimitError' || e.name === 'AbortError' || e.name === 'TimeoutError') return { kind: 'transient', code, status, message };
  const netCode = typeof e.code === 'string' ? e.code : typeof (e.cause as { code?: unknown } | undefined)?.code === 'string' ? (e.cause as { code: string }).code : null;
  if (netCode && NETWORK_CODES.test(netCode)) return { kind: 'transient', code, status, message };
  // Unknown failures (a fetch TypeError, say) are retried a few times rather than dropped.
  return { kind: 'transient', code, status, message };
}
