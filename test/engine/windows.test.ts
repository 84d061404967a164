/**
 * Pages of long answers: the engine makes only the items of the window asked for (describing a
 * quotation's speaker reads their documents), so a window must be exactly that slice of the whole
 * answer, with the whole answer's count.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCorpus } from '../../src/corpus/load.js';
import { Briefing } from '../../src/engine/briefing.js';
import { quotesBySpeaker, speakerTable, type QuoteEntry } from '../../src/engine/quotes.js';
import { nameKey } from '../../src/analysis/people.js';
import { CORPUS } from '../helpers.js';

const seeds = new Briefing((await loadCorpus(CORPUS)).documents);
const WINDOWS = [
  { offset: 0, limit: 4 },
  { offset: 4, limit: 4 },
  { offset: 3, limit: 1 },
  { offset: 0, limit: 0 },
  { offset: 10_000, limit: 4 },
  { offset: 2 },
];

test('a window of /quote is the slice of the whole answer, and counts the whole answer', () => {
  const speakers = seeds.quote().quotes.flatMap((q) => (q.speaker ? [q.speaker.name] : []));
  const asks = [{}, { topic: 'missile' }, { topic: 'alliance Japan' }, ...[...new Set(speakers)].slice(0, 4).map((speaker) => ({ speaker }))];
  for (const ask of asks) {
    const whole = seeds.quote(ask);
    assert.ok(whole.quotes.length > 0, JSON.stringify(ask));
    assert.equal(whole.total, whole.quotes.length);
    for (const w of WINDOWS) {
      const page = seeds.quote({ ...ask, ...w });
      const end = w.limit === undefined ? undefined : w.offset + w.limit;
      assert.deepEqual(page.quotes, whole.quotes.slice(w.offset, end), `${JSON.stringify(ask)} ${JSON.stringify(w)}`);
      assert.equal(page.total, whole.quotes.length);
      assert.deepEqual(page.speaker, whole.speaker);
    }
  }
});

test('a window of /timeline and of /sources is the slice of the whole answer, and counts the whole answer', () => {
  for (const ask of [{}, { topic: 'missile' }, { from: '2024' }]) {
    const whole = seeds.timeline(ask);
    assert.ok(whole.events.length > 4, JSON.stringify(ask));
    assert.equal(whole.total, whole.events.length);
    for (const w of WINDOWS) {
      const page = seeds.timeline({ ...ask, ...w });
      assert.deepEqual(page.events, whole.events.slice(w.offset, w.limit === undefined ? undefined : w.offset + w.limit));
      assert.equal(page.total, whole.events.length);
    }
  }
  const sources = seeds.sources();
  assert.equal(sources.total, seeds.documents.length);
  assert.deepEqual(seeds.sources({ offset: 1, limit: 2 }).documents, sources.documents.slice(1, 3));
  // Passages per document, as the index holds them.
  for (const [i, d] of sources.documents.entries()) assert.equal(d.passages, seeds.index.passages.filter((p) => p.docIndex === i).length);
});

test('`documents` keeps the quotations and events of those documents only, in the same order', () => {
  const docs = new Set(seeds.documents.slice(0, 2).map((d) => d.doc));
  for (const topic of [undefined, 'missile']) {
    const ask = topic ? { topic } : {};
    assert.deepEqual(seeds.quote({ ...ask, documents: docs }).quotes, seeds.quote(ask).quotes.filter((q) => docs.has(q.source.doc)));
    assert.deepEqual(seeds.timeline({ ...ask, documents: docs }).events, seeds.timeline(ask).events.filter((e) => docs.has(e.source.doc)));
  }
});

test('the speaker table answers what a scan of every quotation does, for every name and alias a quotation gives', () => {
  const inside = seeds as unknown as { quoteEntries: QuoteEntry[] };
  const entries = inside.quoteEntries;
  const entities = seeds.entities;
  const table = speakerTable(entries);
  // The definition: the entity's members' quotations, else those whose text names exactly that speaker.
  const scan = (speaker: string): QuoteEntry[] => {
    const found = entities.lookup(speaker);
    if (found.match) {
      const members = new Set(entities.memberIds(found.match.id));
      return entries.filter((e) => e.speakerEntity !== null && members.has(e.speakerEntity.id));
    }
    const key = nameKey(speaker);
    return entries.filter((e) => e.speakerEntity === null && e.speakerName !== null && nameKey(e.speakerName) === key);
  };
  const names = new Set<string>(['the source', 'Nobody Here', 'officials']);
  for (const e of entries) {
    if (e.speakerName) names.add(e.speakerName);
    if (e.mention.speaker) names.add(e.mention.speaker.text);
  }
  let some = 0;
  for (const name of names) {
    const got = quotesBySpeaker(table, name, entities).entries;
    assert.deepEqual(got, scan(name), name);
    if (got.length > 0) some++;
  }
  assert.ok(some >= 5, `only ${some} speakers have quotations`);
});

test('/timeline with a topic answers exactly what a scan of every event would (a head counts when any of its reports is in a passage about the topic)', () => {
  type Entry = { docIndex: number; mentionStart: number; others: Entry[] };
  const inside = seeds as unknown as { timelineEntries: Entry[]; topicPassages(topic: string): Map<number, number> };
  const passageOf = (e: Entry) => seeds.index.passages.find((p) => p.docIndex === e.docIndex && e.mentionStart >= p.start && e.mentionStart < p.end);
  let some = 0;
  for (const topic of ['missile', 'Japan alliance', 'deploy', 'China', 'Tomahawk 2027', 'zzzunknownword treaty']) {
    const rank = inside.topicPassages(topic);
    const expected = inside.timelineEntries.filter((head) => [head, ...head.others].some((e) => rank.has(passageOf(e)?.id ?? -1)));
    const got = seeds.timeline({ topic }).events;
    assert.deepEqual(
      got.map((e) => `${e.source.doc}:${e.source.start}`),
      expected.map((e) => `${seeds.documents[e.docIndex]!.doc}:${(e as unknown as { start: number }).start}`),
      topic,
    );
    if (got.length > 0) some++;
  }
  assert.ok(some >= 4);
});

test('/timeline with a topic keeps an event whose topic is in another outlet’s report of it, not in the first report', async () => {
  const { tempCorpus } = await import('../helpers.js');
  const first = '---\ntitle: Geneva\noutlet: Wire One\npublished: 2024-03-04\n---\nMinisters from the nine coastal states met in Geneva on March 3, 2024, officials said.\n';
  const second = '---\ntitle: Geneva round\noutlet: Wire Two\npublished: 2024-03-05\n---\nMinisters from the nine coastal states met in Geneva on March 3, 2024, officials said, to settle the fisheries dispute.\n';
  const briefing = new Briefing((await loadCorpus(tempCorpus({ 'a.txt': first, 'b.txt': second }))).documents);
  const all = briefing.timeline().events;
  assert.equal(all.length, 1, 'the two reports are one event');
  assert.equal(all[0]!.source.doc, 'a.txt');
  assert.deepEqual(all[0]!.alsoReportedBy?.map((c) => c.doc), ['b.txt']);
  assert.deepEqual(briefing.timeline({ topic: 'fisheries' }).events, all);
});
