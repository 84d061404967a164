/**
 * The corpus-level name rules of /who and /quote speaker: (src/engine/who.ts),
 * on made-up text. Merging rules are tested on hand-made per-document
 * entities, so they hold whatever the tagger reads; the end-to-end tests go
 * through the real analysis.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { buildDocument } from '../../src/corpus/document.js';
import { loadCorpus } from '../../src/corpus/load.js';
import { Briefing } from '../../src/engine/briefing.js';
import { EntityIndex, MAX_NAME_CHARS } from '../../src/engine/who.js';
import type { DocumentEntity } from '../../src/analysis/people.js';
import type { CorpusDocument, EntityKind } from '../../src/types.js';
import { tempCorpus } from '../helpers.js';
import { runCli } from '../../src/cli/run.js';
import { renderQuotes } from '../../src/bot/render.js';

function doc(name: string, text: string): CorpusDocument {
  const built = buildDocument(name, new TextEncoder().encode(text));
  assert.ok(built.ok, `${name} did not build`);
  return built.document;
}

/** A document's entity whose mentions and descriptions are the given strings, found in order in the text. */
function entity(d: CorpusDocument, kind: EntityKind, name: string, options: { mentions?: string[]; aliases?: string[]; descriptions?: string[] } = {}): DocumentEntity {
  const spans = (texts: string[]) => {
    let from = 0;
    return texts.map((t) => {
      const start = d.text.indexOf(t, from);
      assert.ok(start >= 0, `"${t}" not in ${d.doc}`);
      from = start + t.length;
      return { start, end: start + t.length, text: t };
    });
  };
  return { name, kind, aliases: options.aliases ?? [], mentions: spans(options.mentions ?? [name]), descriptions: spans(options.descriptions ?? []) };
}

interface Fixture {
  documents: CorpusDocument[];
  entities: DocumentEntity[][];
}

/** Five made-up articles: namesakes, nicknames, middle initials, titles, generic organisations, a country. */
function fixture(): Fixture {
  const a = doc('a.txt', 'Harbour vote\n\nPrime Minister Dolores Varga opened the harbour on Monday. Varga said the vote was close. William Hartley, a shipping analyst, agreed.\n');
  const b = doc('b.txt', 'Harbour money\n\nPrime Minister Teodora Varga signed the harbour budget. Bill Hartley said it was late. John F. Mercer of the Tallinn Shipping Board, the port regulator, objected.\n');
  const c = doc('c.txt', 'Board news\n\nJohn Mercer chaired the board. Sen. Mercer spoke later. Peter Quill, a farmer, and Ruth Quill, a painter, met Quill supporters in Chad. Japan’s Ministry of Defense replied.\n');
  const d = doc('d.txt', 'Regional talks\n\nChina’s Ministry of Defense denied it. The Indo-Pacific Command moved ships across the Indo-Pacific. Chad Okoro, a fisherman, spoke. The Tallinn Shipping Board met.\n');
  const e = doc('e.txt', 'Late news\n\nQuill said the harbour was quiet. Mercer agreed. Tallinn said nothing. The US Harbour Authority (USHA) stayed open, the US said.\n');
  const entities = [
    [
      entity(a, 'person', 'Dolores Varga', { mentions: ['Dolores Varga', 'Varga'], aliases: ['Varga'], descriptions: ['Prime Minister'] }),
      entity(a, 'person', 'William Hartley', { descriptions: ['a shipping analyst'] }),
    ],
    [
      entity(b, 'person', 'Teodora Varga', { descriptions: ['Prime Minister'] }),
      entity(b, 'person', 'Bill Hartley'),
      entity(b, 'person', 'John F. Mercer'),
      entity(b, 'organization', 'Tallinn Shipping Board', { descriptions: ['the port regulator'] }),
    ],
    [
      entity(c, 'person', 'John Mercer'),
      entity(c, 'person', 'Sen. Mercer'),
      entity(c, 'person', 'Peter Quill', { descriptions: ['a farmer'] }),
      entity(c, 'person', 'Ruth Quill', { descriptions: ['a painter'] }),
      entity(c, 'place', 'Chad'),
      entity(c, 'organization', 'Ministry of Defense'),
    ],
    [
      entity(d, 'organization', 'Ministry of Defense'),
      entity(d, 'organization', 'Indo-Pacific Command'),
      entity(d, 'place', 'Indo-Pacific'),
      entity(d, 'person', 'Chad Okoro', { descriptions: ['a fisherman'] }),
      entity(d, 'organization', 'Tallinn Shipping Board'),
    ],
    [
      entity(e, 'person', 'Quill'),
      entity(e, 'person', 'Mercer'),
      entity(e, 'place', 'Tallinn'),
      entity(e, 'organization', 'US Harbour Authority', { mentions: ['US Harbour Authority', 'US'], aliases: ['USHA', 'US'] }),
      entity(e, 'place', 'US', { mentions: ['US said'] }),
    ],
  ];
  return { documents: [a, b, c, d, e], entities };
}

const built = (f = fixture()): EntityIndex => new EntityIndex(f.documents, f.entities);

describe('a name is answered only by that name', () => {
  const index = built();

  test('an exact name answers, whatever the case, a leading "the", punctuation and diacritics', () => {
    for (const q of ['William Hartley', 'william hartley', 'WILLIAM HARTLEY.', 'the Tallinn Shipping Board', 'Tallinn-Shipping Board']) {
      assert.ok(index.who(q).match, q);
    }
    const accented = new EntityIndex(...(() => {
      const d = doc('x.txt', 'Visit\n\nJosé Álvarez visited the port.\n');
      return [[d], [[entity(d, 'person', 'José Álvarez')]]] as const;
    })());
    assert.equal(accented.who('jose alvarez').match?.name, 'José Álvarez');
  });

  test('a surname of exactly one person answers; a surname two people share does not, and both are suggested', () => {
    assert.equal(index.who('Hartley').match?.name, 'William Hartley');
    const quill = index.who('Quill');
    assert.equal(quill.match, null);
    assert.deepEqual([...quill.suggestions].sort(), ['Peter Quill', 'Ruth Quill']);
  });

  test('a different first name is not the person with that surname ("Anna Hartley" is not William Hartley)', () => {
    const r = index.who('Anna Hartley');
    assert.equal(r.match, null);
    assert.ok(r.suggestions.includes('William Hartley'), r.suggestions.join(','));
  });

  test('a first name alone is not an answer ("Peter")', () => {
    const r = index.who('Peter');
    assert.equal(r.match, null);
    assert.ok(r.suggestions.includes('Peter Quill'));
  });

  test('a prefix or a misspelling is not an answer, but is suggested and offered by autocomplete', () => {
    for (const q of ['Hartl', 'Hartly', 'Wiliam Hartley']) {
      const r = index.who(q);
      assert.equal(r.match, null, q);
      assert.equal(r.suggestions[0], 'William Hartley', q);
      assert.ok(index.complete(q).includes('William Hartley'), q);
    }
  });

  test('a name not in the sources and near nothing has no match and no made-up suggestion', () => {
    const r = index.who('Zbigniew Brzeczyszczykiewicz');
    assert.deepEqual(r, { query: 'Zbigniew Brzeczyszczykiewicz', match: null, suggestions: [] });
  });

  test('the first word of exactly one organisation answers; of two, it does not; a place named exactly so is itself', () => {
    assert.equal(index.who('Tallinn').match?.name, 'Tallinn');
    const d = doc('k.txt', 'Wire\n\nThe Kestrel News Agency reported it. Kestrel said more. Osprey Air and Osprey Rail disagreed.\n');
    const i = new EntityIndex([d], [[
      entity(d, 'organization', 'Kestrel News Agency'),
      entity(d, 'person', 'Kestrel', { mentions: ['Kestrel said'] }),
      entity(d, 'organization', 'Osprey Air'),
      entity(d, 'organization', 'Osprey Rail'),
    ]]);
    const kestrel = i.who('Kestrel').match!;
    assert.equal(kestrel.name, 'Kestrel News Agency');
    assert.equal(kestrel.mentions, 2, 'the tagger’s lone "Kestrel" joins the one organisation it begins');
    assert.equal(i.who('Kestrel News').match?.name, 'Kestrel News Agency');
    const osprey = i.who('Osprey');
    assert.equal(osprey.match, null);
    assert.deepEqual([...osprey.suggestions].sort(), ['Osprey Air', 'Osprey Rail']);
  });

  test('an organisation’s first word is not its alias ("US" is the country, not "US Harbour Authority"); its acronym is', () => {
    assert.equal(index.who('US').match?.kind, 'place');
    assert.equal(index.who('USHA').match?.name, 'US Harbour Authority');
    assert.ok(!index.who('USHA').match!.aliases.includes('US'));
  });

  test('names longer than 100 characters are cut before any work, with a note, and cost well under a millisecond', () => {
    const forged = `${'Hartley '.repeat(750)}`;
    const r = index.who(forged);
    assert.equal(r.match, null);
    assert.match(r.notes?.[0] ?? '', new RegExp(`cut from ${forged.length} to ${MAX_NAME_CHARS}`));
    const times: number[] = [];
    for (let i = 0; i < 21; i++) {
      const t = performance.now();
      index.who(`${'x'.repeat(5000)}${i}`);
      index.complete(`${'Mercer '.repeat(900)}${i}`);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    assert.ok(times[10]! < 2, `median ${times[10]} ms`);
  });
});

describe('merging keeps one person one entity, and strangers apart', () => {
  const index = built();

  test('a common nickname is the same person ("Bill Hartley" = "William Hartley")', () => {
    const m = index.who('Bill Hartley').match!;
    assert.equal(m.name, 'William Hartley');
    assert.deepEqual(m.documents, ['a.txt', 'b.txt']);
    assert.ok(m.aliases.includes('Bill Hartley'));
  });

  test('a middle initial and a title glued before the name join the person ("John F. Mercer", "Sen. Mercer")', () => {
    const m = index.who('John Mercer').match!;
    assert.deepEqual(m.documents, ['b.txt', 'c.txt', 'e.txt']);
    assert.equal(index.who('John F. Mercer').match?.name, m.name);
    assert.equal(index.who('Sen. Mercer').match?.name, m.name);
    assert.equal(index.who('Mercer').match?.name, m.name);
  });

  test('the same surname and a shared role is one person under the more mentioned spelling; the variant is an alias', () => {
    const m = index.who('Teodora Varga').match!;
    assert.equal(m.name, 'Dolores Varga');
    assert.ok(m.aliases.includes('Teodora Varga'));
  });

  test('the same surname without a shared role is two people, and a surname alone joins neither', () => {
    assert.equal(index.who('Peter Quill').match?.name, 'Peter Quill');
    assert.equal(index.who('Ruth Quill').match?.name, 'Ruth Quill');
    assert.deepEqual(index.who('Peter Quill').match!.documents, ['c.txt']);
    assert.deepEqual(index.who('Ruth Quill').match!.documents, ['c.txt']);
  });

  test('one document naming both spellings keeps them apart even with a shared role', () => {
    const d = doc('t.txt', 'Twins\n\nJudge Anna Lund and Judge Maria Lund sat together.\n');
    const i = new EntityIndex([d], [[entity(d, 'person', 'Anna Lund', { descriptions: ['Judge'] }), entity(d, 'person', 'Maria Lund', { descriptions: ['Judge'] })]]);
    assert.equal(i.who('Maria Lund').match?.name, 'Maria Lund');
    assert.equal(i.who('Lund').match, null);
  });

  test('a country is never a person and a person never the country ("Chad" and "Chad Okoro")', () => {
    assert.equal(index.who('Chad').match?.kind, 'place');
    assert.equal(index.who('Chad').match?.name, 'Chad');
    assert.equal(index.who('Chad Okoro').match?.kind, 'person');
    assert.deepEqual(index.who('Chad').match!.documents, ['c.txt']);
  });

  test('a ministry keeps the country written before it: Japan’s and China’s are two organisations', () => {
    const japan = index.who('Japan’s Ministry of Defense').match!;
    const china = index.who('China’s Ministry of Defense').match!;
    assert.deepEqual(japan.documents, ['c.txt']);
    assert.deepEqual(china.documents, ['d.txt']);
    const plain = index.who('Ministry of Defense');
    assert.equal(plain.match, null, 'the bare name is ambiguous');
    assert.deepEqual([...plain.suggestions].sort(), ['China’s Ministry of Defense', 'Japan’s Ministry of Defense']);
  });

  test('an organisation is found by each form written: "Chinese Foreign Ministry" and "Foreign Ministry of China" are one, Japan’s another', () => {
    const x = doc('x.txt', 'Protest\n\nThe Chinese Foreign Ministry protested on Monday.\n');
    const y = doc('y.txt', 'Reply\n\nJapan’s Foreign Ministry did not reply, but the Foreign Ministry of China did.\n');
    const i = new EntityIndex([x, y], [
      [entity(x, 'organization', 'Foreign Ministry')],
      [entity(y, 'organization', 'Foreign Ministry'), entity(y, 'organization', 'Foreign Ministry of China')],
    ]);
    const china = i.who('Chinese Foreign Ministry').match!;
    assert.deepEqual(china.documents, ['x.txt', 'y.txt']);
    assert.equal(i.who('Foreign Ministry of China').match?.name, china.name);
    assert.deepEqual(i.who('Japan’s Foreign Ministry').match?.documents, ['y.txt']);
    assert.notEqual(i.who('Japan’s Foreign Ministry').match?.name, china.name);
  });

  test('a command is not the region it is named after', () => {
    assert.deepEqual(index.who('Indo-Pacific Command').match!.documents, ['d.txt']);
    assert.equal(index.who('Indo-Pacific').match!.aliases.length, 0);
  });
});

describe('building, adding one by one, removing and snapshots give the same answers', () => {
  const queries = ['Hartley', 'Bill Hartley', 'Mercer', 'Sen. Mercer', 'Varga', 'Teodora Varga', 'Quill', 'Peter Quill', 'Chad', 'US', 'USHA', 'Tallinn', 'Ministry of Defense', 'Japan’s Ministry of Defense', 'Hartl', 'Indo-Pacific'];
  const answers = (index: EntityIndex) => queries.map((q) => index.who(q));

  test('adding the documents one by one, in another order, answers like a build of all', () => {
    const f = fixture();
    const all = built(f);
    const incremental = new EntityIndex(f.documents, []);
    for (const i of [4, 2, 0, 3, 1]) incremental.add(i, f.documents[i]!, f.entities[i]!);
    assert.deepEqual(answers(incremental), answers(all));
    assert.deepEqual(incremental.complete('m'), all.complete('m'));
  });

  test('removing a document takes its entities out; adding it back restores the answers', () => {
    const f = fixture();
    const index = built(f);
    const before = answers(index);
    index.remove(1);
    assert.equal(index.who('Bill Hartley').match, null);
    assert.deepEqual(index.who('William Hartley').match?.documents, ['a.txt']);
    assert.equal(index.who('Tallinn Shipping Board').match?.documents.join(), 'd.txt');
    index.add(1, f.documents[1]!, f.entities[1]!);
    assert.deepEqual(answers(index).map((r) => r.match?.name ?? null), before.map((r) => r.match?.name ?? null));
  });

  test('a snapshot (typed arrays and string tables) round trip gives identical who answers', () => {
    const f = fixture();
    const index = built(f);
    const snapshot = index.toSnapshot();
    assert.ok(snapshot.kinds instanceof Uint8Array && snapshot.occurrenceDoc instanceof Int32Array);
    const copy = structuredClone(snapshot);
    const restored = EntityIndex.fromSnapshot(copy, f.documents, f.entities);
    assert.deepEqual(answers(restored), answers(index));
    assert.deepEqual(restored.names(), index.names());
    assert.deepEqual(restored.complete('qu'), index.complete('qu'));
  });
});

describe('autocomplete', () => {
  test('the name itself first, then names starting with the text, then names with a word that does, then near spellings; at most 25 of at most 100 characters', () => {
    const d = doc('n.txt', 'Names\n\nMarta Rossi met Rossini Ventures, Ana Marta and Marty Rosa.\n');
    const long = `Marta ${'Very'.repeat(40)} Group`;
    const index = new EntityIndex([d], [[
      entity(d, 'person', 'Marta Rossi'),
      entity(d, 'organization', 'Rossini Ventures'),
      entity(d, 'person', 'Ana Marta'),
      entity(d, 'person', 'Marty Rosa'),
      { name: long, kind: 'organization', aliases: [], mentions: [{ start: 7, end: 12, text: 'Marta' }], descriptions: [] },
    ]]);
    const names = index.complete('marta');
    assert.equal(names[0], 'Marta Rossi');
    assert.ok(names.indexOf('Ana Marta') > 0);
    assert.ok(names.every((n) => n.length <= 100));
    assert.ok(index.complete('rossi').indexOf('Marta Rossi') < index.complete('rossi').indexOf('Rossini Ventures'));
    assert.ok(index.complete('marty rossa').includes('Marty Rosa'));
    assert.ok(index.complete('', 40).length <= 25);
  });
});

test('autocomplete over many names sharing a beginning gives the 25 most mentioned, most first', () => {
  const text = `Roll\n\n${Array.from({ length: 150 }, (_, i) => `Delegate Zed${i} Varo${i} spoke.`).join(' ')}\n`;
  const d = doc('r.txt', text);
  const entities = Array.from({ length: 150 }, (_, i): DocumentEntity => {
    const at = d.text.indexOf(`Zed${i} Varo${i} `);
    const mention = { start: at, end: at + `Zed${i} Varo${i}`.length, text: `Zed${i} Varo${i}` };
    return { name: mention.text, kind: 'person', aliases: [], mentions: Array.from({ length: 1 + (i % 7) }, () => mention), descriptions: [] };
  });
  const index = new EntityIndex([d], [entities]);
  const names = index.complete('zed');
  assert.equal(names.length, 25);
  const mentions = (i: number): number => 1 + (i % 7);
  const expected = Array.from({ length: 150 }, (_, i) => i)
    .sort((a, b) => mentions(b) - mentions(a) || a - b)
    .slice(0, 25)
    .map((i) => `Zed${i} Varo${i}`);
  assert.deepEqual(names, expected);
  // Longer prefixes (past the prefix tables, and below a full table's best) give the same order over their own
  // names, after the name the text is exactly ("zed14" is Zed14 Varo14's first name).
  for (const prefix of ['zed1', 'zed14', 'zed149', 'z', 'ze']) {
    const exact = Array.from({ length: 150 }, (_, i) => i).filter((i) => `zed${i}` === prefix);
    const own = Array.from({ length: 150 }, (_, i) => i)
      .filter((i) => `zed${i}`.startsWith(prefix) && !exact.includes(i))
      .sort((a, b) => mentions(b) - mentions(a) || a - b);
    const expected = [...exact, ...own].slice(0, 25).map((i) => `Zed${i} Varo${i}`);
    assert.deepEqual(index.complete(prefix).slice(0, expected.length), expected, prefix);
  }
});

test('autocomplete and the ranking after each added document equal a table built over all of them (updated in place: full buckets, names moving up, a lone name attaching and letting go)', () => {
  /** A document naming each [name, mentions] that many times, and its entities. */
  const article = (file: string, names: [string, number][]): [CorpusDocument, DocumentEntity[]] => {
    const mentions = names.flatMap(([name, n]) => Array.from({ length: n }, () => name));
    const d = doc(file, `Roll ${file}\n\n${mentions.map((m) => `Delegate ${m} spoke.`).join(' ')}\n`);
    const at = new Map<string, number>();
    const entities = names.map(([name, n]): DocumentEntity => {
      const spans = Array.from({ length: n }, () => {
        const start = d.text.indexOf(` ${name} spoke.`, at.get(name) ?? 0) + 1;
        at.set(name, start + name.length);
        return { start, end: start + name.length, text: name };
      });
      return { name, kind: 'person', aliases: [], mentions: spans, descriptions: [] };
    });
    return [d, entities];
  };
  const steps: [CorpusDocument, DocumentEntity[]][] = [
    // Full prefix buckets ("z", "ze", "zed", "v", "va", "var": 150 names each), and a person a lone surname will attach to.
    article('a.txt', [...Array.from({ length: 150 }, (_, i): [string, number] => [`Zed${i} Varo${i}`, 1 + (i % 7)]), ['Ann Kell', 3]]),
    // A name from the bottom moves to the top; a new one enters; the lone "Kell" attaches to Ann Kell.
    article('b.txt', [['Zed140 Varo140', 9], ['Zeb Nu', 8], ['Kell', 2], ['Varo7', 40]]),
    // A second Kell: the lone name lets Ann Kell go (her total falls, her "k" prefixes with it); "Varo3" attaches to Zed3 Varo3.
    // "Ida Varo7" makes the lone "Varo7" ambiguous: Zed7 Varo7 falls from the top to the bottom of full buckets, which are filled again below.
    article('c.txt', [['Bob Kell', 1], ['Varo3', 4], ['Zed5 Varo5', 20], ['Ida Varo7', 1]]),
    // Many new names under full buckets, below and above their last.
    article('d.txt', Array.from({ length: 40 }, (_, i): [string, number] => [`Zeta${i} Vox${i}`, i % 2 === 0 ? 1 : 12])),
    article('e.txt', [['Zed0 Varo0', 30], ['Kell', 1], ['Zoe Kell', 2]]),
  ];
  const documents = steps.map(([d]) => d);
  const index = new EntityIndex([documents[0]!], [steps[0]![1]]);
  const prefixes = new Set<string>(['zed1', 'zed14', 'zeta1', 'kell', 'varo', 'ann k', 'zz']);
  // The prefix table itself too (private: what autocomplete reads), which must be what a rebuild makes.
  const table = (i: EntityIndex): unknown => [...(i as unknown as { prefixTable(): Map<string, unknown> }).prefixTable().entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  const ask = (i: EntityIndex): unknown => ({ names: i.names(), complete: [...prefixes].sort().map((p) => [p, i.complete(p)]), table: table(i) });
  void ask(index); // the ranking and the prefix table exist, so each addition updates them
  for (let k = 1; k < steps.length; k++) {
    index.setDocuments(documents.slice(0, k + 1));
    index.add(k, documents[k]!, steps[k]![1]);
    for (const [, entities] of steps.slice(0, k + 1)) {
      for (const e of entities) for (const word of e.name.toLowerCase().split(' ')) for (let n = 1; n <= 3; n++) prefixes.add(word.slice(0, n));
    }
    const fresh = new EntityIndex(documents.slice(0, k + 1), steps.slice(0, k + 1).map(([, e]) => e));
    assert.deepEqual(ask(index), ask(fresh), `after document ${k}`);
  }
  assert.equal(index.complete('ze')[0], 'Zed0 Varo0');
  assert.deepEqual(index.complete('ann'), ['Ann Kell']);
});

describe('quote --speaker lists only that speaker (through the real analysis)', () => {
  test('a name not in the sources lists no quotations and says so with suggestions; a surname of one person lists theirs', async () => {
    const dir = tempCorpus({
      'a.txt': 'Port talks\n\nPort minister Tomas Lindqvist visited the harbour on Monday. “We will finish the new terminal before the winter storms arrive,” Lindqvist said.\n',
      'b.txt': 'Fishing fleet\n\nFleet owner Greta Holm spoke on Tuesday. “The quotas are too low for the small boats this year,” Holm said.\n',
    });
    const b = new Briefing((await loadCorpus(dir)).documents);
    const absent = b.quote({ speaker: 'Lindgren' });
    assert.deepEqual(absent.quotes, []);
    assert.equal(absent.speaker?.match, null);
    assert.equal(absent.speaker?.query, 'Lindgren');
    assert.ok(absent.speaker?.suggestions.includes('Tomas Lindqvist'), absent.speaker?.suggestions.join(','));
    const present = b.quote({ speaker: 'Lindqvist' });
    assert.equal(present.speaker?.match, 'Tomas Lindqvist');
    assert.ok(present.quotes.length >= 1);
    assert.ok(present.quotes.every((q) => q.speaker?.name === 'Tomas Lindqvist'));
    assert.equal(b.quote().speaker, null);
  });
});

test('quote --json carries the speaker field; the text and the Discord answer say the name is not in the sources', async () => {
  const dir = tempCorpus({
    'a.txt': 'Port talks\n\nPort minister Tomas Lindqvist visited the harbour on Monday. “We will finish the new terminal before the winter storms arrive,” Lindqvist said.\n',
  });
  const run = async (...argv: string[]) => {
    let stdout = '';
    const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: () => {}, env: { CORPUS_DIR: dir } });
    return { code, stdout };
  };
  const json = await run('quote', '--speaker', 'Lindgren', '--json');
  assert.equal(json.code, 0);
  const parsed = JSON.parse(json.stdout) as { quotes: unknown[]; speaker: { query: string; match: string | null; suggestions: string[] } };
  assert.deepEqual(parsed.quotes, []);
  assert.deepEqual(parsed.speaker, { query: 'Lindgren', match: null, suggestions: ['Tomas Lindqvist'] });
  const text = await run('quote', '--speaker', 'Lindgren');
  assert.match(text.stdout, /Lindgren is not in the sources — did you mean Tomas Lindqvist\?/);
  const found = JSON.parse((await run('quote', '--speaker', 'lindqvist', '--json')).stdout) as { quotes: unknown[]; speaker: { match: string } };
  assert.equal(found.speaker.match, 'Tomas Lindqvist');
  assert.equal(found.quotes.length, 1);
  const discord = renderQuotes({ quotes: [], total: 0, speaker: parsed.speaker }, { speaker: 'Lindgren' }, 0);
  assert.match(JSON.stringify(discord), /Lindgren is not in the sources — did you mean Tomas Lindqvist\?/);
});
