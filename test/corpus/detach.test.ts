import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { detached } from '../../src/corpus/detach.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap growth while `kept` slices, one cut from each of 40 fresh 1 MB texts, are held. */
function heldBy(cut: (slice: string) => string): { bytes: number; kept: string[] } {
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept: string[] = [];
  for (let i = 0; i < 40; i++) {
    const text = `${'Officials said the talks would resume. '.repeat(27_000)}#${i}`;
    kept.push(cut(text.slice(500_000 + i, 500_080 + i)));
  }
  gc();
  return { bytes: process.memoryUsage().heapUsed - before, kept };
}

test('a detached slice is the same text and does not keep the text it was cut from', () => {
  assert.equal(detached('Officials said the talks would resume.'), 'Officials said the talks would resume.');
  assert.equal(detached('short'), 'short');
  assert.equal(detached(''), '');
  const views = heldBy((s) => s);
  const own = heldBy(detached);
  assert.deepEqual(own.kept, views.kept);
  // Plain slices keep the 40 texts (about 40 MB); detached ones hold their 80 characters each.
  assert.ok(views.bytes > 30e6, `plain slices held ${views.bytes} bytes`);
  assert.ok(own.bytes < 5e6, `detached slices held ${own.bytes} bytes`);
});
