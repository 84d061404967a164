import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { loadCorpus } from '../../src/corpus/load.js';
import { Briefing } from '../../src/engine/briefing.js';
import { editDistance } from '../../src/engine/who.js';
import { SitrepError } from '../../src/engine/errors.js';
import { CORPUS, devGold, tempCorpus } from '../helpers.js';
import type { EntityMatch } from '../../src/types.js';

const seeds = new Briefing((await loadCorpus(CORPUS)).documents);
const match = (q: string): EntityMatch => {
  const m = seeds.who(q).match;
  assert.ok(m, `no match for ${q}`);
  return m;
};
const descriptions = (m: EntityMatch): string[] => m.descriptions.map((d) => d.text);

describe('who on the seed corpus', () => {
  test('every dev-gold who entry: name, a role in one description, the documents and aliases', () => {
    for (const gold of devGold().who) {
      const m = match(gold.query);
      assert.equal(m.name, gold.name, gold.id);
      assert.ok(m.descriptions.some((d) => gold.role_any.some((r) => d.text.toLowerCase().includes(r.toLowerCase()))), `${gold.id}: ${descriptions(m).join(' / ')}`);
      const docs = m.documents.map((d) => d.slice(0, 3));
      for (const d of gold.docs) assert.ok(docs.includes(d), `${gold.id}: ${d} not in ${docs.join(',')}`);
      for (const a of gold.aliases) assert.ok(m.aliases.includes(a), `${gold.id}: alias ${a} not in ${m.aliases.join(',')}`);
    }
  });

  test('an appositive after the name is a description ("Song Zhongping, a Chinese military expert,")', () => {
    assert.ok(descriptions(match('Song Zhongping')).includes('a Chinese military expert'));
  });

  test('a title before the name is a description ("Chinese Foreign Ministry spokesperson Lin Jian")', () => {
    assert.equal(descriptions(match('Lin Jian'))[0], 'Chinese Foreign Ministry spokesperson');
  });

  test('a copula is a description ("Girish Linganna is a Defence & Aerospace analyst"), coordinated and after "He is"', () => {
    assert.deepEqual(descriptions(match('Girish Linganna')), [
      'a Defence & Aerospace analyst',
      'the Director of ADD Engineering Components',
      'Consulting Editor Industry and Defense at Frontier India',
    ]);
  });

  test('an appositive may stop before a parenthesis ("John Stone, a former senior official … (CSIS), said")', () => {
    assert.match(descriptions(match('John Stone'))[0] ?? '', /^a former senior official of the Pentagon/);
  });

  test('a role after the name is a description ("Aguilino, commander of the US Indo Pacific Command")', () => {
    const m = match('Aguilino');
    assert.equal(m.kind, 'person');
    assert.deepEqual(descriptions(m), ['commander of the US Indo Pacific Command']);
  });

  test('an appositive before the name is a description ("his British counterpart, Rishi Sunak")', () => {
    assert.ok(descriptions(match('Rishi Sunak')).includes('his British counterpart'));
  });

  test('a title run stops at a comma and does not swallow another person', () => {
    for (const d of descriptions(match('Lloyd Austin'))) assert.doesNotMatch(d, /Last June|,/);
    for (const d of descriptions(match('Fumio Kishida'))) assert.doesNotMatch(d, /Biden/);
  });

  test('descriptions are verbatim, cited slices', () => {
    for (const name of ['Song Zhongping', 'Lin Jian', 'Lloyd Austin', 'Fumio Kishida']) {
      for (const d of [...match(name).descriptions, ...match(name).excerpts]) {
        const doc = seeds.documents.find((x) => x.doc === d.source.doc)!;
        assert.equal(doc.text.slice(d.source.start, d.source.end), d.text);
      }
    }
  });

  test('a surname in the same document is the full name ("Song warned" → Song Zhongping)', () => {
    const m = match('Song Zhongping');
    assert.ok(m.aliases.includes('Song'));
    assert.equal(m.mentions, 3);
  });

  test('a surname used alone in another document joins the one full name ("US Defense Secretary Austin")', () => {
    assert.ok(match('Lloyd Austin').documents.some((d) => d.startsWith('003')));
  });

  test('variant spellings sharing surname and role are one person, the variant an alias (Takeo/Fumio Kishida)', () => {
    const m = match('Takeo Kishida');
    assert.equal(m.name, 'Fumio Kishida');
    assert.ok(m.aliases.includes('Takeo Kishida'));
    assert.deepEqual(m.documents.map((d) => d.slice(0, 3)), ['000', '002', '003', '004']);
  });

  test('organisations are entities, and name variants merge ("Kyodo", "Kyodo News", "Kyodo News Agency")', () => {
    const m = match('Kyodo');
    assert.equal(m.kind, 'organization');
    assert.equal(m.name, 'Kyodo News Agency');
    assert.ok(m.aliases.includes('Kyodo News'));
    assert.equal(match('Yomiuri Shimbun').kind, 'organization');
    assert.equal(match('Pentagon').kind, 'organization');
  });

  test('non-Anglo-Saxon names are found whole (Kim Jong Un, Yoshimasa Hayashi, Wu Qian)', () => {
    assert.equal(match('Kim Jong Un').name, 'Kim Jong Un');
    assert.equal(match('Hayashi').name, 'Yoshimasa Hayashi');
    assert.equal(match('Wu Qian').kind, 'person');
  });

  test('a misspelt name is not answered; the near name is suggested ("Blinkin" → did you mean Anthony Blinken)', () => {
    const r = seeds.who('Blinkin');
    assert.equal(r.match, null);
    assert.deepEqual(r.suggestions, ['Anthony Blinken']);
  });

  test('a partial name is not answered; the names it begins are suggested ("Kish")', () => {
    const r = seeds.who('Kish');
    assert.equal(r.match, null);
    assert.ok(r.suggestions.includes('Fumio Kishida'), r.suggestions.join(','));
  });

  test('a name that is not in the corpus says so and suggests near names; nothing is made up', () => {
    const r = seeds.who('Xi Jinping');
    assert.equal(r.match, null);
    assert.ok(Array.isArray(r.suggestions));
    const near = seeds.who('Song Zhonping Wei');
    assert.equal(near.match, null);
    assert.ok(near.suggestions.includes('Song Zhongping'), near.suggestions.join(','));
  });

  test('an empty name is a user error', () => {
    assert.throws(() => seeds.who('  '), (e: unknown) => e instanceof SitrepError && e.identifier === 'EmptyQuery');
  });
});

describe('autocomplete', () => {
  test('prefixes rank names that start with them first, at most 25, each at most 100 characters', () => {
    const names = seeds.completeNames('Li');
    assert.equal(names[0], 'Lin Jian');
    assert.ok(seeds.completeNames('').length <= 25);
    for (const n of seeds.completeNames('')) assert.ok(n.length <= 100);
  });

  test('a name word matches ("kishi" → Fumio Kishida) and a typo still finds it ("Blinkn")', () => {
    assert.equal(seeds.completeNames('kishi')[0], 'Fumio Kishida');
    assert.ok(seeds.completeNames('Blinkn').includes('Anthony Blinken'));
  });
});

describe('who on other text (no seed strings)', () => {
  test('descriptions from two documents are found and de-duplicated; the surname is an alias', async () => {
    const dir = tempCorpus({
      'a.txt': 'Port talks\n\nMaria Okafor, a Nigerian trade envoy, arrived in Lagos on Monday. Okafor said the port deal was close.\n',
      'b.txt': 'Deal signed\n\nNigerian trade envoy Maria Okafor signed the port deal in Abuja, officials said.\n',
    });
    const b = new Briefing((await loadCorpus(dir)).documents);
    const m = b.who('Okafor').match;
    assert.ok(m);
    assert.equal(m.name, 'Maria Okafor');
    assert.deepEqual(m.documents, ['a.txt', 'b.txt']);
    // "a Nigerian trade envoy" (appositive, a.txt) and "Nigerian trade envoy" (title, b.txt) are one description.
    assert.deepEqual(m.descriptions.map((d) => d.text), ['a Nigerian trade envoy']);
    assert.ok(m.aliases.includes('Okafor'));
  });
});

describe('acronyms (made-up text)', () => {
  const corpus = (acronymFirst: boolean): Record<string, string> => ({
    [acronymFirst ? 'a.txt' : 'b.txt']: 'Talks resume\n\nNDF officials met port managers in Leeds on Tuesday. The NDF said talks were constructive.\n',
    [acronymFirst ? 'b.txt' : 'a.txt']: 'Strike vote\n\nThe Northern Dockworkers Federation (NDF) said on Monday that its members would vote on a strike. The NDF wants higher pay.\n',
    'c.txt': 'Ferry news\n\nThe Port Authority (PA) closed two berths. Separately, the Press Association (PA) reported delays. The PA said more closures were likely.\n',
  });

  test('an acronym written alone before any document spells it out answers for the one organisation it stands for', async () => {
    // Either order of the documents: the same answer (the acronym alone was its own entity, and /who NDF found two).
    for (const acronymFirst of [true, false]) {
      const b = new Briefing((await loadCorpus(tempCorpus(corpus(acronymFirst)))).documents);
      const m = b.who('NDF').match;
      assert.ok(m, `acronym first: ${acronymFirst}`);
      assert.equal(m.name, 'Northern Dockworkers Federation');
      assert.deepEqual(m.documents, ['a.txt', 'b.txt']);
      assert.deepEqual(b.who('Northern Dockworkers Federation').match, m);
    }
  });

  test('an acronym two organisations are written as is given to neither', async () => {
    const b = new Briefing((await loadCorpus(tempCorpus(corpus(true)))).documents);
    const r = b.who('PA');
    assert.equal(r.match, null);
    assert.deepEqual([...r.suggestions].sort(), ['Port Authority', 'Press Association']);
  });
});

test('edit distance counts a transposition as one edit and stops past its bound', () => {
  assert.equal(editDistance('blinken', 'blinkin'), 1);
  assert.equal(editDistance('austin', 'ausitn'), 1);
  assert.equal(editDistance('abcdefgh', 'zzzzzzzz', 2), 3);
});

describe('who guards against clauses posing as descriptions (made-up text)', () => {
  const corpus = {
    'a.txt': 'Budget row\n\nThe finance committee’s report will be released on 11 March, Anna Berg has said. Anna Berg is to join Treasury Secretary Omar Diaz in Oslo on Thursday.\n',
    'b.txt': 'Party news\n\nMeanwhile Green Party leader Anna Berg spoke in Bergen. Before working for Ms Berg, Omar Diaz spent time at the Institute for Fiscal Studies.\n',
    'c.txt': 'Visit\n\nMs Berg arrived in Tromsø, where Berg met local officials.\n',
  };

  test('a clause before or after the name is not a description, nor is "is to join"', async () => {
    const b = new Briefing((await loadCorpus(tempCorpus(corpus))).documents);
    const berg = b.who('Anna Berg').match!;
    assert.deepEqual(berg.descriptions.map((d) => d.text), ['Green Party leader']);
    const diaz = b.who('Omar Diaz').match!;
    assert.deepEqual(diaz.descriptions.map((d) => d.text), ['Treasury Secretary']);
  });

  test('courtesy titles are not part of a name, and a lone surname joins the full name', async () => {
    const b = new Briefing((await loadCorpus(tempCorpus(corpus))).documents);
    const m = b.who('Ms Berg').match!;
    assert.equal(m.name, 'Anna Berg');
    assert.deepEqual(m.documents, ['a.txt', 'b.txt', 'c.txt']);
  });
});
