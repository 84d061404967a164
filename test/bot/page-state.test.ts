import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodePageState, encodePageState, forgetLongArgs } from '../../src/bot/page-state.js';
import { DISCORD_LIMITS } from '../../src/bot/render.js';

const CUSTOM_ID_MAX = DISCORD_LIMITS.customId;

test('short arguments round-trip through the custom id itself', () => {
  const id = encodePageState({ command: 'timeline', page: 3, slot: 'n', args: { topic: 'missiles & ships', from: '2021' } }, CUSTOM_ID_MAX);
  assert.ok(id.length <= CUSTOM_ID_MAX);
  forgetLongArgs();
  assert.deepEqual(decodePageState(id), { ok: true, state: { command: 'timeline', page: 3, slot: 'n', args: { topic: 'missiles & ships', from: '2021' } } });
});

test('arguments too long for 100 characters are kept under a hash and expire when the bot forgets them', () => {
  const args = { q: 'intermediate-range ballistic missiles deployed to the southwest islands of Japan by the United States army' };
  const id = encodePageState({ command: 'search', page: 1, slot: 'n', args }, CUSTOM_ID_MAX);
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
  const id = encodePageState({ command: 'quote', page: 0, slot: 'p', args: { speaker: 'a|b' } }, CUSTOM_ID_MAX);
  const decoded = decodePageState(id);
  assert.ok(decoded.ok);
  assert.deepEqual(decoded.state.args, { speaker: 'a|b' });
});
