import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run.js';
import { parseCli, UsageError } from '../../src/cli/args.js';
import { CORPUS, tempCorpus } from '../helpers.js';

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { CORPUS_DIR: CORPUS } });
  return { code, stdout, stderr };
}

const CITATION_KEYS = ['doc', 'end', 'outlet', 'paragraph', 'published', 'start', 'title', 'url'];

describe('sitrep search', () => {
  test('--json prints exactly the contract: query and results of excerpts with citations', async () => {
    const { code, stdout, stderr } = await cli('search', 'Tomahwk', '--json');
    assert.equal(code, 0, stderr);
    const json = JSON.parse(stdout) as { query: string; results: { text: string; source: Record<string, unknown> }[] };
    assert.deepEqual(Object.keys(json).sort(), ['query', 'results']);
    assert.equal(json.query, 'Tomahwk');
    assert.ok(json.results.length > 0);
    for (const r of json.results) {
      assert.deepEqual(Object.keys(r).sort(), ['source', 'text']);
      assert.deepEqual(Object.keys(r.source).sort(), CITATION_KEYS);
      const file = readFileSync(join(CORPUS, r.source.doc as string), 'utf8');
      assert.equal(file.slice(r.source.start as number, r.source.end as number), r.text);
    }
    assert.match(json.results[0]!.text, /Tomahawk/);
  });

  test('--limit caps the number of results', async () => {
    const { stdout } = await cli('search', 'Japan', '--limit', '2', '--json');
    assert.equal((JSON.parse(stdout) as { results: unknown[] }).results.length, 2);
  });

  test('text output shows the excerpt then a citation line with outlet, date, title, file and paragraph', async () => {
    const { code, stdout } = await cli('search', 'largest scale in more than 60 years');
    assert.equal(code, 0);
    assert.match(stdout, /│ .*largest scale/);
    assert.match(stdout, /— Global Times · 2024-03-27 · “be vigilant!.*” · 003_7dea33602c708158\.txt · ¶\d+/);
  });

  test('an empty query is a usage message with exit code 2', async () => {
    const { code, stdout, stderr } = await cli('search', '');
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /search needs a query/);
    assert.match(stderr, /Usage: sitrep/);
  });

  test('a stop-word query says there is nothing to search for, exit code 2', async () => {
    const { code, stderr } = await cli('search', 'the', 'and', 'of', '--json');
    assert.equal(code, 2);
    assert.match(stderr, /nothing to search for/);
  });

  test('a 2,000-character query is trimmed; with --json the note goes to standard error', async () => {
    const { code, stdout, stderr } = await cli('search', 'Tomahawk missiles in Japan '.repeat(80).slice(0, 2000), '--json');
    assert.equal(code, 0);
    assert.ok((JSON.parse(stdout) as { query: string }).query.length <= 300);
    assert.match(stderr, /note: query trimmed from 2000 to \d+ characters/);
  });

  test('a query that matches nothing still exits 0 with empty results', async () => {
    const { code, stdout } = await cli('search', 'xylophonist', '--json');
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(stdout), { query: 'xylophonist', results: [] });
  });

  test('a missing corpus folder is named in the error, exit code 2', async () => {
    const { code, stderr } = await cli('search', 'x', '--corpus', '/no/such/corpus');
    assert.equal(code, 2);
    assert.match(stderr, /corpus folder not found: \/no\/such\/corpus/);
  });

  test('warnings about bad files go to standard error, the JSON stays clean', async () => {
    const dir = tempCorpus({ 'empty.txt': '', 'good.txt': 'Talks\n\nTokyo and Washington discussed Tomahawk missiles during talks this week.\n' });
    const { code, stdout, stderr } = await cli('search', 'Tomahawk', '--corpus', dir, '--json');
    assert.equal(code, 0);
    assert.equal((JSON.parse(stdout) as { results: unknown[] }).results.length, 1);
    assert.match(stderr, /empty\.txt: skipped: empty file/);
  });
});

describe('sitrep sources', () => {
  test('--json lists every document with the contract fields', async () => {
    const { code, stdout } = await cli('sources', '--json');
    assert.equal(code, 0);
    const { documents } = JSON.parse(stdout) as { documents: Record<string, unknown>[] };
    assert.equal(documents.length, 5);
    for (const d of documents) assert.deepEqual(Object.keys(d).sort(), ['doc', 'outlet', 'passages', 'published', 'title', 'url']);
    const gt = documents.find((d) => (d.doc as string).startsWith('003'))!;
    assert.equal(gt.outlet, 'Global Times');
    assert.equal(gt.published, '2024-03-27');
    assert.ok((gt.passages as number) > 10);
  });
});

describe('argument parsing', () => {
  const table: [string[], string][] = [
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['search', 'x', '--limit', 'ten'], '--limit takes a whole number'],
    [['analyze'], 'analyze needs at least one FILE'],
    [['analyze', 'f.txt', '--published', '27/03/2024'], '--published takes a date as YYYY-MM-DD'],
    [['search', 'x', '--bogus'], "Unknown option '--bogus'"],
  ];
  for (const [argv, message] of table) {
    test(`${argv.join(' ')} → usage error "${message}"`, () => {
      assert.throws(() => parseCli(argv, { corpus: 'corpus' }), (e: unknown) => e instanceof UsageError && e.message.includes(message));
    });
  }

  test('words after the command form the query; --corpus defaults to the environment', () => {
    const inv = parseCli(['search', 'Tomahawk', 'missiles', '--limit', '3'], { corpus: 'elsewhere' });
    assert.equal(inv.text, 'Tomahawk missiles');
    assert.equal(inv.limit, 3);
    assert.equal(inv.corpus, 'elsewhere');
  });
});

describe('sitrep timeline date errors', () => {
  test('a reversed range and an impossible date exit 2 with the value shown', async () => {
    const reversed = await cli('timeline', '--from', '2024', '--to', '2020');
    assert.equal(reversed.code, 2);
    assert.match(reversed.stderr, /--from "2024" is after --to "2020"/);
    const impossible = await cli('timeline', '--to', '2024-02-30');
    assert.equal(impossible.code, 2);
    assert.match(impossible.stderr, /"2024-02-30" is not a date: February 2024 has 29 days/);
  });
});
