import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCorpus } from '../../src/corpus/load.js';
import { Briefing, MAX_QUERY_CHARS } from '../../src/engine/briefing.js';
import { SitrepError } from '../../src/engine/errors.js';
import { SearchIndex } from '../../src/index/search-index.js';
import { CORPUS, devGold } from '../helpers.js';
import type { Excerpt } from '../../src/types.js';

const corpus = await loadCorpus(CORPUS);
const briefing = new Briefing(corpus.documents);
const files = new Map(corpus.documents.map((d) => [d.doc, readFileSync(join(CORPUS, d.doc), 'utf8')]));

function assertVerbatim(excerpt: Excerpt): void {
  const file = files.get(excerpt.source.doc);
  assert.ok(file !== undefined, `unknown doc ${excerpt.source.doc}`);
  assert.equal(file.slice(excerpt.source.start, excerpt.source.end), excerpt.text);
}

describe('search', () => {
  test('a misspelt "Tomahwk" finds the Tomahawk passages first', () => {
    const { results } = briefing.search('Tomahwk');
    assert.ok(results.length >= 2);
    for (const r of results.slice(0, 2)) assert.match(r.text, /Tomahawk/);
  });

  test('the last term matches as a prefix ("Kish" finds Kishida)', () => {
    const { results } = briefing.search('Kish');
    assert.ok(results.length > 0);
    assert.match(results[0]!.text, /Kishida/);
  });

  test('every dev-gold search question has an expected document in the top 3', () => {
    for (const q of devGold().search) {
      const top = briefing.search(q.query, { limit: 3 }).results.map((r) => r.source.doc.slice(0, 3));
      assert.ok(q.docs_any.some((d) => top.includes(d)), `${q.id} "${q.query}" → ${top.join(', ')}`);
    }
  });

  test('results carry the full citation: document, title, outlet, date and paragraph', () => {
    const hit = briefing.search('security treaty largest scale').results.find((r) => r.source.doc.startsWith('003'));
    assert.ok(hit);
    assert.equal(hit.source.outlet, 'Global Times');
    assert.equal(hit.source.published, '2024-03-27');
    assert.match(hit.source.title, /^be vigilant!/);
    assert.ok(typeof hit.source.paragraph === 'number' && hit.source.paragraph >= 1);
  });

  test('every excerpt is a verbatim slice of its file, over many queries', () => {
    const words = new Set<string>();
    for (const text of files.values()) for (const w of text.split(/\s+/)) if (w.length > 3) words.add(w);
    const queries = [...words].filter((_, i) => i % 7 === 0).slice(0, 300);
    queries.push('Tomahwk', 'US Japan alliance', 'Lin Jian China', 'Kyodo News reported', '“double countermeasures”');
    let checked = 0;
    for (const q of queries) {
      let results: Excerpt[];
      try {
        results = briefing.search(q, { limit: 10 }).results;
      } catch (error) {
        assert.ok(error instanceof SitrepError && error.identifier === 'NothingToSearch', String(error));
        continue;
      }
      for (const r of results) {
        assertVerbatim(r);
        checked++;
      }
    }
    assert.ok(checked > 500, `only ${checked} excerpts checked`);
  });

  test('long paragraphs give excerpts near the matching sentence, not the whole paragraph', () => {
    const { results } = briefing.search('Seventh Fleet Marine Corps');
    const top = results[0]!;
    assert.match(top.text, /Seventh Fleet/);
    assert.ok(top.text.length < 700, `${top.text.length} characters`);
  });

  test('an empty query is a user error', () => {
    assert.throws(() => briefing.search('   '), (e: unknown) => e instanceof SitrepError && e.identifier === 'EmptyQuery');
  });

  test('a query of stop words or punctuation says there is nothing to search for', () => {
    for (const q of ['the of and', '?!... ---', 'it is what it was']) {
      assert.throws(() => briefing.search(q), (e: unknown) => e instanceof SitrepError && e.identifier === 'NothingToSearch', q);
    }
  });

  test('a 2,000-character query is trimmed with a note', () => {
    const long = 'Tomahawk missiles deployment in Japan '.repeat(60).slice(0, 2000);
    const result = briefing.search(long);
    assert.ok(result.query.length <= MAX_QUERY_CHARS);
    assert.match(result.notes?.[0] ?? '', /trimmed from 2000/);
    assert.ok(result.results.length > 0);
  });

  test('a word that is nowhere in the corpus finds nothing rather than everything', () => {
    assert.deepEqual(briefing.search('xylophonist').results, []);
  });

  test('related() finds the passages behind a pasted message', () => {
    const { results } = briefing.related('I read that Japan wants to buy about 500 Tomahawks from the US by 2027, is that right?');
    assert.ok(results.some((r) => r.source.doc.startsWith('002') && /500 missiles/.test(r.text)));
  });
});

describe('the saved index', () => {
  test('a serialised index answers exactly as the one it was saved from', () => {
    const restored = SearchIndex.fromJSON(JSON.parse(JSON.stringify(briefing.index.toJSON())));
    const again = new Briefing(corpus.documents, restored);
    for (const q of ['Tomahwk', 'joint headquarters command in Japan', 'Kish', 'North Korea missile test']) {
      assert.deepEqual(again.search(q), briefing.search(q), q);
    }
  });
});
