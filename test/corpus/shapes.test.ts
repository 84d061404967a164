import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { buildDocument, withDocumentPaths } from '../../src/corpus/document.js';
import type { CorpusDocument } from '../../src/types.js';

// V8 gives each object made by a spread with properties added (`{ ...p, role }`) a hidden class of its own: about 200
// bytes more per block and sentence of every built document. These check that the objects a document keeps share one.
setFlagsFromString('--allow-natives-syntax');
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

function page(paragraphs: number): Buffer {
  const lines = ['# Talks on the alliance resume in Tokyo', ''];
  for (let i = 0; i < paragraphs; i++) lines.push(`Officials met for round ${i} of the talks on Monday. They said progress was slow but real, and more meetings would follow.`, '');
  return Buffer.from(lines.join('\n'));
}

function built(name: string, paragraphs: number): CorpusDocument {
  const outcome = buildDocument(name, page(paragraphs), 0);
  assert.ok(outcome.ok);
  return outcome.document;
}

function assertOneShape(objects: readonly object[], what: string): void {
  assert.ok(objects.length > 50, `${what}: only ${objects.length}`);
  const own = objects.filter((o) => !sameMap(o, objects[0]!)).length;
  assert.equal(own, 0, `${own} of ${objects.length} ${what} have a hidden class of their own`);
}

test("a built document's blocks, paragraphs and sentences share one hidden class each, across documents", () => {
  const docs = [built('a.txt', 40), built('b.txt', 30)];
  assertOneShape(docs.flatMap((d) => d.blocks), 'blocks');
  assertOneShape(docs.flatMap((d) => d.paragraphs), 'paragraphs');
  assertOneShape(docs.flatMap((d) => d.sentences), 'sentences');
});

test('documents under other paths share one hidden class with built ones', () => {
  const docs = Array.from({ length: 60 }, (_, i) => built(`d${i}.txt`, 1));
  const moved = docs.map((d, i) => withDocumentPaths(d, [`moved/${i}.txt`, d.doc]));
  assert.equal(moved[3]!.doc, 'moved/3.txt');
  assert.deepEqual(moved[3]!.paths, ['moved/3.txt', 'd3.txt']);
  assert.equal(moved[3]!.text, docs[3]!.text);
  assertOneShape([...docs, ...moved], 'documents');
});
