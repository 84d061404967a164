/**
 * Child process for test/engine/shutdown.test.ts: writes snapshots of one
 * Briefing over and over into CACHE_DIR/snapshot.bin, printing a line before
 * and after each. On SIGTERM it finishes the write in progress, then prints
 * whether one was in progress and exits 0. Usage: <cacheDir> <corpusDir>.
 */
import { join, resolve } from 'node:path';
import { loadCorpus } from '../../src/corpus/load.js';
import { Briefing } from '../../src/engine/briefing.js';
import { SNAPSHOT_FILE, writeSnapshot } from '../../src/engine/snapshot.js';
import type { CorpusDocument } from '../../src/types.js';

const [cacheDir, corpusDir] = process.argv.slice(2) as [string, string];
const loaded = await loadCorpus(corpusDir);
// Many copies (distinct names), so one write takes a while; analyses are left empty (not what is tested here).
const documents: CorpusDocument[] = [];
for (let copy = 0; copy < 60; copy++) for (const d of loaded.documents) documents.push({ ...d, doc: `${copy}/${d.doc}`, paths: [`${copy}/${d.doc}`], hash: `${copy}:${d.hash}` });
const briefing = new Briefing(documents, undefined, documents.map(() => ({ dates: [], entities: [], quotes: [] })));
const path = join(cacheDir, SNAPSHOT_FILE);
let writing: Promise<number> | null = null;
let stopping = false;
process.on('SIGTERM', () => {
  stopping = true;
  const inProgress = writing !== null;
  void (writing ?? Promise.resolve(0)).then(() => {
    process.stdout.write(`stopped ${inProgress ? 'mid-write' : 'between writes'}\n`);
    process.exit(0);
  });
});
for (let round = 0; !stopping; round++) {
  process.stdout.write(`writing ${round}\n`);
  writing = writeSnapshot(path, { corpusDir: resolve(corpusDir), analysisVersion: 'test', loadOptions: 'test', files: [], briefing });
  await writing;
  writing = null;
  process.stdout.write(`written ${round}\n`);
}
