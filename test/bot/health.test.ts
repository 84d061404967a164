/**
 * The pieces of the runtime that need no process: the health report, the
 * shard plan against the fake Discord's GET /gateway/bot, and the health
 * endpoint's HTTP answers.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { healthReport, startHealthServer, type HealthState } from '../../src/bot/health.js';
import { planShards } from '../../src/bot/run.js';
import { readConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startFakeDiscord } from '../fake-discord/fake-discord.js';
import { captureLogger } from './harness.js';

const quiet = createLogger({ level: 'error', write: () => undefined });

describe('healthReport', () => {
  test('is ok only when the gateway is connected and the index is loaded', () => {
    assert.deepEqual(healthReport({ gateway: 'connected', index: 'loaded', documents: 5 }), { status: 'ok', gateway: 'connected', index: 'loaded', documents: 5 });
  });

  test('names every missing part', () => {
    assert.deepEqual(healthReport({ gateway: 'connecting', index: 'loading', documents: null }).missing, ['gateway', 'index']);
    assert.deepEqual(healthReport({ gateway: 'connected', index: 'failed', documents: null }).missing, ['index']);
    assert.deepEqual(healthReport({ gateway: 'disconnected', index: 'loaded', documents: 5 }).missing, ['gateway']);
  });
});

describe('the health endpoint', () => {
  test('answers 503 then 200 as the state changes, 404 elsewhere, and frees its port on close', async () => {
    let state: HealthState = { gateway: 'connecting', index: 'loading', documents: null };
    const { log, entries } = captureLogger();
    const server = await startHealthServer(0, () => state, log);
    try {
      const url = `http://127.0.0.1:${server.port}`;
      const first = await fetch(`${url}/healthz`);
      assert.equal(first.status, 503);
      assert.equal(first.headers.get('content-type'), 'application/json');
      state = { gateway: 'connected', index: 'loaded', documents: 5 };
      const second = await fetch(`${url}/healthz?probe=1`);
      assert.equal(second.status, 200);
      assert.deepEqual(await second.json(), { status: 'ok', gateway: 'connected', index: 'loaded', documents: 5 });
      assert.equal((await fetch(`${url}/`)).status, 404);
      assert.equal((await fetch(`${url}/healthz`, { method: 'POST' })).status, 404);
      assert.deepEqual(entries.map((e) => [e.message, e.fields.port]), [['health endpoint listening', server.port]]);
    } finally {
      await server.close();
    }
    await assert.rejects(fetch(`http://127.0.0.1:${server.port}/healthz`));
  });

  test('a port in use is an error, not a silent fallback', async () => {
    const server = await startHealthServer(0, () => ({ gateway: 'connected', index: 'loaded', documents: 1 }), captureLogger().log);
    try {
      await assert.rejects(startHealthServer(server.port, () => ({ gateway: 'connected', index: 'loaded', documents: 1 }), captureLogger().log), /EADDRINUSE/);
    } finally {
      await server.close();
    }
  });
});

describe('planShards', () => {
  test("'auto' takes Discord's recommendation and spaces the shards by its max_concurrency", async () => {
    const discord = await startFakeDiscord({ recommendedShards: 3 });
    try {
      const config = readConfig({ DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.apiUrl });
      assert.equal(config.shardCount, 'auto');
      const plan = await planShards(config, quiet);
      assert.equal(plan.total, 3);
      // The fake says max_concurrency 16: 5500 / 16, rounded up.
      assert.equal(plan.spawnDelayMs, 344);
      assert.equal(discord.requests.filter((r) => r.path === '/gateway/bot').length, 1);
    } finally {
      await discord.close();
    }
  });

  test('a number is used as it is; 1 asks Discord nothing', async () => {
    const discord = await startFakeDiscord({ recommendedShards: 3 });
    try {
      assert.equal((await planShards(readConfig({ DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.apiUrl, SHARD_COUNT: '2' }), quiet)).total, 2);
      const before = discord.requests.length;
      assert.deepEqual(await planShards(readConfig({ DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.apiUrl, SHARD_COUNT: '1' }), quiet), { total: 1, spawnDelayMs: 0, reason: 'SHARD_COUNT=1' });
      assert.equal(discord.requests.length, before);
    } finally {
      await discord.close();
    }
  });

  test('a token Discord refuses is an error (401), not a guess', async () => {
    const discord = await startFakeDiscord();
    try {
      await assert.rejects(planShards(readConfig({ DISCORD_TOKEN: 'wrong', DISCORD_API_URL: discord.apiUrl }), quiet), (e: unknown) => (e as { status?: number }).status === 401);
    } finally {
      await discord.close();
    }
  });
});
