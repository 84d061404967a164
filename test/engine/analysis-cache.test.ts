import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyseDocument } from '../../src/analysis/document-analysis.js';
import { AnalysisCache, ANALYSIS_VERSION } from '../../src/engine/analysis-cache.js';
import { PACK_SUFFIX, writeCachePackSync } from '../../src/engine/analysis-cache-file.js';
import { AnalysisPool } from '../../src/engine/analysis-pool.js';
import { documentOf } from '../helpers.js';

const article = (place: string, n: number): string =>
  `Talks in ${place}\n\nOfficials from Japan and the United States met in ${place} on March ${n} to discuss missile deployments, the ministry said.\n\n“We will deepen our alliance,” said Minister Aiko Tanaka${n}.\n`;

function analysed(count: number) {
  return Array.from({ length: count }, (_, i) => {
    const document = documentOf(`d${i}.txt`, article(['Tokyo', 'Seoul', 'Manila', 'Hanoi', 'Jakarta'][i % 5]!, i + 1));
    return { hash: document.hash, analysis: analyseDocument(document) };
  });
}

test('analysis cache: entries written in a pack are read back whole by a build (which lists the folder); a change looks in its own file only', async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'sitrep-cache-'));
  const entries = analysed(5);
  assert.ok(writeCachePackSync({ dir: join(cacheDir, 'analysis'), version: ANALYSIS_VERSION }, entries));
  const files = readdirSync(join(cacheDir, 'analysis'));
  assert.equal(files.length, 1);
  assert.ok(files[0]!.endsWith(PACK_SUFFIX), 'five entries are one pack');
  const cache = new AnalysisCache(cacheDir);
  for (const e of [...entries].reverse()) assert.deepEqual(await cache.read(e.hash, { listed: true }), JSON.parse(JSON.stringify(e.analysis)));
  assert.equal(await cache.read('0'.repeat(64), { listed: true }), null);
  assert.equal(await new AnalysisCache(cacheDir).read(entries[0]!.hash), null, 'a change does not list the packs');
});

test('analysis cache: one entry is a file of its own, read as before', async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'sitrep-cache-'));
  const [entry] = analysed(1);
  assert.ok(writeCachePackSync({ dir: join(cacheDir, 'analysis'), version: ANALYSIS_VERSION }, [entry!]));
  assert.deepEqual(readdirSync(join(cacheDir, 'analysis')), [`${entry!.hash}.json`]);
  assert.deepEqual(await new AnalysisCache(cacheDir).read(entry!.hash, { listed: true }), JSON.parse(JSON.stringify(entry!.analysis)));
});

test('analysis cache: a pack of another analysis version is not read and is removed; a damaged pack is not read and breaks nothing', async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'sitrep-cache-'));
  const dir = join(cacheDir, 'analysis');
  const [a, b, c, d] = analysed(4);
  writeCachePackSync({ dir, version: 'another version' }, [a!, b!]);
  const stale = join(dir, readdirSync(dir)[0]!);
  writeCachePackSync({ dir, version: ANALYSIS_VERSION }, [c!, d!]);
  const good = readdirSync(dir).map((n) => join(dir, n)).find((p) => p !== stale)!;
  // Damaged: the header promises more than the file holds.
  truncateSync(good, readFileSync(good).byteLength - 10);
  writeFileSync(join(dir, `junk${PACK_SUFFIX}`), 'not a pack at all');
  const cache = new AnalysisCache(cacheDir);
  assert.equal(await cache.read(a!.hash, { listed: true }), null);
  assert.equal(await cache.read(b!.hash, { listed: true }), null);
  assert.ok(!existsSync(stale), 'the pack of another version is gone');
  assert.deepEqual(await cache.read(c!.hash, { listed: true }), JSON.parse(JSON.stringify(c!.analysis)), 'the entry before the damage reads');
  assert.equal(await cache.read(d!.hash, { listed: true }), null, 'the entry cut short does not');
});

test('analysis pool: entries its threads hold for the cache are written when it closes, and by flush()', async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'sitrep-cache-'));
  const target = { dir: join(cacheDir, 'analysis'), version: ANALYSIS_VERSION };
  const documents = ['Tokyo', 'Seoul', 'Manila', 'Hanoi'].map((place, i) => documentOf(`${place}.txt`, article(place, i + 1)));
  const pool = new AnalysisPool(1);
  try {
    await pool.analyse(documents.slice(0, 2), { cache: target });
    await pool.flush();
    const cache = new AnalysisCache(cacheDir);
    for (const d of documents.slice(0, 2)) assert.ok(await cache.read(d.hash, { listed: true }), `${d.doc} written by flush()`);
    await pool.analyse(documents.slice(2), { cache: target });
  } finally {
    await pool.close();
  }
  const cache = new AnalysisCache(cacheDir);
  for (const d of documents.slice(2)) assert.ok(await cache.read(d.hash, { listed: true }), `${d.doc} written when the pool closed`);
});

test('analysis pool: a thread that has analysed its share is replaced once idle, after writing what it holds for the cache; the analyses do not change', async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'sitrep-cache-'));
  const target = { dir: join(cacheDir, 'analysis'), version: ANALYSIS_VERSION };
  const documents = ['Tokyo', 'Seoul', 'Manila', 'Hanoi', 'Taipei', 'Busan', 'Osaka'].map((place, i) => documentOf(`${place}.txt`, article(place, i + 1)));
  const pool = new AnalysisPool(1, { recycleAfter: 3 });
  const analyses = [];
  try {
    // One at a time, as fetched articles arrive: the thread is idle after each. flush() (what a build waits for)
    // covers a thread being replaced: everything analysed so far is written once it resolves.
    for (const [k, d] of documents.entries()) {
      analyses.push(...(await pool.analyse([d], { cache: target })));
      await pool.flush();
      const cache = new AnalysisCache(cacheDir);
      for (const done of documents.slice(0, k + 1)) assert.ok(await cache.read(done.hash, { listed: true }), `${done.doc} written once flush() resolved after document ${k + 1}`);
    }
    assert.equal(pool.workersStarted, 3, 'a thread for documents 1-3, one for 4-6, one for 7');
    // A batch is never cut: seven at once go to the third thread.
    await pool.analyse(documents);
    assert.equal(pool.workersStarted, 3);
  } finally {
    await pool.close();
  }
  assert.deepEqual(analyses, JSON.parse(JSON.stringify(documents.map(analyseDocument))));
});

test('analysis pool: a thread kept busy by a batch is replaced after its share, a new one taking over at once; the analyses and the cache do not change', async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'sitrep-cache-'));
  const target = { dir: join(cacheDir, 'analysis'), version: ANALYSIS_VERSION };
  const documents = ['Tokyo', 'Seoul', 'Manila', 'Hanoi', 'Taipei', 'Busan', 'Osaka', 'Kobe', 'Nagoya', 'Sendai'].map((place, i) => documentOf(`${place}.txt`, article(place, i + 1)));
  const pool = new AnalysisPool(1, { recycleAfter: 2, recycleBusyAfter: 3 });
  let analyses;
  try {
    analyses = await pool.analyse(documents, { cache: target });
    await pool.flush();
    assert.equal(pool.workersStarted, 3, 'a thread per four documents (its share of three and the one sent ahead), then one for the last two');
  } finally {
    await pool.close();
  }
  assert.deepEqual(analyses, JSON.parse(JSON.stringify(documents.map(analyseDocument))));
  const cache = new AnalysisCache(cacheDir);
  for (const d of documents) assert.ok(await cache.read(d.hash, { listed: true }), `${d.doc} written by the thread that analysed it`);
});

test('analysis pool: a thread started for a few documents is replaced sooner than one started for a batch', async () => {
  const documents = ['Tokyo', 'Seoul', 'Manila', 'Hanoi', 'Taipei', 'Busan', 'Osaka', 'Kobe', 'Nagoya', 'Sendai'].map((place, i) => documentOf(`${place}.txt`, article(place, i + 1)));
  const pool = new AnalysisPool(1, { recycleAfter: 6, recycleAfterSmall: 2 });
  try {
    // One at a time, as fetched articles arrive: a thread for documents 1-2, another for 3-4.
    for (const d of documents.slice(0, 4)) await pool.analyse([d]);
    assert.equal(pool.workersStarted, 2);
    // A batch of eight starts a thread of the batch kind, replaced after it (eight is past its six).
    await pool.analyse(documents.slice(2, 10));
    assert.equal(pool.workersStarted, 3);
    await pool.analyse(documents.slice(0, 1));
    assert.equal(pool.workersStarted, 4, 'the batch thread was replaced once idle');
  } finally {
    await pool.close();
  }
});

test('analysis pool: a thread started for a few documents has a small young generation; one started for a batch keeps the default', async () => {
  const documents = ['Tokyo', 'Seoul', 'Manila', 'Hanoi', 'Taipei', 'Busan', 'Osaka', 'Kobe', 'Nagoya', 'Sendai'].map((place, i) => documentOf(`${place}.txt`, article(place, i + 1)));
  const few = new AnalysisPool(1);
  const batch = new AnalysisPool(1);
  try {
    await few.analyse(documents.slice(0, 1));
    await batch.analyse(documents);
    assert.deepEqual(few.youngGenerationsMb, [8]);
    assert.equal(batch.youngGenerationsMb.length, 1);
    assert.ok(batch.youngGenerationsMb[0]! > 8, `a build's thread keeps V8's default (${batch.youngGenerationsMb[0]} MB)`);
  } finally {
    await Promise.all([few.close(), batch.close()]);
  }
});
