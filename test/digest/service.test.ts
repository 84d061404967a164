import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DigestError } from '../../src/digest/errors.js';
import { bullPrefix, MIRROR_FILE, schedulerId } from '../../src/digest/schedules.js';
import { openDigestService, type DigestService } from '../../src/digest/service.js';
import { startDigestWorker } from '../../src/digest/worker.js';
import { cleanPrefix, freshPrefix, useRedisPerFile } from './redis-harness.js';
import { FixedSource, RecordingPoster, waitFor } from './fakes.js';
import { Queue } from 'bullmq';

const GUILD = '100000000000000001';
const CHANNEL = '200000000000000001';
const CHANNEL2 = '200000000000000002';

const ctx = useRedisPerFile();

async function open(extra: Partial<Parameters<typeof openDigestService>[0]> = {}): Promise<{ service: DigestService; prefix: string; cacheDir: string; queue: Queue }> {
  const prefix = freshPrefix();
  const cacheDir = mkdtempSync(join(tmpdir(), 'sitrep-digest-cache-'));
  const service = await openDigestService({ redisUrl: ctx.redis.url, cacheDir, prefix, source: new FixedSource(), ...extra });
  const queue = new Queue('digest', { connection: { url: ctx.redis.url, maxRetriesPerRequest: null }, prefix: bullPrefix(prefix) });
  ctx.cleanups.push(async () => {
    await service.close();
    await queue.close();
    await cleanPrefix(ctx.client, prefix);
    rmSync(cacheDir, { recursive: true, force: true });
  });
  return { service, prefix, cacheDir, queue };
}

function request(overrides: Record<string, string> = {}) {
  return { guildId: GUILD, channelId: CHANNEL, time: '09:00', timezone: 'America/New_York', days: 'mon-fri', createdBy: '300000000000000001', ...overrides };
}

async function keyCount(prefix: string): Promise<number> {
  return (await ctx.client.keys(`${prefix}*`)).length;
}

test('without REDIS_URL every digest call is a DigestsNeedRedis error, autocomplete still works', async () => {
  const service = await openDigestService({ redisUrl: null, cacheDir: tmpdir(), source: new FixedSource() });
  await assert.rejects(service.subscribe(request()), (e: unknown) => e instanceof DigestError && e.identifier === 'DigestsNeedRedis' && /REDIS_URL/.test(e.message));
  await assert.rejects(service.list(GUILD), (e: unknown) => e instanceof DigestError && e.identifier === 'DigestsNeedRedis');
  assert.equal(service.timezoneSuggestions('Europe/Ber')[0], 'Europe/Berlin');
  await assert.rejects(startDigestWorker({ redisUrl: null, cacheDir: tmpdir(), source: new FixedSource(), poster: new RecordingPoster() }), (e: unknown) => e instanceof DigestError && e.identifier === 'DigestsNeedRedis');
  await service.close();
});

test('bad time, time zone or days give their error identifiers and store nothing', async () => {
  const { service, prefix } = await open();
  const before = await keyCount(prefix);
  const cases: [Record<string, string>, string][] = [
    [{ time: '24:61' }, 'InvalidTime'],
    [{ timezone: 'Moon/Tranquility' }, 'InvalidTimezone'],
    [{ days: 'mon-blursday' }, 'InvalidDays'],
    [{ channelId: 'general' }, 'InvalidChannel'],
  ];
  for (const [overrides, id] of cases) {
    await assert.rejects(service.subscribe(request(overrides)), (e: unknown) => e instanceof DigestError && e.identifier === id, id);
  }
  assert.equal(await keyCount(prefix), before, 'no key was written');
  assert.deepEqual(await service.list(GUILD), []);
});

test('subscribing twice keeps one subscription and one scheduler with the cron pattern and time zone', async () => {
  const { service, queue } = await open();
  const first = await service.subscribe(request());
  assert.equal(first.created, true);
  assert.equal(first.subscription.days, 'weekdays');
  const second = await service.subscribe(request({ time: '9:30' }));
  assert.equal(second.created, false);
  assert.equal(second.subscription.createdAt, first.subscription.createdAt);
  await service.subscribe(request({ time: '9:30' }));
  const schedulers = await queue.getJobSchedulers();
  assert.equal(schedulers.length, 1);
  assert.equal(schedulers[0]!.key, schedulerId(CHANNEL));
  assert.equal(schedulers[0]!.pattern, '0 30 9 * * 1,2,3,4,5');
  assert.equal(schedulers[0]!.tz, 'America/New_York');
  assert.equal(await queue.getDelayedCount(), 1, 'one pending job for the next slot');
  const listed = await service.list(GUILD);
  assert.equal(listed.length, 1);
  assert.equal(listed[0]!.time, '09:30');
  assert.ok(listed[0]!.nextRunAt);
  assert.equal(schedulers[0]!.next, Date.parse(listed[0]!.nextRunAt!), 'the listed next run is BullMQ\'s');
});

test('pause removes the schedule and records the reason; resume restores it; unsubscribe removes everything', async () => {
  const { service, queue, cacheDir } = await open();
  await service.subscribe(request());
  await service.subscribe(request({ channelId: CHANNEL2, timezone: 'Europe/Berlin', days: 'daily' }));
  const paused = await service.pause(GUILD, CHANNEL);
  assert.equal(paused.paused, true);
  assert.equal(paused.pausedReason, 'paused by a moderator');
  assert.equal(paused.nextRunAt, null);
  assert.deepEqual((await queue.getJobSchedulers()).map((s) => s.key), [schedulerId(CHANNEL2)]);
  const resumed = await service.resume(GUILD, CHANNEL);
  assert.equal(resumed.paused, false);
  assert.equal((await queue.getJobSchedulers()).length, 2);
  await assert.rejects(service.pause('100000000000000009', CHANNEL), (e: unknown) => e instanceof DigestError && e.identifier === 'NotSubscribed', 'another server cannot touch it');
  await service.unsubscribe(GUILD, CHANNEL2);
  assert.deepEqual((await queue.getJobSchedulers()).map((s) => s.key), [schedulerId(CHANNEL)]);
  assert.deepEqual((await service.list(GUILD)).map((s) => s.channelId), [CHANNEL]);
  const mirror = JSON.parse(readFileSync(join(cacheDir, MIRROR_FILE), 'utf8')) as { subscriptions: { channelId: string }[] };
  assert.deepEqual(mirror.subscriptions.map((s) => s.channelId), [CHANNEL], 'the disk mirror follows');
});

test('after FLUSHALL and a Redis restart, subscriptions and schedulers come back from the disk mirror', async () => {
  const { service, queue, cacheDir } = await open();
  await service.subscribe(request());
  await service.subscribe(request({ channelId: CHANNEL2, time: '18:00', timezone: 'Asia/Tokyo', days: 'daily' }));
  await service.pause(GUILD, CHANNEL2);
  assert.ok(existsSync(join(cacheDir, MIRROR_FILE)));
  await ctx.client.flushall();
  await ctx.redis.restart();
  // The service reconciles by itself when its Redis connection is ready again.
  await waitFor(async () => (await queue.getJobSchedulers().catch(() => [])).length === 1, 10_000, 'the scheduler to be restored');
  const schedulers = await queue.getJobSchedulers();
  assert.equal(schedulers[0]!.key, schedulerId(CHANNEL));
  assert.equal(schedulers[0]!.tz, 'America/New_York');
  const listed = await service.list(GUILD);
  assert.deepEqual(listed.map((s) => [s.channelId, s.paused]), [[CHANNEL, false], [CHANNEL2, true]], 'paused stays paused');
  // A Redis that is merely empty because everything was unsubscribed is not refilled.
  await service.unsubscribe(GUILD, CHANNEL);
  await service.unsubscribe(GUILD, CHANNEL2);
  const report = await service.reconcile();
  assert.equal(report.restored, 0);
  assert.deepEqual(await service.list(GUILD), []);
});

test('a slot missed before now is caught up once, but not after changing the time or resuming (those start now)', async () => {
  const { service, prefix } = await open();
  const now = Date.now();
  const minuteAgo = new Date(now - 120_000).toISOString().slice(11, 16); // "HH:MM" in UTC, a slot 2 to 3 minutes ago
  const yesterday = new Date(now - 86_400_000).toISOString();
  const key = `${prefix}digest:sub:${CHANNEL}`;
  await service.subscribe(request({ time: minuteAgo, timezone: 'UTC', days: 'daily' }));
  // Set up yesterday and never run since (the bot was down): today's slot was missed.
  await ctx.client.hset(key, 'createdAt', yesterday, 'lastSlotAt', '');
  assert.equal((await service.reconcile()).caughtUp, 1);
  assert.equal((await service.reconcile()).caughtUp, 0, 'queued once');

  await service.subscribe(request({ channelId: CHANNEL2, time: '03:00', timezone: 'UTC', days: 'daily' }));
  await ctx.client.hset(`${prefix}digest:sub:${CHANNEL2}`, 'createdAt', yesterday);
  // Moved to a time that passed a minute ago: that slot was never due under the old time.
  await service.subscribe(request({ channelId: CHANNEL2, time: minuteAgo, timezone: 'UTC', days: 'daily' }));
  assert.equal((await service.reconcile()).caughtUp, 0);
  // Paused over its slot and resumed: the paused slot is not posted late.
  await service.pause(GUILD, CHANNEL2);
  await ctx.client.hset(`${prefix}digest:sub:${CHANNEL2}`, 'lastSlotAt', '');
  await service.resume(GUILD, CHANNEL2);
  assert.equal((await service.reconcile()).caughtUp, 0);
});
