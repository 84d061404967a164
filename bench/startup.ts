/**
 * `npx tsx bench/startup.ts <corpus dir> <cache dir>`: a bot's start from the
 * saved snapshot, as a fresh process sees it (run by bench/search.ts). Prints
 * JSON, times in ms since the process started: `boot` (runtime and
 * modules), `firstAnswer` (the first search answered), `firstWho` (the name
 * table built in the background, then a /who answered), the longest
 * main-thread stall from boot until the background verification of the
 * folder has finished, and resident memory at the first answer and with
 * every table built.
 */
import { LiveBriefing } from '../src/engine/live.js';

const [corpusDir, cacheDir] = process.argv.slice(2) as [string, string];
const boot = performance.now();
let longest = 0;
let last = performance.now();
const ticker = setInterval(() => {
  const now = performance.now();
  longest = Math.max(longest, now - last);
  last = now;
}, 1);

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
const name = live.briefing.entities.names()[0] ?? 'Blair';
live.briefing.who(name);
const firstWho = performance.now();
await live.refresh(); // the background verification started by startFromSnapshot
clearInterval(ticker);
(globalThis as { gc?: () => void }).gc?.();
const memory = process.memoryUsage();
await live.close();
console.log(JSON.stringify({ boot, firstAnswer, firstWho, stall: longest, rss, rssWarm: memory.rss, heapWarm: memory.heapUsed }));
