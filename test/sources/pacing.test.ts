/**
 * Per-site pacing shared through Redis (src/sources/pacing.ts): two fetchers
 * with their own Redis connections, in one process and in two processes,
 * never ask one host twice within the interval; a Retry-After seen by one is
 * obeyed by the other; without Redis, or with a Redis that is down or never
 * answers, fetching goes on, paced in the process, and never hangs.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ROOT } from '../helpers.js';
import { cleanPrefix, freshPrefix, useRedisPerFile } from '../digest/redis-harness.js';
import { Fetcher } from '../../src/sources/http.js';
import { isSourceError } from '../../src/sources/errors.js';
import { LocalPacer, RedisPacer, type HostPacer } from '../../src/sources/pacing.js';

const shared = useRedisPerFile();

/** A site on 127.0.0.1 that notes when each request arrived (performance.now, ms); /busy answers 429 Retry-After: 120. */
interface TimedSite {
  origin: string;
  arrivals: number[];
  close(): Promise<void>;
}

async function timedSite(): Promise<TimedSite> {
  const arrivals: number[] = [];
  const server: Server = createServer((req, res) => {
    arrivals.push(performance.now());
    if (req.url === '/busy') {
      res.writeHead(429, { 'retry-after': '120' });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, arrivals, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function gaps(times: number[]): number[] {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted.slice(1).map((t, i) => t - sorted[i]!);
}

const pacers: HostPacer[] = [];
function redisFetcher(prefix: string, intervalMs = 1000, url = shared.redis.url): Fetcher {
  const pacer = new RedisPacer({ url, prefix, intervalMs });
  pacers.push(pacer);
  return new Fetcher({ addresses: 'loopback', pacer });
}

let site: TimedSite;
before(async () => {
  site = await timedSite();
});
after(async () => {
  for (const pacer of pacers) await pacer.close();
  await site.close();
});

describe('pacing shared through Redis', () => {
  test('two fetchers, each with its own Redis connection, keep one host at one request per second between them', async () => {
    const prefix = freshPrefix();
    shared.cleanups.push(() => cleanPrefix(shared.client, prefix));
    const a = redisFetcher(prefix);
    const b = redisFetcher(prefix);
    site.arrivals.length = 0;
    const started = performance.now();
    await Promise.all([a, b, a, b, a, b].map((f, i) => f.get({ url: `${site.origin}/page-${i}`, accept: '*/*' })));
    const elapsed = performance.now() - started;
    assert.equal(site.arrivals.length, 6);
    for (const gap of gaps(site.arrivals)) assert.ok(gap >= 1000, `requests ${gaps(site.arrivals).map(Math.round).join(', ')} ms apart`);
    assert.ok(elapsed < 9000, `six requests took ${Math.round(elapsed)} ms (the margin is small)`);
    assert.ok(await shared.client.exists(`${prefix}fetch:slot:${new URL(site.origin).host}`), 'the slot is booked in Redis');
  });

  test('(control) two fetchers pacing only in their own process do ask the host twice within a second', async () => {
    const a = new Fetcher({ addresses: 'loopback', pacer: new LocalPacer(1000) });
    const b = new Fetcher({ addresses: 'loopback', pacer: new LocalPacer(1000) });
    site.arrivals.length = 0;
    await Promise.all([a, b].map((f) => f.get({ url: `${site.origin}/control`, accept: '*/*' })));
    assert.ok(gaps(site.arrivals)[0]! < 1000);
  });

  test('two processes keep one host at one request per second between them', async () => {
    const prefix = freshPrefix();
    shared.cleanups.push(() => cleanPrefix(shared.client, prefix));
    site.arrivals.length = 0;
    const startAt = Date.now() + 4000; // after both have started (tsx takes a moment)
    const run = (tag: string): Promise<{ ok: number; failed: string[] }> =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/sources/fixtures/pace-process.ts'), ...[1, 2, 3].map((i) => `${site.origin}/${tag}-${i}`)], {
          cwd: ROOT,
          env: { PATH: process.env.PATH ?? '', REDIS_URL: shared.redis.url, PACE_PREFIX: prefix, START_AT: String(startAt) },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
        child.on('error', reject);
        child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as { ok: number; failed: string[] }) : reject(new Error(`exit ${code}: ${out}`))));
      });
    const [one, two] = await Promise.all([run('one'), run('two')]);
    assert.deepEqual([one.ok, two.ok], [3, 3], JSON.stringify([one.failed, two.failed]));
    assert.equal(site.arrivals.length, 6);
    for (const gap of gaps(site.arrivals)) assert.ok(gap >= 1000, `requests ${gaps(site.arrivals).map(Math.round).join(', ')} ms apart`);
  });

  test("a site's Retry-After, met by one fetcher, is obeyed by the other without asking the site", async () => {
    const prefix = freshPrefix();
    shared.cleanups.push(() => cleanPrefix(shared.client, prefix));
    const a = redisFetcher(prefix, 10);
    const b = redisFetcher(prefix, 10);
    await assert.rejects(a.get({ url: `${site.origin}/busy`, accept: '*/*' }), (e: unknown) => isSourceError(e) && e.identifier === 'RateLimited');
    const before = site.arrivals.length;
    await assert.rejects(b.get({ url: `${site.origin}/page`, accept: '*/*' }), (e: unknown) => {
      assert.ok(isSourceError(e) && e.identifier === 'RateLimited');
      assert.match(e.message, /left alone until/);
      assert.ok((e.context.retryAt as number) > Date.now() + 100_000);
      return true;
    });
    assert.equal(site.arrivals.length, before, 'the resting site was not asked');
    assert.ok(b.retryAt(site.origin)! > Date.now() + 100_000, 'the other fetcher now knows it too');
    const ttl = await shared.client.pttl(`${prefix}fetch:parked:${new URL(site.origin).host}`);
    assert.ok(ttl > 100_000 && ttl <= 120_000, `parked for ${ttl} ms in Redis`);
  });
});

describe('without a working Redis, pacing falls back to this process', () => {
  test('an address where no Redis listens: fetches go on at once, still one per interval in this process', async () => {
    const unused = await new Promise<number>((resolve) => {
      const s = createTcpServer();
      s.listen(0, '127.0.0.1', () => {
        const { port } = s.address() as AddressInfo;
        s.close(() => resolve(port));
      });
    });
    const f = redisFetcher(freshPrefix(), 1000, `redis://127.0.0.1:${unused}`);
    site.arrivals.length = 0;
    const started = performance.now();
    await Promise.all([1, 2, 3].map((i) => f.get({ url: `${site.origin}/down-${i}`, accept: '*/*' })));
    const elapsed = performance.now() - started;
    for (const gap of gaps(site.arrivals)) assert.ok(gap >= 1000, `requests ${gaps(site.arrivals).map(Math.round).join(', ')} ms apart`);
    assert.ok(elapsed < 5000, `took ${Math.round(elapsed)} ms`);
  });

  test('a Redis that accepts the connection but never answers: each reservation gives up after its timeout', async () => {
    const sockets: Socket[] = [];
    const silent = createTcpServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const pacer = new RedisPacer({ url: `redis://127.0.0.1:${(silent.address() as AddressInfo).port}`, intervalMs: 200, timeoutMs: 300 });
      pacers.push(pacer);
      const f = new Fetcher({ addresses: 'loopback', pacer });
      const started = performance.now();
      const answer = await f.get({ url: `${site.origin}/silent`, accept: '*/*' });
      assert.equal(answer.status, 200);
      assert.ok(performance.now() - started < 3000, `took ${Math.round(performance.now() - started)} ms`);
      await pacer.close();
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  test('Redis going away mid-way: fetching goes on paced here, and shared again once Redis is back', async () => {
    const prefix = freshPrefix();
    const pacer = new RedisPacer({ url: shared.redis.url, prefix, intervalMs: 1000 });
    pacers.push(pacer);
    const f = new Fetcher({ addresses: 'loopback', pacer });
    await f.get({ url: `${site.origin}/before`, accept: '*/*' });
    assert.equal(pacer.lastShared, true);
    await shared.redis.kill();
    try {
      site.arrivals.length = 0;
      const started = performance.now();
      await Promise.all([1, 2].map((i) => f.get({ url: `${site.origin}/during-${i}`, accept: '*/*' })));
      assert.equal(pacer.lastShared, false);
      assert.ok(gaps(site.arrivals)[0]! >= 1000, `requests ${gaps(site.arrivals).map(Math.round).join(', ')} ms apart`);
      assert.ok(performance.now() - started < 5000, `took ${Math.round(performance.now() - started)} ms`);
    } finally {
      await shared.redis.launch();
    }
    // ioredis reconnects by itself; the next reservations go to Redis again.
    const deadline = Date.now() + 15_000;
    while (!pacer.lastShared && Date.now() < deadline) {
      await f.get({ url: `${site.origin}/after`, accept: '*/*' });
      if (!pacer.lastShared) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.ok(pacer.lastShared, 'slots are booked in Redis again');
    // And shared with another process's fetcher again.
    const other = redisFetcher(prefix);
    site.arrivals.length = 0;
    await Promise.all([f, other].map((x, i) => x.get({ url: `${site.origin}/shared-${i}`, accept: '*/*' })));
    assert.ok(gaps(site.arrivals)[0]! >= 1000, `requests ${gaps(site.arrivals).map(Math.round).join(', ')} ms apart`);
  });
});
