import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Briefing } from '../../src/engine/briefing.js';
import { LiveBriefing } from '../../src/engine/live.js';
import { readSavedDocuments, SNAPSHOT_FILE, SnapshotDocument } from '../../src/engine/snapshot.js';
import { CORPUS, tempCorpus } from '../helpers.js';
import { loadCorpus } from '../../src/corpus/load.js';
import { openBriefing } from '../../src/engine/open.js';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const article = (place: string, n: number): string =>
  `Talks in ${place}\n\nOfficials from Japan and the United States met in ${place} on March ${n} to discuss missile deployments, the ministry said.\n\n“We will deepen our alliance,” said Minister Aiko Tanaka${n}.\n`;

/** A copy of the seed corpus to change, and a cache folder for it. */
function seedCopy(): { dir: string; cacheDir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-corpus-'));
  cpSync(CORPUS, dir, { recursive: true });
  return { dir, cacheDir: mkdtempSync(join(tmpdir(), 'sitrep-cache-')) };
}

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
  const first = new LiveBriefing(dir, { cacheDir, keepBuilt: true });
  assert.equal((await first.refresh()).analysed, 2);
  const restarted = new LiveBriefing(dir, { cacheDir });
  assert.equal((await restarted.refresh()).analysed, 0);
  assert.deepEqual(restarted.briefing.quote().quotes.map((q) => q.text), first.briefing.quote().quotes.map((q) => q.text));
});

/** The analysis cache's entries: hashes with a file of their own, and hashes in packs. */
function cacheEntries(cacheDir: string): { files: string[]; packed: string[] } {
  const dir = join(cacheDir, 'analysis');
  const files: string[] = [];
  const packed: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name.endsWith('.json')) files.push(name.slice(0, -'.json'.length));
    if (!name.endsWith('.pack')) continue;
    const text = readFileSync(join(dir, name), 'utf8');
    for (const [hash] of (JSON.parse(text.slice(0, text.indexOf('\n'))) as { entries: [string][] }).entries) packed.push(hash);
  }
  return { files, packed };
}

test('without a snapshot, a rebuild reads every analysis from the files the analysis threads wrote', async () => {
  const places = ['Tokyo', 'Seoul', 'Manila', 'Hanoi', 'Jakarta', 'Taipei'];
  const dir = tempCorpus(Object.fromEntries(places.map((p, i) => [`${p}.txt`, article(p, i + 1)])));
  const cacheDir = mkdtempSync(join(tmpdir(), 'sitrep-cache-'));
  const first = new LiveBriefing(dir, { cacheDir, analysisThreads: 2, keepBuilt: true });
  assert.equal((await first.refresh()).analysed, 6);
  // Written by the time the build is done: in packs (a thread's run of entries), or one on its own.
  const written = cacheEntries(cacheDir);
  assert.ok(written.packed.length >= 2, 'a thread that analysed several wrote them in a pack');
  assert.deepEqual([...written.files, ...written.packed].sort(), first.briefing.documents.map((d) => d.hash).sort());
  await first.close();
  rmSync(join(cacheDir, SNAPSHOT_FILE));
  const rebuilt = new LiveBriefing(dir, { cacheDir, analysisThreads: 2, keepBuilt: true });
  assert.equal((await rebuilt.refresh()).analysed, 0, 'nothing analysed again');
  assert.equal(rebuilt.source, 'built');
  assert.deepEqual(rebuilt.briefing.quote(), first.briefing.quote());
  assert.deepEqual(rebuilt.briefing.timeline(), first.briefing.timeline());
  // A new article after that is analysed once, its entry written beside the others.
  writeFileSync(join(dir, 'd.txt'), article('Bangkok', 7));
  assert.equal((await rebuilt.addFiles(['d.txt'])).analysed, 1);
  const after = cacheEntries(cacheDir);
  assert.equal(after.files.length + after.packed.length, 7);
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

test('once a build is saved, the engine answers from its snapshot: documents read from the file, tables ready, the same answers as the build', async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'sitrep-cache-'));
  const reference = new LiveBriefing(CORPUS, { keepBuilt: true });
  await reference.refresh();
  const live = new LiveBriefing(CORPUS, { cacheDir });
  try {
    await live.refresh();
    await live.warm();
    await live.idle();
    const saved = live.briefing;
    assert.ok(saved.documents.every((d) => d instanceof SnapshotDocument), 'the documents are the snapshot’s');
    assert.ok(saved.tablesReady, 'the tables were made before the swap');
    const built = reference.briefing;
    const names = built.entities.names();
    assert.ok(names.length > 20);
    for (const name of names) assert.deepEqual(saved.who(name), built.who(name), name);
    for (const q of ['Tomahawk', 'North Korea missile test', 'treaty']) assert.deepEqual(saved.search(q), built.search(q), q);
    assert.deepEqual(saved.timeline(), built.timeline());
    assert.deepEqual(saved.quote(), built.quote());
  } finally {
    await live.close();
  }
});

test('a change while a build’s saved documents are being read is not lost: the swap is given up, and the Briefing the change made is swapped for its own saved documents', async () => {
  const { dir, cacheDir } = seedCopy();
  // The first read of the saved documents (the build's, read at once) is held until the change has been swapped in.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let reads = 0;
  const live = new LiveBriefing(dir, {
    cacheDir,
    readSavedDocuments: async (path, expected) => {
      const read = await readSavedDocuments(path, expected);
      if (reads++ === 0) await held;
      return read;
    },
  });
  // Built with its tables, as the bot's first build is (then adopted).
  const built = new Briefing((await loadCorpus(dir)).documents);
  await built.prepareEntities();
  try {
    let added = false;
    const lost: string[] = [];
    live.onChange((briefing) => {
      // Once the change is answerable, every Briefing after it holds it.
      if (added && !briefing.documents.some((d) => d.doc === 'zz-new.txt')) lost.push(`swapped back to ${briefing.documents.length} documents`);
    });
    await live.adopt(built);
    while (reads === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    writeFileSync(join(dir, 'zz-new.txt'), article('Reykjavik', 3));
    await live.addFiles(['zz-new.txt']);
    added = true;
    release();
    await live.idle();
    assert.deepEqual(lost, []);
    assert.ok(reads >= 2, 'the Briefing the change made read its own saved documents');
    assert.ok(live.briefing.search('Reykjavik').results.length > 0);
    assert.ok(live.briefing.documents.every((d) => d instanceof SnapshotDocument), 'the Briefing the change made answers from its own saved documents');
  } finally {
    await live.close();
  }
});

test('articles added to a corpus started from its snapshot are, once merged and saved, held as the new snapshot holds them: the built documents let go, the answers unchanged', async () => {
  const { dir, cacheDir } = seedCopy();
  const first = new LiveBriefing(dir, { cacheDir });
  await first.refresh();
  await first.close();
  const live = new LiveBriefing(dir, { cacheDir });
  try {
    assert.ok(await live.startFromSnapshot());
    await live.refresh();
    await live.warm();
    await live.idle();
    const asked = live.briefing.entities.names().slice(0, 30);
    for (const name of asked) live.briefing.who(name);
    // Two articles arrive one by one (a small index: each merged and saved at once).
    const built = new Map<string, WeakRef<object>>();
    live.onChange((next) => {
      for (const d of next.documents) if (d.doc.startsWith('zz-') && !(d instanceof SnapshotDocument) && !built.has(d.doc)) built.set(d.doc, new WeakRef(d));
    });
    for (const [path, place] of [['zz-a.txt', 'Reykjavik'], ['zz-b.txt', 'Valparaiso']] as const) {
      writeFileSync(join(dir, path), article(place, 7));
      await live.addFiles([path]);
      await live.idle();
    }
    assert.equal(built.size, 2, 'the articles were built here');
    const briefing = live.briefing;
    assert.ok(briefing.documents.every((d) => d instanceof SnapshotDocument), 'every document is read from the new snapshot');
    assert.ok(briefing.tablesReady, 'the tables were carried over');
    // The same answers as a build of the whole folder from scratch.
    const reference = new LiveBriefing(dir, { keepBuilt: true });
    await reference.refresh();
    const fresh = reference.briefing;
    for (const name of [...fresh.entities.names(), 'Aiko Tanaka7', 'Reykjavik']) assert.deepEqual(briefing.who(name), fresh.who(name), name);
    for (const q of ['Reykjavik', 'Valparaiso talks', 'missile deployments', 'treaty']) assert.deepEqual(briefing.search(q), fresh.search(q), q);
    assert.deepEqual(briefing.timeline(), fresh.timeline());
    assert.deepEqual(briefing.quote(), fresh.quote());
    assert.deepEqual(briefing.brief(), fresh.brief());
    // Nothing holds the documents built here any more.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      gc();
    }
    assert.deepEqual([...built.values()].map((ref) => ref.deref() === undefined), [true, true], 'the built documents were collected');
  } finally {
    await live.close();
  }
});

test('openBriefing (one-off commands, the console) keeps the Briefing it built and returned, not swapping it for its snapshot’s', async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'sitrep-cache-'));
  const { briefing, live } = await openBriefing(CORPUS, undefined, { cacheDir });
  try {
    await live.idle();
    assert.equal(live.briefing, briefing);
    assert.ok(!briefing.documents.some((d) => d instanceof SnapshotDocument));
  } finally {
    await live.close();
  }
});
