/**
 * Worker thread of the analysis pool (src/engine/analysis-pool.ts): analyses
 * the documents it is sent, one message per document, and answers each with
 * its analysis and the message's job number.
 */
import { parentPort } from 'node:worker_threads';
import { analyseDocument } from '../analysis/document-analysis.js';
import type { CorpusDocument } from '../types.js';
import { runInBackground } from './background.js';

runInBackground();

const port = parentPort;
if (!port) throw new Error('analysis-worker: run as a worker thread (see src/engine/analysis-pool.ts)');
port.on('message', (message: { job: number; document: CorpusDocument }) => {
  try {
    port.postMessage({ job: message.job, analysis: analyseDocument(message.document) });
  } catch (error) {
    port.postMessage({ job: message.job, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
});
