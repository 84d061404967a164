/**
 * `sitrep add` and `sitrep feeds add|list|remove|poll` as the contract shapes
 * them, without Redis, against the fake news site (real one-request-per-second
 * pacing, so this file keeps its fetches few).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { runCli } from '../../src/cli/run.js';
import { ROOT } from '../helpers.js';
import { ARTICLES, articleHtml, startFakeNewsSite, type FakeNewsSite } from './fake-news-site.js';

let site: FakeNewsSite;
let corpus: string;
let env: NodeJS.ProcessEnv;
before(async () => {
  site = await startFakeNewsSite();
  corpus = mkdtempSync(join(tmpdir(), 'sitrep-cli-sources-'));
  env = { CORPUS_DIR: corpus, CACHE_DIR: join(corpus, '.cache'), FETCH_ALLOW_PRIVATE: 'loopback' };
});
after(() => site.close());

async function cli(argv: string[], overrides: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string; json: () => Record<string, unknown> }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { ...env, ...overrides } });
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, unknown> };
}

const FEED_KEYS = ['every', 'failures', 'lastAddedAt', 'lastPolledAt', 'paused', 'title', 'url'];

describe('sitrep feeds and add', () => {
  test('feeds add → list → poll → poll again → remove, each --json to the contract', async () => {
    const url = `${site.origin}/feed.rss`;
    const added = await cli(['feeds', 'add', url, '--every', '15', '--json']);
    assert.equal(added.code, 0, added.stderr);
    const feed = added.json().feed as Record<string, unknown>;
    for (const key of FEED_KEYS) assert.ok(key in feed, key);
    assert.equal(feed.url, url);
    assert.equal(feed.every, 15);
    assert.equal(feed.lastPolledAt, null);

    const list = await cli(['feeds', 'list', '--json']);
    assert.deepEqual((list.json().feeds as { url: string }[]).map((f) => f.url), [url]);

    const poll = await cli(['feeds', 'poll', '--json']);
    assert.equal(poll.code, 0, poll.stderr);
    const [report] = poll.json().polls as { feed: string; added: Record<string, unknown>[]; skipped: unknown[]; error: string | null }[];
    assert.equal(report!.feed, url);
    assert.equal(report!.error, null);
    assert.equal(report!.added.length, 2);
    for (const a of report!.added) assert.deepEqual(Object.keys(a).sort(), ['doc', 'outlet', 'published', 'title', 'url']);

    const again = await cli(['feeds', 'poll', url]);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /0 added, 0 skipped/);

    // The stored articles are answered by the other commands.
    const search = await cli(['search', 'Bellwake Lines ferry', '--json']);
    const hit = (search.json().results as { text: string; source: { doc: string; start: number; end: number } }[])[0]!;
    assert.match(hit.source.doc, /^fetched\//);
    assert.equal(readFileSync(join(corpus, hit.source.doc), 'utf8').slice(hit.source.start, hit.source.end), hit.text);

    const removed = await cli(['feeds', 'remove', url, '--json']);
    assert.deepEqual(removed.json(), { removed: url });
    assert.deepEqual((await cli(['feeds', 'list', '--json'])).json(), { feeds: [] });
  });

  test('add URL|FILE: added and skipped with reasons, exit 0; by default a private address is refused', async () => {
    const file = join(corpus, '..', `courier-${Date.now()}.html`);
    writeFileSync(file, articleHtml(ARTICLES[2]!, 'https://courier.test'));
    const out = await cli(['add', file, `${site.origin}/short`, '--json']);
    assert.equal(out.code, 0, out.stderr);
    const json = out.json() as { added: { doc: string; title: string }[]; skipped: { input: string; reason: string }[] };
    assert.deepEqual(json.added.map((a) => a.title), ['Oyster growers count the cost of silt']);
    assert.match(json.added[0]!.doc, /^fetched\/files\//);
    assert.deepEqual(json.skipped.map((s) => s.input), [`${site.origin}/short`]);
    assert.match(json.skipped[0]!.reason, /fewer than 50 words/);

    const strict = await cli(['add', `${site.origin}/moved`, '--json'], { FETCH_ALLOW_PRIVATE: '' });
    assert.match((strict.json() as { skipped: { reason: string }[] }).skipped[0]!.reason, /this machine \(loopback\)/);
  });

  test('usage errors and bad settings exit 2 with a message', async () => {
    for (const argv of [['feeds'], ['feeds', 'add'], ['feeds', 'list', 'x'], ['add'], ['feeds', 'poll', '--every', '5'], ['feeds', 'add', 'https://x.test/', '--every', 'often']]) {
      const out = await cli(argv);
      assert.equal(out.code, 2, argv.join(' '));
      assert.match(out.stderr, /sitrep: /);
    }
    const bad = await cli(['feeds', 'list'], { FETCH_ALLOW_PRIVATE: 'sometimes' });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /FETCH_ALLOW_PRIVATE/);
    const unknown = await cli(['feeds', 'remove', 'https://nowhere.test/feed']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /not a followed feed/);
    const short = await cli(['feeds', 'add', `${site.origin}/feed.rss`, '--every', '1']);
    assert.equal(short.code, 2);
    assert.match(short.stderr, /from 2 to/);
  });

  test('`sitrep add` as its own process waits its turn for the site (robots.txt, then each page) and finishes', async () => {
    const own = mkdtempSync(join(tmpdir(), 'sitrep-cli-add-'));
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'add', `${site.origin}/news/oyster-beds`, `${site.origin}/news/ferry-route`, '--corpus', own, '--json'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', FETCH_ALLOW_PRIVATE: 'loopback', CACHE_DIR: join(own, '.cache') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
      child.on('exit', (exitCode) => resolve({ code: exitCode, stdout: out, stderr: err }));
    });
    // It used to exit (13) while waiting a second for the site, having stored nothing and said nothing.
    assert.equal(code, 0, stderr);
    assert.equal((JSON.parse(stdout) as { added: unknown[] }).added.length, 2);
  });
});
