/**
 * Errors the user should see carry an identifier and context; only the front
 * ends (CLI, Discord renderer) turn identifiers into words. Anything else that
 * is thrown is a bug: logged, and answered with a short apology.
 */
export type SitrepErrorId =
  | 'CorpusMissing'
  | 'EmptyQuery'
  | 'NothingToSearch'
  | 'InvalidDate'
  | 'InvalidDateRange'
  | 'InvalidOption';

export class SitrepError extends Error {
  readonly identifier: SitrepErrorId;
  readonly context: Record<string, unknown>;

  constructor(identifier: SitrepErrorId, message: string, context: Record<string, unknown> = {}) {
    super(`sitrep: ${message}`);
    this.name = 'SitrepError';
    this.identifier = identifier;
    this.context = context;
  }
}

export function isSitrepError(error: unknown): error is SitrepError {
  return error instanceof SitrepError;
}
