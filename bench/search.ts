/**
 * `npm run bench [-- <bbc dir> [copies]]`: search at community scale.
 *
 * Builds about 100,000 passages from the BBC news corpus (2,225 articles,
 * each copied `copies` times with a distinct first line so none is a
 * duplicate), then measures in one run, on the same passages and queries:
 *   - Sitrep's search (exact terms, fuzzy only for unknown terms, prefix on the last),
 *     through the engine (excerpts included) and the index alone;
 *   - MiniSearch's usual typo-tolerant setting (fuzzy 0.2 and prefix on every term), the baseline;
 *   - saving the index and starting from the saved index.
 * Latencies are reported as medians of per-round p50/p99 over several rounds, with ratios,
 * because the machine is shared and noisy.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import MiniSearch from 'minisearch';
import { buildDocument } from '../src/corpus/document.js';
import { Briefing } from '../src/engine/briefing.js';
import { SearchIndex } from '../src/index/search-index.js';
import { processTerm, tokenizeForSearch } from '../src/index/terms.js';
import type { CorpusDocument } from '../src/types.js';

const bbcDir = resolve(process.argv[2] ?? '../shared/benchmarks/bbc');
const copies = Number(process.argv[3] ?? 10);
const ROUNDS = 3;
const QUERIES = 400;
const BASELINE_QUERIES = 40;

if (!existsSync(bbcDir)) {
  console.error(`bench: BBC folder not found: ${bbcDir}`);
  process.exit(2);
}

// A small deterministic random generator, so every run asks the same questions.
let seed = 42;
function random(): number {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
function fmt(ms: number): string {
  return ms < 10 ? ms.toFixed(3) : ms.toFixed(1);
}

// ---- corpus ----
const files: string[] = [];
for (const topic of readdirSync(bbcDir, { withFileTypes: true })) {
  if (!topic.isDirectory()) continue;
  for (const f of readdirSync(join(bbcDir, topic.name))) if (f.endsWith('.txt')) files.push(join(topic.name, f));
}
files.sort();
const documents: CorpusDocument[] = [];
let started = performance.now();
for (let copy = 0; copy < copies; copy++) {
  for (const f of files) {
    const bytes = readFileSync(join(bbcDir, f));
    const text = Buffer.concat([Buffer.from(copy === 0 ? '' : `Edition ${copy}\n`), bytes]);
    const built = buildDocument(`${copy}/${f}`, text);
    if (built.ok) documents.push(built.document);
  }
}
const ingestMs = performance.now() - started;

started = performance.now();
const index = SearchIndex.build(documents);
const indexMs = performance.now() - started;
const briefing = new Briefing(documents, index, documents.map(() => ({ dates: [], entities: [], quotes: [] })));

// ---- queries: words from real passages, some misspelt, some cut short (typed as they are being typed) ----
const vocabularyWords: string[] = [];
for (let i = 0; i < 3000; i++) {
  const p = pick(index.passages);
  const words = tokenizeForSearch(documents[p.docIndex]!.text.slice(p.start, p.end)).filter((w) => processTerm(w) && w.length >= 4);
  if (words.length > 0) vocabularyWords.push(pick(words));
}
function typo(word: string): string {
  const i = 1 + Math.floor(random() * (word.length - 2));
  return random() < 0.5 ? word.slice(0, i) + word.slice(i + 1) : word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
}
const queries: string[] = [];
for (let i = 0; i < QUERIES; i++) {
  const n = 1 + Math.floor(random() * 3);
  const words = Array.from({ length: n }, () => pick(vocabularyWords));
  const kind = random();
  if (kind < 0.25) words[words.length - 1] = typo(words[words.length - 1]!);
  else if (kind < 0.45) words[words.length - 1] = words[words.length - 1]!.slice(0, Math.max(3, words[words.length - 1]!.length - 2));
  queries.push(words.join(' '));
}

function timeQueries(run: (q: string) => unknown, qs: readonly string[]): { p50: number; p99: number } {
  const times: number[] = [];
  for (const q of qs) {
    const t = performance.now();
    run(q);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

// The baseline: MiniSearch's typo-tolerant setting on every term, same passages, same terms.
const baseline = new MiniSearch<{ id: number; text: string }>({ fields: ['text'], tokenize: tokenizeForSearch, processTerm: (t) => processTerm(t) });
started = performance.now();
baseline.addAll(index.passages.map((p) => ({ id: p.id, text: documents[p.docIndex]!.text.slice(p.start, p.end) })));
const baselineIndexMs = performance.now() - started;

// Warm up the JIT on both.
for (const q of queries.slice(0, 50)) briefing.search(q);
for (const q of queries.slice(0, 5)) baseline.search(q, { fuzzy: 0.2, prefix: true });

const engineRounds: { p50: number; p99: number }[] = [];
const indexRounds: { p50: number; p99: number }[] = [];
const baselineRounds: { p50: number; p99: number }[] = [];
for (let r = 0; r < ROUNDS; r++) {
  engineRounds.push(timeQueries((q) => briefing.search(q), queries));
  indexRounds.push(timeQueries((q) => index.search(q, 5), queries));
  baselineRounds.push(timeQueries((q) => baseline.search(q, { fuzzy: 0.2, prefix: true }).slice(0, 5), queries.slice(0, BASELINE_QUERIES)));
}

// Recall check: how often the baseline's top passage is in Sitrep's top 5.
let agree = 0;
for (const q of queries.slice(0, BASELINE_QUERIES)) {
  const top = baseline.search(q, { fuzzy: 0.2, prefix: true })[0];
  if (!top) {
    agree++;
    continue;
  }
  if (index.search(q, 5).some((h) => h.passage.id === top.id)) agree++;
}

// Save and start from the saved index.
const dir = mkdtempSync(join(tmpdir(), 'sitrep-bench-'));
const file = join(dir, 'index.json');
started = performance.now();
writeFileSync(file, JSON.stringify(index.toJSON()));
const saveMs = performance.now() - started;
const loadTimes: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const t = performance.now();
  SearchIndex.fromJSON(JSON.parse(readFileSync(file, 'utf8')));
  loadTimes.push(performance.now() - t);
}
const sizeMb = readFileSync(file).length / 1024 / 1024;
rmSync(dir, { recursive: true, force: true });

const m = (rounds: { p50: number; p99: number }[], k: 'p50' | 'p99'): number => median(rounds.map((x) => x[k]));
console.log(`corpus: ${documents.length} documents, ${index.size} passages (BBC x${copies})`);
console.log(`ingest: ${(ingestMs / 1000).toFixed(1)} s   index build: ${(indexMs / 1000).toFixed(1)} s (baseline build ${(baselineIndexMs / 1000).toFixed(1)} s)`);
console.log(`queries: ${queries.length} (a quarter misspelt, a fifth cut short), ${ROUNDS} rounds; medians of per-round percentiles`);
console.log(`  sitrep engine (with excerpts)  p50 ${fmt(m(engineRounds, 'p50'))} ms   p99 ${fmt(m(engineRounds, 'p99'))} ms`);
console.log(`  sitrep index only              p50 ${fmt(m(indexRounds, 'p50'))} ms   p99 ${fmt(m(indexRounds, 'p99'))} ms`);
console.log(`  baseline fuzzy+prefix (${BASELINE_QUERIES} q)    p50 ${fmt(m(baselineRounds, 'p50'))} ms   p99 ${fmt(m(baselineRounds, 'p99'))} ms`);
console.log(`  ratio baseline/sitrep-index    p50 ${(m(baselineRounds, 'p50') / m(indexRounds, 'p50')).toFixed(1)}x   p99 ${(m(baselineRounds, 'p99') / m(indexRounds, 'p99')).toFixed(1)}x`);
console.log(`  baseline's top passage in sitrep's top 5: ${agree}/${BASELINE_QUERIES}`);
console.log(`saved index: ${sizeMb.toFixed(1)} MB, save ${(saveMs / 1000).toFixed(1)} s, load median ${(median(loadTimes) / 1000).toFixed(2)} s`);
