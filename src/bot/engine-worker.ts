/**
 * Worker thread that does the slow part of building the engine — reading the
 * corpus, analysing every document (names, dates) and indexing the passages —
 * off the bot's main thread, so the gateway connection keeps its heartbeat
 * while the index is built. It posts back plain data (structured-cloneable):
 * the documents, their analyses and the serialised search index; the main
 * thread turns them into a Briefing (src/bot/engine-loader.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadCorpus } from '../corpus/load.js';
import { analyseDocument } from '../analysis/document-analysis.js';
import { SearchIndex } from '../index/search-index.js';
import { isSitrepError } from '../engine/errors.js';
import type { BuildRequest, BuildResult } from './engine-loader.js';

const port = parentPort;
if (!port) throw new Error('engine-worker: run as a worker thread (see src/bot/engine-loader.ts)');
const { corpusDir, fetchedDir } = workerData as BuildRequest;

let result: BuildResult;
try {
  const started = performance.now();
  const loaded = await loadCorpus(corpusDir, { fetchedDir: fetchedDir ?? null });
  const analyses = loaded.documents.map(analyseDocument);
  const index = SearchIndex.build(loaded.documents).toJSON();
  result = { ok: true, documents: loaded.documents, analyses, index, warnings: loaded.warnings, buildMs: Math.round(performance.now() - started) };
} catch (error) {
  result = {
    ok: false,
    error: {
      name: error instanceof Error ? error.name : 'Error',
      message: error instanceof Error ? error.message : String(error),
      stack: error instanceof Error ? error.stack : undefined,
      identifier: isSitrepError(error) ? error.identifier : null,
    },
  };
}
port.postMessage(result);
