import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { loadCorpus } from '../../src/corpus/load.js';
import { Briefing } from '../../src/engine/briefing.js';
import { CORPUS, devGold, tempCorpus } from '../helpers.js';
import type { Quote } from '../../src/types.js';
import { groupsMatched, termsOf } from '../../src/index/terms.js';

const seeds = new Briefing((await loadCorpus(CORPUS)).documents);
const all = seeds.quote().quotes;
const find = (words: string): Quote => {
  const q = all.find((x) => x.text.includes(words));
  assert.ok(q, `no quote containing "${words}"`);
  return q;
};

describe('quotes on the seed corpus', () => {
  test('every dev-gold quote is found with an acceptable speaker, in its document', () => {
    for (const gold of devGold().quote) {
      const q = all.find((x) => x.text.includes(gold.contains) && x.source.doc.startsWith(gold.doc));
      assert.ok(q, gold.id);
      assert.ok(q.speaker && gold.speaker_any.includes(q.speaker.name), `${gold.id}: ${q.speaker?.name}`);
    }
  });

  test('a nominal reference resolves to the person it points to ("the Chinese diplomat" → Lin Jian)', () => {
    const q = find('We insist that the United States abandon the plan to deploy');
    assert.deepEqual(q.speaker, { name: 'Lin Jian', description: 'Chinese Foreign Ministry spokesperson', mention: 'the Chinese diplomat' });
  });

  test('a surname resolves to the full name, with the description ("Hayashi said")', () => {
    const q = find('This causes serious concern for Japan');
    assert.equal(q.speaker?.name, 'Yoshimasa Hayashi');
    assert.equal(q.speaker?.mention, 'Hayashi');
    assert.equal(q.speaker?.description, 'Japan’s Cabinet Secretary');
  });

  test('an organisation introducing a quote with a colon is its speaker ("Kyodo News reports: “…”")', () => {
    const q = find('North Korean state media reported that leader Kim Jong Un');
    assert.equal(q.speaker?.name, 'Kyodo News Agency');
    assert.equal(q.speaker?.mention, 'Kyodo News');
  });

  test('an organisation the recogniser only partly took keeps its whole written name ("the Russian News")', () => {
    assert.equal(find('drawing its allies to confront China').speaker?.name, 'Russian News');
  });

  test('a quote continuing in the next sentence keeps its speaker', () => {
    assert.equal(find('China will closely monitor the situation').speaker?.name, 'Lin Jian');
  });

  test('anonymous sources are named as such', () => {
    const q = find('Such places as the island of Kyushu');
    assert.match(q.speaker?.name ?? '', /^the source$/i);
  });

  test('short scare quotes are left out ("paper tiger", "integrated deterrence")', () => {
    for (const term of ['paper tiger', 'integrated deterrence', 'flag demonstrations', 'double countermeasures']) {
      assert.ok(!all.some((q) => q.text.replace(/[,.]$/, '') === term), term);
    }
  });

  test('a short fragment is kept when a person the corpus knows said it ("serious concern", Hiroshi Moriya)', () => {
    const q = all.find((x) => x.text === 'serious concern');
    assert.equal(q?.speaker?.name, 'Hiroshi Moriya');
    assert.ok(!all.some((x) => /^(?:normal country|China threat|integrated deterrence)$/.test(x.text)), 'fragments credited to no known person are terms');
  });

  test('every quote cites the range of the quoted words, verbatim', () => {
    for (const q of all) {
      const doc = seeds.documents.find((d) => d.doc === q.source.doc)!;
      assert.equal(doc.text.slice(q.source.start, q.source.end), q.text);
    }
  });

  test('without arguments, quotes come in corpus order', () => {
    const order = all.map((q) => `${q.source.doc}:${String(q.source.start).padStart(6, '0')}`);
    assert.deepEqual(order, [...order].sort());
  });

  test('--speaker accepts aliases through /who resolution, and says whose quotations are listed', () => {
    const byAlias = seeds.quote({ speaker: 'Hayashi' });
    assert.equal(byAlias.quotes.length, 2);
    assert.ok(byAlias.quotes.every((q) => q.speaker?.name === 'Yoshimasa Hayashi'));
    assert.deepEqual(byAlias.speaker, { query: 'Hayashi', match: 'Yoshimasa Hayashi', suggestions: [] });
    assert.ok(seeds.quote({ speaker: 'Song' }).quotes.some((q) => q.text.includes('endless trouble')));
  });

  test('a misspelt speaker lists no quotations and suggests the near name', () => {
    const misspelt = seeds.quote({ speaker: 'Blinkin' });
    assert.deepEqual(misspelt.quotes, []);
    assert.deepEqual(misspelt.speaker, { query: 'Blinkin', match: null, suggestions: ['Anthony Blinken'] });
  });

  test('an unknown speaker finds no quotes rather than others’', () => {
    assert.deepEqual(seeds.quote({ speaker: 'Xi Jinping' }).quotes, []);
    assert.equal(seeds.quote({ speaker: 'Xi Jinping' }).speaker?.match, null);
  });

  test('a topic ranks quotes about it first', () => {
    const quotes = seeds.quote({ topic: 'arms race tensions' }).quotes;
    assert.ok(quotes.length > 0);
    assert.match(quotes[0]!.text, /arms race|tensions/);
  });

  test('a topic answers exactly what a scan of every quotation would (own words, then passage rank, then corpus order)', () => {
    // The definition, by brute force over every quotation and passage; the engine only looks at the topic's passages.
    type Entry = { docIndex: number; mention: { start: number; end: number; text: string } };
    const inside = seeds as unknown as { quoteEntries: Entry[]; topicPassages(topic: string): Map<number, number> };
    for (const topic of ['deploy', 'missile defense', 'China', 'arms race tensions', 'alliance Japan', 'statement', 'zzzunknownword missiles']) {
      const rank = inside.topicPassages(topic);
      const groups = seeds.index.queryGroups(topic);
      const expected = inside.quoteEntries
        .map((e, k) => {
          let position = Infinity;
          for (const p of seeds.index.passages) {
            if (p.docIndex === e.docIndex && p.start < e.mention.end && e.mention.start < p.end) position = Math.min(position, rank.get(p.id) ?? Infinity);
          }
          return { e, k, position, own: groupsMatched(groups, new Set(termsOf(e.mention.text))) };
        })
        .filter((x) => x.position !== Infinity || x.own > 0)
        .sort((a, b) => b.own - a.own || a.position - b.position || a.k - b.k)
        .map((x) => `${seeds.documents[x.e.docIndex]!.doc}:${x.e.mention.start}`);
      const got = seeds.quote({ topic }).quotes.map((q) => `${q.source.doc}:${q.source.start}`);
      assert.deepEqual(got, expected, topic);
    }
    assert.ok(seeds.quote({ topic: 'deploy' }).quotes.length > 0);
  });

  test('topic and speaker combine', () => {
    const quotes = seeds.quote({ topic: 'deploy', speaker: 'Lin Jian' }).quotes;
    assert.ok(quotes.length >= 1);
    assert.ok(quotes.every((q) => q.speaker?.name === 'Lin Jian'));
  });
});

test('a pronoun speaker resolves to the person it points to, in a made-up text', async () => {
  const dir = tempCorpus({
    'a.txt': 'Harbour plan\n\nPort minister Ana Ruiz visited the harbour on Monday. “We will finish the new terminal before the winter storms arrive,” she said.\n',
  });
  const b = new Briefing((await loadCorpus(dir)).documents);
  const q = b.quote().quotes[0]!;
  assert.equal(q.speaker?.name, 'Ana Ruiz');
  assert.equal(q.speaker?.mention, 'she');
});
