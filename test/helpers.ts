import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDocument } from '../src/corpus/document.js';
import type { CorpusDocument } from '../src/types.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CORPUS = join(ROOT, 'corpus');
export const SHARED = join(ROOT, '..', 'shared');

/** A fresh temporary corpus folder holding the given files (path → content). */
/** A document built from text in memory (no file), failing the test when the text is not an article. */
export function documentOf(name: string, text: string): CorpusDocument {
  const built = buildDocument(name, Buffer.from(text));
  if (!built.ok) throw new Error(`${name}: not an article (${built.reason})`);
  return built.document;
}

export function tempCorpus(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-test-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

export function seedText(prefix: string): string {
  const names: Record<string, string> = {
    '000': '000_8cc834dffbc8bce4.txt',
    '001': '001_46d1a654c57daf84.txt',
    '002': '002_d068215216bcc9e3.txt',
    '003': '003_7dea33602c708158.txt',
    '004': '004_cf37cdb565ddf28d.txt',
  };
  return readFileSync(join(CORPUS, names[prefix]!), 'utf8');
}

export interface DevGold {
  who: { id: string; query: string; name: string; role_any: string[]; docs: string[]; aliases: string[] }[];
  quote: { id: string; contains: string; speaker_any: string[]; doc: string }[];
  timeline: { id: string; value: string; doc: string; contains: string }[];
  search: { id: string; query: string; docs_any: string[] }[];
}

/** The sample questions in ../shared/eval/dev-gold.json (read, never copied into the repo). */
export function devGold(): DevGold {
  return JSON.parse(readFileSync(join(SHARED, 'eval', 'dev-gold.json'), 'utf8')) as DevGold;
}
