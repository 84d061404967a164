import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Briefing } from '../../src/engine/briefing.js';
import { LiveBriefing } from '../../src/engine/live.js';
import { SNAPSHOT_FILE } from '../../src/engine/snapshot.js';
import { tempCorpus } from '../helpers.js';

const article = (place: string, n: number): string =>
  `Talks in ${place}\n\nOfficials from Japan and the United States met in ${place} on March ${n} to discuss missile deployments, the ministry said.\n\n“We will deepen our alliance,” said Minister Aiko Tanaka${n}.\n`;

test('a rescan picks up added, changed and removed files, and sources reflect them', async () => {
  const dir = tempCorpus({ 'a.txt': article('Tokyo', 1) });
  const live = new LiveBriefing(dir);
  const first = await live.refresh();
  assert.deepEqual(first.added, ['a.txt']);
  assert.equal(live.briefing.sources().documents.length, 1);

  writeFileSync(join(dir, 'b.txt'), article('Manila', 2));
  const second = await live.refresh();
  assert.deepEqual(second.added, ['b.txt']);
  assert.equal(second.analysed, 1, 'only the new document is analysed');
  assert.deepEqual(live.briefing.sources().documents.map((d) => d.doc), ['a.txt', 'b.txt']);
  assert.ok(live.briefing.search('Manila').results.length > 0);

  writeFileSync(join(dir, 'a.txt'), article('Osaka', 3));
  utimesSync(join(dir, 'a.txt'), new Date(), new Date(Date.now() + 5000));
  const third = await live.refresh();
  assert.deepEqual(third.updated, ['a.txt']);
  assert.ok(live.briefing.search('Osaka').results.length > 0);
  assert.deepEqual(live.briefing.search('Tokyo').results, []);

  rmSync(join(dir, 'b.txt'));
  const fourth = await live.refresh();
  assert.deepEqual(fourth.removed, ['b.txt']);
  assert.equal(live.briefing.sources().documents.length, 1);

  const idle = await live.refresh();
  assert.equal(idle.changed, false);
});

test('analyses are cached on disk by content: a restart analyses nothing again', async () => {
  const dir = tempCorpus({ 'a.txt': article('Tokyo', 1), 'b.txt': article('Seoul', 2) });
  const cacheDir = mkdtempSync(join(tmpdir(), 'sitrep-cache-'));
  const first = new LiveBriefing(dir, { cacheDir });
  assert.equal((await first.refresh()).analysed, 2);
  const restarted = new LiveBriefing(dir, { cacheDir });
  assert.equal((await restarted.refresh()).analysed, 0);
  assert.deepEqual(restarted.briefing.quote().quotes.map((q) => q.text), first.briefing.quote().quotes.map((q) => q.text));
});

test('without a snapshot, a rebuild reads every analysis from the files the analysis threads wrote', async () => {
  const dir = tempCorpus({ 'a.txt': article('Tokyo', 1), 'b.txt': article('Seoul', 2), 'c.txt': article('Manila', 3) });
  const cacheDir = mkdtempSync(join(tmpdir(), 'sitrep-cache-'));
  const first = new LiveBriefing(dir, { cacheDir, analysisThreads: 2 });
  assert.equal((await first.refresh()).analysed, 3);
  const written = readdirSync(join(cacheDir, 'analysis')).filter((name) => name.endsWith('.json'));
  assert.deepEqual(written.sort(), first.briefing.documents.map((d) => `${d.hash}.json`).sort());
  await first.close();
  rmSync(join(cacheDir, SNAPSHOT_FILE));
  const rebuilt = new LiveBriefing(dir, { cacheDir, analysisThreads: 2 });
  assert.equal((await rebuilt.refresh()).analysed, 0, 'nothing analysed again');
  assert.equal(rebuilt.source, 'built');
  assert.deepEqual(rebuilt.briefing.quote(), first.briefing.quote());
  assert.deepEqual(rebuilt.briefing.timeline(), first.briefing.timeline());
  // A new article after that is analysed once, its entry written beside the others.
  writeFileSync(join(dir, 'd.txt'), article('Jakarta', 4));
  assert.equal((await rebuilt.addFiles(['d.txt'])).analysed, 1);
  assert.equal(readdirSync(join(cacheDir, 'analysis')).filter((name) => name.endsWith('.json')).length, 4);
  await rebuilt.close();
});

test('the current snapshot keeps answering, and the event loop keeps turning, while the next one is built', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 60; i++) files[`doc${i}.txt`] = article(`City${i}`, (i % 28) + 1).repeat(3);
  const dir = tempCorpus({ 'seed.txt': article('Tokyo', 1) });
  const live = new LiveBriefing(dir);
  await live.refresh();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);

  let answered = 0;
  let longestGap = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    longestGap = Math.max(longestGap, now - last);
    last = now;
    if (live.briefing.search('Tokyo').results.length > 0) answered++;
  }, 1);
  const started = performance.now();
  await live.refresh();
  const took = performance.now() - started;
  clearInterval(ticker);
  assert.equal(live.briefing.sources().documents.length, 61);
  assert.ok(answered > 5, `answered ${answered} times during a ${took.toFixed(0)} ms rebuild`);
  assert.ok(longestGap < took / 2, `longest stall ${longestGap.toFixed(0)} ms of ${took.toFixed(0)} ms`);
});

test('a missing corpus folder rejects the refresh with the folder named', async () => {
  const live = new LiveBriefing('/no/such/corpus');
  await assert.rejects(live.refresh(), /corpus folder not found: \/no\/such\/corpus/);
  assert.equal(live.ready, false);
});

test('idle() resolves only once the change, the merge it made due and the snapshot save are done', async () => {
  const dir = tempCorpus({ 'a.txt': article('Tokyo', 1) });
  const cacheDir = mkdtempSync(join(tmpdir(), 'sitrep-cache-'));
  const live = new LiveBriefing(dir, { cacheDir });
  try {
    await live.refresh();
    writeFileSync(join(dir, 'b.txt'), article('Manila', 2));
    let added = false;
    void live.addFiles(['b.txt']).then(() => (added = true));
    await live.idle();
    assert.ok(added, 'idle() waited for the change queued before it');
    assert.equal(live.saveInProgress, false);
    assert.equal(live.briefing.index.segmented, false, 'a small index is merged as part of the change');
    assert.deepEqual(live.briefing.sources().documents.map((d) => d.doc), ['a.txt', 'b.txt']);
  } finally {
    await live.close();
  }
});

test('after the name tables are built, and after each added article, the answers of the most mentioned names are made in the background', async () => {
  const dir = tempCorpus({ 'a.txt': article('Tokyo', 1), 'b.txt': article('Seoul', 2) });
  const live = new LiveBriefing(dir);
  const prepared: Briefing[] = [];
  const original = Briefing.prototype.prepareAnswers;
  Briefing.prototype.prepareAnswers = function (this: Briefing, budgetMs?: number) {
    prepared.push(this);
    return original.call(this, budgetMs);
  };
  try {
    await live.refresh();
    await live.warm();
    await live.idle();
    assert.deepEqual(prepared, [live.briefing], 'made for the warmed tables');
    writeFileSync(join(dir, 'c.txt'), article('Manila', 3));
    await live.addFiles(['c.txt']);
    await live.idle();
    assert.equal(prepared.length, 2, 'and again after the change');
    // (the small index was merged since: the current Briefing shares the changed one's entity table)
    assert.equal(prepared[1]!.entities, live.briefing.entities, 'for the entity table answering now');
  } finally {
    Briefing.prototype.prepareAnswers = original;
    await live.close();
  }
});

test('after an article is added, the autocomplete table for the new ranking is made in the background, not at the next keystroke', async () => {
  const dir = tempCorpus({ 'a.txt': article('Tokyo', 1), 'b.txt': article('Seoul', 2) });
  const live = new LiveBriefing(dir);
  try {
    await live.refresh();
    assert.ok(live.briefing.completeNames('Aiko', 5).length > 0); // the tables are built
    writeFileSync(join(dir, 'c.txt'), article('Manila', 3));
    await live.addFiles(['c.txt']);
    await live.idle();
    const index = live.briefing.entities as unknown as { prefixes: { ranked: unknown } | null; rankedIds(): unknown };
    assert.ok(index.prefixes, 'the autocomplete table exists');
    assert.equal(index.prefixes.ranked, index.rankedIds(), 'it is the table of the current ranking');
    assert.ok(live.briefing.completeNames('Aiko Tanaka3', 5).some((n) => n.includes('Tanaka3')));
  } finally {
    await live.close();
  }
});
