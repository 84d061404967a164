/**
 * Why an address, a page, a file or a feed did not become an article. Each
 * error carries an identifier and context; `reasonFor` turns it into the one
 * sentence the CLI's `skipped[].reason`, `feeds list` and the Discord answers
 * show ("that address is a private network", "not an article: fewer than 50
 * words of text", "already in the sources as …").
 */
export type SourceErrorId =
  | 'BadAddress'
  | 'PrivateAddress'
  | 'RobotsDisallowed'
  | 'HttpStatus'
  | 'RateLimited'
  | 'TooManyRedirects'
  | 'Timeout'
  | 'TooLarge'
  | 'WrongContentType'
  | 'Network'
  | 'NotAnArticle'
  | 'NotAFeed'
  | 'Duplicate'
  | 'CannotStore'
  | 'UnreadableFile'
  | 'FeedExists'
  | 'FeedNotFound'
  | 'NotYourFeed'
  | 'InvalidInterval'
  | 'ArticleNotFound';

export class SourceError extends Error {
  readonly identifier: SourceErrorId;
  readonly context: Record<string, unknown>;

  constructor(identifier: SourceErrorId, message: string, context: Record<string, unknown> = {}) {
    super(`sitrep: ${message}`);
    this.name = 'SourceError';
    this.identifier = identifier;
    this.context = context;
  }
}

export function isSourceError(error: unknown): error is SourceError {
  return error instanceof SourceError;
}

/** The sentence saying why, for any error met while adding or polling (a bug's message is kept short). */
export function reasonFor(error: unknown): string {
  if (isSourceError(error)) return error.message.replace(/^sitrep: /, '');
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string') return `network error (${code})`;
  return `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
}
