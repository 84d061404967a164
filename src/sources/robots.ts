/**
 * robots.txt for article pages (RFC 9309), read with robots-parser and kept
 * per site for an hour. A missing file (4xx) allows everything; a site whose
 * robots.txt cannot be fetched (5xx, network error, too many requests) is
 * treated as disallowing everything until the next try, as the RFC says.
 * Feeds are not checked: a feed is published to be polled.
 */
import robotsParserModule from 'robots-parser';
import { SourceError, isSourceError } from './errors.js';
import type { Fetcher } from './http.js';

/** The product token Sitrep's rules are matched against. */
export const ROBOTS_AGENT = 'Sitrep';
const CACHE_MS = 60 * 60 * 1000;
/** A robots.txt that could not be fetched is tried again after this long. */
const UNREACHABLE_CACHE_MS = 5 * 60 * 1000;
const MAX_ROBOTS_BYTES = 512 * 1024;

interface Robot {
  isAllowed(url: string, ua?: string): boolean | undefined;
}
// The package is CommonJS (`module.exports = function`); its typings describe an ES default export.
const robotsParser = robotsParserModule as unknown as (url: string, contents: string) => Robot;

interface RobotsEntry {
  until: number;
  /** null: unreachable, everything disallowed for now. */
  rules: Robot | null;
  why?: string;
}

export class RobotsRules {
  private readonly byOrigin = new Map<string, RobotsEntry>();
  constructor(private readonly fetcher: Fetcher) {}

  /** Throws SourceError('RobotsDisallowed') when the site's robots.txt keeps Sitrep off `url`. */
  async assertAllowed(url: string): Promise<void> {
    const origin = new URL(url).origin;
    let entry = this.byOrigin.get(origin);
    if (!entry || entry.until < Date.now()) {
      entry = await this.load(origin);
      this.byOrigin.set(origin, entry);
    }
    if (!entry.rules) {
      throw new SourceError('RobotsDisallowed', `${new URL(url).host}'s robots.txt could not be read (${entry.why ?? 'unreachable'}), so its pages are not fetched for now`, { url });
    }
    if (entry.rules.isAllowed(url, ROBOTS_AGENT) === false) {
      throw new SourceError('RobotsDisallowed', `${new URL(url).host}'s robots.txt does not allow Sitrep to fetch that page`, { url });
    }
  }

  private async load(origin: string): Promise<RobotsEntry> {
    const robotsUrl = `${origin}/robots.txt`;
    try {
      const response = await this.fetcher.get({ url: robotsUrl, accept: 'text/plain, */*;q=0.1', maxBytes: MAX_ROBOTS_BYTES });
      return { until: Date.now() + CACHE_MS, rules: robotsParser(robotsUrl, response.body.toString('utf8')) };
    } catch (error) {
      if (isSourceError(error)) {
        const status = error.context.status;
        if (error.identifier === 'HttpStatus' && typeof status === 'number' && status >= 400 && status < 500) {
          return { until: Date.now() + CACHE_MS, rules: robotsParser(robotsUrl, '') };
        }
        // A refused address is the page's own problem: say that, not "robots.txt unreachable".
        if (error.identifier === 'PrivateAddress' || error.identifier === 'BadAddress') throw error;
        if (error.identifier === 'TooLarge') return { until: Date.now() + CACHE_MS, rules: robotsParser(robotsUrl, '') };
      }
      return { until: Date.now() + UNREACHABLE_CACHE_MS, rules: null, why: error instanceof Error ? error.message.replace(/^sitrep: /, '') : String(error) };
    }
  }
}
