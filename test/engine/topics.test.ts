import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCorpus } from '../../src/corpus/load.js';
import { Briefing } from '../../src/engine/briefing.js';
import { tempCorpus } from '../helpers.js';

// A made-up article whose headline names the treaty, but only one paragraph is about it.
const ARTICLE = [
  '---',
  'title: Border Treaty Talks Resume in Valdoria',
  'outlet: The Valdoria Ledger',
  'published: 2024-05-10',
  '---',
  'The two governments signed the river treaty on March 3, 2021, after a decade of talks, officials said.',
  '',
  'A storm flooded the harbour district on April 2, 2024, and the mayor said “we will rebuild every quay before the autumn fairs.”',
  '',
  'The football club opened its new stadium on May 1, 2024, in front of twenty thousand fans.',
  '',
].join('\n');

const OTHER = [
  '---',
  'title: Farm Prices',
  'outlet: The Valdoria Ledger',
  'published: 2024-05-11',
  '---',
  'Grain prices rose sharply on May 8, 2024, as dry weather hit the eastern farms, traders said.',
  '',
  'Farmers’ leader Ilse Marant said “the treaties we signed protect nobody from a drought like this one.”',
  '',
].join('\n');

const briefing = new Briefing((await loadCorpus(tempCorpus({ 'treaty.md': ARTICLE, 'farms.md': OTHER }))).documents);

test('a topic-filtered timeline lists only events in passages about the topic, not every event under its headline', () => {
  const values = briefing.timeline({ topic: 'treaty' }).events.map((e) => e.date.value);
  assert.deepEqual(values, ['2021-03-03']);
  // Without a topic every dated event is there.
  assert.ok(briefing.timeline().events.length >= 4);
});

test('a topic-filtered quote list keeps quotations about the topic (in their words or their passage), not the headline\'s other paragraphs', () => {
  const quotes = briefing.quote({ topic: 'treaty' }).quotes.map((q) => q.text);
  assert.deepEqual(quotes, ['the treaties we signed protect nobody from a drought like this one.']);
  assert.ok(briefing.quote({ topic: 'harbour' }).quotes.some((q) => q.text.startsWith('we will rebuild every quay')));
});

test('search ranks passages holding the query\'s words before those matched only by their headline', () => {
  const { results } = briefing.search('treaty', { limit: 5 });
  assert.ok(results.length >= 2);
  assert.match(results[0]!.text, /treat(y|ies)/i);
  assert.match(results[1]!.text, /treat(y|ies)/i);
  // Headline-only passages come after every passage whose own text has the word.
  const firstWithout = results.findIndex((r) => !/treat(y|ies)/i.test(r.text));
  const lastWith = results.map((r) => /treat(y|ies)/i.test(r.text)).lastIndexOf(true);
  assert.ok(firstWithout === -1 || firstWithout > lastWith, results.map((r) => r.text.slice(0, 40)).join(' | '));
});

test('inflections meet through stems, names keep their form', () => {
  // "signing" finds "signed" (a lower-case word's stem), "treaties" finds "treaty".
  assert.match(briefing.search('signing', { limit: 1 }).results[0]!.text, /signed/);
  assert.match(briefing.search('treaties', { limit: 1 }).results[0]!.text, /treat(y|ies)/);
  // A typo is still forgiven.
  assert.match(briefing.search('stadum', { limit: 1 }).results[0]!.text, /stadium/);
});
