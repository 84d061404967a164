import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnrecoverableError } from 'bullmq';
import { openDigestService, type DigestService } from '../../src/digest/service.js';
import { startDigestWorker, type DigestWorkerHandle, type DigestWorkerOptions } from '../../src/digest/worker.js';
import { cleanPrefix, freshPrefix, useRedisPerFile } from './redis-harness.js';
import { discordError, fakeDocument, FixedSource, localTime, RecordingPoster, waitFor } from './fakes.js';

const GUILD = '100000000000000001';
const USER = '300000000000000001';

const ctx = useRedisPerFile();

function channel(n: number): string {
  return String(200000000000000000n + BigInt(n));
}

/** A fresh namespace with a service and `workers` workers sharing one source and poster. */
async function setup(options: { workers?: number; scheduleSecond?: number; worker?: Partial<DigestWorkerOptions> } = {}) {
  const prefix = freshPrefix();
  const cacheDir = mkdtempSync(join(tmpdir(), 'sitrep-digest-cache-'));
  const source = new FixedSource();
  const poster = new RecordingPoster();
  const common = { redisUrl: ctx.redis.url, cacheDir, prefix, ...(options.scheduleSecond !== undefined ? { scheduleSecond: options.scheduleSecond } : {}) };
  // A generous deadline: these tests load Redis on purpose (the 2 s default is for Discord's 3 s answers).
  const service: DigestService = await openDigestService({ ...common, source, callDeadlineMs: 30_000 });
  const workers: DigestWorkerHandle[] = [];
  for (let i = 0; i < (options.workers ?? 1); i++) {
    workers.push(await startDigestWorker({ ...common, source, poster, skipRedisCheck: true, ...options.worker }));
  }
  ctx.cleanups.push(async () => {
    for (const w of workers) await w.close();
    await service.close();
    await cleanPrefix(ctx.client, prefix);
    rmSync(cacheDir, { recursive: true, force: true });
  });
  return { prefix, service, workers, source, poster, worker: workers[0]! };
}

test('a slot a few seconds ahead fires at its local time (Asia/Kolkata, UTC+5:30) and two workers post it once', async () => {
  const slot = Math.ceil((Date.now() + 3500) / 1000) * 1000;
  const zone = 'Asia/Kolkata';
  const { time, second } = localTime(slot, zone);
  const { service, poster, source } = await setup({ workers: 2, scheduleSecond: second });
  const { subscription } = await service.subscribe({ guildId: GUILD, channelId: channel(1), time, timezone: zone, days: 'daily', createdBy: USER });
  assert.equal(subscription.nextRunAt, new Date(slot).toISOString(), 'next run is the chosen instant');
  source.documents = [fakeDocument('fresh.txt', Date.now() + 200)];
  await waitFor(() => poster.posts.length > 0, 10_000, 'the digest to be posted');
  assert.ok(poster.posts[0]!.at >= slot, `posted at ${poster.posts[0]!.at}, not before the slot ${slot}`);
  await new Promise((r) => setTimeout(r, 1200));
  assert.equal(poster.posts.length, 1, 'one post for the slot across two workers');
  assert.equal(poster.posts[0]!.payload.embeds[0]!.title, 'Title of fresh.txt');
  const [listed] = await service.list(GUILD);
  assert.equal(listed!.lastDigestAt, new Date(slot).toISOString(), 'the window advanced to the slot');
});

test('a slot processed again after posting (worker killed before completing) does not post again; a retry reuses the nonce', async () => {
  const { service, worker, poster, source, prefix } = await setup();
  await service.subscribe({ guildId: GUILD, channelId: channel(2), time: '09:00', timezone: 'UTC', createdBy: USER });
  source.documents = [fakeDocument('a.txt', Date.now() + 5)];
  await new Promise((r) => setTimeout(r, 20));
  const slot = { channelId: channel(2), slotMs: Date.now(), manual: false };
  const first = await worker.processor.process(slot);
  assert.equal(first.status, 'posted');
  // The worker dies after posting, before the job completes and the window advances;
  // the job is delivered again: the posted-record stops a second post.
  await ctx.client.hset(`${prefix}digest:sub:${channel(2)}`, 'lastDigestAt', '', 'lastSlotAt', '');
  const again = await worker.processor.process(slot);
  assert.equal(poster.posts.length, 1);
  assert.equal(again.status, 'posted');
  assert.deepEqual(again.status === 'posted' && again.messageIds, first.status === 'posted' && first.messageIds);
  assert.equal(await ctx.client.get(`${prefix}digest:posted:${channel(2)}:${slot.slotMs}:0`), '1');

  // A post that reached Discord but whose answer was lost is retried with the same nonce.
  await service.subscribe({ guildId: GUILD, channelId: channel(3), time: '09:00', timezone: 'UTC', createdBy: USER });
  source.documents = [fakeDocument('b.txt', Date.now() + 5)];
  await new Promise((r) => setTimeout(r, 20));
  const nonces: string[] = [];
  poster.fail = (_c, nonce) => {
    nonces.push(nonce);
    return nonces.length === 1 ? Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) : null;
  };
  const slot3 = { channelId: channel(3), slotMs: Date.now(), manual: false };
  await assert.rejects(worker.processor.process(slot3), /socket hang up/);
  assert.equal((await worker.processor.process(slot3)).status, 'posted');
  assert.equal(nonces.length, 2);
  assert.equal(nonces[0], nonces[1], 'same (channel, slot, part) → same nonce, so Discord dedupes');
});

test('a channel answering Missing Permissions is paused after three failed slots, with the reason', async () => {
  const { service, worker, poster, source } = await setup();
  const ch = channel(4);
  await service.subscribe({ guildId: GUILD, channelId: ch, time: '09:00', timezone: 'UTC', createdBy: USER });
  source.documents = [fakeDocument('c.txt', Date.now() + 5)];
  await new Promise((r) => setTimeout(r, 20));
  poster.fail = () => discordError(403, 50013, 'Missing Permissions');
  for (let i = 1; i <= 3; i++) {
    await assert.rejects(worker.processor.process({ channelId: ch, slotMs: Date.now(), manual: false }), UnrecoverableError);
    const [s] = await service.list(GUILD);
    assert.equal(s!.consecutivePermissionFailures, i);
    assert.equal(s!.paused, i === 3, `paused after failure ${i}?`);
  }
  const [paused] = await service.list(GUILD);
  assert.match(paused!.pausedReason!, /Missing Permissions \(50013\)/);
  assert.equal((await worker.schedules.queue.getJobSchedulers()).length, 0, 'its scheduler is gone');
  assert.deepEqual(await worker.processor.process({ channelId: ch, slotMs: Date.now(), manual: false }), { status: 'skipped', reason: 'paused' });
  poster.fail = null;
  const resumed = await service.resume(GUILD, ch);
  assert.equal(resumed.consecutivePermissionFailures, 0);
  assert.equal((await worker.processor.process({ channelId: ch, slotMs: Date.now(), manual: false })).status, 'posted');
});

test('a slot more than an hour late is skipped and the next slot carries everything new', async () => {
  const { service, worker, poster, source } = await setup();
  const ch = channel(5);
  await service.subscribe({ guildId: GUILD, channelId: ch, time: '09:00', timezone: 'UTC', createdBy: USER });
  const created = Date.now();
  source.documents = [fakeDocument('old-news.txt', created + 1)];
  const late = await worker.processor.process({ channelId: ch, slotMs: created - 3 * 3600_000 + 10, manual: false });
  assert.deepEqual(late, { status: 'skipped', reason: 'late' });
  assert.equal(poster.posts.length, 0);
  assert.equal((await service.list(GUILD))[0]!.lastDigestAt, null);
  source.documents.push(fakeDocument('newer.txt', created + 2));
  await new Promise((r) => setTimeout(r, 10));
  const next = await worker.processor.process({ channelId: ch, slotMs: Date.now(), manual: false });
  assert.equal(next.status === 'posted' && next.documents, 2);
  // and then nothing is new: nothing is posted
  assert.deepEqual(await worker.processor.process({ channelId: ch, slotMs: Date.now() + 1, manual: false }), { status: 'skipped', reason: 'nothing-new' });
  assert.equal(poster.posts.length, 1);
});

test('post now posts the digest at once, and only once however often it is asked for within the minute', async () => {
  const { service, poster, source } = await setup();
  const ch = channel(6);
  await service.subscribe({ guildId: GUILD, channelId: ch, time: '09:00', timezone: 'UTC', createdBy: USER });
  source.documents = [fakeDocument('now.txt', Date.now() + 5)];
  await new Promise((r) => setTimeout(r, 20));
  const a = await service.postNow(GUILD, ch);
  const b = await service.postNow(GUILD, ch);
  assert.equal(a.jobId, b.jobId);
  await waitFor(() => poster.posts.length > 0, 5000, 'the digest to be posted');
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(poster.posts.length, 1);
  assert.equal(poster.posts[0]!.channelId, ch);
  assert.ok((await service.list(GUILD))[0]!.lastDigestAt);
});

test('300 subscriptions on one slot drain under the rate cap with exactly one post each', async () => {
  const max = 50;
  const duration = 500;
  const slot = Math.ceil((Date.now() + 10_000) / 1000) * 1000;
  const { time, second } = localTime(slot, 'Europe/Lisbon');
  const { service, poster, source } = await setup({ scheduleSecond: second, worker: { limiter: { max, duration }, concurrency: 50 } });
  const started = Date.now();
  for (let batch = 0; batch < 300; batch += 50) {
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => service.subscribe({ guildId: GUILD, channelId: channel(1000 + batch + i), time, timezone: 'Europe/Lisbon', createdBy: USER })),
    );
  }
  assert.ok(Date.now() < slot - 200, `subscribing took ${Date.now() - started} ms, too long for the slot`);
  source.documents = [fakeDocument('wide.txt', Date.now() + 50)];
  await waitFor(() => poster.posts.length >= 300, 20_000, '300 posts');
  await new Promise((r) => setTimeout(r, 500));
  const channels = new Set(poster.posts.map((p) => p.channelId));
  assert.equal(poster.posts.length, 300);
  assert.equal(channels.size, 300);
  const times = poster.posts.map((p) => p.at).sort((a, b) => a - b);
  assert.ok(times[0]! >= slot, 'nothing before the slot');
  // No job starts before the slot, and at most `max` start per `duration`: the last of
  // 300 cannot start before slot + (300/max - 1) × duration.
  const elapsed = times[times.length - 1]! - slot;
  const floor = (Math.ceil(300 / max) - 1) * duration;
  assert.ok(elapsed >= floor - 50, `drained ${elapsed} ms after the slot; the cap implies at least ${floor} ms`);
});
