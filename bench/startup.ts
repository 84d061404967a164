/**
 * `npx tsx bench/startup.ts <snapshot file> <corpus id> [read]`: a cold start
 * from a saved snapshot, as a fresh process sees it. Prints JSON timings (ms):
 * the process's own boot (runtime and modules), reading the snapshot, building
 * the engine over it, and the first answered search (with `read`, only the
 * reading). Run by bench/search.ts.
 */
import { ANALYSIS_VERSION } from '../src/engine/analysis-cache.js';
import { Briefing } from '../src/engine/briefing.js';
import { readSnapshot } from '../src/engine/snapshot.js';

const [path, corpusDir, mode] = process.argv.slice(2);
const boot = performance.now();
const snapshot = await readSnapshot(path!, { corpusDir: corpusDir!, analysisVersion: ANALYSIS_VERSION, loadOptions: JSON.stringify({ maxFileBytes: null }) });
if (!snapshot) {
  console.error('startup: the snapshot could not be read');
  process.exit(1);
}
const read = performance.now();
if (mode === 'read') {
  console.log(JSON.stringify({ boot, read: read - boot, engine: 0, firstSearch: 0, total: read, results: 0 }));
  process.exit(0);
}
const briefing = new Briefing(snapshot.documents, snapshot.index, snapshot.analyses);
const engine = performance.now();
const answer = briefing.search('government plans to cut taxes');
const searched = performance.now();
console.log(JSON.stringify({ boot, read: read - boot, engine: engine - read, firstSearch: searched - engine, total: searched, results: answer.results.length }));
