/**
 * Analysis is a build-time cost (milliseconds per article), so its results
 * are kept on disk by document content hash, under CACHE_DIR/analysis/: one
 * JSON file per document, or packs of many written by the analysis threads
 * (see analysis-cache-file.ts); a build looks in both, a change in the
 * entry's own file. A document whose bytes have not changed is never
 * analysed twice, across restarts too. Entries written by another analysis
 * version are ignored (and overwritten; packs of another version are removed
 * when the folder is listed).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CorpusDocument } from '../types.js';
import { analyseDocument, type DocumentAnalysis } from '../analysis/document-analysis.js';
import { findModelFile } from '../analysis/ner/model-file.js';
import type { AnalysisPool } from './analysis-pool.js';
import { cacheEntryJson, cacheFilePath, PACK_SUFFIX, type CacheTarget, type PackHeader } from './analysis-cache-file.js';

/**
 * Entries are valid only for the analysis code and model that wrote them: the
 * version is a hash of the running analysis modules (src/ or dist/) and the
 * model files, so changing either invalidates the cache without anyone
 * having to remember to.
 */
export const ANALYSIS_VERSION = fingerprint();

function fingerprint(): string {
  const hash = createHash('sha256');
  // The TypeScript sources where the checkout has them (run from source or from dist/ beside them: the same
  // fingerprint, so `npm run sitrep` and `npm start` share saved state); else the compiled files beside this one.
  const compiled = dirname(fileURLToPath(import.meta.url));
  const sources = join(compiled, ...(basename(dirname(dirname(compiled))) === 'dist' ? ['..', '..', '..', 'src', 'engine'] : []));
  const here = existsSync(join(sources, 'analysis-cache.ts')) ? sources : compiled;
  const analysisDir = join(here, '..', 'analysis');
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(?:ts|js)$/.test(name)) hash.update(name).update(readFileSync(full));
    }
  };
  try {
    walk(analysisDir);
    hash.update(readFileSync(findModelFile()));
    // How text becomes search terms: a snapshot's index is valid only for the rules that built it.
    for (const name of ['terms.ts', 'terms.js']) {
      const full = join(here, '..', 'index', name);
      try {
        hash.update(readFileSync(full));
      } catch {
        // Only one of the two exists (source or build).
      }
    }
  } catch {
    hash.update(String(Date.now()));
  }
  return hash.digest('hex').slice(0, 16);
}

interface CacheEntry {
  version: string;
  analysis: DocumentAnalysis;
}

/** Where an entry sits in a pack: the pack's path and the byte range of its JSON. */
interface Packed {
  path: string;
  start: number;
  length: number;
}

/** The cache folder as listed: the hashes with a file of their own, and where each packed entry is. */
interface Listing {
  files: Set<string>;
  packed: Map<string, Packed>;
}

/** Bytes `start` to `start + length` of a file. */
async function readRange(path: string, start: number, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const out = Buffer.allocUnsafe(length);
    let read = 0;
    while (read < length) {
      const { bytesRead } = await handle.read(out, read, length - read, start + read);
      if (bytesRead === 0) throw new Error(`${path}: shorter than its header says`);
      read += bytesRead;
    }
    return out;
  } finally {
    await handle.close();
  }
}

/** A pack's first line and where its entries start, or null when it cannot be read. */
async function readPackHeader(path: string): Promise<{ header: PackHeader; bodyStart: number } | null> {
  try {
    const handle = await open(path, 'r');
    try {
      let chunk = Buffer.allocUnsafe(16 * 1024);
      let filled = 0;
      for (;;) {
        const { bytesRead } = await handle.read(chunk, filled, chunk.byteLength - filled, filled);
        if (bytesRead === 0) return null;
        const end = chunk.indexOf(10, filled);
        filled += bytesRead;
        if (end >= 0 && end < filled) {
          const header = JSON.parse(chunk.toString('utf8', 0, end)) as PackHeader;
          if (typeof header.version !== 'string' || !Array.isArray(header.entries)) return null;
          return { header, bodyStart: end + 1 };
        }
        if (filled === chunk.byteLength) chunk = Buffer.concat([chunk, Buffer.allocUnsafe(chunk.byteLength)]);
      }
    } finally {
      await handle.close();
    }
  } catch {
    return null;
  }
}

/** Cache files read or written at once. */
const FILE_CONCURRENCY = 16;

/** Runs `task(0)` … `task(count - 1)`, at most `limit` at a time. */
async function eachLimited(count: number, limit: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}

export class AnalysisCache {
  private readonly dir: string | null;
  /**
   * The folder, listed once for a build: it looks for 20,000 entries that are mostly not there (each
   * failed open went through the file-system thread pool), and finds packed entries through it.
   * A change looks for its entries' own files only: listing every pack (35 ms at ×10, and a map of
   * 20,000 entries kept) would cost the first new article more than analysing it again.
   */
  private present: Promise<Listing> | null = null;

  /** `cacheDir` null keeps nothing on disk (tests, one-off CLI runs on a temporary corpus). */
  constructor(cacheDir: string | null) {
    this.dir = cacheDir ? join(cacheDir, 'analysis') : null;
  }

  private pathFor(hash: string): string {
    return cacheFilePath(this.dir!, hash);
  }

  /** Where the analysis threads write what they compute (null: nothing kept on disk). */
  private get target(): CacheTarget | null {
    return this.dir ? { dir: this.dir, version: ANALYSIS_VERSION } : null;
  }

  private listed(): Promise<Listing> {
    this.present ??= this.list();
    return this.present;
  }

  private async list(): Promise<Listing> {
    const dir = this.dir!;
    const names = await readdir(dir).catch(() => [] as string[]);
    const files = new Set(names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -'.json'.length)));
    const packed = new Map<string, Packed>();
    await eachLimited(names.length, FILE_CONCURRENCY, async (i) => {
      const name = names[i]!;
      if (!name.endsWith(PACK_SUFFIX)) return;
      const path = join(dir, name);
      const read = await readPackHeader(path);
      if (!read) return;
      if (read.header.version !== ANALYSIS_VERSION) {
        // Written by another analysis version: of no use again.
        await rm(path, { force: true }).catch(() => undefined);
        return;
      }
      for (const [hash, start, length] of read.header.entries) packed.set(hash, { path, start: read.bodyStart + start, length });
    });
    return { files, packed };
  }

  private async readOwnFile(hash: string): Promise<DocumentAnalysis | null> {
    try {
      const entry = JSON.parse(await readFile(this.pathFor(hash), 'utf8')) as CacheEntry;
      return entry.version === ANALYSIS_VERSION ? entry.analysis : null;
    } catch {
      return null;
    }
  }

  private async readPacked(hash: string): Promise<DocumentAnalysis | null> {
    const at = (await this.listed()).packed.get(hash);
    if (!at) return null;
    try {
      return JSON.parse((await readRange(at.path, at.start, at.length)).toString('utf8')) as DocumentAnalysis;
    } catch {
      return null;
    }
  }

  /**
   * A document's analysis from the folder, or null. `listed` (a build): where the folder's listing
   * says, in its own file or a pack; else (a change) in its own file.
   */
  async read(hash: string, options: { listed?: boolean } = {}): Promise<DocumentAnalysis | null> {
    if (!this.dir) return null;
    if (!options.listed) return this.readOwnFile(hash);
    return (await this.listed()).files.has(hash) ? this.readOwnFile(hash) : this.readPacked(hash);
  }

  /** Resolves once the analysis threads have written what they computed (they write in packs). */
  async written(pool: AnalysisPool | null): Promise<void> {
    if (this.dir && pool) await pool.flush();
  }

  async write(hash: string, analysis: DocumentAnalysis): Promise<void> {
    if (!this.dir) return;
    const path = this.pathFor(hash);
    const temporary = `${path}.${process.pid}.tmp`;
    const json = cacheEntryJson(ANALYSIS_VERSION, analysis);
    try {
      await writeFile(temporary, json);
    } catch (error) {
      // The folder may not exist yet (or was removed): made once, then written again.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(this.dir, { recursive: true });
      await writeFile(temporary, json);
    }
    await rename(temporary, path);
  }

  /** One document's analysis, from the cache or computed by the pool (and cached); for a build that analyses documents as it reads them. */
  async analyseOne(document: CorpusDocument, pool: AnalysisPool): Promise<{ analysis: DocumentAnalysis; computed: boolean }> {
    const known = await this.read(document.hash, { listed: true });
    if (known) return { analysis: known, computed: false };
    // Its worker writes the cache entry.
    const [analysis] = await pool.analyse([document], { cache: this.target });
    return { analysis: analysis!, computed: true };
  }

  /** Forgets the folder's listing (once a build has used it). */
  forget(): void {
    this.present = null;
  }

  /**
   * The analysis of each document, from the cache or computed — by the worker
   * pool when one is given (every core, the event loop stays free), else here,
   * yielding to the event loop between documents.
   */
  async analyseAll(documents: readonly CorpusDocument[], pool?: AnalysisPool | null): Promise<{ analyses: DocumentAnalysis[]; computed: number }> {
    // Cache files are read and written several at a time (one at a time, a large corpus waits on the disk for seconds).
    const analyses: (DocumentAnalysis | null)[] = new Array<DocumentAnalysis | null>(documents.length).fill(null);
    await eachLimited(documents.length, FILE_CONCURRENCY, async (i) => {
      const hash = documents[i]!.hash;
      analyses[i] = await this.read(hash);
    });
    const missing: number[] = [];
    analyses.forEach((analysis, i) => {
      if (!analysis) missing.push(i);
    });
    if (pool && missing.length > 0) {
      // The pool's workers write the cache entries.
      const computed = await pool.analyse(
        missing.map((i) => documents[i]!),
        { cache: this.target },
      );
      missing.forEach((i, k) => (analyses[i] = computed[k]!));
      await this.written(pool);
    } else {
      for (const i of missing) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        analyses[i] = analyseDocument(documents[i]!);
      }
      if (this.dir && missing.length > 0) await mkdir(this.dir, { recursive: true }).catch(() => undefined);
      await eachLimited(missing.length, FILE_CONCURRENCY, (k) => this.write(documents[missing[k]!]!.hash, analyses[missing[k]!]!).catch(() => undefined));
    }
    return { analyses: analyses as DocumentAnalysis[], computed: missing.length };
  }
}
