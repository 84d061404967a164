import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadCorpus } from '../../src/corpus/load.js';
import { buildDocument } from '../../src/corpus/document.js';
import { CORPUS, SHARED, seedText } from '../helpers.js';
import type { CorpusDocument } from '../../src/types.js';

const corpus = await loadCorpus(CORPUS);
const byPrefix = (p: string): CorpusDocument => corpus.documents.find((d) => d.doc.startsWith(p))!;
const contentText = (d: CorpusDocument): string => d.paragraphs.map((p) => d.text.slice(p.start, p.end)).join('\n');

describe('the seed corpus', () => {
  test('corpus/ holds the five seed articles byte for byte', () => {
    const seeds = readdirSync(join(SHARED, 'corpus-seeds'));
    assert.equal(seeds.length, 5);
    for (const name of seeds) assert.deepEqual(readFileSync(join(CORPUS, name)), readFileSync(join(SHARED, 'corpus-seeds', name)));
  });

  test('all five load without warnings', () => {
    assert.equal(corpus.documents.length, 5);
    assert.deepEqual(corpus.warnings, []);
  });

  test('the China Youth Network page yields its headline, Global Times as outlet and 2024-03-27', () => {
    const meta = byPrefix('003').meta;
    assert.match(meta.title, /^be vigilant! The United States and Japan want to upgrade the security treaty/);
    assert.equal(meta.outlet, 'Global Times');
    assert.equal(meta.published, '2024-03-27');
  });

  test('headlines are the first line, not a standfirst or byline', () => {
    assert.equal(byPrefix('000').meta.title, 'Japanese and US militaries plot to deploy medium-range missiles to Japan');
    assert.equal(byPrefix('001').meta.title, 'Tokyo’s Missile Move Sparks Moscow-Beijing Alliance');
    assert.equal(byPrefix('002').meta.title, 'Japan to deploy long-range missiles if US ready to negotiate for it');
  });

  test('a page without a headline gets its lead sentence as title, cut at a word', () => {
    const title = byPrefix('004').meta.title;
    assert.ok(title.startsWith('The United States and Japan announced'));
    assert.ok(title.length <= 121 && title.endsWith('…'));
  });

  test('no date is invented where the page states none', () => {
    for (const p of ['000', '001', '002', '004']) assert.equal(byPrefix(p).meta.published, null, p);
  });

  test('the Frontier India byline is read as the author and its bio is not content', () => {
    const doc = byPrefix('001');
    assert.equal(doc.meta.author, 'Girish Linganna');
    const bio = doc.blocks.find((b) => b.role === 'bio');
    assert.ok(bio && doc.text.slice(bio.start, bio.end).startsWith('Girish Linganna is a Defence & Aerospace analyst'));
    assert.doesNotMatch(contentText(doc), /Girish Linganna/);
  });

  test('page furniture on the Frontier India page is not content', () => {
    const text = contentText(byPrefix('001'));
    for (const furniture of ['Must Read', 'LEAVE A REPLY', 'Please enter your comment!', 'Please enter your name here', 'More Articles Like This']) {
      assert.ok(!text.includes(furniture), furniture);
    }
    assert.ok(!contentText(byPrefix('001')).split('\n').includes('Latest'));
  });

  test('page furniture on the Global Times page is not content', () => {
    const text = contentText(byPrefix('003'));
    for (const furniture of ['home page', 'Text List', 'China Youth Network', 'Time of publication', 'Editor in charge', 'Yue Linwei']) {
      assert.ok(!text.includes(furniture), furniture);
    }
    assert.ok(text.startsWith('[Global Times comprehensive report]'));
  });

  test('comment prompts and read-more links are not content', () => {
    assert.ok(!contentText(byPrefix('000')).includes('Comments are closed.'));
    assert.ok(!contentText(byPrefix('002')).includes('Read more:'));
  });

  test('section headings are kept as headings, not passages', () => {
    const doc = byPrefix('004');
    const headings = doc.blocks.filter((b) => b.role === 'heading').map((b) => doc.text.slice(b.start, b.end));
    assert.deepEqual(headings, ['Kishida European visit', 'Japanese maneuvers']);
  });

  test('paragraph and sentence offsets point into the original text', () => {
    for (const doc of corpus.documents) {
      const raw = readFileSync(join(CORPUS, doc.doc), 'utf8');
      assert.equal(doc.text, raw);
      for (const p of doc.paragraphs) {
        const slice = raw.slice(p.start, p.end);
        assert.equal(slice, slice.trim());
        assert.ok(slice.length > 0);
      }
      for (const s of doc.sentences) {
        const paragraph = doc.paragraphs[s.paragraph]!;
        assert.ok(s.start >= paragraph.start && s.end <= paragraph.end);
      }
    }
  });

  test('sentences split at full stops but not inside U.S. or 4.5', () => {
    const doc = byPrefix('003');
    const sentences = doc.sentences.map((s) => doc.text.slice(s.start, s.end));
    assert.ok(sentences.some((s) => s.startsWith('According to the report, the direction of revision is that the command of the U.S. Navy')));
    const kyodo = byPrefix('001');
    const k = kyodo.sentences.map((s) => kyodo.text.slice(s.start, s.end));
    assert.ok(k.some((s) => s.includes('weighing 4.5 tons')));
  });
});

describe('other sites’ pages (general rules, not the seeds’ strings)', () => {
  const page = [
    'Example Daily',
    'News › World › Asia',
    'Philippines and Japan sign troop access pact',
    'By Maria Santos',
    'Posted on 12 May 2023',
    'Share this article',
    '',
    'Manila and Tokyo signed a reciprocal access agreement on Friday, allowing troops of each country to train on the other’s soil.',
    '',
    'The pact was negotiated over two years, officials said.',
    '',
    'Related: Japan eyes wider role in South China Sea patrols',
    'Subscribe to our newsletter',
    'Follow us on Twitter',
    '© 2023 Example Daily. All rights reserved.',
  ].join('\n');
  const built = buildDocument('x.txt', Buffer.from(page));
  assert.ok(built.ok);
  const doc = built.document;
  const content = contentText(doc);

  test('headline, byline and posted date are read from the page', () => {
    assert.equal(doc.meta.title, 'Philippines and Japan sign troop access pact');
    assert.equal(doc.meta.author, 'Maria Santos');
    assert.equal(doc.meta.published, '2023-05-12');
  });

  test('only the two article paragraphs are content', () => {
    assert.equal(doc.paragraphs.length, 2);
    assert.ok(content.startsWith('Manila and Tokyo'));
    for (const furniture of ['Share this', 'Related:', 'Subscribe', 'Follow us', 'rights reserved', 'News ›', 'Example Daily']) {
      assert.ok(!content.includes(furniture), furniture);
    }
  });

  test('YAML front matter sets metadata and is not content; offsets stay in the file', () => {
    const text = '---\ntitle: "Alliance talks"\noutlet: Kyodo\npublished: 2024-04-10\nurl: https://example.org/a\n---\nThe two leaders met in Washington on Wednesday and agreed to deepen ties.\n';
    const b = buildDocument('y.md', Buffer.from(text));
    assert.ok(b.ok);
    assert.deepEqual(b.document.meta, { title: 'Alliance talks', outlet: 'Kyodo', published: '2024-04-10', url: 'https://example.org/a', author: null });
    const p = b.document.paragraphs[0]!;
    assert.equal(text.slice(p.start, p.end), 'The two leaders met in Washington on Wednesday and agreed to deepen ties.');
  });

  test('a front matter date that is not a calendar date is ignored with a warning', () => {
    const b = buildDocument('z.md', Buffer.from('---\npublished: sometime soon\n---\nA paragraph of text that is long enough to be the article body here.\n'));
    assert.ok(b.ok);
    assert.equal(b.document.meta.published, null);
    assert.match(b.warnings.join(' '), /not a calendar date/);
  });

  test('hard-wrapped paragraphs are joined into one paragraph', () => {
    const wrapped = [
      'Wrapped report on regional security',
      '',
      'Officials from both countries met in Tokyo on Tuesday to discuss the',
      'deployment of new missile systems, according to people familiar with',
      'the talks, who asked not to be named.',
      '',
      'The talks will continue next month in Washington, where ministers are',
      'expected to sign a joint statement on command arrangements in Japan.',
    ].join('\n');
    const b = buildDocument('w.txt', Buffer.from(wrapped));
    assert.ok(b.ok);
    assert.equal(b.document.paragraphs.length, 2);
  });
});
