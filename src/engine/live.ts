/**
 * The engine as a running bot holds it: the current Briefing, replaced by
 * the next one when documents come or go — never rebuilt from scratch for a
 * few files.
 *
 * - **First build** (no saved state): every file is read, analysed by the
 *   worker pool (src/engine/analysis-pool.ts, one thread per core), indexed
 *   off the event loop, and saved as a snapshot.
 * - **Start from saved state** (`start()`): the snapshot is read and decoded
 *   in slices (src/engine/snapshot.ts), then the folder is verified in the
 *   background: the first rescan compares every file's path, size and
 *   modification time with what the snapshot was built from.
 * - **Changes** (`addFiles(paths)` for articles fetched by the bot, the
 *   periodic rescan for files dropped in by hand): only the changed files
 *   are read and only new content is analysed (by content hash, cached on
 *   disk); the Briefing is derived from the current one
 *   (`Briefing.withChanges`): new documents are appended, their passages go
 *   into a small second index segment, the timeline takes their events in
 *   place. The current Briefing answers until the swap.
 * - **Merge**: once the second segment is large (or after a quiet minute),
 *   the index is rebuilt in one segment in a worker thread and swapped in;
 *   then the snapshot is saved again.
 *
 * Saving never leaves a half-written snapshot (temporary file, fsync,
 * rename); `close()` waits for a save in progress, so a SIGTERM during one
 * finishes it.
 */
import { mkdir, rm, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { CorpusDocument } from '../types.js';
import type { DocumentAnalysis } from '../analysis/document-analysis.js';
import { assertCorpusFolder, listCorpusFiles, readCorpusFile, type CorpusWarning, type LoadOptions } from '../corpus/load.js';
import { withDocumentPaths } from '../corpus/document.js';
import type { Logger } from '../log.js';
import { SearchIndex } from '../index/search-index.js';
import { ANALYSIS_VERSION, AnalysisCache } from './analysis-cache.js';
import { sharedAnalysisPool, type AnalysisPool } from './analysis-pool.js';
import { Briefing, type AddedDocument } from './briefing.js';
import { readSavedDocuments, readSnapshot, releaseHeldTexts, removeStaleTemporaries, SnapshotDocument, SnapshotSuperseded, SNAPSHOT_FILE, writeSnapshot, type SnapshotExpectation, type SnapshotFile } from './snapshot.js';

interface FileState {
  size: number;
  mtimeMs: number;
  /** Content hash of the document read from the file (null: skipped). */
  hash: string | null;
  warnings: string[];
}

export interface RefreshOutcome {
  changed: boolean;
  added: string[];
  updated: string[];
  removed: string[];
  analysed: number;
}

export interface LiveBriefingOptions extends LoadOptions {
  cacheDir?: string | null;
  log?: Logger;
  /** Threads analysing documents (ANALYSIS_THREADS); null or absent: one per core. */
  analysisThreads?: number | null;
  /** A second index segment is merged after this long without changes (default one minute), sooner when it is large. */
  mergeDelayMs?: number;
  /**
   * Keep answering from a Briefing built here once it is saved, instead of from its snapshot (the same
   * answers in about half the memory: see answerFromSaved, the default). For callers that hold the
   * Briefing itself rather than following the engine (one-off commands), and tests that compare a
   * built Briefing with its saved one.
   */
  keepBuilt?: boolean;
  /** Reads a saved snapshot's documents for answerFromSaved (default: readSavedDocuments; tests wrap it to hold the read). */
  readSavedDocuments?: typeof readSavedDocuments;
}

/** A document's analysis, and whether it was computed (not found in the cache). */
type Analysed = { analysis: DocumentAnalysis; computed: boolean };

/** A file read for a change: its state and the document it holds (null: skipped). */
interface ReadFile {
  state: FileState;
  document: CorpusDocument | null;
}

const DEFAULT_MERGE_DELAY_MS = 60_000;
/** Indexes below this many passages are merged as soon as they change. */
const SMALL_INDEX_PASSAGES = 4000;

export class LiveBriefing {
  readonly corpusDir: string;
  private current: Briefing | null = null;
  private readonly files = new Map<string, FileState>();
  private readonly cache: AnalysisCache;
  private readonly log: Logger | undefined;
  private readonly options: LoadOptions;
  private readonly threads: number | null;
  private readonly mergeDelayMs: number;
  private pool: AnalysisPool | null = null;
  /** Every change (rescan, addFiles, merge) runs after the previous one. */
  private queue: Promise<unknown> = Promise.resolve();
  private refreshing: Promise<RefreshOutcome> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private mergeTimer: NodeJS.Timeout | null = null;
  private saving: Promise<void> | null = null;
  /** The autocomplete table being made after a change, if it is. */
  private completing: Promise<void> = Promise.resolve();
  /** Briefings that hold documents built here (not read from a snapshot), and those derived from them: see answerFromSaved. */
  private readonly materialised = new WeakSet<Briefing>();
  private readonly keepBuilt: boolean;
  private readonly readSaved: typeof readSavedDocuments;
  /** Swapping a built Briefing for its snapshot's (answerFromSaved). */
  private compacting: Promise<void> = Promise.resolve();
  private closed = false;
  /** Counts swaps, so a merge built from an older Briefing is not swapped in. */
  private generation = 0;
  private readonly listeners = new Set<(briefing: Briefing, outcome: RefreshOutcome) => void>();
  private readonly cacheDir: string | null;
  private snapshotTried = false;
  /** The background read of the snapshot's remaining sections. */
  private rest: Promise<void> = Promise.resolve();
  /** Where the current Briefing came from: the saved file, or a build or change here (also once a build's own snapshot answers for it: answerFromSaved). */
  source: 'saved' | 'built' | null = null;

  constructor(corpusDir: string, options: LiveBriefingOptions = {}) {
    this.corpusDir = corpusDir;
    this.cacheDir = options.cacheDir ?? null;
    this.cache = new AnalysisCache(this.cacheDir);
    this.log = options.log;
    this.options = {
      ...(options.maxFileBytes === undefined ? {} : { maxFileBytes: options.maxFileBytes }),
      ...(options.fetchedDir ? { fetchedDir: options.fetchedDir } : {}),
    };
    this.threads = options.analysisThreads ?? null;
    this.mergeDelayMs = options.mergeDelayMs ?? DEFAULT_MERGE_DELAY_MS;
    this.keepBuilt = options.keepBuilt ?? false;
    this.readSaved = options.readSavedDocuments ?? readSavedDocuments;
  }

  /** The current Briefing; throws before the first load has finished. */
  get briefing(): Briefing {
    if (!this.current) throw new Error('sitrep: the corpus is not loaded yet');
    return this.current;
  }

  get ready(): boolean {
    return this.current !== null;
  }

  /** Resolves once no snapshot is being written. */
  async saved(): Promise<void> {
    while (this.saving) await this.saving;
  }

  /**
   * Resolves once no change, index merge, snapshot save or autocomplete table is being made or
   * queued (a merge due now included): for measuring what the engine keeps, apart from what work in
   * flight holds.
   */
  async idle(): Promise<void> {
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      const queue = this.queue;
      const completing = this.completing;
      const compacting = this.compacting;
      await queue;
      await this.saved();
      await completing;
      await compacting;
      if (queue === this.queue && completing === this.completing && compacting === this.compacting && !this.saving && !(this.mergeTimer && this.current?.index.mergeDue)) return;
      if (this.mergeTimer && this.current?.index.mergeDue) await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** True while a snapshot is being written. */
  get saveInProgress(): boolean {
    return this.saving !== null;
  }

  /** Called after each swap to a new Briefing. */
  onChange(listener: (briefing: Briefing, outcome: RefreshOutcome) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private analysisPool(): AnalysisPool {
    this.pool ??= sharedAnalysisPool(this.threads);
    return this.pool;
  }

  /** Runs `work` after every change queued before it. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private swap(next: Briefing, outcome: RefreshOutcome, source: 'saved' | 'built'): void {
    this.current = next;
    this.source = source;
    this.generation++;
    for (const listener of this.listeners) listener(next, outcome);
  }

  /**
   * Takes a Briefing built elsewhere (the bot builds its first one in a worker
   * thread) as the current one, noting each file's size and time so the next
   * rescan only looks at what changed since. `skipped` are the files the build
   * passed over, with why, so they are not read again until they change.
   */
  async adopt(briefing: Briefing, skipped: readonly CorpusWarning[] = []): Promise<void> {
    const note = async (path: string, hash: string | null, warnings: string[]): Promise<void> => {
      const info = await stat(join(this.corpusDir, path)).catch(() => null);
      if (info) this.files.set(path, { size: info.size, mtimeMs: info.mtimeMs, hash, warnings });
    };
    for (const document of briefing.documents) {
      for (const path of document.paths) await note(path, document.hash, []);
    }
    for (const warning of skipped) {
      if (!this.files.has(warning.doc)) await note(warning.doc, null, [warning.message]);
    }
    this.materialised.add(briefing);
    this.swap(briefing, { changed: true, added: [], updated: [], removed: [], analysed: 0 }, 'built');
    // Saved for the next start; answering does not wait for it.
    this.save();
  }

  /**
   * Answers from the saved snapshot when there is a valid one, verifying the
   * folder in the background; false (and nothing changed) when there is none.
   * The snapshot is looked for once, unless `again` (waiting for another
   * process to write it).
   */
  async startFromSnapshot(options: { again?: boolean } = {}): Promise<boolean> {
    if (options.again && !this.current) this.snapshotTried = false;
    if (this.current || !(await this.loadSnapshot())) return false;
    this.refresh().catch((error: unknown) => this.log?.error('corpus verification failed', { component: 'corpus', error }));
    return true;
  }

  /**
   * Gets ready to answer as soon as possible: from the saved snapshot when
   * there is a valid one — the folder is then verified in the background
   * (`refresh()` returns that verification while it runs) — else by a full
   * load. Resolves once `briefing` can be used.
   */
  async start(): Promise<void> {
    if (this.current) return;
    if (await this.startFromSnapshot()) return;
    await this.refresh();
  }

  /** Rescans the folder; applies what changed. Calls never overlap. */
  refresh(): Promise<RefreshOutcome> {
    this.refreshing ??= this.serial(() => this.rescan()).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /**
   * Adds (or updates) files of the corpus folder — articles the bot has just
   * stored there — without waiting for a rescan. Paths are relative to the
   * corpus folder (or absolute inside it); a path that no longer exists is
   * removed. Resolves once the new documents are answerable.
   */
  addFiles(paths: readonly string[]): Promise<RefreshOutcome> {
    return this.serial(async () => {
      if (!this.current) return this.rescan();
      const wanted = new Set<string>();
      for (const path of paths) {
        const inside = isAbsolute(path) ? relative(resolve(this.corpusDir), path) : path;
        if (inside.startsWith('..') || isAbsolute(inside)) throw new Error(`sitrep: ${path} is not inside the corpus folder ${this.corpusDir}`);
        wanted.add(inside.split(sep).join('/'));
      }
      const outcome: RefreshOutcome = { changed: false, added: [], updated: [], removed: [], analysed: 0 };
      const read = new Map<string, ReadFile>();
      for (const path of [...wanted].sort()) {
        const info = await stat(join(this.corpusDir, path)).catch(() => null);
        if (!info?.isFile()) {
          if (this.files.has(path)) outcome.removed.push(path);
          continue;
        }
        await this.readChanged(path, info, read, outcome);
      }
      return this.applyChanges(read, outcome);
    });
  }

  /** Rescans every `intervalMs` until `stop()`. */
  watch(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(() => {
      this.refresh().catch((error: unknown) => this.log?.error('corpus rescan failed', { component: 'corpus', error }));
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Stops rescans and merges; waits for a snapshot being written to be complete. (The shared analysis threads stop by themselves when idle.) */
  async close(): Promise<void> {
    this.closed = true;
    this.stop();
    if (this.mergeTimer) clearTimeout(this.mergeTimer);
    this.mergeTimer = null;
    await this.rest;
    await this.saving;
    // A swap to the saved snapshot in progress gives up at its next step (and closes the file it read).
    await this.compacting;
  }

  private expectation(): SnapshotExpectation {
    return {
      corpusDir: resolve(this.corpusDir),
      analysisVersion: ANALYSIS_VERSION,
      loadOptions: JSON.stringify({ maxFileBytes: this.options.maxFileBytes ?? null, ...(this.options.fetchedDir ? { fetchedDir: resolve(this.options.fetchedDir) } : {}) }),
    };
  }

  /** Answers from the saved snapshot, if there is a valid one; the files it lists are what the next rescan compares against. */
  private async loadSnapshot(): Promise<boolean> {
    if (this.snapshotTried || !this.cacheDir || this.current) return false;
    this.snapshotTried = true;
    const started = performance.now();
    const path = join(this.cacheDir, SNAPSHOT_FILE);
    await removeStaleTemporaries(path);
    const snapshot = await readSnapshot(path, this.expectation());
    if (!snapshot || this.current) return false;
    const { documents } = snapshot.briefing;
    this.files.clear();
    for (const file of snapshot.files) {
      const hash = file.document >= 0 ? documents[file.document]?.hash ?? null : null;
      this.files.set(file.path, { size: file.size, mtimeMs: file.mtimeMs, hash, warnings: file.warnings });
    }
    this.swap(snapshot.briefing, { changed: true, added: [], updated: [], removed: [], analysed: 0 }, 'saved');
    this.log?.info('corpus loaded from the saved snapshot', { component: 'corpus', documents: documents.length, ms: Math.round(performance.now() - started) });
    // What the first answers did not need (structure, analyses, timeline, entity table) is read now, in slices.
    // A section found damaged then: the snapshot is dropped and the corpus built again from its files.
    this.rest = snapshot.loadRest().catch((error: unknown) => {
      this.log?.error('the saved snapshot is damaged; building the corpus again', { component: 'corpus', error: String(error) });
      void rm(path, { force: true });
      this.rebuildAll().catch((failure: unknown) => this.log?.error('corpus build failed', { component: 'corpus', error: failure }));
    });
    return true;
  }

  /**
   * Builds the current Briefing's entity and quotation tables now (they are
   * otherwise built on first use), in slices that yield to the event loop. Resolves
   * when done; a newer Briefing swapped in meanwhile is warmed instead. The /who
   * answers of the most mentioned names are then made in the background (`idle()`
   * waits for them).
   */
  async warm(): Promise<void> {
    for (;;) {
      const briefing = this.current;
      if (!briefing) return;
      if (!(await this.prepareTables(briefing, () => this.current === briefing))) continue;
      // The answers of the most mentioned names are made next, in the background (idle() waits for them).
      this.completing = this.completing
        .then(() => briefing.prepareAnswers())
        .catch((error: unknown) => this.log?.warn('could not prepare /who answers', { component: 'corpus', error: String(error) }))
        // The start's work is done: a snapshot's texts are read from its file from now on.
        .finally(() => releaseHeldTexts(briefing.documents));
      return;
    }
  }

  /**
   * Builds a Briefing's entity and quotation tables in slices; false when
   * `wanted()` turned false on the way (the work is given up).
   */
  private async prepareTables(briefing: Briefing, wanted: () => boolean): Promise<boolean> {
    if (briefing.tablesReady) return true;
    let last = performance.now();
    // Quotations are read in slices first (the quotation table needs them all); entities are read as the table needs them.
    for (let i = 0; i < briefing.documents.length; i++) {
      void briefing.quotesByDoc[i];
      if (performance.now() - last >= 8) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        last = performance.now();
      }
    }
    if (!wanted()) return false;
    await briefing.prepareEntities();
    return wanted();
  }

  /**
   * A Briefing built here holds every document's text, structure and analysis as objects (at BBC ×10,
   * 630 MB of heap after a first build; an article added since costs about 45 KB against 14 KB for
   * one read from a snapshot). Once it is saved, it takes the saved documents and entity lists in
   * place of its own (Briefing.rebased): its index and tables are kept, the answers are the same
   * (the snapshot tests check it), and the documents are held as a restart would hold them. Given
   * up when the corpus changes meanwhile (the next save tries again).
   */
  private answerFromSaved(built: Briefing): void {
    if (!this.cacheDir || this.closed) return;
    const path = join(this.cacheDir, SNAPSHOT_FILE);
    const wanted = (): boolean => this.current === built && !this.closed;
    this.compacting = this.compacting
      .then(async () => {
        if (!wanted()) return;
        const saved = await this.readSaved(path, this.expectation());
        // The file holds this Briefing's documents unless another save followed a change (which gives this up).
        const same = saved !== null && saved.documents.length === built.documents.length && saved.documents.every((d, i) => d.hash === built.documents[i]!.hash);
        if (!saved || !same || !wanted()) return;
        this.swap(built.rebased(saved.documents, saved.entitiesByDoc), { changed: false, added: [], updated: [], removed: [], analysed: 0 }, this.source ?? 'built');
        this.log?.debug('answering from the saved documents of the build', { component: 'corpus', documents: saved.documents.length });
      })
      .catch((error: unknown) => this.log?.warn('could not answer from the saved snapshot; the built corpus answers', { component: 'corpus', error: String(error) }));
  }

  /** Saves the current Briefing as the snapshot, in the background (one save at a time; skipped while the index has two segments). */
  private save(): void {
    const briefing = this.current;
    if (!this.cacheDir || !briefing || briefing.index.segmented || this.closed) return;
    const previous = this.saving ?? Promise.resolve();
    const run = previous.then(async () => {
      if (this.current !== briefing) return; // a newer state will be saved instead
      const position = new Map(briefing.documents.map((d, i) => [d.hash, i]));
      const files: SnapshotFile[] = [...this.files.entries()].map(([path, state]) => ({
        path,
        size: state.size,
        mtimeMs: state.mtimeMs,
        document: state.hash ? position.get(state.hash) ?? -1 : -1,
        warnings: state.warnings,
      }));
      await mkdir(this.cacheDir!, { recursive: true });
      await writeSnapshot(join(this.cacheDir!, SNAPSHOT_FILE), { ...this.expectation(), files, briefing });
      if (!this.keepBuilt && this.materialised.has(briefing) && this.current === briefing) this.answerFromSaved(briefing);
    });
    const tracked: Promise<void> = run
      .catch((error: unknown) => {
        // Superseded: the engine changed while the snapshot was taken. The previous snapshot stays until the next save
        // (a restart from it applies what changed since, as after any stop).
        if (error instanceof SnapshotSuperseded) this.log?.debug('snapshot given up: the corpus changed meanwhile', { component: 'corpus' });
        else this.log?.warn('could not save the snapshot', { component: 'corpus', error: String(error) });
      })
      .finally(() => {
        if (this.saving === tracked) this.saving = null;
      });
    this.saving = tracked;
  }

  /** Reads a new or changed file into `read` (unless its content is what the engine already holds). */
  private async readChanged(path: string, info: { size: number; mtimeMs: number }, read: Map<string, ReadFile>, outcome: RefreshOutcome): Promise<void> {
    const known = this.files.get(path);
    const { document, warnings } = await readCorpusFile(this.corpusDir, path, this.options, info);
    for (const message of warnings) this.log?.warn(`${path}: ${message}`, { component: 'corpus' });
    const state: FileState = { size: info.size, mtimeMs: info.mtimeMs, hash: document?.hash ?? null, warnings };
    if (known && known.hash === state.hash) {
      this.files.set(path, state);
      return;
    }
    (known ? outcome.updated : outcome.added).push(path);
    read.set(path, { state, document: document ?? null });
  }

  private async rescan(): Promise<RefreshOutcome> {
    await this.loadSnapshot();
    await assertCorpusFolder(this.corpusDir);
    const { files: paths, warnings: pageWarnings } = await listCorpusFiles(this.corpusDir, this.options);
    for (const { doc, message } of pageWarnings) this.log?.warn(`${doc}: ${message}`, { component: 'corpus' });
    const outcome: RefreshOutcome = { changed: false, added: [], updated: [], removed: [], analysed: 0 };
    const seen = new Set(paths);
    for (const path of this.files.keys()) if (!seen.has(path)) outcome.removed.push(path);
    const read = new Map<string, ReadFile>();
    // A first build hands each document to the analysis pool as soon as it is read: reading and analysing overlap.
    const early = this.current ? null : new Map<string, Promise<Analysed>>();
    for (const path of paths) {
      const info = await stat(join(this.corpusDir, path)).catch(() => null);
      if (!info) continue;
      const known = this.files.get(path);
      if (known && known.size === info.size && known.mtimeMs === info.mtimeMs) continue;
      await this.readChanged(path, info, read, outcome);
      const document = early && read.get(path)?.document;
      if (document && !early.has(document.hash)) {
        const analysed = this.cache.analyseOne(document, this.analysisPool());
        analysed.catch(() => undefined); // awaited by build(); not left unhandled if reading fails first
        early.set(document.hash, analysed);
      }
    }
    return this.current ? this.applyChanges(read, outcome) : this.build(read, outcome, early ?? new Map());
  }

  /** Builds the engine again from every file (the current one answers until the swap). */
  private rebuildAll(): Promise<RefreshOutcome> {
    return this.serial(async () => {
      this.files.clear();
      const { files: paths } = await listCorpusFiles(this.corpusDir, this.options);
      const outcome: RefreshOutcome = { changed: false, added: [], updated: [], removed: [], analysed: 0 };
      const read = new Map<string, ReadFile>();
      for (const path of paths) {
        const info = await stat(join(this.corpusDir, path)).catch(() => null);
        if (info) await this.readChanged(path, info, read, outcome);
      }
      return this.build(read, outcome);
    });
  }

  /** The first build: every document analysed (by the pool) and indexed. */
  private async build(read: Map<string, ReadFile>, outcome: RefreshOutcome, early: ReadonlyMap<string, Promise<Analysed>> = new Map()): Promise<RefreshOutcome> {
    for (const path of outcome.removed) this.files.delete(path);
    for (const [path, { state }] of read) this.files.set(path, state);
    // Identical files are one document listing every path, as in loadCorpus.
    const byHash = new Map<string, CorpusDocument>();
    const documents: CorpusDocument[] = [];
    for (const path of [...read.keys()].sort()) {
      const document = read.get(path)!.document;
      if (!document) continue;
      const twin = byHash.get(document.hash);
      if (twin) {
        twin.paths.push(path);
        continue;
      }
      const copy = withDocumentPaths(document, [path]);
      byHash.set(copy.hash, copy);
      documents.push(copy);
    }
    // The index does not need the analyses: it is built (its own worker, and slices here) while the pool analyses.
    const analysing = Promise.all(documents.map((d) => early.get(d.hash) ?? this.cache.analyseOne(d, this.analysisPool())));
    const [results, index] = await Promise.all([analysing, SearchIndex.buildAsync(documents)]);
    // The analysis threads write the cache entries in packs: the last ones are written while the tables are made.
    const written = this.cache.written(this.pool);
    this.cache.forget();
    const analyses = results.map((r) => r.analysis);
    outcome.analysed = results.filter((r) => r.computed).length;
    outcome.changed = true;
    const built = await Briefing.create(documents, index, analyses);
    this.materialised.add(built);
    this.swap(built, outcome, 'built');
    this.log?.info('corpus loaded', { component: 'corpus', documents: documents.length, analysed: outcome.analysed });
    this.save();
    await Promise.all([this.saving, written]);
    return outcome;
  }

  /**
   * Applies removed, changed and added files to the current Briefing:
   * documents no file holds any more are dropped, new content is appended
   * (analysed by the pool) and the next Briefing is derived from the current one.
   */
  private async applyChanges(read: Map<string, ReadFile>, outcome: RefreshOutcome): Promise<RefreshOutcome> {
    const current = this.current!;
    const gone = new Set([...outcome.removed, ...outcome.updated]);
    outcome.changed = gone.size + read.size > 0;
    for (const path of outcome.removed) this.files.delete(path);
    for (const [path, { state }] of read) this.files.set(path, state);
    if (!outcome.changed) return outcome;

    // Paths of each kept document after the change; documents left without a path are removed.
    const old = current.documents;
    const keep = new Int32Array(old.length).fill(-1);
    const documents: CorpusDocument[] = [];
    const byHash = new Map<string, number>();
    old.forEach((document, i) => {
      const paths = document.paths.filter((p) => !gone.has(p));
      if (paths.length === 0) return;
      keep[i] = documents.length;
      byHash.set(document.hash, documents.length);
      documents.push(paths.length === document.paths.length ? document : withPaths(document, paths));
    });
    const fresh: CorpusDocument[] = [];
    for (const path of [...read.keys()].sort()) {
      const document = read.get(path)!.document;
      if (!document) continue;
      const at = byHash.get(document.hash);
      if (at !== undefined) {
        documents[at] = withPaths(documents[at]!, [...documents[at]!.paths, path].sort());
        continue;
      }
      byHash.set(document.hash, documents.length);
      const copy = withDocumentPaths(document, [path]);
      documents.push(copy);
      fresh.push(copy);
    }
    const { analyses, computed } = await this.cache.analyseAll(fresh, this.analysisPool());
    outcome.analysed = computed;
    const added: AddedDocument[] = fresh.map((document, k) => ({ docIndex: documents.length - fresh.length + k, analysis: analyses[k]! }));
    const hadTables = current.tablesReady;
    const next = await current.withChanges(documents, keep, added, { handOver: true });
    // Documents built here: taken from the snapshot once it is saved (answerFromSaved).
    if (this.materialised.has(current) || fresh.length > 0) this.materialised.add(next);
    this.swap(next, outcome, 'built');
    // Tables the change could not carry over (after a removal) are rebuilt now, in slices, not at the next /who.
    if (hadTables && !next.tablesReady) this.warm().catch((error: unknown) => this.log?.error('could not build the name tables', { component: 'corpus', error }));
    // A carried-over entity table ranks names anew: its autocomplete table is made now, in slices, not at the next keystroke.
    else if (next.entitiesReady) {
      this.completing = next
        .prepareCompletion()
        .then(() => next.prepareAnswers())
        .catch((error: unknown) => this.log?.warn('could not prepare name autocomplete and answers', { component: 'corpus', error: String(error) }));
    }
    this.log?.info('corpus loaded', {
      component: 'corpus',
      documents: documents.length,
      added: outcome.added.length,
      updated: outcome.updated.length,
      removed: outcome.removed.length,
      analysed: computed,
    });
    // A small index is merged at once (it takes a moment) and saved before this returns, as a full build would be.
    if (next.index.size < SMALL_INDEX_PASSAGES) {
      await this.mergeNow();
      await this.saving;
    } else this.scheduleMerge();
    return outcome;
  }

  /** Merges the index's segments after a quiet while, or soon when the second one is large. */
  private scheduleMerge(): void {
    if (this.closed || !this.current?.index.segmented) return;
    if (this.mergeTimer) clearTimeout(this.mergeTimer);
    const delay = this.current.index.mergeDue ? 0 : this.mergeDelayMs;
    this.mergeTimer = setTimeout(() => {
      this.mergeTimer = null;
      this.merge().catch((error: unknown) => this.log?.warn('index merge failed', { component: 'index', error: String(error) }));
    }, delay);
    this.mergeTimer.unref();
  }

  /** Rebuilds the index in one segment (off the event loop) and saves the snapshot; returns false when there was nothing to merge. */
  merge(): Promise<boolean> {
    return this.serial(() => this.mergeNow());
  }

  private async mergeNow(): Promise<boolean> {
    const briefing = this.current;
    if (!briefing?.index.segmented || this.closed) return false;
    const generation = this.generation;
    const index = await briefing.index.merged(briefing.documents);
    if (generation !== this.generation) return false; // changed meanwhile (cannot happen while serialised; kept as a guard)
    const merged = briefing.withIndex(index);
    if (this.materialised.has(briefing)) this.materialised.add(merged);
    this.swap(merged, { changed: false, added: [], updated: [], removed: [], analysed: 0 }, 'built');
    this.save();
    return true;
  }

  /** Warnings of the files currently skipped or read with a note. */
  warnings(): CorpusWarning[] {
    return [...this.files.entries()].flatMap(([doc, state]) => state.warnings.map((message) => ({ doc, message })));
  }
}

/** A document under other paths (a copy: the current Briefing keeps the original). */
function withPaths(document: CorpusDocument, paths: string[]): CorpusDocument {
  if (document instanceof SnapshotDocument) return document.withPaths(paths);
  return withDocumentPaths(document, paths);
}
