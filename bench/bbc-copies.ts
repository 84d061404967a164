/**
 * The BBC corpus copied `copies` times, each copy's text distinct (names in
 * each article permuted, one long word in six replaced, deterministically per
 * copy), so analysis really runs on every article. Used by `npm run bench`
 * and by `tsx bench/bbc-copies.ts <bbc dir> <copies> <out dir>` to keep one
 * on disk for repeated start-up measurements.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Original {
  path: string;
  text: string;
}

/** The BBC articles (`<topic>/<nnn>.txt`), sorted by path. */
export function readOriginals(bbcDir: string): Original[] {
  const originals: Original[] = [];
  for (const topic of readdirSync(bbcDir, { withFileTypes: true })) {
    if (!topic.isDirectory()) continue;
    for (const f of readdirSync(join(bbcDir, topic.name)).sort()) {
      if (f.endsWith('.txt')) originals.push({ path: `${topic.name}/${f}`, text: readFileSync(join(bbcDir, topic.name, f), 'latin1') });
    }
  }
  return originals.sort((a, b) => (a.path < b.path ? -1 : 1));
}

function hash(text: string, salt: number): number {
  let h = 2166136261 ^ salt;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Makes distinct copies of `originals`. */
export function copier(originals: readonly Original[]): { variant(text: string, copy: number): string; writeCorpus(dir: string, copies: number): string } {
  /** Long lower-case words of the whole corpus, the pool replacements are drawn from. */
  const longWords = [...new Set(originals.flatMap((o) => o.text.match(/\b[a-z]{6,}\b/g) ?? []))].sort();
  /** Copy `copy` of an article: its capitalised names permuted (rotated by the copy number) and one long word in six replaced. */
  const variant = (text: string, copy: number): string => {
    if (copy === 0) return text;
    const names = [...new Set(text.match(/(?<=[a-z,] )[A-Z][a-z]{2,}\b/g) ?? [])];
    const rotated = new Map(names.map((n, i) => [n, names[(i + copy) % names.length]!]));
    const swapped = text.replace(/(?<=[a-z,] )[A-Z][a-z]{2,}\b/g, (n) => rotated.get(n) ?? n);
    const replaced = swapped.replace(/\b[a-z]{6,}\b/g, (w) => (hash(w, copy) % 6 === 0 ? longWords[hash(w, copy + 1000) % longWords.length]! : w));
    return `Edition ${copy}\n${replaced}`;
  };
  const writeCorpus = (dir: string, copies: number): string => {
    for (let copy = 0; copy < copies; copy++) {
      for (const o of originals) {
        const path = join(dir, String(copy), o.path);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, variant(o.text, copy), 'latin1');
      }
    }
    return dir;
  };
  return { variant, writeCorpus };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [bbcDir, copies, out] = process.argv.slice(2);
  if (!bbcDir || !copies || !out) {
    console.error('usage: tsx bench/bbc-copies.ts <bbc dir> <copies> <out dir>');
    process.exit(2);
  }
  const originals = readOriginals(resolve(bbcDir));
  copier(originals).writeCorpus(resolve(out), Number(copies));
  console.log(`${originals.length * Number(copies)} articles written to ${out}`);
}
