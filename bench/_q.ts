import { LiveBriefing } from '../src/engine/live.js';
const live = new LiveBriefing('/work/x10/corpus', { cacheDir: '/work/x10/cache' });
await live.startFromSnapshot();
await live.warm();
const b = live.briefing;
b.quote({ topic: 'election' });
const { Session } = await import('node:inspector/promises');
const s = new Session(); s.connect(); await s.post('Profiler.enable'); await s.post('Profiler.start');
for (const t of ['film', 'music', 'tax', 'football']) { const t0 = performance.now(); const r = b.quote({ topic: t }); console.log(t, (performance.now() - t0).toFixed(0), 'ms', r.quotes.length, 'quotes'); }
const { profile } = await s.post('Profiler.stop');
(await import('node:fs')).writeFileSync('/tmp/q.cpuprofile', JSON.stringify(profile));
await live.close();
