/**
 * Errors of the digest feature that the user should see. Like SitrepError
 * (src/engine/errors.ts), they carry an identifier and context; only the front
 * ends (the `/digest` command glue) turn identifiers into words.
 */
export type DigestErrorId =
  /** No REDIS_URL: digests need Redis. */
  | 'DigestsNeedRedis'
  /** Redis is configured but cannot be reached right now (or did not answer in time). */
  | 'DigestsUnavailable'
  /** The time is not "HH:MM" (24-hour) or "h:mm am/pm". */
  | 'InvalidTime'
  /** The time zone is not an IANA name Intl knows. */
  | 'InvalidTimezone'
  /** The days are not "daily", "weekdays", "weekends", "mon-fri", "mon,wed,fri", ... */
  | 'InvalidDays'
  /** The topic is empty after trimming or too long. */
  | 'InvalidTopic'
  /** A guild or channel id is not a Discord id. */
  | 'InvalidChannel'
  /** No digest is set up for that channel (in that server). */
  | 'NotSubscribed';

export class DigestError extends Error {
  readonly identifier: DigestErrorId;
  readonly context: Record<string, unknown>;

  constructor(identifier: DigestErrorId, message: string, context: Record<string, unknown> = {}) {
    super(`sitrep digest: ${message}`);
    this.name = 'DigestError';
    this.identifier = identifier;
    this.context = context;
  }
}

export function isDigestError(error: unknown): error is DigestError {
  return error instanceof DigestError;
}

export function needRedis(): DigestError {
  return new DigestError('DigestsNeedRedis', 'digests need REDIS_URL (a Redis server to keep schedules in)', {});
}

export function digestsUnavailable(cause?: string): DigestError {
  return new DigestError('DigestsUnavailable', 'digests are unavailable right now: Redis cannot be reached', cause ? { cause } : {});
}
