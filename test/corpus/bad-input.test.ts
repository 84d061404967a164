import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadCorpus } from '../../src/corpus/load.js';
import { SitrepError } from '../../src/engine/errors.js';
import { Briefing } from '../../src/engine/briefing.js';
import { tempCorpus } from '../helpers.js';

const ARTICLE = 'Missile talks\n\nTokyo and Washington discussed the deployment of Tomahawk missiles on Okinawa during talks this week.\n';

test('a missing corpus folder is an error that names the folder', async () => {
  const missing = join(tempCorpus({}), 'no-such-folder');
  await assert.rejects(loadCorpus(missing), (error: unknown) => {
    assert.ok(error instanceof SitrepError);
    assert.equal(error.identifier, 'CorpusMissing');
    assert.ok(error.message.includes(missing));
    return true;
  });
});

test('an empty file is skipped with one warning and the rest loads', async () => {
  const dir = tempCorpus({ 'empty.txt': '', 'good.txt': ARTICLE });
  const corpus = await loadCorpus(dir);
  assert.deepEqual(corpus.documents.map((d) => d.doc), ['good.txt']);
  assert.deepEqual(corpus.warnings, [{ doc: 'empty.txt', message: 'skipped: empty file' }]);
});

test('a binary file is skipped with one warning', async () => {
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const dir = tempCorpus({ 'image.txt': png, 'good.txt': ARTICLE });
  const corpus = await loadCorpus(dir);
  assert.equal(corpus.documents.length, 1);
  assert.equal(corpus.warnings.length, 1);
  assert.match(corpus.warnings[0]!.message, /binary/);
});

test('invalid UTF-8 is read as Latin-1 and says so', async () => {
  const latin1 = Buffer.from('Caf\xe9 talks\n\nThe ministers met at a caf\xe9 in Tokyo to discuss the deployment of missiles on Okinawa.\n', 'latin1');
  const dir = tempCorpus({ 'latin.txt': latin1 });
  const corpus = await loadCorpus(dir);
  assert.equal(corpus.documents.length, 1);
  assert.equal(corpus.documents[0]!.encoding, 'latin1');
  assert.ok(corpus.documents[0]!.text.includes('café'));
  assert.deepEqual(corpus.warnings, [{ doc: 'latin.txt', message: 'not valid UTF-8; read as Latin-1' }]);
});

test('a 20 MB file is skipped with one warning line, quickly', async () => {
  const huge = 'The alliance deepened as talks went on. '.repeat(512 * 1024); // ~20 MB
  const dir = tempCorpus({ 'huge.txt': huge, 'good.txt': ARTICLE });
  const started = performance.now();
  const corpus = await loadCorpus(dir);
  assert.ok(performance.now() - started < 2000);
  assert.deepEqual(corpus.documents.map((d) => d.doc), ['good.txt']);
  assert.equal(corpus.warnings.length, 1);
  assert.match(corpus.warnings[0]!.message, /over the 5\.0 MB limit/);
});

test('a file with only page furniture is skipped with one warning', async () => {
  const dir = tempCorpus({ 'furniture.txt': 'LEAVE A REPLY\n\nPlease enter your comment!\n\nLatest\n\nMore Articles Like This', 'good.txt': ARTICLE });
  const corpus = await loadCorpus(dir);
  assert.deepEqual(corpus.documents.map((d) => d.doc), ['good.txt']);
  assert.equal(corpus.warnings.length, 1);
  assert.match(corpus.warnings[0]!.message, /no article text/);
});

test('two identical documents are indexed once and both paths are listed', async () => {
  const dir = tempCorpus({ 'a/one.txt': ARTICLE, 'b/two.md': ARTICLE });
  const corpus = await loadCorpus(dir);
  assert.equal(corpus.documents.length, 1);
  assert.deepEqual(corpus.documents[0]!.paths, ['a/one.txt', 'b/two.md']);
  const briefing = new Briefing(corpus.documents);
  const sources = briefing.sources().documents;
  assert.equal(sources.length, 1);
  assert.deepEqual((sources[0] as { paths?: string[] }).paths, ['a/one.txt', 'b/two.md']);
  assert.equal(briefing.search('Tomahawk').results.length, 1);
});

test('documents are found in sub-folders, .txt and .md only, hidden folders ignored', async () => {
  const dir = tempCorpus({ 'x/y/deep.md': ARTICLE.replace('Okinawa', 'Kyushu'), 'notes.json': '{}', '.cache/hidden.txt': ARTICLE, 'top.txt': ARTICLE });
  const corpus = await loadCorpus(dir);
  assert.deepEqual(corpus.documents.map((d) => d.doc).sort(), ['top.txt', 'x/y/deep.md']);
});
