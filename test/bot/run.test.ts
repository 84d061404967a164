/**
 * `npm start` with DISCORD_TOKEN set, as an operator runs it: the real
 * process (`node --import tsx src/main.ts`) against the fake Discord, with
 * the real engine over the seed corpus. Health goes from 503 to 200, commands
 * are answered, SIGTERM exits 0, SHARD_COUNT=2 runs two shard processes, and
 * a bad configuration exits 2 with the message and no stack.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadCommands } from '../../src/bot/commands.js';
import { deployCommands } from '../../src/bot/deploy-commands.js';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisHarness } from '../digest/redis-harness.js';
import { ROOT, startSitrepProcess, type SitrepProcess } from './sitrep-process.js';
import { startFakeDiscord, shardForGuild, type FakeDiscord, type FakeGuildSpec, type FakeMessage } from '../fake-discord/fake-discord.js';

const EPHEMERAL = 64;

async function healthz(port: number): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function waitForHealth(port: number, status: number, timeoutMs = 30_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < deadline) {
    const answer = await healthz(port);
    if (answer.status === status) return answer.body;
    last = answer;
    await sleep(100);
  }
  throw new Error(`/healthz did not answer ${status} within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
}

function text(message: FakeMessage): string {
  return [message.content, ...message.embeds.flatMap((e) => [e.title ?? '', e.description ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value]), e.footer?.text ?? ''])].join('\n');
}

async function stopAndCheck(p: SitrepProcess, withinMs: number): Promise<void> {
  const started = Date.now();
  p.child.kill('SIGTERM');
  const { code, signal } = await p.exit;
  assert.equal(signal, null);
  assert.equal(code, 0, p.otherStderr.join('\n'));
  assert.ok(Date.now() - started < withinMs, `exited after ${Date.now() - started} ms`);
}

describe('npm start with a token: one process against the fake Discord', () => {
  let discord: FakeDiscord;
  let p: SitrepProcess;
  before(async () => {
    discord = await startFakeDiscord();
    await deployCommands({ token: discord.token, clientId: discord.applicationId, guildId: discord.guildId, apiUrl: discord.apiUrl, commands: await loadCommands() });
    // Discord answers the first GET /gateway/bot with a 429: start-up is held, so the first /healthz must be 503.
    discord.inject429('GET /gateway/bot', 1, 1500);
    p = startSitrepProcess({ DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.apiUrl, HEALTH_PORT: '0', CORPUS_DIR: 'corpus' });
  });
  after(async () => {
    if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await discord.close();
  });

  let port = 0;
  test('/healthz answers 503 naming what is missing, then 200 once the gateway is connected and the index loaded', async () => {
    port = (await p.waitForLog((l) => l.msg === 'health endpoint listening')).port as number;
    assert.ok(port > 0);
    const early = await healthz(port);
    assert.equal(early.status, 503);
    assert.equal(early.body.status, 'unavailable');
    assert.ok((early.body.missing as string[]).includes('gateway'), JSON.stringify(early.body));
    const ready = await waitForHealth(port, 200);
    assert.deepEqual(ready, { status: 'ok', gateway: 'connected', index: 'loaded', documents: 5 });
    assert.equal((await fetch(`http://127.0.0.1:${port}/other`)).status, 404);
  });

  test('start-up logs are JSON lines, the index was built off the main thread, and the missing REDIS_URL is explained once', async () => {
    const loaded = await p.waitForLog((l) => l.msg === 'index loaded');
    assert.equal(loaded.documents, 5);
    assert.equal(typeof loaded.workerMs, 'number');
    assert.equal(typeof loaded.time, 'string');
    assert.equal(loaded.level, 'info');
    await p.waitForLog((l) => /REDIS_URL/.test(l.msg));
    const redis = p.logs.filter((l) => /REDIS_URL/.test(l.msg));
    assert.equal(redis.length, 1);
    assert.match(redis[0]!.msg, /set REDIS_URL/);
    assert.deepEqual(p.otherStderr.filter((l) => l.trim()), []);
    assert.equal(discord.identifies.length, 1, 'one gateway session');
    assert.deepEqual(discord.identifies[0]!.shard, [0, 1]);
  });

  test('a /search is answered from the real engine and logged with its interaction id', async () => {
    const record = await discord.interact({ kind: 'chatInput', name: 'search', options: { query: 'Tomahwk' } });
    const message = await record.visibleMessage();
    assert.equal(record.response?.type, 4, 'answered at once, not deferred');
    assert.match(text(message), /Tomahawk/);
    const line = await p.waitForLog((l) => l.interactionId === record.id && l.msg === 'interaction answered');
    assert.equal(line.command, 'search');
  });

  test('SIGTERM stops it: exit code 0 within a few seconds, gateway closed', async () => {
    await stopAndCheck(p, 5000);
    if (process.env.SHOW_LOGS) console.log(p.logs.map((l) => JSON.stringify(l)).join('\n'));
    assert.ok(p.logs.some((l) => l.msg === 'shutting down' && l.reason === 'SIGTERM'));
    assert.deepEqual(discord.connectedShards(), []);
    await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`));
  });
});

/** Two guilds, the first on shard 0 and the second on shard 1 of 2. */
function twoShardGuilds(): FakeGuildSpec[] {
  const base = BigInt(Date.now() - 86_400_000 - 1420070400000);
  const ids = [0n, 1n, 2n, 3n].map((n) => ((base << 22n) + (n << 22n)).toString());
  const byShard = [ids.find((id) => shardForGuild(id, 2) === 0)!, ids.find((id) => shardForGuild(id, 2) === 1)!];
  return byShard.map((id, n) => ({ id, name: `Guild ${n}`, channels: [{ id: (BigInt(id) + 5n).toString(), name: 'general' }] }));
}

describe('npm start with SHARD_COUNT=2: a sharding manager and two shard processes', () => {
  let discord: FakeDiscord;
  let p: SitrepProcess;
  let guilds: FakeGuildSpec[];
  before(async () => {
    guilds = twoShardGuilds();
    discord = await startFakeDiscord({ guilds });
    p = startSitrepProcess({ DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.apiUrl, HEALTH_PORT: '0', CORPUS_DIR: 'corpus', SHARD_COUNT: '2' });
  });
  after(async () => {
    if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await discord.close();
  });

  test('two shard processes connect, each answers for the guild on its shard, and /healthz counts both', async () => {
    const sessions = discord.waitForSessions(2, 30_000);
    const port = (await p.waitForLog((l) => l.msg === 'health endpoint listening')).port as number;
    await sessions;
    assert.deepEqual(discord.identifies.map((i) => i.shard).sort(), [[0, 2], [1, 2]]);
    const ready = await waitForHealth(port, 200);
    assert.deepEqual(ready, { status: 'ok', gateway: 'connected', index: 'loaded', documents: 5, shards: { connected: 2, total: 2 } });
    for (const [n, guild] of guilds.entries()) {
      const record = await discord.interact({ kind: 'chatInput', name: 'search', options: { query: 'Tomahawk' }, guildId: guild.id });
      assert.equal(record.shardId, n);
      assert.match(text(await record.visibleMessage()), /Tomahawk/);
      const line = await p.waitForLog((l) => l.interactionId === record.id && l.msg === 'interaction answered');
      assert.equal(line.shard, n, 'answered by the process of its shard');
    }
    const pids = new Set(p.logs.filter((l) => l.msg === 'index loaded').map((l) => l.shard));
    assert.deepEqual([...pids].sort(), [0, 1]);
  });

  test('SIGTERM stops the manager and both shard processes with exit code 0', async () => {
    await stopAndCheck(p, 10_000);
    assert.deepEqual(discord.connectedShards(), []);
    const stopped = p.logs.filter((l) => l.msg === 'stopped').map((l) => `${l.shard === undefined ? 'manager' : `shard ${String(l.shard)}`}: ${String(l.code)}`);
    assert.deepEqual(stopped.sort(), ['manager: 0', 'shard 0: 0', 'shard 1: 0']);
  });
});

describe('npm start with REDIS_URL and a corpus that grows while it runs', () => {
  let discord: FakeDiscord;
  let redis: RedisHarness;
  let p: SitrepProcess;
  let corpus: string;
  const MANAGE_GUILD = String(1 << 5);
  before(async () => {
    discord = await startFakeDiscord();
    await deployCommands({ token: discord.token, clientId: discord.applicationId, guildId: discord.guildId, apiUrl: discord.apiUrl, commands: await loadCommands() });
    redis = await RedisHarness.start();
    corpus = mkdtempSync(join(tmpdir(), 'sitrep-live-corpus-'));
    cpSync(join(ROOT, 'corpus'), corpus, { recursive: true });
    p = startSitrepProcess({
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
      HEALTH_PORT: '0',
      CORPUS_DIR: corpus,
      CACHE_DIR: mkdtempSync(join(tmpdir(), 'sitrep-live-cache-')),
      REDIS_URL: redis.url,
      CORPUS_RESCAN_SECONDS: '1',
    });
    await p.waitForLog((l) => l.msg === 'index loaded');
  });
  after(async () => {
    if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await discord.close();
    await redis.stop();
  });

  test('/digest is served from Redis: subscribe, then list shows the subscription', async () => {
    const digest = (subcommand: string, options: { name: string; type?: number; value: string }[] = []) =>
      discord.interact({ kind: 'chatInput', name: 'digest', subcommand, options, memberPermissions: MANAGE_GUILD });
    // Digests open once the engine is ready; until then /digest says they need REDIS_URL.
    const deadline = Date.now() + 20_000;
    let answer = '';
    while (Date.now() < deadline) {
      const subscribe = await digest('subscribe', [
        { name: 'channel', type: 7, value: discord.channelId },
        { name: 'time', value: '08:30' },
        { name: 'timezone', value: 'Asia/Tokyo' },
      ]);
      answer = text(await subscribe.visibleMessage());
      if (!/REDIS_URL/.test(answer)) break;
      await sleep(300);
    }
    assert.doesNotMatch(answer, /REDIS_URL/);
    const listed = text(await (await digest('list')).visibleMessage());
    assert.match(listed, /Asia\/Tokyo/);
    assert.match(listed, /08:30/);
  });

  test('a file added to the corpus folder shows up in /sources without a restart', async () => {
    writeFileSync(join(corpus, 'new-article.md'), '---\ntitle: Okinawa marines drill\noutlet: Test Wire\npublished: 2024-05-01\n---\nMarines on Okinawa held a drill with Japanese forces on Tuesday, officials said.\n');
    await p.waitForLog((l) => l.msg === 'corpus loaded' && l.added === 1, 20_000);
    const record = await discord.interact({ kind: 'chatInput', name: 'sources' });
    const message = await record.visibleMessage();
    assert.match(message.embeds[0]!.footer!.text, /6 documents/);
  });

  test('SIGTERM stops it cleanly with the digest worker running', async () => {
    await stopAndCheck(p, 8000);
  });
});

describe('npm start with a bad configuration', () => {
  test('HEALTH_PORT=abc exits 2 with the message and no stack', async () => {
    const p = startSitrepProcess({ DISCORD_TOKEN: 'x', HEALTH_PORT: 'abc', CORPUS_DIR: 'corpus' });
    const { code } = await p.exit;
    assert.equal(code, 2);
    const stderr = p.otherStderr.join('\n');
    assert.match(stderr, /HEALTH_PORT must be a port number/);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
  });

  test('a missing corpus folder exits 2 before connecting to Discord', async () => {
    const discord = await startFakeDiscord();
    try {
      const p = startSitrepProcess({ DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.apiUrl, CORPUS_DIR: 'no-such-corpus' });
      const { code } = await p.exit;
      assert.equal(code, 2);
      assert.match(p.otherStderr.join('\n'), /corpus folder not found: no-such-corpus/);
      assert.deepEqual(discord.identifies, []);
    } finally {
      await discord.close();
    }
  });
});
