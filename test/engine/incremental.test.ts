import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyseDocument } from '../../src/analysis/document-analysis.js';
import { AnalysisPool, sharedAnalysisPool } from '../../src/engine/analysis-pool.js';
import { Briefing } from '../../src/engine/briefing.js';
import { LiveBriefing } from '../../src/engine/live.js';
import { documentOf, tempCorpus } from '../helpers.js';

// Made-up articles: shared people, dates and quotations, so documents interact in every table.
const PEOPLE = ['Maria Okafor', 'Tomas Lindqvist', 'Aiko Brandt', 'Rafael Moreno', 'Helen Achebe'];
const PLACES = ['Lagos', 'Uppsala', 'Kyoto', 'Seville', 'Accra', 'Tallinn'];
const MONTHS = ['January', 'March', 'May', 'July', 'September', 'November'];

function article(n: number): string {
  const who = PEOPLE[n % PEOPLE.length]!;
  const other = PEOPLE[(n + 2) % PEOPLE.length]!;
  const place = PLACES[n % PLACES.length]!;
  const month = MONTHS[n % MONTHS.length]!;
  return [
    `---\ntitle: Harbour talks in ${place} (${n})\noutlet: Test Wire\npublished: 2024-0${(n % 9) + 1}-1${n % 10}\n---`,
    `Harbour talks in ${place}`,
    `Delegates met in ${place} on ${month} ${(n % 27) + 1}, 2023 to discuss the shipping agreement, said ${who}, the trade minister of the coastal alliance.`,
    `“We will finish the shipping agreement before the winter storms arrive,” said ${who}.`,
    `${other}, a veteran negotiator, said the ports would reopen in 2025. The first agreement was signed in 1998 in ${place}.`,
    `Officials said the ${place} round ${n % 3 === 0 ? 'ended early' : 'continued late into the night'} as talks on tariffs and fishing quotas went on.`,
  ].join('\n\n');
}

const documents = Array.from({ length: 9 }, (_, i) => documentOf(`doc${i}.txt`, article(i)));
const analyses = documents.map(analyseDocument);

/** Every answer the engine gives on these articles, for comparing two Briefings. */
function answers(b: Briefing, withSearch: boolean): unknown {
  return {
    sources: b.sources(),
    timeline: b.timeline(),
    timelineTopic: b.timeline({ topic: 'shipping agreement' }),
    quotes: b.quote(),
    quotesBy: PEOPLE.map((p) => b.quote({ speaker: p })),
    // Ranked by the passages' scores, which equal a full build's only once the index is merged.
    quotesOn: withSearch ? ['shipping agreement', 'winter storms', 'finish'].map((topic) => b.quote({ topic })) : ['shipping agreement', 'winter storms', 'finish'].map((topic) => new Set(b.quote({ topic }).quotes.map((q) => `${q.source.doc}:${q.source.start}`))),
    who: [...PEOPLE, 'Okafor', 'Lindqvst', 'Brandt'].map((p) => b.who(p)),
    complete: ['Ma', 'Tom', 'R'].map((p) => b.completeNames(p)),
    search: withSearch ? ['shipping agreement', 'Uppsala talks', 'tarifs fishing', 'winter storm', 'Harbour tal'].map((q) => b.search(q)) : null,
  };
}

test('the analysis pool gives the same analyses with one thread as with three, in input order, as analysing here', async () => {
  // The one-thread pool is the process's shared one, still warm for the LiveBriefing test below.
  const one = sharedAnalysisPool(1);
  const three = new AnalysisPool(3);
  try {
    const [a, b] = await Promise.all([one.analyse(documents), three.analyse(documents)]);
    assert.deepEqual(a, analyses);
    assert.deepEqual(b, analyses);
    assert.deepEqual(await three.analyse([]), []);
  } finally {
    await three.close();
  }
});

test('adding documents to a Briefing answers exactly as building from scratch (search once merged)', async () => {
  const base = new Briefing(documents.slice(0, 6), undefined, analyses.slice(0, 6));
  let current = base;
  // One at a time, as feeds add them.
  for (let i = 6; i < 9; i++) {
    const keep = Int32Array.from({ length: i }, (_, k) => k);
    current = await current.withChanges(documents.slice(0, i + 1), keep, [{ docIndex: i, analysis: analyses[i]! }]);
  }
  const full = new Briefing(documents, undefined, analyses);
  assert.ok(current.index.segmented);
  assert.deepEqual(answers(current, false), answers(full, false));
  // Before the merge the new documents are found; after it, search is exactly the full build's.
  assert.ok(current.search('Uppsala', { limit: 50 }).results.some((r) => r.source.doc === 'doc7.txt'));
  const merged = current.withIndex(await current.index.merged(current.documents));
  assert.equal(merged.index.segmented, false);
  assert.deepEqual(answers(merged, true), answers(full, true));
  assert.deepEqual(merged.index.toBinary(), full.index.toBinary());
  // The Briefing a change was derived from is untouched.
  assert.deepEqual(answers(base, true), answers(new Briefing(documents.slice(0, 6), undefined, analyses.slice(0, 6)), true));
});

test('a Briefing handing its entity table over (EntityIndex.add in place) answers as building from scratch', async () => {
  let current = new Briefing(documents.slice(0, 5), undefined, analyses.slice(0, 5));
  for (let i = 5; i < 9; i++) {
    void current.entities; // built, so the next Briefing takes it over
    current.quote({ topic: 'shipping agreement' }); // the quotations' words indexed, so the next Briefing extends the table
    const keep = Int32Array.from({ length: i }, (_, k) => k);
    current = await current.withChanges(documents.slice(0, i + 1), keep, [{ docIndex: i, analysis: analyses[i]! }], { handOver: true });
    assert.ok(current.entitiesReady, 'the entity table was handed over, not left to rebuild');
    assert.ok(current.tablesReady, 'the tables, the quotations’ words included, are carried over and stay ready');
  }
  const full = new Briefing(documents, undefined, analyses);
  assert.deepEqual(answers(current, false), answers(full, false));
  // Once merged, ranked answers too (quotations on a topic are ordered by their own words, from the carried-over table).
  const merged = current.withIndex(await current.index.merged(current.documents));
  assert.deepEqual(answers(merged, true), answers(full, true));
});

test('removing and replacing documents answers as building from scratch over what is left', async () => {
  const base = new Briefing(documents.slice(0, 8), undefined, analyses.slice(0, 8));
  // doc2 and doc5 removed, doc8 added: kept documents close ranks, the new one goes last.
  const keep = Int32Array.from([0, 1, -1, 2, 3, -1, 4, 5]);
  const after = [0, 1, 3, 4, 6, 7, 8].map((i) => documents[i]!);
  const next = await base.withChanges(after, keep, [{ docIndex: 6, analysis: analyses[8]! }]);
  const full = new Briefing(after, undefined, [0, 1, 3, 4, 6, 7, 8].map((i) => analyses[i]!));
  assert.deepEqual(answers(next, false), answers(full, false));
  for (const q of ['Kyoto', 'Seville', 'shipping agreement', 'Accra']) {
    assert.ok(next.search(q, { limit: 50 }).results.every((r) => r.source.doc !== 'doc2.txt' && r.source.doc !== 'doc5.txt'), q);
  }
  const merged = next.withIndex(await next.index.merged(next.documents));
  assert.deepEqual(answers(merged, true), answers(full, true));
});

test('LiveBriefing.addFiles makes a stored article answerable without a rescan, and a removed path leaves', async () => {
  const dir = tempCorpus({ 'a.txt': article(0), 'b.txt': article(1) });
  const live = new LiveBriefing(dir, { analysisThreads: 1 });
  await live.start();
  writeFileSync(join(dir, 'feed-1.txt'), article(4));
  const added = await live.addFiles(['feed-1.txt']);
  assert.deepEqual(added.added, ['feed-1.txt']);
  assert.equal(added.analysed, 1);
  assert.ok(live.briefing.search('Accra').results.some((r) => r.source.doc === 'feed-1.txt'));
  assert.ok(live.briefing.timeline().events.some((e) => e.source.doc === 'feed-1.txt'));
  // An identical copy is one document with two paths; nothing new is analysed.
  writeFileSync(join(dir, 'feed-2.txt'), article(4));
  const twin = await live.addFiles([join(dir, 'feed-2.txt')]);
  assert.equal(twin.analysed, 0);
  const listed = live.briefing.sources().documents.find((d) => d.doc === 'feed-1.txt') as { paths?: string[] } | undefined;
  assert.deepEqual(listed?.paths, ['feed-1.txt', 'feed-2.txt']);
  rmSync(join(dir, 'feed-1.txt'));
  rmSync(join(dir, 'feed-2.txt'));
  assert.deepEqual((await live.addFiles(['feed-1.txt', 'feed-2.txt'])).removed, ['feed-1.txt', 'feed-2.txt']);
  assert.deepEqual(live.briefing.search('Accra').results, []);
  await assert.rejects(live.addFiles(['../outside.txt']), /not inside the corpus folder/);
  // Nothing left to do for a rescan: addFiles recorded every file.
  assert.equal((await live.refresh()).changed, false);
  await live.close();
});

test('a run of additions, a removal and more additions reads every document’s entities and quotations as a fresh build', async () => {
  // Each step: the kept old documents, then the new ones; checked against a Briefing built over the result.
  const steps: { keepOld: number[]; add: number[] }[] = [
    { keepOld: [0, 1, 2, 3], add: [4] }, // appended: lists without a map
    { keepOld: [0, 1, 2, 3, 4], add: [5] }, // appended again, on top of a view
    { keepOld: [0, 2, 3, 4, 5], add: [6] }, // doc1 removed: a map from the view's positions
    { keepOld: [0, 2, 3, 4, 5, 6], add: [7] }, // appended after a map
    { keepOld: [2, 3, 4, 5, 6, 7], add: [8] }, // doc0 removed
  ];
  let held = [0, 1, 2, 3];
  let current = new Briefing(held.map((i) => documents[i]!), undefined, held.map((i) => analyses[i]!));
  for (const step of steps) {
    const keep = Int32Array.from(held, (d) => step.keepOld.indexOf(d));
    const next = [...step.keepOld, ...step.add];
    const added = step.add.map((d, k) => ({ docIndex: step.keepOld.length + k, analysis: analyses[d]! }));
    const previous = current;
    const before = { entities: [...previous.entitiesByDoc], quotes: [...previous.quotesByDoc] };
    current = await current.withChanges(next.map((i) => documents[i]!), keep, added);
    assert.deepEqual([...current.entitiesByDoc], next.map((i) => analyses[i]!.entities), `entities after ${JSON.stringify(step)}`);
    assert.deepEqual([...current.quotesByDoc], next.map((i) => analyses[i]!.quotes), `quotations after ${JSON.stringify(step)}`);
    assert.deepEqual({ entities: [...previous.entitiesByDoc], quotes: [...previous.quotesByDoc] }, before, 'the Briefing a change came from reads as before');
    held = next;
  }
  assert.deepEqual(answers(current, false), answers(new Briefing(held.map((i) => documents[i]!), undefined, held.map((i) => analyses[i]!)), false));
});
