import { LiveBriefing } from '../src/engine/live.js';
const live = new LiveBriefing('/work/x10/corpus', { cacheDir: '/work/x10/cache' });
await live.startFromSnapshot();
await live.warm();
const b = live.briefing;
for (const p of ['Christ', 'Brit', 'Y', 'Jon', 'Ka', 'I', 'Pete']) {
  const ts: number[] = [];
  for (let i = 0; i < 20; i++) { const t = performance.now(); b.completeNames(p); ts.push(performance.now() - t); }
  ts.sort((a, c) => a - c);
  console.log(p, 'min', ts[0]!.toFixed(2), 'med', ts[10]!.toFixed(2), 'max', ts[19]!.toFixed(2));
}
await live.close();
