/**
 * What one process stores reaches the other processes' engines at once
 * (src/sources/announce.ts): two live-sources services on one private Redis,
 * as the bot and an `npm run worker` would be; an article one stores is
 * handed to the other's engine, and not handed twice to its own.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { createLogger } from '../../src/log.js';
import { startSources, type RefreshableEngine, type SourcesService } from '../../src/bot/sources-integration.js';
import { freshPrefix, useRedisPerFile, cleanPrefix } from '../digest/redis-harness.js';
import { waitFor } from '../digest/fakes.js';
import { tempCorpus } from '../helpers.js';
import { startFakeNewsSite, type FakeNewsSite } from './fake-news-site.js';

const shared = useRedisPerFile();

/** An engine that notes what it was handed. */
class RecordingEngine implements RefreshableEngine {
  readonly added: string[][] = [];
  refreshes = 0;
  async refresh(): Promise<void> {
    this.refreshes++;
  }
  async addFiles(paths: readonly string[]): Promise<void> {
    this.added.push([...paths]);
  }
}

let site: FakeNewsSite;
let corpus: string;
before(async () => {
  site = await startFakeNewsSite();
  corpus = tempCorpus({});
});
after(async () => {
  await site.close();
  rmSync(corpus, { recursive: true, force: true });
});

test('an article stored by one process is handed to the engine of another at once, and once to its own', async () => {
  const prefix = freshPrefix();
  shared.cleanups.push(() => cleanPrefix(shared.client, prefix));
  const open = (live: RecordingEngine): Promise<SourcesService> =>
    startSources({ corpusDir: corpus, fetchedDir: null, addresses: 'loopback', redisUrl: shared.redis.url, prefix, live, rest: null, log: createLogger({ level: 'error' }), runScheduler: false, hostIntervalMs: 0 });
  const workerEngine = new RecordingEngine();
  const botEngine = new RecordingEngine();
  const worker = await open(workerEngine);
  const bot = await open(botEngine);
  try {
    await Promise.all([worker.announcer!.ready(), bot.announcer!.ready()]);
    const added = await worker.addLink(`${site.origin}/news/harbour-dispute`, { guild: '123456789012345678', member: '223456789012345678' });
    assert.deepEqual(workerEngine.added, [[added.doc]], 'its own engine took it in as it was stored');
    await waitFor(() => botEngine.added.length > 0, 3000, 'the other engine to hear of it');
    assert.deepEqual(botEngine.added, [[added.doc]]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(workerEngine.added, [[added.doc]], 'not taken in again from its own announcement');
    assert.equal(botEngine.refreshes + workerEngine.refreshes, 0, 'no rescan was needed');
  } finally {
    await worker.close();
    await bot.close();
  }
});

test('with Redis unreachable an article is still stored and taken in here, without waiting long', async () => {
  const live = new RecordingEngine();
  const service = await startSources({ corpusDir: corpus, fetchedDir: null, addresses: 'loopback', redisUrl: 'redis://127.0.0.1:9', prefix: freshPrefix(), live, rest: null, log: createLogger({ level: 'error' }), runScheduler: false, hostIntervalMs: 0 });
  try {
    const started = Date.now();
    const added = await service.addLink(`${site.origin}/news/oyster-beds`, { guild: '123456789012345678', member: '223456789012345678' });
    assert.deepEqual(live.added, [[added.doc]]);
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  } finally {
    await service.close();
  }
});
