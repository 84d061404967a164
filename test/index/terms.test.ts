import { test } from 'node:test';
import assert from 'node:assert/strict';
import { processTerm, queryTermGroups, groupsMatched, termsOf } from '../../src/index/terms.js';

test('lower-case words are reduced to their English stem, so inflections meet', () => {
  assert.equal(processTerm('missiles'), processTerm('missile'));
  assert.equal(processTerm('deterrence'), processTerm('deterrent'));
  assert.equal(processTerm('negotiating'), processTerm('negotiated'));
});

test('capitalised words keep their surface form (names are not reduced to other words)', () => {
  assert.equal(processTerm('Sanders'), 'sander');
  assert.notEqual(processTerm('Philippines'), processTerm('philippines'));
  assert.equal(processTerm('Hayashi'), 'hayashi');
});

test('a query word stands for its stem and its surface form', () => {
  const groups = queryTermGroups('Missiles launched');
  assert.equal(groups.length, 2);
  // "Missiles" at a sentence start and "missiles" mid-sentence both meet the query word.
  assert.equal(groupsMatched(groups, new Set(termsOf('Missiles were launched.'))), 2);
  assert.equal(groupsMatched(groups, new Set(termsOf('They fired two missiles and launched a drone.'))), 2);
  assert.equal(groupsMatched(groups, new Set(termsOf('The harbour was quiet.'))), 0);
});
