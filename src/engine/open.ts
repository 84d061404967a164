import { loadCorpus, type CorpusWarning, type LoadOptions } from '../corpus/load.js';
import type { Logger } from '../log.js';
import { Briefing } from './briefing.js';

export interface OpenedBriefing {
  briefing: Briefing;
  warnings: CorpusWarning[];
}

/** Loads the corpus folder and builds the engine over it; bad files become warnings on the log. */
export async function openBriefing(corpusDir: string, log?: Logger, options: LoadOptions = {}): Promise<OpenedBriefing> {
  const loaded = await loadCorpus(corpusDir, options);
  for (const warning of loaded.warnings) log?.warn(`${warning.doc}: ${warning.message}`, { component: 'corpus' });
  const briefing = new Briefing(loaded.documents);
  return { briefing, warnings: loaded.warnings };
}
