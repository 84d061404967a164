import type { CorpusWarning, LoadOptions } from '../corpus/load.js';
import type { Logger } from '../log.js';
import type { Briefing } from './briefing.js';
import { LiveBriefing } from './live.js';

export interface OpenedBriefing {
  briefing: Briefing;
  warnings: CorpusWarning[];
  live: LiveBriefing;
}

export interface OpenOptions extends LoadOptions {
  /** Where analyses are cached between runs (CACHE_DIR); null keeps nothing on disk. */
  cacheDir?: string | null;
  /**
   * Answer from the saved snapshot at once and verify the folder in the
   * background (a long-running bot or console), instead of verifying before
   * answering (one-off CLI commands, the default).
   */
  answerFromSnapshot?: boolean;
}

/** Loads the corpus folder and builds the engine over it; bad files become warnings on the log. */
export async function openBriefing(corpusDir: string, log?: Logger, options: OpenOptions = {}): Promise<OpenedBriefing> {
  // The caller holds the Briefing returned, so the one built is kept (not swapped for its snapshot's).
  const live = new LiveBriefing(corpusDir, { ...options, keepBuilt: true, ...(log ? { log } : {}) });
  if (options.answerFromSnapshot) await live.start();
  else await live.refresh();
  return { briefing: live.briefing, warnings: live.warnings(), live };
}
