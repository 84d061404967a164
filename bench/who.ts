/**
 * `npx tsx bench/who.ts [<bbc dir>] [copies]`: the cost of /who and its autocomplete.
 *
 * Reads the BBC news corpus (../shared/benchmarks/bbc, 2,225 articles), analyses each article once,
 * and builds the entity index at ×1 and at ×`copies` (default 10) two ways: copies with the same
 * names (offsets shifted past a first line, as bench/search.ts does), and copies whose every name
 * gets a copy-specific last word, so the index holds ten times as many distinct names. Then, in
 * one run on the same questions, it measures per call (p50/p99 over rounds, medians reported):
 *   - who: exact names, surnames, prefixes, one-edit misspellings and absent names;
 *   - autocomplete: prefixes of 1 to 8 letters and misspellings;
 *   - a forged 6,000-character name (who and autocomplete);
 *   - building the index all at once, adding one document to it, a snapshot round trip.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildDocument } from '../src/corpus/document.js';
import { analyseDocument } from '../src/analysis/document-analysis.js';
import { EntityIndex } from '../src/engine/who.js';
import { ANALYSIS_VERSION } from '../src/engine/analysis-cache.js';
import type { DocumentEntity } from '../src/analysis/people.js';
import type { CorpusDocument } from '../src/types.js';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const bbcDir = resolve(args[0] ?? '../shared/benchmarks/bbc');
const copies = Number(args[1] ?? 10);
const ROUNDS = 5;
const QUERIES = 400;

if (!existsSync(bbcDir)) {
  console.error(`bench/who: BBC folder not found: ${bbcDir}`);
  process.exit(2);
}

let seed = 7;
function random(): number {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmt = (ms: number): string => (ms < 10 ? ms.toFixed(3) : ms.toFixed(1));

const files: string[] = [];
for (const topic of readdirSync(bbcDir, { withFileTypes: true })) {
  if (!topic.isDirectory()) continue;
  for (const f of readdirSync(join(bbcDir, topic.name))) if (f.endsWith('.txt')) files.push(join(topic.name, f));
}
files.sort();

let started = performance.now();
// The analyses of the original articles are cached in the temporary folder (the tagger takes minutes on a busy machine).
const cacheFile = join(tmpdir(), `sitrep-bench-who-${ANALYSIS_VERSION}-${files.length}.json`);
const cached: Record<string, DocumentEntity[]> = existsSync(cacheFile) ? (JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, DocumentEntity[]>) : {};
const base: { bytes: Buffer; document: CorpusDocument; entities: DocumentEntity[] }[] = [];
for (const f of files) {
  const bytes = readFileSync(join(bbcDir, f));
  const built = buildDocument(`0/${f}`, bytes);
  if (!built.ok) continue;
  const entities = cached[f] ?? analyseDocument(built.document).entities;
  cached[f] = entities;
  base.push({ bytes, document: built.document, entities });
}
writeFileSync(cacheFile, JSON.stringify(cached));
console.log(`analysed ${base.length} articles in ${(performance.now() - started) / 1000 | 0} s`);

function shiftEntity(e: DocumentEntity, delta: number, rename: (name: string) => string): DocumentEntity {
  const span = <T extends { start: number; end: number }>(s: T): T => ({ ...s, start: s.start + delta, end: s.end + delta });
  return { name: rename(e.name), kind: e.kind, aliases: e.aliases.map(rename), mentions: e.mentions.map(span), descriptions: e.descriptions.map(span) };
}

/** The corpus at `n` copies; with `distinct`, copy k's names end in a word of its own ("Tony Blair" → "Tony Blair Qk"). */
function corpus(n: number, distinct: boolean): { documents: CorpusDocument[]; entities: DocumentEntity[][] } {
  const documents: CorpusDocument[] = [];
  const entities: DocumentEntity[][] = [];
  for (let copy = 0; copy < n; copy++) {
    const prefix = copy === 0 ? '' : `Edition ${copy}\n`;
    const tag = `q${copy.toString(36)}x`;
    const rename = (name: string): string => (distinct && copy > 0 ? `${name}${tag}` : name);
    for (const b of base) {
      if (copy === 0) {
        documents.push(b.document);
        entities.push(b.entities);
        continue;
      }
      const built = buildDocument(`${copy}/${b.document.doc.slice(2)}`, Buffer.concat([Buffer.from(prefix), b.bytes]));
      if (!built.ok) continue;
      documents.push(built.document);
      entities.push(b.entities.map((e) => shiftEntity(e, prefix.length, rename)));
    }
  }
  return { documents, entities };
}

function questions(index: EntityIndex): { who: string[]; complete: string[] } {
  const names = index.names();
  const misspell = (s: string): string => {
    const i = 1 + Math.floor(random() * Math.max(1, s.length - 2));
    return random() < 0.5 ? s.slice(0, i) + s.slice(i + 1) : s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
  };
  const who: string[] = [];
  const complete: string[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const name = pick(names);
    const words = name.split(' ');
    const r = random();
    who.push(r < 0.3 ? name : r < 0.5 ? words.at(-1)! : r < 0.65 ? name.slice(0, 3 + Math.floor(random() * 4)) : r < 0.85 ? misspell(name) : `Nobody ${misspell(pick(names))} Zq`);
    const c = random();
    complete.push(c < 0.8 ? name.slice(0, 1 + Math.floor(random() * 8)) : misspell(name.slice(0, 8)));
  }
  return { who, complete };
}

/** Per call: wall-clock and CPU time (the machine is shared: CPU time is what the call itself costs). */
function timeEach(queries: string[], call: (q: string) => unknown): { p50: number; p99: number; cpu50: number; cpu99: number; slowest: string[] } {
  let slowest: string[] = [];
  const p50s: number[] = [];
  const p99s: number[] = [];
  const cpu50s: number[] = [];
  const cpu99s: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const wall: number[] = [];
    const cpu: number[] = [];
    const byQuery: [number, string][] = [];
    for (const q of queries) {
      const c = process.cpuUsage();
      const t = performance.now();
      call(q);
      wall.push(performance.now() - t);
      const used = process.cpuUsage(c);
      cpu.push((used.user + used.system) / 1000);
      byQuery.push([cpu.at(-1)!, q]);
    }
    slowest = byQuery.sort((a, b) => b[0] - a[0]).slice(0, 4).map(([ms, q]) => `${JSON.stringify(q.slice(0, 30))} ${fmt(ms)}`);
    wall.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    p50s.push(percentile(wall, 50));
    p99s.push(percentile(wall, 99));
    cpu50s.push(percentile(cpu, 50));
    cpu99s.push(percentile(cpu, 99));
  }
  return { p50: median(p50s), p99: median(p99s), cpu50: median(cpu50s), cpu99: median(cpu99s), slowest };
}

const rows: string[][] = [];
for (const [label, n, distinct] of [
  ['×1', 1, false],
  [`×${copies}`, copies, false],
  [`×${copies} distinct names`, copies, true],
] as const) {
  const { documents, entities } = corpus(n, distinct);
  started = performance.now();
  const index = new EntityIndex(documents, entities);
  const buildMs = performance.now() - started;
  const q = questions(index);
  for (const x of q.who.slice(0, 50)) index.who(x); // warm the lazily built tables
  const who = timeEach(q.who, (x) => index.who(x));
  const complete = timeEach(q.complete, (x) => index.complete(x, 25));
  const forged = 'Zq'.repeat(3000);
  const forgedWho = timeEach([forged], (x) => index.who(x));
  const forgedComplete = timeEach([forged], (x) => index.complete(x, 25));
  // Adding one more document (a copy of one article under a new path), then the first answer.
  const extra = buildDocument('extra/added.txt', Buffer.concat([Buffer.from('Late edition\n'), base[0]!.bytes]));
  let addMs = NaN;
  if (extra.ok) {
    started = performance.now();
    index.add(documents.length, extra.document, base[0]!.entities.map((e) => shiftEntity(e, 'Late edition\n'.length, (s) => s)));
    index.who(q.who[0]!);
    addMs = performance.now() - started;
  }
  started = performance.now();
  const snapshot = index.toSnapshot();
  const toSnapshotMs = performance.now() - started;
  started = performance.now();
  const restored = EntityIndex.fromSnapshot(snapshot, [...documents, ...(extra.ok ? [extra.document] : [])], [...entities, base[0]!.entities]);
  restored.who(q.who[0]!);
  const fromSnapshotMs = performance.now() - started;
  console.log(`${label}: built in ${fmt(buildMs)} ms; who p50/p99 ${fmt(who.p50)}/${fmt(who.p99)} ms (CPU ${fmt(who.cpu50)}/${fmt(who.cpu99)}); autocomplete ${fmt(complete.p50)}/${fmt(complete.p99)} ms (CPU ${fmt(complete.cpu50)}/${fmt(complete.cpu99)})`);
  console.log(`  slowest who (CPU ms, last round): ${who.slowest.join(', ')}\n  slowest autocomplete: ${complete.slowest.join(', ')}`);
  rows.push([
    label,
    String(documents.length),
    String(index.size),
    fmt(buildMs),
    `${fmt(who.p50)} / ${fmt(who.p99)} (CPU ${fmt(who.cpu50)} / ${fmt(who.cpu99)})`,
    `${fmt(complete.p50)} / ${fmt(complete.p99)} (CPU ${fmt(complete.cpu50)} / ${fmt(complete.cpu99)})`,
    `${fmt(forgedWho.p50)} / ${fmt(forgedComplete.p50)}`,
    fmt(addMs),
    `${fmt(toSnapshotMs)} / ${fmt(fromSnapshotMs)}`,
  ]);
}

const header = ['corpus', 'documents', 'entities', 'build ms', 'who p50/p99 ms', 'autocomplete p50/p99 ms', 'forged 6,000-char who/complete ms', 'add one doc + answer ms', 'snapshot to/from ms'];
console.log(`\n| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log(`\n${QUERIES} questions per kind, ${ROUNDS} rounds; medians of per-round percentiles.`);
