/**
 * The analysis cache's files (src/engine/analysis-cache.ts), written to a
 * temporary name and renamed into place:
 * - one JSON file per document content hash, `{ version, analysis }`;
 * - packs of many entries (what an analysis thread computed in a row): a
 *   first line of JSON, `{ version, entries: [[hash, start, length], …] }`,
 *   then the analyses' JSON one after another, each at its byte range counted
 *   from the end of that line. Creating a file costs about 0.7 ms of kernel
 *   time here, so a first build of 21,000 articles spent some 15 s of CPU
 *   writing one file each; in packs of 64 it writes 330.
 * Kept apart from the cache itself so that the analysis worker threads write
 * the entries they compute (off the main thread) without loading the cache's
 * version fingerprint.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DocumentAnalysis } from '../analysis/document-analysis.js';

/** Where, and for which analysis version, computed analyses are written. */
export interface CacheTarget {
  dir: string;
  version: string;
}

export function cacheFilePath(dir: string, hash: string): string {
  return join(dir, `${hash}.json`);
}

export function cacheEntryJson(version: string, analysis: DocumentAnalysis): string {
  return JSON.stringify({ version, analysis });
}

export const PACK_SUFFIX = '.pack';

/** A pack's first line. */
export interface PackHeader {
  version: string;
  /** Hash, then the byte range of its analysis's JSON, counted from the end of the first line. */
  entries: [string, number, number][];
}

/** Writes `contents` to `path` through a temporary file (the folder made when missing); false when it could not be written (the cache is an optimisation). */
function writeAtomicSync(dir: string, path: string, contents: string | Buffer): boolean {
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    try {
      writeFileSync(temporary, contents);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      mkdirSync(dir, { recursive: true });
      writeFileSync(temporary, contents);
    }
    renameSync(temporary, path);
    return true;
  } catch {
    return false;
  }
}

/** Writes one entry; false when it could not be written. */
export function writeCacheEntrySync(target: CacheTarget, hash: string, analysis: DocumentAnalysis): boolean {
  return writeAtomicSync(target.dir, cacheFilePath(target.dir, hash), cacheEntryJson(target.version, analysis));
}

/** Writes entries as one pack (one entry: as its own file); false when it could not be written. */
export function writeCachePackSync(target: CacheTarget, entries: readonly { hash: string; analysis: DocumentAnalysis }[]): boolean {
  if (entries.length === 0) return true;
  if (entries.length === 1) return writeCacheEntrySync(target, entries[0]!.hash, entries[0]!.analysis);
  const bodies = entries.map((e) => Buffer.from(JSON.stringify(e.analysis)));
  const header: PackHeader = { version: target.version, entries: [] };
  let at = 0;
  entries.forEach((e, i) => {
    header.entries.push([e.hash, at, bodies[i]!.byteLength]);
    at += bodies[i]!.byteLength;
  });
  // Named by what it holds: two threads never write the same pack, and writing one again replaces it whole.
  const name = createHash('sha256').update(entries.map((e) => e.hash).join(',')).digest('hex').slice(0, 32);
  return writeAtomicSync(target.dir, join(target.dir, `${name}${PACK_SUFFIX}`), Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), ...bodies]));
}
