import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCorpus } from '../../src/corpus/load.js';
import { Briefing } from '../../src/engine/briefing.js';
import { SitrepError } from '../../src/engine/errors.js';
import { parseWhen } from '../../src/engine/when.js';
import { BRIEF_LIMITS } from '../../src/engine/brief.js';
import type { BriefResult, Citation } from '../../src/types.js';
import { CORPUS, tempCorpus } from '../helpers.js';

const article = (meta: { title: string; outlet: string; published: string }, paragraphs: string[]): string =>
  `---\ntitle: ${meta.title}\noutlet: ${meta.outlet}\npublished: ${meta.published}\n---\n\n${paragraphs.join('\n\n')}\n`;

/** A made-up story in four articles over three days, from two outlets. */
const STORY = {
  'a.md': article({ title: 'Harbor radar deal signed', outlet: 'Harbor Times', published: '2031-05-10' }, [
    'Defence Minister Aiko Kato met Tomas Brandt, the chief of the Northern Alliance Command, in Lisbon on Monday to sign a radar agreement, Northwind News reported.',
    '"This agreement gives our coastal units the warning time they have needed for years," Kato told reporters in Lisbon.',
    'Marta Velez, a retired admiral, said the talks had been tense. Velez added that talks in Portugal ran late. Velez said Portugal was cold. Velez left Portugal early.',
    'Velez had argued for the deal for months. Velez wrote two reports on it, and Velez briefed the cabinet. Velez called it overdue. Velez smiled.',
    '"Nice work," Velez said.',
  ]),
  'b.md': article({ title: 'Allies seal radar pact in Lisbon', outlet: 'Coastal Post', published: '2031-05-11' }, [
    'Aiko Kato and Tomas Brandt signed the radar agreement in Lisbon on May 5, officials told Northwind News.',
    '"We will install the first radar station before the winter storms arrive," Brandt said on Tuesday.',
    '"Our engineers will train local crews during the whole of next year," Brandt said.',
    '"Every station will share its data with the coast guard from the first day," Brandt added.',
  ]),
  'c.md': article({ title: 'Treaty talks resume in the capital', outlet: 'Harbor Times', published: '2031-05-12' }, [
    'The ferry service to the islands resumed on Wednesday after two weeks of repairs, the port authority said.',
    '"The repairs took longer than anyone in the port had planned," said Dana Holm, the director of the port authority.',
    'Northwind News said the harbor would reopen soon.',
    'Negotiators returned to the fishing treaty on Thursday, and Tomas Brandt said the treaty would be ready by June.',
    '"The treaty protects the fishing grounds for every family on this coast," Brandt told the negotiators.',
  ]),
  'd.md': article({ title: 'Fishing season opens', outlet: 'Coastal Post', published: '2031-05-12' }, [
    'The fishing season opened on Wednesday in the northern bays, where Tomas Brandt inspected the new harbor, according to Northwind News.',
  ]),
};

let dir: string;
let briefing: Briefing;
let full: BriefResult;

function assertVerbatim(result: BriefResult): void {
  const check = (text: string, source: Citation): void => {
    const file = readFileSync(join(dir, source.doc), 'utf8');
    assert.equal(file.slice(source.start, source.end), text, `${source.doc} ${source.start}-${source.end}`);
  };
  for (const p of result.people) if (p.description) check(p.description.text, p.description.source);
  for (const e of result.events) check(e.text, e.source);
  for (const q of result.quotes) check(q.text, q.source);
}

before(async () => {
  dir = tempCorpus(STORY);
  briefing = new Briefing((await loadCorpus(dir)).documents);
  full = briefing.brief({ now: Date.UTC(2031, 4, 13) });
});

describe('brief over the whole corpus', () => {
  test('without since the window is the whole corpus, newest document first, and says it compared nothing', () => {
    assert.equal(full.window, null);
    assert.equal(full.since, null);
    assert.equal(full.totals.documents, 4);
    assert.deepEqual(
      full.documents.map((d) => d.published),
      ['2031-05-12', '2031-05-12', '2031-05-11', '2031-05-10'],
    );
  });

  test('every description, event and quotation is a verbatim slice of its file', () => {
    assertVerbatim(full);
  });

  test('people: spread across documents ranks above repetition in one, and places are left out', () => {
    const names = full.people.map((p) => p.name);
    assert.equal(names[0], 'Tomas Brandt', names.join(', '));
    const velez = full.people.find((p) => p.name === 'Marta Velez')!;
    assert.ok(velez.mentions > full.people[0]!.mentions, 'the test needs Velez mentioned more often than Brandt');
    assert.ok(names.indexOf('Marta Velez') > names.indexOf('Aiko Kato'), names.join(', '));
    assert.equal(briefing.who('Portugal').match?.kind, 'place');
    assert.ok(!names.includes('Portugal'), names.join(', '));
    const brandt = full.people[0]!;
    assert.equal(brandt.documents, 4);
    assert.match(brandt.description?.text ?? '', /chief/);
  });

  test('events: one reported by two sources is one event citing both, ranked first', () => {
    const signing = full.events[0]!;
    assert.equal(signing.date.value, '2031-05-05');
    const docs = [signing.source.doc, ...(signing.alsoReportedBy ?? []).map((c) => c.doc)].sort();
    assert.deepEqual(docs, ['a.md', 'b.md']);
  });

  test('quotations: fragments are left out and one speaker has at most two', () => {
    assert.ok(!full.quotes.some((q) => q.text.startsWith('Nice work')), 'a two-word quotation is a fragment');
    const bySpeaker = new Map<string, number>();
    for (const q of full.quotes) bySpeaker.set(q.speaker!.name, (bySpeaker.get(q.speaker!.name) ?? 0) + 1);
    assert.ok((bySpeaker.get('Tomas Brandt') ?? 0) <= 2, JSON.stringify([...bySpeaker]));
    assert.ok(full.quotes.every((q) => q.speaker !== null));
    assert.ok(full.quotes.length >= 3);
  });

  test('a news organisation reporting in every article weighs less than the actors it reports on', () => {
    const names = full.people.map((p) => p.name);
    assert.ok(names.includes('Northwind News'), names.join(', '));
    assert.ok(names.indexOf('Northwind News') > names.indexOf('Aiko Kato'), names.join(', '));
  });

  test('outlets are counted', () => {
    assert.deepEqual(full.outlets, [
      { outlet: 'Coastal Post', documents: 2 },
      { outlet: 'Harbor Times', documents: 2 },
    ]);
  });

  test('lists are capped', () => {
    assert.ok(full.people.length <= BRIEF_LIMITS.people && full.events.length <= BRIEF_LIMITS.events && full.quotes.length <= BRIEF_LIMITS.quotes);
  });
});

describe('brief of a window', () => {
  test('since a date, by publication date: only documents published then or later', () => {
    const result = briefing.brief({ since: '2031-05-11', now: Date.UTC(2031, 4, 13) });
    assert.equal(result.window, 'published');
    assert.deepEqual(result.documents.map((d) => d.doc).sort(), ['b.md', 'c.md', 'd.md']);
    assert.ok(!result.quotes.some((q) => q.source.doc === 'a.md'));
    assert.ok(!result.people.some((p) => p.name === 'Marta Velez'));
  });

  test('with first-seen times, the window is by when Sitrep first saw each document', () => {
    const seen: Record<string, number> = { 'a.md': 1000, 'b.md': 2000, 'c.md': 3000, 'd.md': 4000 };
    const result = briefing.brief({ since: 2500, firstSeen: (d) => seen[d.doc] ?? null, now: 5000 });
    assert.equal(result.window, 'first-seen');
    assert.deepEqual(result.documents.map((d) => d.doc), ['d.md', 'c.md']);
    assert.equal(result.documents[0]!.firstSeen, new Date(4000).toISOString());
  });

  test('windowOnly (digests) cites only documents of the window', () => {
    const seen: Record<string, number> = { 'a.md': 1000, 'b.md': 2000, 'c.md': 3000, 'd.md': 4000 };
    const result = briefing.brief({ since: 1500, firstSeen: (d) => seen[d.doc] ?? null, windowOnly: true, now: 5000 });
    const cited = [
      ...result.events.flatMap((e) => [e.source, ...(e.alsoReportedBy ?? [])]),
      ...result.quotes.map((q) => q.source),
    ].map((c) => c.doc);
    assert.ok(cited.length > 0);
    assert.ok(cited.every((d) => d !== 'a.md'), cited.join(', '));
  });

  test('an empty window lists no documents, people or quotations, and names the newest document', () => {
    const result = briefing.brief({ since: '2031-07-01', until: '2031-07-31', now: Date.UTC(2031, 7, 2) });
    assert.equal(result.documents.length, 0);
    assert.equal(result.people.length + result.events.length + result.quotes.length, 0);
    assert.equal(result.latest?.published, '2031-05-12');
  });

  test('events dated inside the window are listed even when an older document reports them', () => {
    const result = briefing.brief({ since: '2031-06-01', until: '2031-06-30', now: Date.UTC(2031, 5, 2) });
    assert.equal(result.documents.length, 0);
    assert.deepEqual(result.events.map((e) => e.date.value), ['2031-06']);
    assert.match(result.events[0]!.text, /ready by June/);
  });

  test('reversed bounds are an error that shows both values', () => {
    assert.throws(() => briefing.brief({ since: '2031-05-12', until: '2031-05-10' }), (e: unknown) => e instanceof SitrepError && /after until/.test(e.message));
  });
});

describe('brief about a topic', () => {
  test('every item is about the topic in its own passage, not through the headline', () => {
    const result = briefing.brief({ topic: 'treaty', now: Date.UTC(2031, 4, 13) });
    assertVerbatim(result);
    assert.deepEqual(result.documents.map((d) => d.doc), ['c.md']);
    assert.ok(result.events.length > 0 && result.quotes.length > 0);
    for (const e of result.events) assert.match(e.text, /treaty/i);
    for (const q of result.quotes) assert.match(q.text, /treaty/i);
    assert.ok(!result.events.some((e) => /ferry/.test(e.text)), 'the ferry sentence is in a treaty-headlined article but not about the treaty');
    assert.ok(!result.people.some((p) => p.name === 'Dana Holm'), 'Dana Holm is quoted on the repairs, not the treaty');
  });

  test('a topic found nowhere suggests near names', () => {
    const none = briefing.brief({ topic: 'Kto', now: Date.UTC(2031, 4, 13) });
    assert.equal(none.documents.length, 0);
    assert.ok(none.suggestions.includes('Aiko Kato'), JSON.stringify(none.suggestions));
  });

  test('a topic of only common words is refused', () => {
    assert.throws(() => briefing.brief({ topic: 'the and of' }), (e: unknown) => e instanceof SitrepError && e.identifier === 'NothingToSearch');
  });
});

describe('parseWhen', () => {
  const now = Date.UTC(2031, 4, 13, 12, 0, 0);
  test('spans back from now: 24h, 3d, 1w, 90m', () => {
    assert.equal(parseWhen('24h', now, 'since'), now - 24 * 3_600_000);
    assert.equal(parseWhen('3d', now, 'since'), now - 3 * 86_400_000);
    assert.equal(parseWhen('1w', now, 'since'), now - 7 * 86_400_000);
    assert.equal(parseWhen('90m', now, 'since'), now - 90 * 60_000);
    assert.equal(parseWhen('2 days', now, 'since'), now - 2 * 86_400_000);
  });
  test('a date is the start of its day for since and its end for until', () => {
    assert.equal(parseWhen('2031-05-01', now, 'since'), Date.UTC(2031, 4, 1));
    assert.equal(parseWhen('2031-05-01', now, 'until'), Date.UTC(2031, 4, 2) - 1);
    assert.equal(parseWhen('2031-05-01T09:30Z', now, 'since'), Date.UTC(2031, 4, 1, 9, 30));
  });
  test('impossible dates and words are errors that show the value', () => {
    for (const bad of ['2031-02-30', '2031-13-01', 'yesterday-ish', '', 'x'.repeat(500)]) {
      assert.throws(() => parseWhen(bad, now, 'since'), (e: unknown) => e instanceof SitrepError && e.identifier === 'InvalidDate', bad);
    }
  });
});

describe('brief on the seed corpus', () => {
  test('names central people with cited roles, dated developments and attributed statements', async () => {
    const seeds = new Briefing((await loadCorpus(CORPUS)).documents);
    const result = seeds.brief();
    assert.ok(result.people.length >= 5);
    assert.ok(result.people.filter((p) => p.description).length >= 3);
    assert.ok(result.events.length >= 5);
    assert.ok(result.quotes.length >= 3 && result.quotes.every((q) => q.speaker));
    for (const p of result.people) assert.ok(p.kind === 'person' || p.kind === 'organization', `${p.name} is ${p.kind}`);
  });
});

describe('a brief prepared ahead (prepareBrief)', () => {
  test('reads its window’s documents in slices, the event loop turning between them, and the brief is the same', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 96; i++) {
      files[`d${String(i).padStart(2, '0')}.txt`] = article(
        { title: `Harbour talks, day ${i}`, outlet: i % 2 ? 'Test Wire' : 'Coast Daily', published: `2024-03-${String((i % 28) + 1).padStart(2, '0')}` },
        [`Maria Okafor, the trade minister, met Tomas Lindqvist in Lagos on day ${i}.`, `“We will sign before the storms,” said Okafor.`],
      );
    }
    const documents = (await loadCorpus(tempCorpus(files))).documents;
    const now = Date.parse('2024-04-01T00:00:00Z');
    const prepared = new Briefing(documents);
    await prepared.prepareEntities();
    assert.ok(prepared.tablesReady);
    let turns = 0;
    let turning = true;
    const turn = (): void => {
      turns++;
      if (turning) setImmediate(turn);
    };
    setImmediate(turn);
    await prepared.prepareBrief({}, 0);
    turning = false;
    assert.ok(turns >= 3, `the event loop turned ${turns} times while 96 documents were read`);
    assert.deepEqual(prepared.brief({ now }), new Briefing(documents).brief({ now }));
    // A bad window is the brief's to report: preparing it does not throw.
    await prepared.prepareBrief({ since: '2024-03-10', until: '2024-03-01', now });
    assert.throws(() => prepared.brief({ since: '2024-03-10', until: '2024-03-01', now }), SitrepError);
  });
});
