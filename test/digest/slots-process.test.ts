/**
 * Every due slot is posted exactly once when the bot's digest process (its
 * service and in-process worker) is killed with SIGKILL before a slot and
 * started again after it: a real child process, a real redis-server with an
 * append-only file, and a local HTTP server standing in for Discord's
 * POST /channels/:id/messages.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDigestService } from '../../src/digest/service.js';
import { ROOT } from '../helpers.js';
import { cleanPrefix, freshPrefix, useRedisPerFile } from './redis-harness.js';
import { FixedSource, localTime, sleep, sleepUntil, waitFor } from './fakes.js';

const GUILD = '100000000000000001';
const USER = '300000000000000001';
const CHANNEL = '200000000000000002';

// Append-only, fsync on every write: what a Redis for digests should run with.
const ctx = useRedisPerFile({ appendOnly: true });
const cleanups = ctx.cleanups;

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
  const cacheDir = mkdtempSync(join(tmpdir(), 'sitrep-slots-'));
  cleanups.push(async () => rmSync(cacheDir, { recursive: true, force: true }));
  const sink = await messageSink();
  cleanups.push(async () => {
    sink.server.close();
    await cleanPrefix(ctx.client, prefix);
  });
  const first = await loadDigestProcess();
  const slot = Math.ceil((Date.now() + 8000) / 1000) * 1000;
  const at = localTime(slot, 'UTC');
  const service = await openDigestService({ redisUrl: ctx.redis.url, cacheDir, prefix, scheduleSecond: at.second, source: new FixedSource() });
  cleanups.push(() => service.close());
  const { subscription } = await service.subscribe({ guildId: GUILD, channelId: CHANNEL, time: at.time, timezone: 'UTC', createdBy: USER });
  // A document first seen after the subscription and before the slot.
  const documents = [{ doc: 'overnight.txt', firstSeenMs: Date.parse(subscription.createdAt) + 100 }];
  const settings = { redisUrl: ctx.redis.url, prefix, cacheDir, api: sink.api, scheduleSecond: at.second, documents };
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
  assert.equal(sink.posts[0]!.channelId, CHANNEL);
  assert.equal(sink.posts[0]!.body.enforce_nonce, true);
  const [listed] = await service.list(GUILD);
  assert.equal(listed!.lastDigestAt, new Date(slot).toISOString());
});

