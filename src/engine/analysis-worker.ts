/**
 * Worker thread of the analysis pool (src/engine/analysis-pool.ts): analyses
 * the documents it is sent, one message per document, and answers each with
 * its analysis and the message's job number. The analyses for the cache
 * folder a message names are written there in packs (src/engine/analysis-cache-file.ts):
 * when PACK_ENTRIES are waiting, when the pool asks (`{ flush }`, answered
 * with `{ flushed }` once written), and a moment after the last job.
 */
import { parentPort } from 'node:worker_threads';
import { analyseDocument, type DocumentAnalysis } from '../analysis/document-analysis.js';
import type { CorpusDocument } from '../types.js';
import { runInBackground } from './background.js';
import { writeCachePackSync, type CacheTarget } from './analysis-cache-file.js';

runInBackground();

/** Entries written in one pack at most. */
const PACK_ENTRIES = 64;
/** Waiting entries are written this long after the last job, if nothing asked before. */
const IDLE_FLUSH_MS = 200;

const port = parentPort;
if (!port) throw new Error('analysis-worker: run as a worker thread (see src/engine/analysis-pool.ts)');

const waiting = new Map<string, { target: CacheTarget; entries: { hash: string; analysis: DocumentAnalysis }[] }>();
let waitingCount = 0;
let idleTimer: NodeJS.Timeout | null = null;

/** Writes what waits (a failed write only means it is computed again some day). */
function flush(): void {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  for (const { target, entries } of waiting.values()) writeCachePackSync(target, entries);
  waiting.clear();
  waitingCount = 0;
}

type Message = { job: number; document: CorpusDocument; cache: CacheTarget | null } | { flush: number };

port.on('message', (message: Message) => {
  if ('flush' in message) {
    flush();
    port.postMessage({ flushed: message.flush });
    return;
  }
  try {
    const analysis = analyseDocument(message.document);
    if (message.cache) {
      const key = `${message.cache.dir}\u0000${message.cache.version}`;
      let group = waiting.get(key);
      if (!group) waiting.set(key, (group = { target: message.cache, entries: [] }));
      group.entries.push({ hash: message.document.hash, analysis });
      if (++waitingCount >= PACK_ENTRIES) flush();
      else {
        if (idleTimer) clearTimeout(idleTimer);
        idleTimer = setTimeout(flush, IDLE_FLUSH_MS);
      }
    }
    port.postMessage({ job: message.job, analysis });
  } catch (error) {
    port.postMessage({ job: message.job, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
});
