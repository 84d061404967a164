/**
 * Redis outages, said once. ioredis and BullMQ report every failed reconnect
 * attempt as an `error` event (several a second while Redis is down); an
 * outage is one warning when it starts and one line when Redis is back, with
 * the error's message only (a refused connection is expected, not a bug, so
 * no stack trace). One `RedisOutage` is shared by every connection of a
 * process (the service's, the worker's, the first-seen store's).
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';

/** Error codes and messages of a Redis that is unreachable or went away (not of a bad command). */
const CONNECTION_CODES = /^(ECONNREFUSED|ECONNRESET|ECONNABORTED|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|NR_CLOSED)$/;
const CONNECTION_MESSAGES = /connect(ion)? (is )?closed|Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Stream isn't writeable|Reached the max retries per request|socket (hang up|closed)|LOADING Redis is loading/i;

/** True for errors that mean "Redis cannot be reached right now" (expected during an outage). */
export function isConnectionError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { code?: unknown; message?: unknown; name?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && CONNECTION_CODES.test(e.code)) return true;
  if (e.name === 'MaxRetriesPerRequestError') return true;
  if (typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message)) return true;
  // Node reports a refused dual-stack connect as an AggregateError of ECONNREFUSED.
  return Array.isArray(e.errors) && e.errors.some(isConnectionError);
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

export class RedisOutage {
  private readonly log: Logger | undefined;
  private readonly now: () => number;
  private downSince: number | null = null;
  private suppressed = 0;

  constructor(log?: Logger, now: () => number = Date.now) {
    this.log = log;
    this.now = now;
  }

  /** True between the first connection error of an outage and the next ready connection. */
  get down(): boolean {
    return this.downSince !== null;
  }

  /** A connection error from `source`: the first of an outage is a warning, the rest are counted. */
  failed(error: unknown, source: string): void {
    if (this.downSince !== null) {
      this.suppressed++;
      return;
    }
    this.downSince = this.now();
    this.suppressed = 0;
    this.log?.warn('Redis is unreachable: scheduled digests are unavailable until it is back (other commands work)', { component: 'digest', source, error: messageOf(error) });
  }

  /** A connection is ready again: one line when this ends an outage. */
  recovered(source: string): void {
    if (this.downSince === null) return;
    const downForMs = this.now() - this.downSince;
    this.downSince = null;
    this.log?.info('Redis is back: scheduled digests are available again', { component: 'digest', source, downForMs, connectionErrors: this.suppressed + 1 });
  }

  /**
   * Routes an error event of a BullMQ queue or worker: connection errors to
   * the outage, anything else to a warning with its message.
   */
  onError(source: string, what: string): (error: Error) => void {
    return (error: Error) => {
      if (isConnectionError(error)) this.failed(error, source);
      else this.log?.warn(what, { component: 'digest', source, error: messageOf(error) });
    };
  }

  /** Listens to an ioredis client's errors and readiness; returns a function that stops. */
  watch(redis: Redis, source: string): () => void {
    const onError = this.onError(source, 'Redis client error');
    const onReady = (): void => this.recovered(source);
    redis.on('error', onError);
    redis.on('ready', onReady);
    return () => {
      redis.off('error', onError);
      redis.off('ready', onReady);
    };
  }
}
