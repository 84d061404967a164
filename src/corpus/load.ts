import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { CorpusDocument } from '../types.js';
import { SitrepError } from '../engine/errors.js';
import { buildDocument } from './document.js';
import { syncLocalPages } from '../sources/local-pages.js';

/** Files larger than this are skipped with a warning (a news article is a few dozen KB). */
export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;
const DOCUMENT_EXTENSIONS = /\.(?:txt|md|markdown)$/i;

export interface CorpusWarning {
  doc: string;
  message: string;
}

export interface LoadedCorpus {
  root: string;
  documents: CorpusDocument[];
  warnings: CorpusWarning[];
}

export interface LoadOptions {
  maxFileBytes?: number;
  /**
   * FETCHED_DIR: stored articles, indexed with the corpus (default
   * `<root>/fetched`, inside it). Outside the corpus folder, its files' ids are
   * their paths relative to the corpus folder (`../fetched/site/….md`), so a
   * document id always names a file that exists.
   */
  fetchedDir?: string | null;
}

/** Where stored articles are when no FETCHED_DIR is given. */
export function fetchedDirOf(root: string, options: LoadOptions = {}): string {
  return options.fetchedDir ?? join(root, 'fetched');
}

/**
 * Every document of the corpus: the corpus folder's `.txt`/`.md` files, the
 * fetched folder's (when it lies outside), and the extracted text of each
 * `.html` page in the corpus folder (src/sources/local-pages.ts, stored once
 * under `FETCHED_DIR/local/`). Paths relative to `root`, sorted.
 */
export async function listCorpusFiles(root: string, options: LoadOptions = {}): Promise<{ files: string[]; warnings: CorpusWarning[] }> {
  const fetched = fetchedDirOf(root, options);
  const warnings = await syncLocalPages(root, fetched);
  const files = await listDocumentFiles(root);
  const rel = relative(resolve(root), resolve(fetched));
  if (rel.startsWith('..') || resolve(rel) === rel) {
    const outside = await listDocumentFiles(fetched).catch(() => [] as string[]);
    for (const file of outside) files.push(relative(root, join(fetched, file)).split(sep).join('/'));
  }
  return { files: files.sort(), warnings };
}

/** Every document file under `root`, as sorted paths relative to it (forward slashes). */
export async function listDocumentFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(dir: string): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = await stat(full).catch(() => null);
        isDir = false; // links to folders are not followed (no cycles)
        isFile = target?.isFile() ?? false;
      }
      if (isDir) await walk(full);
      else if (isFile && DOCUMENT_EXTENSIONS.test(entry.name)) found.push(relative(root, full).split(sep).join('/'));
    }
  }
  await walk(root);
  return found.sort();
}

export async function assertCorpusFolder(root: string): Promise<void> {
  const info = await stat(root).catch(() => null);
  if (!info) throw new SitrepError('CorpusMissing', `corpus folder not found: ${root}`, { path: root });
  if (!info.isDirectory()) throw new SitrepError('CorpusMissing', `corpus path is not a folder: ${root}`, { path: root });
}

/**
 * Reads one file into a document, or says why it was skipped. Never throws
 * for bad content: unreadable, empty, binary, oversized and furniture-only
 * files come back as a warning.
 */
export async function readCorpusFile(
  root: string,
  doc: string,
  options: LoadOptions = {},
  known?: { size: number; mtimeMs: number },
): Promise<{ document?: CorpusDocument; warnings: string[] }> {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const full = join(root, doc);
  try {
    // `known`: the caller has just looked the file up (a rescan), so it is not asked again.
    const info = known ?? (await stat(full));
    if (info.size > maxBytes) {
      const mb = (n: number): string => (n / 1024 / 1024).toFixed(1);
      return { warnings: [`skipped: ${mb(info.size)} MB is over the ${mb(maxBytes)} MB limit for one document`] };
    }
    const bytes = await readFile(full);
    const outcome = buildDocument(doc, bytes, info.mtimeMs);
    if (!outcome.ok) return { warnings: [`skipped: ${outcome.reason}`] };
    return { document: outcome.document, warnings: outcome.warnings };
  } catch (error) {
    return { warnings: [`skipped: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`] };
  }
}

/**
 * Loads every `.txt`/`.md` document under `root`. Identical files (same bytes)
 * become one document listing all their paths. A missing folder is an error;
 * a bad file is a warning and the rest still loads.
 */
export async function loadCorpus(root: string, options: LoadOptions = {}): Promise<LoadedCorpus> {
  await assertCorpusFolder(root);
  const { files, warnings } = await listCorpusFiles(root, options);
  const byHash = new Map<string, CorpusDocument>();
  const documents: CorpusDocument[] = [];
  for (const doc of files) {
    const { document, warnings: fileWarnings } = await readCorpusFile(root, doc, options);
    for (const message of fileWarnings) warnings.push({ doc, message });
    if (!document) continue;
    const twin = byHash.get(document.hash);
    if (twin) {
      twin.paths.push(doc);
      warnings.push({ doc, message: `same content as ${twin.doc}; indexed once` });
      continue;
    }
    byHash.set(document.hash, document);
    documents.push(document);
  }
  return { root, documents, warnings };
}
