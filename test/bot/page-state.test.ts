import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CUSTOM_ID_MAX, decodePageState, encodePageState, forgetLongArgs } from '../../src/bot/page-state.js';

test('short arguments round-trip through the custom id itself', () => {
  const id = encodePageState({ command: 'timeline', page: 3, slot: 'n', args: { topic: 'missiles & ships', from: '2021' } });
  assert.ok(id.length <= CUSTOM_ID_MAX);
  forgetLongArgs();
  assert.deepEqual(decodePageState(id), { ok: true, state: { command: 'timeline', page: 3, slot: 'n', args: { topic: 'missiles & ships', from: '2021' } } });
});

test('arguments too long for 100 characters are kept under a hash and expire when the bot forgets them', () => {
  const args = { q: 'intermediate-range ballistic missiles deployed to the southwest islands of Japan by the United States army' };
  const id = encodePageState({ command: 'search', page: 1, slot: 'n', args });
  assert.ok(id.length <= CUSTOM_ID_MAX, id);
  assert.deepEqual(decodePageState(id), { ok: true, state: { command: 'search', page: 1, slot: 'n', args } });
  forgetLongArgs();
  assert.deepEqual(decodePageState(id), { ok: false, reason: 'expired', command: 'search' });
});

test('ids that are not page buttons or are malformed are told apart', () => {
  assert.deepEqual(decodePageState('something-else'), { ok: false, reason: 'not-a-page-button' });
  assert.deepEqual(decodePageState('pg|search|-1|n|q=x'), { ok: false, reason: 'malformed' });
  assert.deepEqual(decodePageState('pg|search|1'), { ok: false, reason: 'malformed' });
});

test('arguments containing the separator survive encoding', () => {
  const id = encodePageState({ command: 'quote', page: 0, slot: 'p', args: { speaker: 'a|b' } });
  const decoded = decodePageState(id);
  assert.ok(decoded.ok);
  assert.deepEqual(decoded.state.args, { speaker: 'a|b' });
});
