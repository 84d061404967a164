import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run.js';

const KEYS = ['author', 'canonical', 'error', 'file', 'language', 'outlet', 'published', 'text', 'title', 'url'];

async function extract(...argv: string[]): Promise<{ code: number; stdout: string; lines: Record<string, unknown>[] }> {
  let stdout = '';
  const code = await runCli(['extract', ...argv], { stdout: (t) => (stdout += t), stderr: () => {}, env: {} });
  const lines = argv.includes('--json') ? stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) : [];
  return { code, stdout, lines };
}

const sentence = (i: number): string => `The harbour committee met on day ${i} to discuss the new ferry timetable, and its members agreed that the evening crossing should run later in summer.`;

const articlePage = `<!doctype html><html lang="en-GB"><head>
<title>Ferry timetable changes | The Harbour Gazette</title>
<meta property="og:site_name" content="The Harbour Gazette">
<meta property="article:published_time" content="2024-05-02T09:30:00+01:00">
<meta name="author" content="Mara Quill">
<link rel="canonical" href="https://gazette.example/ferry-timetable">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>Ferry timetable changes</h1>
${[1, 2, 3, 4, 5].map((i) => `<p>${sentence(i)}</p>`).join('\n')}
</article>
<footer>Copyright The Harbour Gazette. All rights reserved.</footer>
</body></html>`;

const navigationOnly = `<html><body><nav><ul>${['Home', 'News', 'Sport', 'Weather', 'Contact', 'About us'].map((w) => `<li><a href="/${w}">${w}</a></li>`).join('')}</ul></nav></body></html>`;

function fixtures(): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-extract-cli-'));
  const files = {
    article: join(dir, 'article.html'),
    missing: join(dir, 'missing.html'),
    binary: join(dir, 'binary.html'),
    empty: join(dir, 'empty.html'),
    huge: join(dir, 'huge.html'),
    nav: join(dir, 'nav.html'),
  };
  writeFileSync(files.article, articlePage);
  writeFileSync(files.binary, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
  writeFileSync(files.empty, '');
  writeFileSync(files.nav, navigationOnly);
  // About 5 MB of markup: a long article buried in deep, unclosed and malformed markup and bad CSS.
  const filler = `<div class="promo"><style>.x{color:red;;;}} @media {{{ </style><span>${'<b>unclosed '.repeat(20)}</span></div>`;
  const paragraphs = Array.from({ length: 400 }, (_, i) => `<p>${sentence(i)}`).join('\n');
  let huge = `<html><head><title>A very long page</title></head><body><article>${paragraphs}</article>`;
  while (huge.length < 5_000_000) huge += filler;
  writeFileSync(files.huge, huge);
  return files;
}

test('extract --json prints exactly one line per file, in order, with the contract keys, and exits 0 even when pages fail', async () => {
  const f = fixtures();
  const order = [f.article!, f.missing!, f.binary!, f.empty!, f.huge!, f.nav!];
  const { code, lines } = await extract(...order, '--json');
  assert.equal(code, 0);
  assert.equal(lines.length, order.length);
  lines.forEach((line, i) => {
    assert.deepEqual(Object.keys(line).sort(), KEYS);
    assert.equal(line.file, order[i]);
  });
  const [article, missing, binary, empty, huge, nav] = lines as Record<string, string | null>[];
  assert.equal(article!.title, 'Ferry timetable changes');
  assert.equal(article!.outlet, 'The Harbour Gazette');
  assert.equal(article!.published, '2024-05-02T08:30:00Z');
  assert.equal(article!.author, 'Mara Quill');
  assert.equal(article!.canonical, 'https://gazette.example/ferry-timetable');
  assert.equal(article!.language, 'en-GB');
  assert.equal(article!.error, null);
  assert.equal(article!.text, [1, 2, 3, 4, 5].map(sentence).join('\n\n'));
  for (const failed of [missing, binary, empty, nav]) {
    assert.equal(failed!.text, '');
    assert.equal(typeof failed!.error, 'string');
  }
  assert.match(missing!.error!, /cannot read the file: no such file/);
  assert.match(binary!.error!, /binary/);
  assert.match(empty!.error!, /empty/);
  assert.match(nav!.error!, /not an article: fewer than 50 words/);
  assert.equal(huge!.error, null);
  assert.ok(huge!.text!.startsWith(sentence(0)));
  assert.ok(huge!.text!.includes(sentence(399)));
});

test('extract without --json prints a readable summary with the headline and the body', async () => {
  const f = fixtures();
  const { code, stdout } = await extract(f.article!, f.missing!);
  assert.equal(code, 0);
  assert.match(stdout, /title: Ferry timetable changes/);
  assert.match(stdout, /The harbour committee met on day 1/);
  assert.match(stdout, /no text: cannot read the file: no such file/);
});

test('extract with no file is a usage error', async () => {
  let stderr = '';
  const code = await runCli(['extract', '--json'], { stdout: () => {}, stderr: (t) => (stderr += t), env: {} });
  assert.equal(code, 2);
  assert.match(stderr, /extract needs at least one FILE/);
});
