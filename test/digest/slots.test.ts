/**
 * Every due slot is posted exactly once, whatever fails around it: Redis
 * stopped before a slot and started again after it (append-only file), the
 * bot's digest process killed before a slot and started again after it, and
 * Redis losing everything while the bot was down (a catch-up, posted late, or
 * skipped past the grace with a note). A real redis-server throughout.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { renderDigestList } from '../../src/bot/render.js';
import { createLogger } from '../../src/log.js';
import { MIRROR_FILE } from '../../src/digest/schedules.js';
import { openDigestService, type DigestService } from '../../src/digest/service.js';
import { startDigestWorker, type DigestWorkerHandle } from '../../src/digest/worker.js';
import { ROOT } from '../helpers.js';
import { cleanPrefix, freshPrefix, RedisHarness } from './redis-harness.js';
import { fakeDocument, FixedSource, localTime, RecordingPoster, sleep, sleepUntil, waitFor } from './fakes.js';

const GUILD = '100000000000000001';
const USER = '300000000000000001';
const channel = (n: number): string => String(200000000000000000n + BigInt(n));

let redis: RedisHarness;
let client: Redis;
const cleanups: (() => Promise<void>)[] = [];

before(async () => {
  // Append-only, fsync on every write: what a Redis for digests should run with.
  redis = await RedisHarness.start({ appendOnly: true });
  client = redis.client();
});
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  client.disconnect();
  await redis.stop();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-slots-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('Redis stopped 10 s before a slot and started again after it: the slot is posted exactly once', async () => {
  const prefix = freshPrefix();
  const cacheDir = tempDir();
  const slot = Math.ceil((Date.now() + 11_500) / 1000) * 1000;
  const { time, second } = localTime(slot, 'UTC');
  const source = new FixedSource();
  const poster = new RecordingPoster();
  const common = { redisUrl: redis.url, cacheDir, prefix, scheduleSecond: second };
  const service = await openDigestService({ ...common, source });
  const worker = await startDigestWorker({ ...common, source, poster, skipRedisCheck: true });
  cleanups.push(async () => {
    await worker.close();
    await service.close();
    await cleanPrefix(client, prefix);
  });
  const ch = channel(1);
  const { subscription } = await service.subscribe({ guildId: GUILD, channelId: ch, time, timezone: 'UTC', createdBy: USER });
  assert.equal(subscription.nextRunAt, new Date(slot).toISOString());
  source.documents = [fakeDocument('during-outage.txt', Date.now() + 50)];

  await sleepUntil(slot - 10_000);
  await redis.kill();
  await sleepUntil(slot + 2_000);
  assert.equal(poster.posts.length, 0, 'nothing can be posted while Redis is down');
  await redis.launch();

  await waitFor(() => poster.posts.length > 0, 20_000, 'the overdue slot to be posted after Redis is back');
  await sleep(1500);
  assert.equal(poster.posts.length, 1, 'exactly one post for the slot');
  assert.equal(poster.posts[0]!.channelId, ch);
  assert.equal(poster.posts[0]!.payload.embeds[0]!.title, 'Title of during-outage.txt');
  const [listed] = await service.list(GUILD);
  assert.equal(listed!.lastDigestAt, new Date(slot).toISOString(), 'the window advanced to the slot');
  assert.equal(listed!.lastSlotAt, new Date(slot).toISOString());
  assert.ok(Date.parse(listed!.nextRunAt!) > slot, 'and the next slot is scheduled');
});

/** A local stand-in for Discord's POST /channels/:id/messages that records what it gets. */
async function messageSink(): Promise<{ server: Server; api: string; posts: { channelId: string; body: Record<string, unknown> }[] }> {
  const posts: { channelId: string; body: Record<string, unknown> }[] = [];
  let next = 1;
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      const m = /^\/api\/v\d+\/channels\/(\d+)\/messages$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !m) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 0, message: '404: Not Found' }));
        return;
      }
      posts.push({ channelId: m[1]!, body: JSON.parse(raw) as Record<string, unknown> });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: String(900000000000000000n + BigInt(next++)), channel_id: m[1] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { server, api: `http://127.0.0.1:${port}/api`, posts };
}

interface DigestProcess {
  child: ChildProcess;
  /** Sends the settings; resolves once the service and worker are up. */
  start(args: Record<string, unknown>): Promise<void>;
}

/** Spawns test/digest/fixtures/digest-process.ts; resolves once its modules are loaded. */
function loadDigestProcess(): Promise<DigestProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/digest/fixtures/digest-process.ts')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...(process.env.SITREP_TEST_VERBOSE ? { SITREP_TEST_VERBOSE: '1' } : {}) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    const waiters: { word: string; resolve: () => void }[] = [];
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
      if (process.env.SITREP_TEST_VERBOSE) process.stderr.write(c);
    });
    child.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
      for (const w of waiters.filter((x) => stdout.includes(x.word))) w.resolve();
    });
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`digest process exited (${code ?? signal}): ${stderr}`));
    });
    cleanups.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const said = (word: string) => new Promise<void>((done) => (stdout.includes(word) ? done() : waiters.push({ word, resolve: done })));
    void said('loaded').then(() =>
      resolve({
        child,
        start: async (args) => {
          child.stdin!.write(`${JSON.stringify(args)}\n`);
          await said('ready');
        },
      }),
    );
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

test('the bot process killed before a slot and started again after it: the slot is posted exactly once', async () => {
  const prefix = freshPrefix();
  const cacheDir = tempDir();
  const sink = await messageSink();
  cleanups.push(async () => {
    sink.server.close();
    await cleanPrefix(client, prefix);
  });
  const first = await loadDigestProcess();
  const slot = Math.ceil((Date.now() + 8000) / 1000) * 1000;
  const at = localTime(slot, 'UTC');
  const service = await openDigestService({ redisUrl: redis.url, cacheDir, prefix, scheduleSecond: at.second, source: new FixedSource() });
  cleanups.push(() => service.close());
  const { subscription } = await service.subscribe({ guildId: GUILD, channelId: channel(2), time: at.time, timezone: 'UTC', createdBy: USER });
  // A document first seen after the subscription and before the slot.
  const documents = [{ doc: 'overnight.txt', firstSeenMs: Date.parse(subscription.createdAt) + 100 }];
  const settings = { redisUrl: redis.url, prefix, cacheDir, api: sink.api, scheduleSecond: at.second, documents };
  await first.start(settings);
  assert.ok(Date.now() < slot - 600, 'the first process started in time for the slot');

  // Killed (no graceful shutdown) just before the slot; nothing runs at the slot.
  await sleepUntil(slot - 500);
  await killed(first.child);
  const second = await loadDigestProcess();
  await sleepUntil(slot + 1000);
  assert.equal(sink.posts.length, 0);

  await second.start(settings);
  await waitFor(() => sink.posts.length > 0, 20_000, 'the overdue slot to be posted by the restarted process');
  await sleep(1500);
  assert.equal(sink.posts.length, 1, 'exactly one post for the slot');
  assert.equal(sink.posts[0]!.channelId, channel(2));
  assert.equal(sink.posts[0]!.body.enforce_nonce, true);
  const [listed] = await service.list(GUILD);
  assert.equal(listed!.lastDigestAt, new Date(slot).toISOString());
});

test('Redis lost everything while the bot was down: a missed slot within the hour is posted late once; one past it is skipped with a note', async () => {
  const prefix = freshPrefix();
  const cacheDir = tempDir();
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({ level: 'debug', write: (line) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  const source = new FixedSource();
  const poster = new RecordingPoster();
  const common = { redisUrl: redis.url, cacheDir, prefix, log };
  const service: DigestService = await openDigestService({ ...common, source });
  const workers: DigestWorkerHandle[] = [];
  for (let i = 0; i < 2; i++) workers.push(await startDigestWorker({ ...common, source, poster, skipRedisCheck: true }));
  cleanups.push(async () => {
    for (const w of workers) await w.close();
    await service.close();
    await cleanPrefix(client, prefix);
  });

  const now = Date.now();
  const recent = channel(3); // its slot was 90 to 150 s ago
  const old = channel(4); // its slot was two hours ago
  await service.subscribe({ guildId: GUILD, channelId: recent, time: localTime(now - 90_000, 'UTC').time, timezone: 'UTC', createdBy: USER });
  await service.subscribe({ guildId: GUILD, channelId: old, time: localTime(now - 2 * 3600_000, 'UTC').time, timezone: 'UTC', createdBy: USER });
  // Both were set up yesterday (as the disk mirror says); a document arrived before either slot.
  const mirrorPath = join(cacheDir, MIRROR_FILE);
  const mirror = JSON.parse(readFileSync(mirrorPath, 'utf8')) as { subscriptions: { createdAt: string }[] };
  for (const s of mirror.subscriptions) s.createdAt = new Date(now - 86_400_000).toISOString();
  writeFileSync(mirrorPath, JSON.stringify(mirror));
  source.documents = [fakeDocument('while-down.txt', now - 3 * 3600_000)];

  // Redis comes back empty; every process reconciles at once, as after a reconnect.
  await cleanPrefix(client, prefix);
  const reports = await Promise.all([service.reconcile(), ...workers.map((w) => w.reconcile())]);
  assert.equal(reports.reduce((n, r) => n + r.restored, 0) >= 2, true, 'subscriptions restored from the mirror');

  await waitFor(() => poster.posts.length > 0, 10_000, 'the missed slot to be posted');
  await sleep(1000);
  await Promise.all([service.reconcile(), ...workers.map((w) => w.reconcile())]);
  await sleep(1000);
  assert.equal(poster.posts.length, 1, 'one post: the recent slot, once, however many processes reconciled');
  const post = poster.posts[0]!;
  assert.equal(post.channelId, recent);
  const [, slotSeconds] = /\n-# Late: this digest was due <t:(\d+):f> and is posted \d+ min late/.exec(post.payload.content) ?? [];
  assert.ok(slotSeconds, `the post says it is late: ${post.payload.content}`);
  const listed = await service.list(GUILD);
  const recentView = listed.find((s) => s.channelId === recent)!;
  assert.equal(Date.parse(recentView.lastDigestAt!), Number(slotSeconds) * 1000, 'the window advanced to the missed slot');

  const oldView = listed.find((s) => s.channelId === old)!;
  assert.ok(oldView.missedSlotAt, 'the skipped slot is noted');
  assert.ok(now - Date.parse(oldView.missedSlotAt) > 3600_000);
  assert.equal(oldView.lastDigestAt, null, 'nothing was posted for it: the next digest carries its documents');
  const skips = lines.filter((l) => String(l.msg).startsWith('digest slot skipped'));
  assert.equal(skips.length, 1, 'one log line for the skipped slot across three processes');
  assert.equal(skips[0]!.channelId, old);
  const list = renderDigestList(listed);
  assert.match(list.embeds[0]!.description!, new RegExp(`<#${old}>[^]*The digest due <t:\\d+:f> was skipped: Sitrep was down for over an hour`));
});
