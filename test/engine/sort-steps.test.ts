import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSteps, sortStringsSteps } from '../../src/steps.js';
import { EntityIndex } from '../../src/engine/who.js';
import { loadCorpus } from '../../src/corpus/load.js';
import { analyseDocument } from '../../src/analysis/document-analysis.js';
import { CORPUS } from '../helpers.js';

test('sorting in steps gives what one sort gives: code-unit order, duplicates kept, for any length and chunk', () => {
  let seed = 3;
  const random = (): number => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const alphabet = ['a', 'b', 'Z', 'é', 'e\u0301', ' ', '日', '😀', 'ab'];
  for (const length of [0, 1, 2, 7, 100, 1000, 4097]) {
    const values = Array.from({ length }, () => Array.from({ length: Math.floor(random() * 4) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
    const expected = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const chunk of [1, 3, 64, 4096]) assert.deepEqual(runSteps(sortStringsSteps(values, chunk)), expected, `${length} values, chunks of ${chunk}`);
  }
  let pauses = 0;
  const steps = sortStringsSteps(Array.from({ length: 20_000 }, (_, i) => String((i * 7919) % 20_000)), 1000);
  while (!steps.next().done) pauses++;
  assert.ok(pauses >= 20, `paused ${pauses} times`);
});

test('an entity table built or revived in steps has its names sorted and its prefix table made: the first autocomplete makes neither', async () => {
  const { documents } = await loadCorpus(CORPUS);
  const built = runSteps(EntityIndex.buildSteps(documents, documents.map((d) => analyseDocument(d).entities)));
  const revived = runSteps(EntityIndex.fromSnapshotSteps(built.toSnapshot(), documents, documents.map((d) => analyseDocument(d).entities)));
  for (const index of [built, revived]) {
    const inside = index as unknown as { pendingKeys: string[]; pendingWords: string[]; prefixes: unknown };
    assert.deepEqual([inside.pendingKeys.length, inside.pendingWords.length], [0, 0]);
    assert.ok(inside.prefixes, 'the prefix table is made');
  }
  // And it answers as the table built at once does.
  const direct = new EntityIndex(documents, documents.map((d) => analyseDocument(d).entities));
  for (const prefix of ['Ki', 'Lin', 'Jap', 'Hegs', 'Tomahwk', 'Austin']) assert.deepEqual(built.complete(prefix, 25), direct.complete(prefix, 25), prefix);
});
