/** Test doubles for the digest: a DigestSource over fixed documents, a recording DigestPoster, an engine to swap. */
import type { DigestDocument, DigestSource, DigestWindow } from '../../src/digest/content.js';
import type { LiveEngine } from '../../src/digest/bot-integration.js';
import type { Briefing } from '../../src/engine/briefing.js';
import type { DigestPoster } from '../../src/digest/poster.js';
import type { DigestMessage } from '../../src/bot/render.js';

export function fakeDocument(doc: string, firstSeenMs: number, overrides: Partial<DigestDocument> = {}): DigestDocument {
  return {
    doc,
    title: `Title of ${doc}`,
    outlet: 'Test Outlet',
    published: '2024-03-27',
    url: null,
    firstSeenMs,
    lead: { text: `The opening of ${doc}.`, source: { doc, title: `Title of ${doc}`, outlet: 'Test Outlet', published: '2024-03-27', url: null, start: 0, end: 20, paragraph: 1 } },
    quotes: [],
    events: [],
    ...overrides,
  };
}

/** Serves the documents it holds whose first-seen time falls in the window. */
export class FixedSource implements DigestSource {
  documents: DigestDocument[];
  constructor(documents: DigestDocument[] = []) {
    this.documents = documents;
  }
  async documentsSince(window: DigestWindow): Promise<DigestDocument[]> {
    return this.documents.filter((d) => d.firstSeenMs > window.sinceMs && d.firstSeenMs <= window.untilMs);
  }
}

export interface PostRecord {
  channelId: string;
  payload: DigestMessage;
  nonce: string;
  at: number;
}

/** Records posts; `fail` decides per call whether to throw instead. */
export class RecordingPoster implements DigestPoster {
  readonly posts: PostRecord[] = [];
  fail: ((channelId: string, nonce: string) => unknown | null) | null = null;
  private next = 1;
  async post(channelId: string, payload: DigestMessage, nonce: string): Promise<{ id: string }> {
    const error = this.fail?.(channelId, nonce);
    if (error) throw error;
    this.posts.push({ channelId, payload, nonce, at: Date.now() });
    return { id: String(this.next++) };
  }
}

/** An error shaped like @discordjs/rest's DiscordAPIError. */
export function discordError(status: number, code: number, message: string): Error {
  return Object.assign(new Error(message), { name: 'DiscordAPIError', status, code });
}

export function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, label: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = async (): Promise<void> => {
      try {
        if (await check()) return resolve();
      } catch (error) {
        return reject(error);
      }
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${label}`));
      setTimeout(() => void tick(), 50);
    };
    void tick();
  });
}

/** The local "HH:MM" and second of an instant in a time zone (to subscribe for a slot at that instant). */
export function localTime(ms: number, timeZone: string): { time: string; second: number } {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return { time: `${get('hour')}:${get('minute')}`, second: Number(get('second')) };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Sleeps until the clock reads `atMs`. */
export function sleepUntil(atMs: number): Promise<void> {
  return sleep(Math.max(0, atMs - Date.now()));
}

/** An engine whose snapshot can be swapped, like LiveBriefing after a rescan. */
export class SwappableEngine implements LiveEngine {
  briefing: Briefing;
  private readonly listeners = new Set<(briefing: Briefing) => void>();
  constructor(briefing: Briefing) {
    this.briefing = briefing;
  }
  onChange(listener: (briefing: Briefing) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  swap(briefing: Briefing): void {
    this.briefing = briefing;
    for (const l of this.listeners) l(briefing);
  }
}
