/**
 * Worker thread of the analysis pool (src/engine/analysis-pool.ts): analyses
 * the documents it is sent, one message per document, and answers each with
 * its analysis and the message's job number, having written the analysis to
 * the cache folder the message names, if any.
 */
import { parentPort } from 'node:worker_threads';
import { analyseDocument } from '../analysis/document-analysis.js';
import type { CorpusDocument } from '../types.js';
import { runInBackground } from './background.js';
import { writeCacheEntrySync, type CacheTarget } from './analysis-cache-file.js';

runInBackground();

const port = parentPort;
if (!port) throw new Error('analysis-worker: run as a worker thread (see src/engine/analysis-pool.ts)');
port.on('message', (message: { job: number; document: CorpusDocument; cache: CacheTarget | null }) => {
  try {
    const analysis = analyseDocument(message.document);
    // The cache entry is written here, off the main thread (a failed write only means it is computed again some day).
    if (message.cache) writeCacheEntrySync(message.cache, message.document.hash, analysis);
    port.postMessage({ job: message.job, analysis });
  } catch (error) {
    port.postMessage({ job: message.job, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
});
