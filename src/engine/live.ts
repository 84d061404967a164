/**
 * The engine as a running bot holds it: the current snapshot (a `Briefing`),
 * replaced whole when the corpus folder changes. Rescanning compares each
 * file's size and modification time; only new or changed files are read, and
 * only new content is analysed (the analysis cache is keyed by content hash).
 * The next snapshot's index is built off the event loop (a worker thread for
 * a large corpus, slices that yield otherwise), so commands keep being
 * answered from the current one until the swap.
 *
 * With a cache folder, every new snapshot is also saved whole
 * (src/engine/snapshot.ts), and a restart answers from the saved one at once
 * (`start()`), then verifies the folder in the background: the first rescan
 * compares every file's path, size and modification time with what the
 * snapshot was built from and rebuilds only if something changed.
 */
import { mkdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { CorpusDocument } from '../types.js';
import { assertCorpusFolder, listCorpusFiles, readCorpusFile, type CorpusWarning, type LoadOptions } from '../corpus/load.js';
import type { Logger } from '../log.js';
import { SearchIndex } from '../index/search-index.js';
import type { DocumentAnalysis } from '../analysis/document-analysis.js';
import { ANALYSIS_VERSION, AnalysisCache } from './analysis-cache.js';
import { Briefing } from './briefing.js';
import { readSnapshot, SNAPSHOT_FILE, writeSnapshot, type SnapshotExpectation, type SnapshotFile } from './snapshot.js';

interface FileState {
  size: number;
  mtimeMs: number;
  document: CorpusDocument | null;
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
}

export class LiveBriefing {
  readonly corpusDir: string;
  private current: Briefing | null = null;
  private readonly files = new Map<string, FileState>();
  private readonly cache: AnalysisCache;
  private readonly log: Logger | undefined;
  private readonly options: LoadOptions;
  private refreshing: Promise<RefreshOutcome> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly listeners = new Set<(briefing: Briefing, outcome: RefreshOutcome) => void>();
  private readonly cacheDir: string | null;
  private snapshotTried = false;
  /** Where the current snapshot came from: the saved file, or a build from the folder. */
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
  }

  /** The current snapshot; throws before the first load has finished. */
  get briefing(): Briefing {
    if (!this.current) throw new Error('sitrep: the corpus is not loaded yet');
    return this.current;
  }

  get ready(): boolean {
    return this.current !== null;
  }

  /** Called after each swap to a new snapshot. */
  onChange(listener: (briefing: Briefing, outcome: RefreshOutcome) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Takes a snapshot built elsewhere (the bot builds its first one in a worker
   * thread) as the current one, noting each file's size and time so the next
   * rescan only looks at what changed since. `skipped` are the files the build
   * passed over, with why, so they are not read again until they change.
   */
  async adopt(briefing: Briefing, skipped: readonly CorpusWarning[] = []): Promise<void> {
    const note = async (path: string, document: CorpusDocument | null, warnings: string[]): Promise<void> => {
      const info = await stat(join(this.corpusDir, path)).catch(() => null);
      if (info) this.files.set(path, { size: info.size, mtimeMs: info.mtimeMs, document, warnings });
    };
    for (const document of briefing.documents) {
      for (const path of document.paths) await note(path, { ...document, paths: [path] }, []);
    }
    for (const warning of skipped) {
      if (!this.files.has(warning.doc)) await note(warning.doc, null, [warning.message]);
    }
    this.cache.remember(briefing.documents, briefing.analyses);
    this.current = briefing;
    this.source = 'built';
    // Saved for the next start; answering does not wait for it.
    this.saveSnapshot([...briefing.documents], briefing.analyses, briefing.index).catch((error: unknown) =>
      this.log?.warn('could not save the snapshot', { component: 'corpus', error: String(error) }),
    );
  }

  /**
   * Answers from the saved snapshot when there is a valid one, verifying the
   * folder in the background; false (and nothing changed) when there is none.
   */
  async startFromSnapshot(): Promise<boolean> {
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

  /** Rescans the folder; builds and swaps in a new snapshot when anything changed. Calls never overlap. */
  refresh(): Promise<RefreshOutcome> {
    this.refreshing ??= this.rescan().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
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
    const snapshot = await readSnapshot(join(this.cacheDir, SNAPSHOT_FILE), this.expectation());
    if (!snapshot || this.current) return false;
    this.files.clear();
    for (const file of snapshot.files) {
      const document = file.document >= 0 ? snapshot.documents[file.document] ?? null : null;
      this.files.set(file.path, { size: file.size, mtimeMs: file.mtimeMs, document, warnings: file.warnings });
    }
    this.cache.remember(snapshot.documents, snapshot.analyses);
    this.current = new Briefing(snapshot.documents, snapshot.index, snapshot.analyses);
    this.source = 'saved';
    this.log?.info('corpus loaded from the saved snapshot', {
      component: 'corpus',
      documents: snapshot.documents.length,
      ms: Math.round(performance.now() - started),
    });
    const outcome: RefreshOutcome = { changed: true, added: [], updated: [], removed: [], analysed: 0 };
    for (const listener of this.listeners) listener(this.current, outcome);
    return true;
  }

  private async saveSnapshot(documents: CorpusDocument[], analyses: readonly DocumentAnalysis[], index: SearchIndex): Promise<void> {
    if (!this.cacheDir) return;
    const position = new Map(documents.map((d, i) => [d.hash, i]));
    const files: SnapshotFile[] = [...this.files.entries()].map(([path, state]) => ({
      path,
      size: state.size,
      mtimeMs: state.mtimeMs,
      document: state.document ? position.get(state.document.hash) ?? -1 : -1,
      warnings: state.warnings,
    }));
    await mkdir(this.cacheDir, { recursive: true });
    await writeSnapshot(join(this.cacheDir, SNAPSHOT_FILE), { ...this.expectation(), files, documents, analyses, index });
  }

  private async rescan(): Promise<RefreshOutcome> {
    await this.loadSnapshot();
    await assertCorpusFolder(this.corpusDir);
    const { files: paths, warnings: pageWarnings } = await listCorpusFiles(this.corpusDir, this.options);
    for (const { doc, message } of pageWarnings) this.log?.warn(`${doc}: ${message}`, { component: 'corpus' });
    const outcome: RefreshOutcome = { changed: false, added: [], updated: [], removed: [], analysed: 0 };
    const seen = new Set(paths);
    for (const path of [...this.files.keys()]) {
      if (!seen.has(path)) {
        this.files.delete(path);
        outcome.removed.push(path);
      }
    }
    for (const path of paths) {
      const info = await stat(join(this.corpusDir, path)).catch(() => null);
      if (!info) continue;
      const known = this.files.get(path);
      if (known && known.size === info.size && known.mtimeMs === info.mtimeMs) continue;
      const { document, warnings } = await readCorpusFile(this.corpusDir, path, this.options);
      for (const message of warnings) this.log?.warn(`${path}: ${message}`, { component: 'corpus' });
      if (known && known.document?.hash === document?.hash) {
        this.files.set(path, { ...known, size: info.size, mtimeMs: info.mtimeMs });
        continue;
      }
      (known ? outcome.updated : outcome.added).push(path);
      this.files.set(path, { size: info.size, mtimeMs: info.mtimeMs, document: document ?? null, warnings });
    }
    outcome.changed = outcome.added.length + outcome.updated.length + outcome.removed.length > 0 || this.current === null;
    if (!outcome.changed) return outcome;

    // Identical files are one document listing every path, as in loadCorpus.
    const byHash = new Map<string, CorpusDocument>();
    const documents: CorpusDocument[] = [];
    for (const path of [...this.files.keys()].sort()) {
      const document = this.files.get(path)!.document;
      if (!document) continue;
      const twin = byHash.get(document.hash);
      if (twin) {
        if (!twin.paths.includes(path)) twin.paths.push(path);
        continue;
      }
      const copy = { ...document, paths: [path] };
      byHash.set(copy.hash, copy);
      documents.push(copy);
    }
    const { analyses, computed } = await this.cache.analyseAll(documents);
    outcome.analysed = computed;
    const index = await SearchIndex.buildAsync(documents);
    this.current = new Briefing(documents, index, analyses);
    this.source = 'built';
    this.log?.info('corpus loaded', {
      component: 'corpus',
      documents: documents.length,
      added: outcome.added.length,
      updated: outcome.updated.length,
      removed: outcome.removed.length,
      analysed: computed,
    });
    for (const listener of this.listeners) listener(this.current, outcome);
    await this.saveSnapshot(documents, analyses, index).catch((error: unknown) =>
      this.log?.warn('could not save the snapshot', { component: 'corpus', error: String(error) }),
    );
    return outcome;
  }

  /** Warnings of the files currently skipped or read with a note. */
  warnings(): CorpusWarning[] {
    return [...this.files.entries()].flatMap(([doc, state]) => state.warnings.map((message) => ({ doc, message })));
  }
}
