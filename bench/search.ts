/**
 * `npm run bench [-- <bbc dir>] [--scale N] [--single-core-scale N] [--additions N] [--baseline]`:
 * Sitrep at community scale, measured in one run.
 *
 * The corpus is the BBC news corpus (2,225 articles) copied `scale` times
 * (default 10: 22,250 articles, about 107,000 passages). Every copy's text
 * differs — names in each article are permuted and one word in six of six
 * letters or more is replaced by another word of the corpus, deterministically
 * per copy — so the analysis really runs on every article. The copies are
 * written to a temporary corpus folder and the bot's own code paths are
 * timed:
 *
 * - cold build (read, analyse, index, save the snapshot) with all cores and
 *   with one analysis thread (`--single-core-scale` builds that one on a
 *   smaller copy count, said in the output);
 * - start from the saved snapshot in a fresh process running the compiled
 *   engine as `npm start` does (bench/startup.mjs): time
 *   to the first answered search, to the first /who, the longest main-thread
 *   stall while starting, and resident memory;
 * - p50/p99 over several rounds for search, who, autocomplete, timeline and quote;
 * - a new file → its first answer (LiveBriefing.addFiles, and the folder
 *   rescan), with the longest stall while adding one article;
 * - memory across `additions` single-document additions (default 1,000).
 *
 * `npm run bench -- --scale 1` is a quick run for CI-sized checks.
 * The machine may be shared, so read ratios more than absolute times.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import MiniSearch from 'minisearch';
import { LiveBriefing } from '../src/engine/live.js';
import { copier, readOriginals } from './bbc-copies.js';
import { botCommand } from './bot-command.js';
import { SNAPSHOT_FILE } from '../src/engine/snapshot.js';
import { processTerm, tokenizeForSearch } from '../src/index/terms.js';
import type { Briefing } from '../src/engine/briefing.js';

const argv = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? argv[at + 1] : undefined;
};
/**
 * The environment variables and Node flags `npm start` gives the bot, read from package.json: the
 * processes standing for a running bot (start from saved state, additions) are run with them.
 * MALLOC_MMAP_THRESHOLD_ fixes glibc's threshold for mapping a block of its own at its default,
 * 128 KiB; --max-semi-space-size keeps V8's young generation small (see the README's memory notes).
 */
const { env: startEnv, flags: BOT_FLAGS } = botCommand();
const BOT_ENV = { ...process.env, ...startEnv };

const VALUED = new Set(['--scale', '--single-core-scale', '--additions']);
const positional = argv.filter((a, i) => !a.startsWith('--') && !(i > 0 && VALUED.has(argv[i - 1]!)));
const bbcDir = resolve(positional[0] ?? '../shared/benchmarks/bbc');
const scale = Number(option('scale') ?? positional[1] ?? 10);
const singleScale = Number(option('single-core-scale') ?? scale);
const additions = Number(option('additions') ?? (scale >= 10 ? 1000 : 200));
const withBaseline = argv.includes('--baseline');
const ROUNDS = 5;
const QUERIES = 400;

if (!existsSync(bbcDir)) {
  console.error(`bench: BBC folder not found: ${bbcDir}`);
  process.exit(2);
}
for (const [name, value] of [['scale', scale], ['single-core-scale', singleScale], ['additions', additions]] as const) {
  if (!Number.isInteger(value) || value < (name === 'additions' ? 0 : 1)) {
    console.error(`bench: --${name} must be a whole number`);
    process.exit(2);
  }
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
const fmt = (ms: number): string => (ms < 10 ? ms.toFixed(3) : ms.toFixed(1));
const sec = (ms: number): string => (ms / 1000).toFixed(1);
const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0);
const log = (line: string): void => console.log(line);

// ---- the corpus: BBC × scale, each copy's text distinct ----
const originals = readOriginals(bbcDir);
const { variant, writeCorpus: writeCopies } = copier(originals);
const work = mkdtempSync(join(tmpdir(), 'sitrep-bench-'));
const writeCorpus = (copies: number, name: string): string => writeCopies(join(work, name), copies);

/** Runs `task` while a 1 ms ticker records the longest gap between its ticks (the longest event-loop stall). */
async function withStallMeter<T>(task: () => Promise<T>): Promise<{ result: T; ms: number; stall: number }> {
  let longest = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  const started = performance.now();
  const result = await task();
  const ms = performance.now() - started;
  clearInterval(ticker);
  longest = Math.max(longest, performance.now() - last);
  return { result, ms, stall: longest };
}

const threads = availableParallelism();
log(`bench: BBC x${scale} (${originals.length * scale} articles, every copy's text distinct); ${threads} cores here; work folder ${work}`);
let started = performance.now();
const corpusDir = writeCorpus(scale, 'corpus');
log(`corpus written in ${sec(performance.now() - started)} s`);

// ---- cold build, all cores, then one thread ----
const cacheDir = join(work, 'cache');
let answerable = 0;
const coldStart = performance.now();
const heapAfterGc = (): number => {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
};
const cold = await withStallMeter(async () => {
  const live = new LiveBriefing(corpusDir, { cacheDir, analysisThreads: threads });
  live.onChange(() => (answerable ||= performance.now() - coldStart));
  await live.refresh();
  return live;
});
// Read once the stall meter has stopped: a forced full collection of the built corpus's heap held the loop up to a second.
// (The swap to the saved documents that lowers it reads them from the file first: not yet done.)
const heapBuilt = heapAfterGc();
const coldLive = cold.result;
// Counts only: holding the built Briefing would keep it alive after its snapshot answers instead.
const builtDocuments = coldLive.briefing.documents.length;
const builtPassages = coldLive.briefing.index.size;
log(
  `cold build, ${threads} analysis threads: answering after ${sec(answerable)} s, snapshot saved after ${sec(cold.ms)} s, for ${builtDocuments} documents, ${builtPassages} passages ` +
    `(read, analyse, index; then the name tables and the save; longest stall ${cold.stall.toFixed(0)} ms); snapshot ${mb(statSync(join(cacheDir, SNAPSHOT_FILE)).size)} MB`,
);
{
  // Then the build takes its saved documents in place of its own (LiveBriefing.answerFromSaved): the heap it leaves.
  started = performance.now();
  await coldLive.idle();
  const swapMs = performance.now() - started;
  const heapSwapped = heapAfterGc();
  await coldLive.close();
  log(`after the cold build: main-thread heap ${mb(heapBuilt)} MB with the built corpus, ${mb(heapSwapped)} MB once it holds its saved documents instead (read and swapped in ${sec(swapMs)} s)`);
}
{
  const singleDir = singleScale === scale ? corpusDir : writeCorpus(singleScale, 'single');
  const single = await withStallMeter(async () => {
    const live = new LiveBriefing(singleDir, { cacheDir: join(work, 'cache-1'), analysisThreads: 1 });
    await live.refresh();
    await live.close();
    return live.briefing.documents.length;
  });
  log(`cold build, 1 analysis thread: ${sec(single.ms)} s for ${single.result} documents${singleScale === scale ? '' : ` (BBC x${singleScale})`}; ratio ${(single.ms / (single.result / builtDocuments) / cold.ms).toFixed(2)}x the all-core time per document`);
  rmSync(join(work, 'cache-1'), { recursive: true, force: true });
}

// ---- start from the saved snapshot, in a fresh process ----
// Measured on the compiled engine, as `npm start` runs it (built here first).
const startupScript = fileURLToPath(new URL('./startup.mjs', import.meta.url));
{
  const build = spawnSync('npm', ['run', 'build'], { encoding: 'utf8', cwd: fileURLToPath(new URL('..', import.meta.url)) });
  if (build.status !== 0) throw new Error(`bench: npm run build failed: ${build.stderr}`);
}
type Startup = { boot: number; firstAnswer: number; firstWho: number; stall: number; rss: number; rssWarm: number; heapWarm: number; briefAhead: number; firstBrief: number; rssAll: number; rssIdle: number };
const startups: Startup[] = [];
for (let r = 0; r < 3; r++) {
  const child = spawnSync(process.execPath, [...BOT_FLAGS, '--expose-gc', startupScript, corpusDir, cacheDir], { encoding: 'utf8', env: BOT_ENV });
  if (child.status !== 0) throw new Error(`startup failed: ${child.stderr}`);
  startups.push(JSON.parse(child.stdout.trim().split('\n').pop()!) as Startup);
}
const s = (k: keyof Startup): number => median(startups.map((x) => x[k]));
log(
  `start from saved state (fresh process, median of 3): first search answered ${sec(s('firstAnswer'))} s after process start (runtime and modules ${sec(s('boot'))} s); ` +
    `first /who ${sec(s('firstWho'))} s; longest main-thread stall while starting ${s('stall').toFixed(0)} ms; ` +
    `resident memory ${mb(s('rss'))} MB at the first answer, ${mb(s('rssWarm'))} MB with every table built (heap ${mb(s('heapWarm'))} MB), ` +
    `${mb(s('rssAll'))} MB after a whole-corpus /brief read every document's entities (that first brief: ${sec(s('briefAhead'))} s reading ahead in slices, then ${sec(s('firstBrief'))} s), ` +
    `${mb(s('rssIdle'))} MB after 12 s idle`,
);

// ---- commands: p50/p99 over rounds ----
const live = new LiveBriefing(corpusDir, { cacheDir, analysisThreads: threads });
await live.start();
await live.refresh();
await live.warm();
// After the name tables, the answers of the most mentioned names are made in the background (as the bot does after a start).
started = performance.now();
await live.idle();
log(`/who answers of the most mentioned names made in the background in ${sec(performance.now() - started)} s`);
const briefing: Briefing = live.briefing;
const words: string[] = [];
for (let i = 0; i < 3000; i++) {
  const p = pick(briefing.index.passages);
  const found = tokenizeForSearch(briefing.documents[p.docIndex]!.text.slice(p.start, p.end)).filter((w) => processTerm(w) && w.length >= 4);
  if (found.length > 0) words.push(pick(found));
}
function typo(word: string): string {
  const i = 1 + Math.floor(random() * (word.length - 2));
  return random() < 0.5 ? word.slice(0, i) + word.slice(i + 1) : word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
}
const searches: string[] = [];
for (let i = 0; i < QUERIES; i++) {
  const n = 1 + Math.floor(random() * 3);
  const q = Array.from({ length: n }, () => pick(words));
  const kind = random();
  if (kind < 0.25) q[q.length - 1] = typo(q[q.length - 1]!);
  else if (kind < 0.45) q[q.length - 1] = q[q.length - 1]!.slice(0, Math.max(3, q[q.length - 1]!.length - 2));
  // A word cut short can leave only a stop word ("too"): the engine answers that with a usage message, not a search.
  if (briefing.index.queryTerms(q.join(' ')).length > 0) searches.push(q.join(' '));
}
const names = briefing.entities.names();
// /who keeps each answer once made: every round (and the warm-up) asks names of its own, drawn without
// replacement from the 3,000 most mentioned, so each round times first asks, not answers kept from the last.
const whoPool = names.slice(0, 3000);
for (let i = whoPool.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [whoPool[i], whoPool[j]] = [whoPool[j]!, whoPool[i]!];
}
const whoRounds = Array.from({ length: ROUNDS + 1 }, (_, r) =>
  whoPool.slice((r * whoPool.length) / (ROUNDS + 1), ((r + 1) * whoPool.length) / (ROUNDS + 1)).map((name) => {
    const kind = random();
    return kind < 0.25 && name.length > 5 ? typo(name) : kind < 0.4 ? name.split(' ').at(-1)! : name;
  }),
);
let whoRound = 0;
const prefixes = Array.from({ length: QUERIES }, () => {
  const name = pick(names.slice(0, 2000));
  return name.slice(0, 1 + Math.floor(random() * Math.min(8, name.length)));
});
const topics = Array.from({ length: 100 }, () => pick(words));
const years = Array.from({ length: 100 }, () => String(1990 + Math.floor(random() * 15)));
const speakers = Array.from({ length: 100 }, () => pick(names.slice(0, 500)));

type Round = { p50: number; p99: number };
function timeRuns<T>(items: readonly T[], run: (item: T) => unknown): Round {
  const times: number[] = [];
  for (const item of items) {
    const t = performance.now();
    try {
      run(item);
    } catch {
      // A query the engine refuses (a user error) is still timed.
    }
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}
const commands: [string, () => Round][] = [
  ['search (with excerpts)', () => timeRuns(searches, (q) => briefing.search(q))],
  ['who (first asks; a quarter misspelt)', () => timeRuns(whoRounds[whoRound++ % whoRounds.length]!, (q) => briefing.who(q))],
  ['autocomplete (who)', () => timeRuns(prefixes, (q) => briefing.completeNames(q))],
  ['timeline topic', () => timeRuns(topics, (q) => briefing.timeline({ topic: q }))],
  ['timeline from/to', () => timeRuns(years, (y) => briefing.timeline({ from: y, to: String(Number(y) + 1) }))],
  ['quote speaker', () => timeRuns(speakers, (q) => briefing.quote({ speaker: q }))],
  ['quote topic', () => timeRuns(topics, (q) => briefing.quote({ topic: q }))],
  ['brief (whole corpus)', () => timeRuns(Array.from({ length: 20 }, () => null), () => briefing.brief({}))],
  ['brief topic', () => timeRuns(topics.slice(0, 40), (q) => briefing.brief({ topic: q }))],
  ['brief window (a quarter)', () => timeRuns(years.slice(0, 40), (y) => briefing.brief({ since: `${y}-01-01`, until: `${y}-03-31` }))],
];
log(`commands (${ROUNDS} rounds; medians of per-round percentiles):`);
for (const [name, run] of commands) {
  run();
  const rounds = Array.from({ length: ROUNDS }, run);
  log(`  ${name.padEnd(26)} p50 ${fmt(median(rounds.map((r) => r.p50)))} ms   p99 ${fmt(median(rounds.map((r) => r.p99)))} ms`);
}

// ---- a new file → its first answer ----
const feedDir = join(corpusDir, 'feed');
mkdirSync(feedDir, { recursive: true });
const fresh = (n: number): { path: string; word: string } => {
  const word = `zqx${n.toString(36)}marker`;
  const o = originals[n % originals.length]!;
  const path = `feed/new-${n}.txt`;
  writeFileSync(join(corpusDir, path), `${variant(o.text, 100 + n)}\n\nThe ${word} report was filed today.\n`, 'latin1');
  return { path, word };
};
const adds: { ms: number; stall: number }[] = [];
for (let n = 0; n < 10; n++) {
  const { path, word } = fresh(n);
  const run = await withStallMeter(async () => {
    await live.addFiles([path]);
    if (!live.briefing.search(word).results.some((r) => r.source.doc === path)) throw new Error(`bench: ${path} not answerable after addFiles`);
  });
  adds.push(run);
}
const rescans: number[] = [];
for (let n = 10; n < 13; n++) {
  const { path, word } = fresh(n);
  const t = performance.now();
  await live.refresh();
  if (!live.briefing.search(word).results.some((r) => r.source.doc === path)) throw new Error(`bench: ${path} not answerable after a rescan`);
  rescans.push(performance.now() - t);
}
const whoAfter = await withStallMeter(async () => live.briefing.who(names[0]!));
log(
  `new article → first answer (addFiles, median of ${adds.length}): ${fmt(median(adds.map((a) => a.ms)))} ms, longest stall while adding ${fmt(Math.max(...adds.map((a) => a.stall)))} ms; ` +
    `by the folder rescan: ${fmt(median(rescans))} ms; the first /who after a change rebuilds the name table: ${fmt(whoAfter.ms)} ms`,
);

await live.close();

// ---- memory across single-document additions, in a bot process of its own ----
if (additions > 0) {
  const script = fileURLToPath(new URL('./additions.mjs', import.meta.url));
  const sources = originals.slice(0, 50).map((o) => join(bbcDir, o.path));
  const child = spawnSync(process.execPath, [...BOT_FLAGS, '--expose-gc', script, corpusDir, cacheDir, String(additions), ...sources], { encoding: 'utf8', maxBuffer: 1 << 24, env: BOT_ENV });
  if (child.status !== 0) throw new Error(`additions failed: ${child.stderr}`);
  const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as { points: { at: number | string; rss: number; heap: number; rssIdle: number }[]; msPerAddition: number };
  log(
    `memory across ${additions} single-document additions (a bot process from the snapshot, tables built; resident after gc, then after 12 s idle; main-thread heap): ` +
      `${result.points.map((p) => `${p.at}: ${mb(p.rss)} → ${mb(p.rssIdle)} MB (heap ${mb(p.heap)})`).join(', ')}; median ${fmt(result.msPerAddition)} ms per addition`,
  );
}

// ---- optional: MiniSearch baseline ----
if (withBaseline) {
  const baseline = new MiniSearch<{ id: number; text: string }>({ fields: ['text'], tokenize: tokenizeForSearch, processTerm: (term) => processTerm(term) });
  started = performance.now();
  baseline.addAll(briefing.index.passages.map((p) => ({ id: p.id, text: briefing.documents[p.docIndex]!.text.slice(p.start, p.end) })));
  log(`baseline MiniSearch build ${sec(performance.now() - started)} s`);
  const rounds = Array.from({ length: ROUNDS }, () => timeRuns(searches.slice(0, 40), (q) => baseline.search(q, { fuzzy: 0.2, prefix: true }).slice(0, 5)));
  log(`  baseline fuzzy+prefix (40 q) p50 ${fmt(median(rounds.map((r) => r.p50)))} ms   p99 ${fmt(median(rounds.map((r) => r.p99)))} ms`);
}
rmSync(work, { recursive: true, force: true });
