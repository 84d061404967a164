/**
 * The analysis cache's files (src/engine/analysis-cache.ts): one JSON file per
 * document content hash, `{ version, analysis }`, written to a temporary name
 * and renamed into place. Kept apart from the cache itself so that the analysis
 * worker threads write the entries they compute (off the main thread) without
 * loading the cache's version fingerprint.
 */
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

/** Writes one entry (the folder made when missing); false when it could not be written (the cache is an optimisation). */
export function writeCacheEntrySync(target: CacheTarget, hash: string, analysis: DocumentAnalysis): boolean {
  const path = cacheFilePath(target.dir, hash);
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const json = cacheEntryJson(target.version, analysis);
  try {
    try {
      writeFileSync(temporary, json);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      mkdirSync(target.dir, { recursive: true });
      writeFileSync(temporary, json);
    }
    renameSync(temporary, path);
    return true;
  } catch {
    return false;
  }
}
