import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Buckets } from '../../src/engine/buckets.js';

const a = { name: 'a' };
const b = { name: 'b' };
const c = { name: 'c' };

test('buckets: values come back in the order they were added, once each, whatever the bucket size', () => {
  const buckets = new Buckets<string, { name: string }>();
  assert.deepEqual([...buckets.get('k')], []);
  buckets.add('k', a);
  buckets.add('k', a);
  assert.deepEqual([...buckets.get('k')], [a]);
  assert.equal(buckets.count('k'), 1);
  buckets.add('k', b);
  buckets.add('k', c);
  buckets.add('k', b);
  assert.deepEqual([...buckets.get('k')], [a, b, c]);
  assert.equal(buckets.count('k'), 3);
  assert.ok(buckets.contains('k', c));
  assert.ok(!buckets.contains('other', c));
});

test('buckets: removing shrinks a bucket back to one value and then drops it; the rest keep their order', () => {
  const buckets = new Buckets<number, { name: string }>();
  for (const v of [a, b, c]) buckets.add(7, v);
  buckets.remove(7, b);
  assert.deepEqual([...buckets.get(7)], [a, c]);
  buckets.remove(7, a);
  assert.deepEqual([...buckets.get(7)], [c]);
  assert.equal(buckets.count(7), 1);
  buckets.remove(7, a);
  assert.deepEqual([...buckets.get(7)], [c], 'removing a value that is not there changes nothing');
  buckets.add(7, a);
  assert.deepEqual([...buckets.get(7)], [c, a]);
  buckets.remove(7, c);
  buckets.remove(7, a);
  assert.ok(!buckets.has(7));
  assert.equal(buckets.count(7), 0);
  buckets.add(8, a);
  buckets.add(8, b);
  buckets.delete(8);
  assert.deepEqual([...buckets.get(8)], []);
});
