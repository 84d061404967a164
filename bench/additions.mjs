/**
 * `node --expose-gc bench/additions.mjs <corpus dir> <cache dir> <count> <text files>`: a bot
 * process (the compiled engine, started from the saved snapshot, its tables
 * built) taking `count` new articles one at a time through
 * `LiveBriefing.addFiles`, as fetched articles arrive; run by bench/search.ts.
 * Each new article is one of the given text files with a line of its own
 * added (so its content is new). Prints JSON: resident memory after garbage
 * collection (and the main thread's heap), and again after 12 s without work
 * (`rssIdle`), before, at each quarter (once a merge or save under way
 * has finished: what the engine keeps, not what work in flight holds), after the
 * final merge and once the analysis threads have stopped, and the median
 * milliseconds per addition.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [corpusDir, cacheDir, countText, ...sources] = process.argv.slice(2);
const count = Number(countText);
const { LiveBriefing } = await import('../dist/src/engine/live.js');
// FETCHED_DIR as the bot has it (it is part of what a snapshot was built for).
const live = new LiveBriefing(corpusDir, { cacheDir, ...(process.env.FETCHED_DIR ? { fetchedDir: process.env.FETCHED_DIR } : {}) });
if (!(await live.startFromSnapshot())) {
  console.error('additions: no valid snapshot');
  process.exit(1);
}
await live.refresh();
await live.warm();
// What the start set going in the background (the vocabulary's tree, the most asked /who answers) is done.
await live.idle();
const texts = sources.map((path) => readFileSync(path, 'latin1'));
/**
 * Resident memory once garbage is collected and the collector's helper threads have given the freed
 * pages back (read at once after gc(), it still counts 100-200 MB at BBC x10 that is about to go).
 */
const sample = async () => {
  for (let i = 0; i < 2; i++) {
    globalThis.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return process.memoryUsage().rss;
};
const heap = () => process.memoryUsage().heapUsed;
/**
 * Resident memory once the process has had nothing to do for a while: V8's memory reducer then
 * compacts the heap (a collection forced by gc() leaves the pages that live objects are spread
 * over: at BBC x10, 75 MB of heap pages mostly empty). What a bot holds between arrivals.
 */
const IDLE_MS = 12_000;
const idle = async () => {
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  return process.memoryUsage().rss;
};
mkdirSync(join(corpusDir, 'arrivals'), { recursive: true });
/** Names this run's files apart from an earlier run's over the same folder. */
const RUN = Date.now().toString(36);
const points = [{ at: 0, rss: await sample(), heap: heap(), rssIdle: await idle() }];
const times = [];
for (let n = 0; n < count; n++) {
  const path = `arrivals/${RUN}-${n}.txt`;
  writeFileSync(join(corpusDir, path), `${texts[n % texts.length]}\n\nArrival ${n} of run ${RUN} was filed as report zq${n.toString(36)}x today.\n`, 'latin1');
  const started = performance.now();
  await live.addFiles([path]);
  times.push(performance.now() - started);
  if ((n + 1) % Math.max(1, Math.floor(count / 4)) === 0) {
    // What the engine keeps, once a merge or snapshot save under way (which holds a second index or the file's sections for a while) is done.
    await live.idle();
    points.push({ at: n + 1, rss: await sample(), heap: heap(), rssIdle: await idle() });
  }
}
await live.merge();
points.push({ at: 'merged', rss: await sample(), heap: heap(), rssIdle: await idle() });
// The analysis pool's threads (their heaps count in this process's resident memory) stop after 30 s without work.
await new Promise((resolve) => setTimeout(resolve, 35_000));
points.push({ at: 'pool stopped', rss: await sample(), heap: heap(), rssIdle: await idle() });
await live.close();
times.sort((a, b) => a - b);
console.log(JSON.stringify({ points, msPerAddition: times[Math.floor(times.length / 2)] ?? 0 }));
