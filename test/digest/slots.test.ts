/**
 * Every due slot is posted exactly once, whatever fails around it: Redis
 * stopped before a slot and started again after it (append-only file), and
 * Redis losing everything while the bot was down (a catch-up, posted late, or
 * skipped past the grace with a note). A real redis-server throughout. The
 * bot process killed across a slot: slots-process.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderDigestList } from '../../src/bot/render.js';
import { createLogger } from '../../src/log.js';
import { MIRROR_FILE } from '../../src/digest/schedules.js';
import { openDigestService, type DigestService } from '../../src/digest/service.js';
import { startDigestWorker, type DigestWorkerHandle } from '../../src/digest/worker.js';
import { cleanPrefix, freshPrefix, useRedisPerFile } from './redis-harness.js';
import { fakeDocument, FixedSource, localTime, RecordingPoster, sleep, sleepUntil, waitFor } from './fakes.js';

const GUILD = '100000000000000001';
const USER = '300000000000000001';
const channel = (n: number): string => String(200000000000000000n + BigInt(n));

// Append-only, fsync on every write: what a Redis for digests should run with.
const ctx = useRedisPerFile({ appendOnly: true });
const cleanups = ctx.cleanups;

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
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({ level: 'debug', write: (line) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  const common = { redisUrl: ctx.redis.url, cacheDir, prefix, scheduleSecond: second };
  // The bot (its digest service) stays up through the outage; the worker runs elsewhere and
  // reconnects only after the bot has reconciled: the order in which a careless reconcile loses the slot.
  const service = await openDigestService({ ...common, source, log });
  let worker: DigestWorkerHandle | null = null;
  cleanups.push(async () => {
    await worker?.close();
    await service.close();
    await cleanPrefix(ctx.client, prefix);
  });
  const ch = channel(1);
  const { subscription } = await service.subscribe({ guildId: GUILD, channelId: ch, time, timezone: 'UTC', createdBy: USER });
  assert.equal(subscription.nextRunAt, new Date(slot).toISOString());
  source.documents = [fakeDocument('during-outage.txt', Date.now() + 50)];

  await sleepUntil(slot - 10_000);
  await ctx.redis.kill();
  await sleepUntil(slot + 2_000);
  const mark = lines.length;
  await ctx.redis.launch();
  await waitFor(() => lines.slice(mark).some((l) => String(l.msg).startsWith('digest schedules reconciled')), 15_000, 'the bot to reconcile after the reconnect');

  worker = await startDigestWorker({ ...common, source, poster, skipRedisCheck: true });
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

test('Redis lost everything while the bot was down: a missed slot within the hour is posted late once; one past it is skipped with a note', async () => {
  const prefix = freshPrefix();
  const cacheDir = tempDir();
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({ level: 'debug', write: (line) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  const source = new FixedSource();
  const poster = new RecordingPoster();
  const common = { redisUrl: ctx.redis.url, cacheDir, prefix, log };
  const service: DigestService = await openDigestService({ ...common, source });
  const workers: DigestWorkerHandle[] = [];
  for (let i = 0; i < 2; i++) workers.push(await startDigestWorker({ ...common, source, poster, skipRedisCheck: true }));
  cleanups.push(async () => {
    for (const w of workers) await w.close();
    await service.close();
    await cleanPrefix(ctx.client, prefix);
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
  await cleanPrefix(ctx.client, prefix);
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
