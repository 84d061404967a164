import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, seedText, tempCorpus } from '../helpers.js';
import { RedisHarness } from './redis-harness.js';
import { Queue } from 'bullmq';
import { Sources } from '../../src/sources/index.js';
import { FEED_QUEUE_NAME, feedSchedulerId } from '../../src/sources/schedule.js';
import { startFakeNewsSite } from '../sources/fake-news-site.js';

let redis: RedisHarness;
const cacheDir = mkdtempSync(join(tmpdir(), 'sitrep-worker-main-'));

before(async () => {
  redis = await RedisHarness.start();
});
after(async () => {
  await redis.stop();
  rmSync(cacheDir, { recursive: true, force: true });
});

function run(env: Record<string, string>, onStderr?: (text: string, kill: () => void) => void): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/digest/worker-main.ts')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', CORPUS_DIR: join(ROOT, 'corpus'), CACHE_DIR: cacheDir, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
      onStderr?.(stderr, () => child.kill('SIGTERM'));
    });
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

test('npm run worker without REDIS_URL says digests need it and exits 2', async () => {
  const { code, stderr } = await run({ DISCORD_TOKEN: 'x' });
  assert.equal(code, 2);
  assert.match(stderr, /digests need REDIS_URL/);
});

test('npm run worker starts, warns about Redis persistence, and stops cleanly on SIGTERM', async () => {
  let sent = false;
  const { code, stderr } = await run({ REDIS_URL: redis.url, DISCORD_TOKEN: 'x', DISCORD_API_URL: 'http://127.0.0.1:9/api' }, (text, kill) => {
    if (!sent && text.includes('"msg":"digest worker started"')) {
      sent = true;
      kill();
    }
  });
  assert.ok(sent, stderr);
  assert.equal(code, 0, stderr);
  assert.match(stderr, /persistence is off/);
  assert.match(stderr, /digest worker stopped/);
});

test('npm run worker polls the followed feeds on their BullMQ schedulers and stores their articles, without the bot', async () => {
  const site = await startFakeNewsSite();
  const corpus = tempCorpus({ 'seed.txt': seedText('000') });
  try {
    // Followed from the command line (registered, not polled yet); nothing else runs.
    const cli = new Sources({ corpusDir: corpus, addresses: 'loopback', hostIntervalMs: 0 });
    const feedUrl = `${site.origin}/feed.rss`;
    await cli.addFeed(feedUrl);
    assert.equal((await cli.store.list()).length, 0);
    const feedHitsBefore = site.hits.get('/feed.rss') ?? 0;

    let polled = false;
    const { code, stderr } = await run(
      { REDIS_URL: redis.url, DISCORD_TOKEN: 'x', DISCORD_API_URL: 'http://127.0.0.1:9/api', CORPUS_DIR: corpus, FETCH_ALLOW_PRIVATE: 'loopback', CORPUS_RESCAN_SECONDS: '0' },
      (text, kill) => {
        if (!polled && text.includes('"msg":"feed polled"')) {
          polled = true;
          kill();
        }
      },
    );
    assert.ok(polled, stderr);
    assert.equal(code, 0, stderr);
    assert.match(stderr, /"msg":"digest worker started".*"feedPolling":true/);
    assert.match(stderr, /"msg":"feed polled".*"added":2/);

    const stored = await cli.store.list();
    assert.deepEqual(stored.map((a) => a.title).sort(), ['New ferry route to Tarnholm delayed by dredging row', 'Quillmarsh harbour dispute reaches the tribunal']);
    assert.ok(stored.every((a) => a.feed === feedUrl));
    const feed = await cli.registry.get(feedUrl);
    assert.ok(feed?.lastPolledAt, 'the poll is recorded in the feed file');
    assert.equal((site.hits.get('/feed.rss') ?? 0) - feedHitsBefore, 1, 'the feed was fetched once');

    // The worker put the feed on its own BullMQ job scheduler (the one the bot would use).
    const queue = new Queue(FEED_QUEUE_NAME, { connection: { url: redis.url }, prefix: 'sitrep:bull' });
    try {
      assert.deepEqual((await queue.getJobSchedulers(0, -1)).map((s) => s.key), [feedSchedulerId(feedUrl)]);
    } finally {
      await queue.close();
    }
    await cli.close();
  } finally {
    await site.close();
    rmSync(corpus, { recursive: true, force: true });
  }
});
