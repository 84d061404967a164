import { LiveBriefing } from '../src/engine/live.js';
const live = new LiveBriefing('/work/x10/corpus', { cacheDir: '/work/x10/cache' });
await live.startFromSnapshot();
await live.warm();
const b = live.briefing;
let seed = 42;
const random = () => { seed = (seed * 1664525 + 1013904223) >>> 0; return seed / 2 ** 32; };
const names = b.entities.names(2000);
const prefixes = Array.from({ length: 400 }, () => { const n = names[Math.floor(random() * names.length)]!; return n.slice(0, 1 + Math.floor(random() * Math.min(8, n.length))); });
for (let round = 0; round < 3; round++) {
  const times: [number, string][] = [];
  for (const p of prefixes) { const t = performance.now(); b.completeNames(p); times.push([performance.now() - t, p]); }
  times.sort((x, y) => x[0] - y[0]);
  console.log('p50', times[200]![0].toFixed(3), 'p99', times[396]![0].toFixed(3), 'worst', times.slice(-6).map(([t, p]) => `${p}:${t.toFixed(1)}`).join(' '));
}
await live.close();
