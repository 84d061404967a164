import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { loadCorpus } from '../../src/corpus/load.js';
import { Briefing } from '../../src/engine/briefing.js';
import { SitrepError } from '../../src/engine/errors.js';
import { clauseAround } from '../../src/engine/timeline.js';
import { parseDateBound } from '../../src/engine/dates.js';
import { CORPUS, devGold, tempCorpus } from '../helpers.js';

const seeds = new Briefing((await loadCorpus(CORPUS)).documents);

describe('timeline on the seed corpus', () => {
  const { events } = seeds.timeline();

  test('every dev-gold timeline entry is an event with its value, in its document', () => {
    for (const gold of devGold().timeline) {
      const hit = events.find((e) => e.date.value === gold.value && e.source.doc.startsWith(gold.doc) && e.text.includes(gold.contains));
      assert.ok(hit, `${gold.id}: ${gold.value} "${gold.contains}"`);
    }
  });

  test('events are sorted by date, earliest first', () => {
    const firsts = events.map((e) => e.date.value.replace('X', '0').padEnd(10, '-'));
    assert.ok(events.length > 10);
    assert.equal(events[0]!.date.value, '1960');
    for (let i = 1; i < firsts.length; i++) assert.ok(firsts[i - 1]!.slice(0, 4) <= firsts[i]!.slice(0, 4), `${firsts[i - 1]} before ${firsts[i]}`);
  });

  test('precision and approximation are stated', () => {
    const decade = events.find((e) => e.date.value === '203X');
    assert.deepEqual(decade?.date, { value: '203X', precision: 'decade', approximate: true });
    const quarter = events.find((e) => e.date.value === '2024-Q1');
    assert.equal(quarter?.date.precision, 'quarter');
    const treaty = events.find((e) => e.date.value === '1960');
    assert.deepEqual(treaty?.date, { value: '1960', precision: 'year', approximate: false });
  });

  test('relative dates resolve against the page date: "on the 25th" in a page of 2024-03-27', () => {
    assert.ok(events.some((e) => e.date.value === '2024-03-25' && e.text.includes('on the 25th')));
  });

  test('durations are not events ("more than 60 years", "three to four years")', () => {
    for (const e of events) {
      assert.doesNotMatch(e.text, /^Over the past three to four years/);
      assert.ok(!e.text.startsWith('"The United States and Japan are planning to upgrade the security treaty on the largest scale in more than 60 years."'));
    }
  });

  test('event text and citations are verbatim slices', () => {
    for (const e of events) {
      const doc = seeds.documents.find((d) => d.doc === e.source.doc)!;
      assert.equal(doc.text.slice(e.source.start, e.source.end), e.text);
    }
  });

  test('--from and --to take partial dates and keep overlapping events', () => {
    const march = seeds.timeline({ from: '2024-03', to: '2024-03' }).events;
    assert.ok(march.length > 0);
    for (const e of march) assert.ok(e.date.value.startsWith('2024-03') || e.date.value === '2024-Q1' || e.date.value === '2024', e.date.value);
    const later = seeds.timeline({ from: '2030' }).events.map((e) => e.date.value);
    assert.deepEqual([...new Set(later)].sort(), ['2035', '203X']);
  });

  test('a topic narrows the timeline to events about it', () => {
    const treaty = seeds.timeline({ topic: 'security treaty signed' }).events;
    assert.ok(treaty.some((e) => e.date.value === '1960'));
    assert.ok(!treaty.some((e) => e.date.value === '2035'));
    const missiles = seeds.timeline({ topic: 'hypersonic missile' }).events.map((e) => e.date.value);
    assert.ok(missiles.includes('2035'));
    assert.ok(!missiles.includes('1960'));
  });

  test('an impossible date is a user error showing the value and why', () => {
    const check = (options: { from?: string; to?: string }, pattern: RegExp) =>
      assert.throws(() => seeds.timeline(options), (e: unknown) => e instanceof SitrepError && e.identifier === 'InvalidDate' && pattern.test(e.message));
    check({ from: '2023-02-29' }, /--from "2023-02-29" is not a date: February 2023 has 28 days/);
    check({ to: '2024-13' }, /--to "2024-13" is not a date: there is no month 13/);
    check({ to: '2024-04-31' }, /April 2024 has 30 days/);
  });

  test('a reversed --from/--to is a user error showing both values', () => {
    assert.throws(
      () => seeds.timeline({ from: '2024-05', to: '2023' }),
      (e: unknown) => e instanceof SitrepError && e.identifier === 'InvalidDateRange' && /--from "2024-05" is after --to "2023"/.test(e.message),
    );
    // One month as both ends is a range, not a reversal.
    assert.doesNotThrow(() => seeds.timeline({ from: '2024-03', to: '2024-03' }));
  });

  test('a bad --from is a user error naming the option', () => {
    assert.throws(() => seeds.timeline({ from: 'last spring' }), (e: unknown) => e instanceof SitrepError && e.identifier === 'InvalidDate' && /--from "last spring"/.test(e.message));
  });
});

describe('timeline rules on small corpora', () => {
  test('a page with no date keeps "March 24" off the timeline, but an absolute year stays', async () => {
    const dir = tempCorpus({
      'undated.txt': 'Talks held\n\nThe ministers met on March 24 to discuss the deployment.\n\nThe treaty was first signed in 1960 in Washington by both governments.\n',
    });
    const b = new Briefing((await loadCorpus(dir)).documents);
    const values = b.timeline().events.map((e) => e.date.value);
    assert.deepEqual(values, ['1960']);
  });

  test('the same event in two sources is one event citing both', async () => {
    const dir = tempCorpus({
      'a.md': '---\ntitle: A\noutlet: Paper A\npublished: 2024-04-11\n---\nThe leaders of Japan and the Philippines signed a defence pact in Manila on April 10, officials said.\n',
      'b.md': '---\ntitle: B\noutlet: Paper B\npublished: 2024-04-12\n---\nOn April 10 the leaders of Japan and the Philippines signed a defence pact in Manila.\n',
      'c.md': '---\ntitle: C\noutlet: Paper C\npublished: 2024-04-12\n---\nA typhoon struck Okinawa on April 10, cutting power to thousands of homes.\n',
    });
    const b = new Briefing((await loadCorpus(dir)).documents);
    const events = b.timeline().events.filter((e) => e.date.value === '2024-04-10');
    assert.equal(events.length, 2, JSON.stringify(events.map((e) => e.text)));
    const pact = events.find((e) => e.text.includes('pact'))!;
    assert.deepEqual([pact.source.doc, ...(pact.alsoReportedBy ?? []).map((c) => c.doc)].sort(), ['a.md', 'b.md']);
    const typhoon = events.find((e) => e.text.includes('typhoon'))!;
    assert.equal(typhoon.alsoReportedBy, undefined);
  });
});

describe('date bounds and clauses', () => {
  test('partial dates cover their whole span', () => {
    const y = parseDateBound('2024', 'from');
    const m = parseDateBound('2024-02', 'from');
    const q = parseDateBound('2024-q1', 'to');
    assert.equal(y.last - y.first, 365); // 2024 is a leap year
    assert.equal(m.last - m.first, 28);
    assert.equal(q.first, y.first);
    assert.equal(q.last - q.first, 90);
  });

  test('a long sentence is cut to the clause holding the date', () => {
    const text = `${'The ministers discussed many things at length in the capital over several long sessions, '.repeat(3)}and they agreed to meet again on April 10; the rest of the agenda was postponed without a new date being set for it at all.`;
    const at = text.indexOf('April 10');
    const clause = clauseAround(text, 0, text.length, at, at + 8);
    const slice = text.slice(clause.start, clause.end);
    assert.ok(slice.includes('April 10'));
    assert.ok(slice.length < text.length);
    assert.ok(!slice.includes('postponed'));
  });
});
