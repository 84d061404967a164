/**
 * `npm run bench:brief [-- <bbc dir>] [--show]`: /brief on a realistic corpus.
 *
 * Loads the BBC news corpus (2,225 articles) through Sitrep's own loader and
 * analysis, gives each article a deterministic "first seen" time spread over
 * 30 days (the BBC files carry no dates; a digest's clock is first-seen time),
 * then measures `brief()` in one run: the whole corpus, windows of 24 hours,
 * 3 days and 1 week, and topics (frequent headline words), each as median of
 * per-round p50/p99 over several rounds. `--show` prints three briefs as text.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBriefing } from '../src/engine/open.js';
import { createLogger } from '../src/log.js';
import { formatBrief } from '../src/cli/format.js';
import type { BriefOptions } from '../src/engine/brief.js';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const dir = resolve(args[0] ?? '../shared/benchmarks/bbc');
const ROUNDS = 5;
const PER_ROUND = 40;
if (!existsSync(dir)) {
  console.error(`bench:brief: BBC folder not found: ${dir}`);
  process.exit(2);
}

let seed = 7;
const random = (): number => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

// Analyses are cached by content hash (as the bot does), so a second run starts at once.
const cacheDir = join(tmpdir(), 'sitrep-bench-brief-cache');
let t = performance.now();
const log = createLogger({ format: 'pretty', level: 'error', write: (line) => console.error(line) });
const { briefing } = await openBriefing(dir, log, { cacheDir });
const { documents } = briefing;
console.log(`corpus: ${documents.length} documents, ${briefing.index.size} passages; opened in ${((performance.now() - t) / 1000).toFixed(1)} s (analyses cached in ${cacheDir})`);

const DAY = 86_400_000;
const now = Date.UTC(2026, 10, 29, 9, 0);
const firstSeen = new Map(documents.map((d) => [d.doc, now - Math.floor(random() * 30 * DAY)]));
const seenOf = (d: { doc: string }): number | null => firstSeen.get(d.doc) ?? null;

// Topics: headline words found in at least 20 headlines.
const counts = new Map<string, number>();
for (const d of documents) for (const w of new Set(d.meta.title.toLowerCase().match(/\p{L}{5,}/gu) ?? [])) counts.set(w, (counts.get(w) ?? 0) + 1);
const topics = [...counts.entries()].filter(([, n]) => n >= 20).map(([w]) => w).sort();

const cases: [string, () => BriefOptions][] = [
  ['whole corpus', () => ({ now })],
  ['since 24h (first-seen)', () => ({ since: '24h', firstSeen: seenOf, now })],
  ['since 3d (first-seen)', () => ({ since: '3d', firstSeen: seenOf, now })],
  ['since 1w (first-seen)', () => ({ since: '1w', firstSeen: seenOf, now })],
  ['topic, whole corpus', () => ({ topic: topics[Math.floor(random() * topics.length)]!, now })],
  ['topic, since 1w', () => ({ topic: topics[Math.floor(random() * topics.length)]!, since: '1w', firstSeen: seenOf, now })],
];

// Warm up once per case (lazy tables, JIT).
for (const [, make] of cases) briefing.brief(make());
console.log(`\n| case | p50 ms | p99 ms |\n|---|---|---|`);
for (const [name, make] of cases) {
  const p50s: number[] = [];
  const p99s: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const times: number[] = [];
    for (let i = 0; i < PER_ROUND; i++) {
      const options = make();
      t = performance.now();
      briefing.brief(options);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    p50s.push(percentile(times, 50));
    p99s.push(percentile(times, 99));
  }
  console.log(`| ${name} | ${median(p50s).toFixed(2)} | ${median(p99s).toFixed(2)} |`);
}
console.log(`(medians over ${ROUNDS} rounds of ${PER_ROUND} briefs; ${topics.length} topics)`);

if (process.argv.includes('--show')) {
  for (const options of [{ now }, { since: '24h', firstSeen: seenOf, now }, { topic: 'election', now }] as BriefOptions[]) {
    console.log(`\n===== brief ${JSON.stringify({ ...options, firstSeen: options.firstSeen ? 'synthetic' : undefined, now: undefined })}\n`);
    console.log(formatBrief(briefing.brief(options)));
  }
}
