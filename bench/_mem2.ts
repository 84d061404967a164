import { LiveBriefing } from '../src/engine/live.js';
const live = new LiveBriefing('/work/x10/corpus', { cacheDir: '/work/x10/cache' });
await live.startFromSnapshot();
await live.warm();
const e = live.briefing.entities as unknown as Record<string, unknown>;
for (const [k, v] of Object.entries(e)) {
  if (v instanceof Map || v instanceof Set) {
    let inner = 0;
    if (v instanceof Map) for (const x of v.values()) inner += x instanceof Set || x instanceof Map ? x.size : Array.isArray(x) ? x.length : 1;
    console.log(k, v.size, 'inner', inner);
  } else if (Array.isArray(v)) console.log(k, 'array', v.length);
}
const recs = e.records as { occurrences: unknown[]; keys: Set<string>; wordAliases: Set<string>; roles: Set<string> }[];
let occ = 0, keys = 0, wa = 0, roles = 0;
for (const r of recs) { occ += r.occurrences.length; keys += r.keys.size; wa += r.wordAliases.size; roles += r.roles.size; }
console.log('records', recs.length, 'occurrences', occ, 'keys', keys, 'wordAliases', wa, 'roles', roles);
await live.close();
