/**
 * `node bench/startup.mjs <corpus dir> <cache dir>`: a bot's start from the
 * saved snapshot as `npm start` runs it — the compiled engine (dist/, made by
 * `npm run build`), no TypeScript loader — in a fresh process (run by
 * bench/search.ts). Prints JSON, times in ms since the process started:
 * `boot` (runtime and the engine's modules loaded), `firstAnswer` (the first search answered),
 * `firstWho` (the name tables built in the background, then a /who
 * answered), the longest main-thread stall from boot until the background
 * reads and the verification of the folder have finished, and resident
 * memory at the first answer, with every table built, and after a
 * whole-corpus /brief, which reads every document's entities (`briefAhead`: reading them ahead in
 * slices, as the command does; `firstBrief`: the brief itself after that), and
 * then after 12 s without work (`rssIdle`).
 */
const [corpusDir, cacheDir] = process.argv.slice(2);
let longest = 0;
let last = performance.now();
const ticker = setInterval(() => {
  const now = performance.now();
  longest = Math.max(longest, now - last);
  last = now;
}, 1);

const { LiveBriefing } = await import('../dist/src/engine/live.js');
const boot = performance.now();
const live = new LiveBriefing(corpusDir, { cacheDir });
if (!(await live.startFromSnapshot())) {
  console.error('startup: no valid snapshot');
  process.exit(1);
}
const answer = live.briefing.search('government plans to cut taxes');
const firstAnswer = performance.now();
const rss = process.memoryUsage().rss;
if (answer.results.length === 0) throw new Error('startup: the first search found nothing');
await live.warm();
const name = live.briefing.entities.names(1)[0] ?? 'Blair';
live.briefing.who(name);
const firstWho = performance.now();
await live.refresh(); // the background verification started by startFromSnapshot
await live.close(); // waits for the background reads
clearInterval(ticker);
/** Collects garbage and waits for the collector's threads to give the freed pages back (read at once, resident memory still counts them). */
const settled = async () => {
  for (let i = 0; i < 2; i++) {
    globalThis.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return process.memoryUsage();
};
const memory = await settled();
// A whole-corpus /brief reads every document's entities (kept once read): the most an answer adds.
// It reads ahead in slices first, as the /brief command does (prepareBrief), then briefs.
let briefStarted = performance.now();
await live.briefing.prepareBrief({});
const briefAhead = performance.now() - briefStarted;
briefStarted = performance.now();
live.briefing.brief({});
const firstBrief = performance.now() - briefStarted;
const rssAll = (await settled()).rss;
// Once the process has had nothing to do for a while, V8's memory reducer compacts the heap (gc() leaves
// the pages its live objects are spread over): what an idle bot holds.
await new Promise((resolve) => setTimeout(resolve, 12_000));
const rssIdle = process.memoryUsage().rss;
console.log(JSON.stringify({ boot, firstAnswer, firstWho, stall: longest, rss, rssWarm: memory.rss, heapWarm: memory.heapUsed, briefAhead, firstBrief, rssAll, rssIdle }));
