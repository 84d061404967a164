/**
 * Builds the briefing engine without blocking the gateway: a worker thread
 * (src/bot/engine-worker.ts) reads, analyses and indexes the corpus and posts
 * back plain data (the index's typed arrays transferred, not copied); the main
 * thread revives the search index in steps and assembles the Briefing (the
 * timeline table; the name tables are built on first use), yielding to the
 * event loop between steps.
 *
 * Why not send the Briefing itself: it holds a MiniSearch instance and class
 * instances, which structured clone cannot carry; the documents, analyses and
 * `SearchIndex.toBinary()` are plain data, and reviving them is a small fraction
 * of the build (seed corpus: ~1.5 s in the worker, ~0.1 s on the main thread).
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../engine/worker-start.js';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { CorpusWarning } from '../corpus/load.js';
import type { DocumentAnalysis } from '../analysis/document-analysis.js';
import { SearchIndex, type IndexBinary } from '../index/search-index.js';
import { Briefing } from '../engine/briefing.js';
import { SitrepError, type SitrepErrorId } from '../engine/errors.js';
import type { CorpusDocument } from '../types.js';
import type { Logger } from '../log.js';

export interface BuildRequest {
  corpusDir: string;
  /** FETCHED_DIR, indexed with the corpus (null: `<corpus>/fetched`). */
  fetchedDir?: string | null;
  /** Size of the analysis pool (ANALYSIS_THREADS); null: one per core. */
  analysisThreads: number | null;
}

export type BuildResult =
  | { ok: true; documents: CorpusDocument[]; analyses: DocumentAnalysis[]; index: IndexBinary; warnings: CorpusWarning[]; buildMs: number }
  | { ok: false; error: { name: string; message: string; stack: string | undefined; identifier: SitrepErrorId | null } };

export interface BuiltEngine {
  briefing: Briefing;
  warnings: CorpusWarning[];
  /** Time spent in the worker (load, analyse, index). */
  workerMs: number;
  /** Time the main thread was busy reviving the index and assembling the Briefing. */
  mainThreadMs: number;
}

export interface EngineBuild {
  promise: Promise<BuiltEngine>;
  /** Stops the worker if it is still running (shutdown during start-up); the promise then rejects. */
  cancel(): Promise<void>;
}

/** Starts the engine worker (src/bot/engine-worker.ts) beside this file, from source or built. */
function startEngineWorker(request: BuildRequest): Worker {
  return startWorker(import.meta.url, 'engine-worker', { workerData: request });
}

/** Turns the worker's result into a Briefing on this thread, yielding between steps. */
async function assemble(result: Extract<BuildResult, { ok: true }>): Promise<BuiltEngine> {
  let busy = 0;
  const timed = <T>(step: () => T): T => {
    const started = performance.now();
    try {
      return step();
    } finally {
      busy += performance.now() - started;
    }
  };
  // The index is revived in steps, yielding between them.
  const steps = SearchIndex.restoreSteps(result.index);
  let index: SearchIndex | null = null;
  while (!index) {
    const step = timed(() => steps.next());
    if (step.done) index = step.value;
    else await yieldToEventLoop();
  }
  await yieldToEventLoop();
  // Assembled in slices too (the timeline groups every dated sentence); counted whole, pauses included.
  const started = performance.now();
  const briefing = await Briefing.create(result.documents, index, result.analyses);
  busy += performance.now() - started;
  return { briefing, warnings: result.warnings, workerMs: result.buildMs, mainThreadMs: Math.round(busy) };
}

function errorFrom(failure: Extract<BuildResult, { ok: false }>['error']): Error {
  if (failure.identifier) return new SitrepError(failure.identifier, failure.message.replace(/^sitrep: /, ''));
  const error = new Error(failure.message);
  error.name = failure.name;
  if (failure.stack) error.stack = failure.stack;
  return error;
}

/** Starts building the engine over `corpusDir` in a worker thread; corpus warnings go to the log. */
export function buildEngineOffThread(corpusDir: string, log?: Logger, fetchedDir: string | null = null, analysisThreads: number | null = null): EngineBuild {
  const worker = startEngineWorker({ corpusDir, fetchedDir, analysisThreads });
  let settled = false;
  const promise = new Promise<BuildResult>((resolve, reject) => {
    worker.once('message', (message: BuildResult) => {
      settled = true;
      resolve(message);
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the index worker stopped (exit code ${code}) before it finished`));
    });
  }).then(async (result) => {
    await worker.terminate();
    if (!result.ok) throw errorFrom(result.error);
    for (const warning of result.warnings) log?.warn(`${warning.doc}: ${warning.message}`, { component: 'corpus' });
    return assemble(result);
  });
  return {
    promise,
    async cancel() {
      await worker.terminate();
    },
  };
}
