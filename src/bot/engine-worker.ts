/**
 * Worker thread that does the slow part of building the engine — reading the
 * corpus, analysing every document (names, dates) and indexing the passages —
 * off the bot's main thread (the analysis itself in a pool of threads, one per core), so the gateway connection keeps its heartbeat
 * while the index is built. It posts back plain data (structured-cloneable):
 * the documents, their analyses and the search index's typed arrays (transferred); the main
 * thread turns them into a Briefing (src/bot/engine-loader.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadCorpus } from '../corpus/load.js';
import { AnalysisPool } from '../engine/analysis-pool.js';
import { analyseDocument, type DocumentAnalysis } from '../analysis/document-analysis.js';
import { BINARY_ARRAYS, SearchIndex, type IndexBinary } from '../index/search-index.js';
import { isSitrepError } from '../engine/errors.js';
import type { BuildRequest, BuildResult } from './engine-loader.js';
import { runInBackground } from '../engine/background.js';

// The cold build runs beside the gateway and the "still loading" answers; the pool's threads lower their own.
runInBackground();

/** Below this many documents, analysis runs in this thread. */
const POOL_MIN_DOCUMENTS = 16;

const port = parentPort;
if (!port) throw new Error('engine-worker: run as a worker thread (see src/bot/engine-loader.ts)');
const { corpusDir, fetchedDir, analysisThreads } = workerData as BuildRequest;

let result: BuildResult;
try {
  const started = performance.now();
  const loaded = await loadCorpus(corpusDir, { fetchedDir: fetchedDir ?? null });
  // Analysis on every core (a pool of threads) while the index is built here; a handful of
  // documents is analysed here too (starting threads would take longer than the work).
  let analyses: DocumentAnalysis[];
  let index: IndexBinary;
  if (loaded.documents.length < POOL_MIN_DOCUMENTS) {
    analyses = loaded.documents.map(analyseDocument);
    index = SearchIndex.build(loaded.documents).toBinary();
  } else {
    const pool = new AnalysisPool(analysisThreads);
    const analysing = pool.analyse(loaded.documents);
    analysing.catch(() => undefined);
    index = SearchIndex.build(loaded.documents).toBinary();
    analyses = await analysing.finally(() => pool.close());
  }
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
// The index's typed arrays are handed over, not copied.
port.postMessage(result, result.ok ? BINARY_ARRAYS.map((name) => result.index[name].buffer as ArrayBuffer) : []);
