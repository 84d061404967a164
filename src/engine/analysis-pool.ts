/**
 * Analysis on every core: a pool of worker threads (src/engine/analysis-worker.ts),
 * each analysing one document at a time. Documents are independent and the
 * analysis of one depends on nothing else, so the results — returned in the
 * order of the input — are the same whatever the pool's size (a test checks
 * one thread against three).
 *
 * The size is `ANALYSIS_THREADS` (validated in src/config.ts), by default
 * `os.availableParallelism()`. Workers start on first use and stop after a
 * while without work, so an idle bot does not keep their memory; one that has
 * analysed RECYCLE_AFTER documents (SMALL_WORK_RECYCLE_AFTER when it was started
 * for a few) is replaced when it is next idle, and one kept busy (a build) is
 * replaced after BUSY_RECYCLE_AFTER.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { CorpusDocument } from '../types.js';
import type { DocumentAnalysis } from '../analysis/document-analysis.js';
import { startWorker } from './worker-start.js';
import type { CacheTarget } from './analysis-cache-file.js';

/** Jobs sent ahead to each worker, so none waits for the next document. */
const IN_FLIGHT_PER_WORKER = 2;
/** How long closing waits for the workers to write the cache entries they hold. */
const CLOSE_FLUSH_MS = 2000;
/** Workers without work for this long are stopped. */
const DEFAULT_IDLE_MS = 30_000;
/**
 * A worker that has analysed this many documents is replaced the next time it has nothing to do.
 * Its old generation grows with what it analysed: garbage V8 has not collected yet, and the
 * analysis's speed caches (words, shapes, names; bounded at 100,000-200,000 entries each), which
 * held 23 MB more after 2,000 BBC articles than after one, measured after a full collection. One
 * thread grew by about 100 MB resident between its 120th and its 2,225th article. A new
 * thread is answering its first document in about 0.25 s, and recycling never interrupts a batch.
 */
const RECYCLE_AFTER = 256;
/**
 * The same for a thread started for a few documents (fetched articles, one at a time). Between
 * articles such a thread is idle, so it is replaced between two of them, after writing what it holds;
 * the next article waits for a new thread's start (about 0.3 s). Alone, a thread added 66 MB resident
 * after its first BBC article, 80 MB after 64 and about 100 MB after 256.
 */
const SMALL_WORK_RECYCLE_AFTER = 64;
/**
 * A thread kept busy (a build: it always has the next document) is given no more after this many and
 * replaced once it has answered the ones it holds; a new one starts beside it at once. Such a thread's
 * heap grew to 250-320 MB over the 11,000 articles each of two threads analysed at BBC ×10 (V8 lets a
 * heap that makes garbage this fast grow to a few times what is live). Replaced after 5,000, the cold
 * build of BBC ×10 peaked at 0.96-1.06 GB resident instead of 1.24-1.38 GB, for about 7% more CPU
 * (a new thread's caches and compiled code start cold); after 2,000, at 0.89-0.99 GB for 25% more.
 */
const BUSY_RECYCLE_AFTER = 5000;
/**
 * V8's young generation for an analysis thread started for a few documents (fetched articles, one
 * at a time), in MB. Analysis makes short-lived garbage fast, and by default a thread's nursery
 * grows to tens of MB. A thread started for a large batch (a build) keeps the default: capping it
 * made analysis slower, about 3% at 16 MB and 7% at 8 MB (BBC x1, two threads, interleaved runs).
 * For one article at a time that cost is a fraction of a millisecond, and the cap keeps the thread
 * about 25 MB smaller.
 */
const SMALL_WORK_YOUNG_GENERATION_MB = 8;
/**
 * A thread started while at most this many documents wait counts as started for a few. (It keeps its
 * limit until it is replaced: a batch that arrives meanwhile runs on it too, a little slower.)
 */
const SMALL_WORK = 4;

/** The pool size: a positive whole number asked for, else one thread per core the process may use. */
export function defaultAnalysisThreads(requested?: number | null): number {
  if (requested !== undefined && requested !== null && Number.isInteger(requested) && requested > 0) return requested;
  return Math.max(1, availableParallelism());
}

interface Job {
  index: number;
  document: CorpusDocument;
  cache: CacheTarget | null;
  tries: number;
  batch: Batch;
}

interface Batch {
  results: (DocumentAnalysis | undefined)[];
  left: number;
  resolve: (analyses: DocumentAnalysis[]) => void;
  reject: (error: Error) => void;
  failed: boolean;
}

interface Slot {
  worker: Worker;
  jobs: Map<number, Job>;
  /** Documents analysed since the worker started. */
  analysed: number;
  /** Flushes asked for and not yet answered, by number. */
  flushes: Map<number, () => void>;
  /** Replaced once idle after this many documents. */
  recycleAfter: number;
  /** Given no more jobs (BUSY_RECYCLE_AFTER): replaced once it has answered the ones it holds. */
  draining: boolean;
}

type Reply = { job: number; analysis: DocumentAnalysis } | { job: number; error: string } | { flushed: number };

export class AnalysisPool {
  readonly size: number;
  private readonly idleMs: number;
  private readonly recycleAfter: number;
  private readonly recycleAfterSmall: number;
  private readonly recycleBusyAfter: number;
  private started = 0;
  private readonly slots: Slot[] = [];
  /** Workers being replaced (RECYCLE_AFTER): writing what they hold for the cache, then stopped. */
  private readonly retiring = new Set<Promise<void>>();
  private readonly queue: Job[] = [];
  private nextJob = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(size?: number | null, options: { idleMs?: number; recycleAfter?: number; recycleAfterSmall?: number; recycleBusyAfter?: number } = {}) {
    this.size = defaultAnalysisThreads(size);
    this.idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
    this.recycleAfter = options.recycleAfter ?? RECYCLE_AFTER;
    this.recycleBusyAfter = Math.max(this.recycleAfter, options.recycleBusyAfter ?? BUSY_RECYCLE_AFTER);
    this.recycleAfterSmall = options.recycleAfterSmall ?? Math.min(this.recycleAfter, SMALL_WORK_RECYCLE_AFTER);
  }

  /** Worker threads started so far (a replaced or restarted one counts again). */
  get workersStarted(): number {
    return this.started;
  }

  /** The young generation (MB) of each running thread: capped for one started for a few documents. */
  get youngGenerationsMb(): number[] {
    return this.slots.map((slot) => slot.worker.resourceLimits?.maxYoungGenerationSizeMb ?? 0);
  }

  /** The analyses of `documents`, in their order; each also written to the analysis cache `options.cache` names, by its worker. */
  analyse(documents: readonly CorpusDocument[], options: { cache?: CacheTarget | null } = {}): Promise<DocumentAnalysis[]> {
    if (this.closed) return Promise.reject(new Error('analysis pool is closed'));
    if (documents.length === 0) return Promise.resolve([]);
    return new Promise<DocumentAnalysis[]>((resolve, reject) => {
      const batch: Batch = { results: new Array(documents.length), left: documents.length, resolve, reject, failed: false };
      documents.forEach((document, index) => this.queue.push({ index, document, cache: options.cache ?? null, tries: 0, batch }));
      this.pump();
    });
  }

  /**
   * Resolves once every worker has written the cache entries it holds (they
   * write in packs: see analysis-worker.ts). A worker that dies meanwhile
   * counts as done (what it held is computed again some day).
   */
  flush(): Promise<void> {
    // Workers being replaced write theirs before they stop (retire): waited for too.
    const retiring = Promise.all(this.retiring);
    return Promise.all(this.slots.map((slot) => this.flushSlot(slot))).then(() => retiring.then(() => undefined));
  }

  /** Resolves once `slot`'s worker has written the cache entries it holds (or has died). */
  private flushSlot(slot: Slot): Promise<void> {
    return new Promise<void>((resolve) => {
      const id = this.nextJob++;
      slot.flushes.set(id, resolve);
      // Waited for, so it keeps the process alive until it answers (an idle worker does not).
      slot.worker.ref();
      slot.worker.postMessage({ flush: id });
    });
  }

  /** Stops every worker; pending batches are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    for (const job of this.queue.splice(0)) this.fail(job.batch, new Error('analysis pool closed'));
    // What the workers computed and hold for the cache is written first (for a moment at most).
    let waited: NodeJS.Timeout | undefined;
    await Promise.race([this.flush(), new Promise<void>((resolve) => (waited = setTimeout(resolve, CLOSE_FLUSH_MS)))]);
    clearTimeout(waited);
    await Promise.all(this.slots.splice(0).map((slot) => this.stopSlot(slot)));
    await Promise.all(this.retiring);
  }

  private fail(batch: Batch, error: Error): void {
    if (batch.failed) return;
    batch.failed = true;
    batch.reject(error);
  }

  private async stopSlot(slot: Slot): Promise<void> {
    slot.worker.removeAllListeners();
    slot.worker.on('error', () => undefined);
    for (const job of slot.jobs.values()) this.fail(job.batch, new Error('analysis pool closed'));
    slot.jobs.clear();
    for (const done of slot.flushes.values()) done();
    slot.flushes.clear();
    await slot.worker.terminate();
  }

  /** Takes an idle worker out of the pool; it writes what it holds for the cache (for a moment at most), then stops. */
  private retire(slot: Slot): void {
    const at = this.slots.indexOf(slot);
    if (at < 0) return;
    this.slots.splice(at, 1);
    let waited: NodeJS.Timeout | undefined;
    const done = Promise.race([this.flushSlot(slot), new Promise<void>((resolve) => (waited = setTimeout(resolve, CLOSE_FLUSH_MS)))])
      .then(() => {
        clearTimeout(waited);
        return this.stopSlot(slot);
      })
      .catch(() => undefined);
    this.retiring.add(done);
    void done.finally(() => this.retiring.delete(done));
  }

  private startSlot(): Slot {
    const small = this.queue.length <= SMALL_WORK;
    const worker = startWorker(import.meta.url, 'analysis-worker', small ? { resourceLimits: { maxYoungGenerationSizeMb: SMALL_WORK_YOUNG_GENERATION_MB } } : {});
    const slot: Slot = { worker, jobs: new Map(), analysed: 0, flushes: new Map(), recycleAfter: small ? this.recycleAfterSmall : this.recycleAfter, draining: false };
    this.started++;
    worker.on('message', (reply: Reply) => {
      if ('flushed' in reply) {
        slot.flushes.get(reply.flushed)?.();
        slot.flushes.delete(reply.flushed);
        if (slot.jobs.size === 0 && slot.flushes.size === 0) slot.worker.unref();
        return;
      }
      const job = slot.jobs.get(reply.job);
      if (!job) return;
      slot.jobs.delete(reply.job);
      // Kept busy past its share: it gets no more, and is replaced once it has answered what it holds (below).
      if (++slot.analysed >= this.recycleBusyAfter && this.queue.length > 0) slot.draining = true;
      if ('error' in reply) this.fail(job.batch, new Error(`analysis failed for ${job.document.doc}: ${reply.error}`));
      else if (!job.batch.failed) {
        job.batch.results[job.index] = reply.analysis;
        if (--job.batch.left === 0) job.batch.resolve(job.batch.results as DocumentAnalysis[]);
      }
      this.pump();
      if (!this.closed && slot.jobs.size === 0 && slot.flushes.size === 0 && slot.analysed >= slot.recycleAfter) this.retire(slot);
    });
    const lost = (error: Error): void => {
      // The worker died: its jobs go back to the queue once, on another worker.
      const at = this.slots.indexOf(slot);
      if (at >= 0) this.slots.splice(at, 1);
      for (const job of slot.jobs.values()) {
        if (job.tries++ >= 1) this.fail(job.batch, error);
        else this.queue.unshift(job);
      }
      slot.jobs.clear();
      for (const done of slot.flushes.values()) done();
      slot.flushes.clear();
      worker.removeAllListeners();
      if (!this.closed) this.pump();
    };
    worker.once('error', lost);
    worker.once('exit', (code) => lost(new Error(`analysis worker stopped (exit code ${code})`)));
    this.slots.push(slot);
    return slot;
  }

  private pump(): void {
    if (this.closed) return;
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    while (this.queue.length > 0) {
      const job = this.queue[0]!;
      if (job.batch.failed) {
        this.queue.shift();
        continue;
      }
      // A draining slot gets no job, and does not count: its replacement starts beside it.
      const active = this.slots.filter((s) => !s.draining);
      let slot = active.find((s) => s.jobs.size === 0) ?? active.find((s) => s.jobs.size < IN_FLIGHT_PER_WORKER);
      if (!slot || (slot.jobs.size > 0 && active.length < this.size)) slot = active.length < this.size ? this.startSlot() : slot;
      if (!slot) break;
      this.queue.shift();
      const id = this.nextJob++;
      slot.jobs.set(id, job);
      slot.worker.postMessage({ job: id, document: job.document, cache: job.cache });
    }
    // A worker with work keeps the process alive; an idle one does not (a one-off command can exit).
    for (const slot of this.slots) {
      if (slot.jobs.size > 0 || slot.flushes.size > 0) slot.worker.ref();
      else slot.worker.unref();
    }
    if (this.queue.length === 0 && this.slots.every((s) => s.jobs.size === 0) && this.slots.length > 0) {
      this.idleTimer = setTimeout(() => {
        this.idleTimer = null;
        for (const slot of this.slots.splice(0)) void this.stopSlot(slot);
      }, this.idleMs);
      this.idleTimer.unref();
    }
  }
}

const shared = new Map<number, AnalysisPool>();

/**
 * The process's pool of a given size, started on first use: every live
 * engine in a process shares it (its workers stop when idle), so their
 * warm-up is paid once.
 */
export function sharedAnalysisPool(size?: number | null): AnalysisPool {
  const threads = defaultAnalysisThreads(size);
  let pool = shared.get(threads);
  if (!pool) {
    pool = new AnalysisPool(threads);
    shared.set(threads, pool);
  }
  return pool;
}
