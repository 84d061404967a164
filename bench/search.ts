/**
 * `npm run bench [-- <bbc dir> [copies] [--no-analyses]]`: search at community scale.
 *
 * Builds about 100,000 passages from the BBC news corpus (2,225 articles,
 * each copied `copies` times with a distinct first line so none is a
 * duplicate), then measures in one run, on the same passages and queries:
 *   - Sitrep's search (exact terms, fuzzy only for unknown terms, prefix on the last),
 *     through the engine (excerpts included) and the index alone, wall clock and CPU time;
 *   - MiniSearch's usual typo-tolerant setting (fuzzy 0.2 and prefix on every term), the baseline,
 *     and how often its top passage is in Sitrep's top 5;
 *   - that stopping early (MaxScore) returns exactly the top 5 of scoring everything;
 *   - building the index here, in a worker thread and in slices, with the longest event-loop stall;
 *   - the snapshot file (documents, analyses, index): size, writing, and a cold start of a fresh
 *     process from it to the first answered search.
 * Analyses are real: each original article is analysed once and the copies get the same analysis
 * with offsets shifted past their first line (`--no-analyses` leaves them empty).
 * Latencies are reported as medians of per-round percentiles over several rounds, with ratios,
 * because the machine is shared and noisy.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import MiniSearch from 'minisearch';
import { buildDocument } from '../src/corpus/document.js';
import { Briefing } from '../src/engine/briefing.js';
import { SearchIndex } from '../src/index/search-index.js';
import { processTerm, tokenizeForSearch } from '../src/index/terms.js';
import { analyseDocument, type DocumentAnalysis } from '../src/analysis/document-analysis.js';
import { ANALYSIS_VERSION } from '../src/engine/analysis-cache.js';
import { writeSnapshot } from '../src/engine/snapshot.js';
import type { CorpusDocument } from '../src/types.js';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const withAnalyses = !process.argv.includes('--no-analyses');
const bbcDir = resolve(args[0] ?? '../shared/benchmarks/bbc');
const copies = Number(args[1] ?? 10);
const ROUNDS = 5;
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
const originalOf: number[] = [];
const shiftOf: number[] = [];
let started = performance.now();
for (let copy = 0; copy < copies; copy++) {
  files.forEach((f, i) => {
    const bytes = readFileSync(join(bbcDir, f));
    const prefix = copy === 0 ? '' : `Edition ${copy}\n`;
    const built = buildDocument(`${copy}/${f}`, Buffer.concat([Buffer.from(prefix), bytes]));
    if (built.ok) {
      documents.push(built.document);
      originalOf.push(i);
      shiftOf.push(prefix.length);
    }
  });
}
const ingestMs = performance.now() - started;

/** A copy of an analysis with every offset (start/end fields) moved by `delta`. */
function shifted<T>(value: T, delta: number): T {
  if (delta === 0) return value;
  if (Array.isArray(value)) return value.map((v: unknown) => shifted(v, delta)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = typeof v === 'number' && /^(?:start|end)$|(?:Start|End)$/.test(k) ? v + delta : shifted(v, delta);
    return out as T;
  }
  return value;
}
started = performance.now();
const originals = new Map<number, DocumentAnalysis>();
const analyses: DocumentAnalysis[] = documents.map((d, i) => {
  if (!withAnalyses) return { dates: [], entities: [], quotes: [] };
  let original = originals.get(originalOf[i]!);
  if (!original) {
    original = analyseDocument(d);
    originals.set(originalOf[i]!, original);
  }
  return shifted(original, shiftOf[i]!);
});
const analyseMs = performance.now() - started;

started = performance.now();
const index = SearchIndex.build(documents);
const indexMs = performance.now() - started;
started = performance.now();
// The engine used for timing has no analyses: building it over real ones is a separate (and, in
// who.ts's entity merging, quadratic) cost, measured by `--engine-analyses` on a small copy count.
const engineWithAnalyses = process.argv.includes('--engine-analyses');
const briefing = new Briefing(documents, index, engineWithAnalyses ? analyses : documents.map(() => ({ dates: [], entities: [], quotes: [] })));
const engineMs = performance.now() - started;

/** Runs `work` while a 1 ms ticker records the longest gap between its ticks (the longest event-loop stall). */
async function withStallMeter<T>(work: () => Promise<T>): Promise<{ result: T; ms: number; stall: number }> {
  let longest = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  const t = performance.now();
  const result = await work();
  const ms = performance.now() - t;
  clearInterval(ticker);
  longest = Math.max(longest, performance.now() - last);
  return { result, ms, stall: longest };
}
const workerBuild = await withStallMeter(() => SearchIndex.buildAsync(documents, { worker: true }));
const slicedBuild = await withStallMeter(() => SearchIndex.buildAsync(documents, { worker: false }));
const sameBuild = JSON.stringify(workerBuild.result.search('prime minister', 5)) === JSON.stringify(index.search('prime minister', 5));

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
  // A word cut short can leave only a stop word ("too"): the engine answers that with a usage message, not a search.
  if (index.queryTerms(words.join(' ')).length > 0) queries.push(words.join(' '));
}

/** Wall-clock and CPU-time percentiles (CPU time leaves out time the process spent waiting for a core). */
function timeQueries(run: (q: string) => unknown, qs: readonly string[]): { p50: number; p99: number; cpu50: number; cpu99: number } {
  const times: number[] = [];
  const cpu: number[] = [];
  for (const q of qs) {
    const c = process.cpuUsage();
    const t = performance.now();
    run(q);
    times.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), cpu50: percentile(cpu, 50), cpu99: percentile(cpu, 99) };
}

type Round = ReturnType<typeof timeQueries>;
const engineRounds: Round[] = [];
const indexRounds: Round[] = [];
const baselineRounds: Round[] = [];

// Sitrep first, all rounds, before the baseline's index fills the heap (its garbage collections
// would otherwise land in Sitrep's timings); the extra indexes built above are let go.
workerBuild.result = index;
slicedBuild.result = index;
for (const q of queries.slice(0, 50)) briefing.search(q);
for (let r = 0; r < ROUNDS; r++) {
  engineRounds.push(timeQueries((q) => briefing.search(q), queries));
  indexRounds.push(timeQueries((q) => index.search(q, 5), queries));
}

// The baseline: MiniSearch's typo-tolerant setting on every term, same passages, same terms;
// in a block, so its index is let go before the snapshots are written (their stalls are measured).
let baselineIndexMs = 0;
let agree = 0;
let agreeByText = 0;
const passageText = (p: { docIndex: number; start: number; end: number }): string => documents[p.docIndex]!.text.slice(p.start, p.end);
{
  // The baseline: MiniSearch's typo-tolerant setting on every term, same passages, same terms.
  const baseline = new MiniSearch<{ id: number; text: string }>({ fields: ['text'], tokenize: tokenizeForSearch, processTerm: (t) => processTerm(t) });
  started = performance.now();
  baseline.addAll(index.passages.map((p) => ({ id: p.id, text: documents[p.docIndex]!.text.slice(p.start, p.end) })));
  baselineIndexMs = performance.now() - started;

  for (const q of queries.slice(0, 5)) baseline.search(q, { fuzzy: 0.2, prefix: true });
  for (let r = 0; r < ROUNDS; r++) {
    baselineRounds.push(timeQueries((q) => baseline.search(q, { fuzzy: 0.2, prefix: true }).slice(0, 5), queries.slice(0, BASELINE_QUERIES)));
  }

  // Recall check: how often the baseline's top passage is in Sitrep's top 5.
  for (const q of queries.slice(0, BASELINE_QUERIES)) {
    const top = baseline.search(q, { fuzzy: 0.2, prefix: true })[0];
    if (!top) {
      agree++;
      agreeByText++;
      continue;
    }
    const ours = index.search(q, 5);
    if (ours.some((h) => h.passage.id === top.id)) agree++;
    // The corpus holds each article `copies` times: an identical copy of the baseline's top passage counts here.
    const wanted = passageText(index.passages[top.id as number]!);
    if (ours.some((h) => passageText(h.passage) === wanted)) agreeByText++;
      }
}

// Stopping early gives exactly the top 5 of scoring every matching passage.
let exact = 0;
let early = 0;
for (const q of queries) {
  const fast = index.search(q, 5);
  if (index.lastSearchStats.closedAtList >= 0) early++;
  if (JSON.stringify(fast) === JSON.stringify(index.search(q, 5, { exhaustive: true }))) exact++;
}

// Snapshots: write them, then start fresh processes from them.
const dir = mkdtempSync(join(tmpdir(), 'sitrep-bench-'));
const corpusId = `bench:${bbcDir}:${copies}`;
const startupScript = fileURLToPath(new URL('./startup.ts', import.meta.url));
type Startup = { boot: number; read: number; engine: number; firstSearch: number; total: number };
async function snapshotRun(name: string, withAnalysesInside: boolean, mode: 'full' | 'read') {
  const file = join(dir, `${name}.bin`);
  const save = await withStallMeter(() =>
    writeSnapshot(file, {
      corpusDir: corpusId,
      analysisVersion: ANALYSIS_VERSION,
      loadOptions: JSON.stringify({ maxFileBytes: null }),
      files: [],
      documents,
      analyses: withAnalysesInside ? analyses : documents.map(() => ({ dates: [], entities: [], quotes: [] })),
      index,
    }),
  );
  const runs: Startup[] = [];
  for (let r = 0; r < 3; r++) {
    const child = spawnSync(process.execPath, [...process.execArgv, startupScript, file, corpusId, mode], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`startup failed: ${child.stderr}`);
    runs.push(JSON.parse(child.stdout.trim().split('\n').pop()!) as Startup);
  }
  const mb = statSync(file).size / 1024 / 1024;
  rmSync(file, { force: true });
  const s = (k: keyof Startup): string => (median(runs.map((x) => x[k])) / 1000).toFixed(2);
  return { save, mb, s };
}
const lean = await snapshotRun('lean', engineWithAnalyses, 'full');
const full = withAnalyses && !engineWithAnalyses ? await snapshotRun('full', true, 'read') : null;
rmSync(dir, { recursive: true, force: true });

const m = (rounds: Round[], k: keyof Round): number => median(rounds.map((x) => x[k]));
const sec = (ms: number): string => (ms / 1000).toFixed(1);
console.log(`corpus: ${documents.length} documents, ${index.size} passages (BBC x${copies}); analyses ${withAnalyses ? `real (${originals.size} originals analysed in ${sec(analyseMs)} s)` : 'empty'}`);
console.log(`ingest: ${sec(ingestMs)} s   index build: ${sec(indexMs)} s (baseline build ${sec(baselineIndexMs)} s)   engine over it: ${sec(engineMs)} s`);
console.log(`build off the event loop: worker ${sec(workerBuild.ms)} s, longest stall ${workerBuild.stall.toFixed(0)} ms${sameBuild ? '' : ' (DIFFERENT RESULTS)'};  slices ${sec(slicedBuild.ms)} s, longest stall ${slicedBuild.stall.toFixed(0)} ms`);
console.log(`queries: ${queries.length} (a quarter misspelt, a fifth cut short), ${ROUNDS} rounds; medians of per-round percentiles`);
const line = (name: string, rounds: Round[]): void =>
  console.log(`  ${name.padEnd(30)} p50 ${fmt(m(rounds, 'p50'))} ms   p99 ${fmt(m(rounds, 'p99'))} ms   (CPU time p50 ${fmt(m(rounds, 'cpu50'))} ms, p99 ${fmt(m(rounds, 'cpu99'))} ms)`);
line('sitrep engine (with excerpts)', engineRounds);
line('sitrep index only', indexRounds);
line(`baseline fuzzy+prefix (${BASELINE_QUERIES} q)`, baselineRounds);
console.log(`  ratio baseline/sitrep-index    p50 ${(m(baselineRounds, 'p50') / m(indexRounds, 'p50')).toFixed(1)}x   p99 ${(m(baselineRounds, 'p99') / m(indexRounds, 'p99')).toFixed(1)}x`);
console.log(`  baseline's top passage in sitrep's top 5: ${agree}/${BASELINE_QUERIES} (the same passage or an identical copy of it: ${agreeByText}/${BASELINE_QUERIES})`);
console.log(`  early termination: ${early}/${queries.length} searches stopped admitting passages early; top 5 identical to exhaustive scoring in ${exact}/${queries.length}`);
console.log(
  `snapshot${engineWithAnalyses ? ' (with analyses)' : ' (analyses empty)'}: ${lean.mb.toFixed(1)} MB, written in ${sec(lean.save.ms)} s (longest stall ${lean.save.stall.toFixed(0)} ms); ` +
    `cold start (fresh process, median of 3): first answer ${lean.s('total')} s after process start = boot ${lean.s('boot')} s + read ${lean.s('read')} s + engine ${lean.s('engine')} s + first search ${lean.s('firstSearch')} s`,
);
if (full) {
  console.log(
    `snapshot with real analyses: ${full.mb.toFixed(1)} MB, written in ${sec(full.save.ms)} s (longest stall ${full.save.stall.toFixed(0)} ms); ` +
      `a fresh process has read it ${full.s('total')} s after start (boot ${full.s('boot')} s + read ${full.s('read')} s); the engine over real analyses is not built here (see --engine-analyses)`,
  );
}
