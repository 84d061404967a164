import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { AnalysisPool } from '../../src/engine/analysis-pool.js';
import { BACKGROUND_NICE } from '../../src/engine/background.js';
import { SearchIndex } from '../../src/index/search-index.js';
import { loadCorpus } from '../../src/corpus/load.js';
import { CORPUS } from '../helpers.js';

/** Nice values of this process's threads, by thread id (Linux: field 19 of /proc/self/task/<tid>/stat). */
function threadNice(): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
      out.set(Number(tid), Number(fields[16]));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return out;
}

test('the analysis pool and index builds run at background priority; the thread answering Discord keeps its own', { skip: !existsSync('/proc/self/task') }, async () => {
  const before = threadNice();
  assert.equal(getPriority(), 0);
  const { documents } = await loadCorpus(CORPUS);
  const pool = new AnalysisPool(2);
  try {
    await pool.analyse(documents.slice(0, 4));
    const lowered = [...threadNice()].filter(([tid, nice]) => !before.has(tid) && nice === BACKGROUND_NICE);
    assert.ok(lowered.length >= 2, `threads at nice ${BACKGROUND_NICE}: ${lowered.length}`);
  } finally {
    await pool.close();
  }
  assert.equal(getPriority(), 0, 'the main thread is not lowered');
  assert.equal(threadNice().get(process.pid), 0);
  // The index build worker lowers its priority the same way; what it builds is unchanged.
  const inWorker = await SearchIndex.buildAsync(documents, { worker: true });
  assert.deepEqual(inWorker.toBinary(), SearchIndex.build(documents).toBinary());
  assert.equal(getPriority(), 0);
});
