/**
 * /digest when things go wrong, through the real discord.js client on the fake
 * Discord with two servers, and a private redis-server killed mid-test:
 * - a server cannot see or touch another server's digest (nor learn whether
 *   there is one), whether discord.js has the channel cached or not;
 * - with Redis down, /digest answers within Discord's 3 s that digests are
 *   unavailable, other commands work, and the log says so once per outage.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { deployCommands } from '../../src/bot/deploy-commands.js';
import { startDigests, type RunningDigests } from '../../src/digest/bot-integration.js';
import { Briefing } from '../../src/engine/briefing.js';
import { createLogger } from '../../src/log.js';
import { startSitrep, type SitrepHarness } from '../bot/harness.js';
import { snowflake, type FakeMessage, type InteractionRecord } from '../fake-discord/fake-discord.js';
import { cleanPrefix, freshPrefix, RedisHarness } from '../digest/redis-harness.js';
import { sleep, waitFor } from '../digest/fakes.js';

const EPHEMERAL = 64;
/** The fake's ordinary member plus Manage Server (1 << 5). */
const MODERATOR = (2248473465835073n | (1n << 5n)).toString();

function text(message: FakeMessage): string {
  return [message.content, ...message.embeds.flatMap((e) => [e.title ?? '', e.description ?? ''])].join('\n');
}

describe('/digest across two servers and through a Redis outage', () => {
  const base = Date.now() - 86_400_000;
  const serverA = { id: snowflake(base), name: 'Server A', channels: [{ id: snowflake(base + 1), name: 'general' }, { id: snowflake(base + 2), name: 'briefings' }, { id: snowflake(base + 3), name: 'quiet' }] };
  const serverB = { id: snowflake(base + 10), name: 'Server B', channels: [{ id: snowflake(base + 11), name: 'general' }, { id: snowflake(base + 12), name: 'news' }] };
  const [generalA, briefingsA, quietA] = serverA.channels.map((c) => c.id) as [string, string, string];
  const [generalB, newsB] = serverB.channels.map((c) => c.id) as [string, string];
  let redis: RedisHarness;
  let client: Redis;
  let h: SitrepHarness;
  let digests: RunningDigests;
  let prefix: string;
  let cacheDir: string;
  const lines: Record<string, unknown>[] = [];

  const digest = (server: typeof serverA, subcommand: string, options: Record<string, string> = {}): Promise<InteractionRecord> => {
    const list = Object.entries(options).map(([name, value]) => (name === 'channel' ? { name, type: 7, value } : { name, value }));
    return h.discord.interact({ kind: 'chatInput', name: 'digest', subcommand, options: list, memberPermissions: MODERATOR, guildId: server.id, channelId: server.channels[0]!.id });
  };
  const answer = async (record: InteractionRecord): Promise<string> => {
    const message = await record.visibleMessage();
    assert.equal(message.flags & EPHEMERAL, EPHEMERAL, 'every /digest answer is ephemeral');
    return text(message);
  };
  /** A reply with channel ids blanked, to compare replies about different channels. */
  const shape = (reply: string) => reply.replace(/<#\d+>/g, '<#…>');

  before(async () => {
    redis = await RedisHarness.start();
    client = redis.client();
    prefix = freshPrefix();
    cacheDir = mkdtempSync(join(tmpdir(), 'sitrep-digest-faults-'));
    h = await startSitrep(new Briefing([]), { fake: { guilds: [serverA, serverB] } });
    const commands = new Map([...h.bot.commands.entries()]);
    await deployCommands({ token: h.discord.token, clientId: h.discord.applicationId, guildId: serverB.id, apiUrl: h.discord.apiUrl, commands });
    const log = createLogger({ level: 'debug', write: (line) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    digests = await startDigests({ redisUrl: redis.url, cacheDir, live: () => new Briefing([]), rest: h.bot.client.rest, log, runWorker: true, prefix });
    h.bot.setDigests(digests.service);
  });
  after(async () => {
    await digests?.close();
    await h?.stop();
    if (client) {
      await cleanPrefix(client, prefix).catch(() => undefined);
      client.disconnect();
    }
    await redis?.stop();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  test('another server naming a channel of this one is refused with the reply for a channel without a digest, and changes nothing', async () => {
    assert.match(await answer(await digest(serverA, 'subscribe', { channel: briefingsA, time: '09:00', timezone: 'Europe/Berlin' })), /Digest set up for/);
    const stored = async () => client.hgetall(`${prefix}digest:sub:${briefingsA}`);
    const before = await stored();
    assert.equal(before.guildId, serverA.id);

    for (const sub of ['pause', 'resume', 'unsubscribe', 'preview', 'now']) {
      const withDigest = await answer(await digest(serverB, sub, { channel: briefingsA }));
      const withoutDigest = await answer(await digest(serverB, sub, { channel: quietA }));
      assert.match(withDigest, /has no digest\. Set one up with \/digest subscribe\./, sub);
      assert.equal(shape(withDigest), shape(withoutDigest), `${sub}: the same words whether or not a digest exists there`);
    }
    const takeover = await answer(await digest(serverB, 'subscribe', { channel: briefingsA, time: '10:00', timezone: 'UTC' }));
    const elsewhere = await answer(await digest(serverB, 'subscribe', { channel: quietA, time: '10:00', timezone: 'UTC' }));
    assert.match(takeover, /not a channel I can post digests in\. Pick a text channel of this server\./);
    assert.equal(shape(takeover), shape(elsewhere));

    assert.deepEqual(await stored(), before, "server A's digest is untouched");
    assert.deepEqual(await client.keys(`${prefix}digest:sub:${quietA}`), [], 'nothing stored for the other channel');
    assert.match(await answer(await digest(serverB, 'list')), /No channel in this server has a digest yet/);
    assert.match(await answer(await digest(serverA, 'list')), new RegExp(`<#${briefingsA}>`));
    assert.equal(h.discord.channelMessages(briefingsA).length, 0, 'nothing was posted in server A');
    // The same subcommands work in server B on its own channel.
    assert.match(await answer(await digest(serverB, 'subscribe', { channel: newsB, time: '07:30', timezone: 'UTC' })), /Digest set up for/);
    assert.match(await answer(await digest(serverB, 'pause', { channel: newsB })), /is paused/);
  });

  test('a channel discord.js has not cached is looked up with GET /channels/{id} before anything is done', async () => {
    // Forget the channel: discord.js then builds it from the interaction's resolved data, filed under the asking server.
    h.bot.client.channels.cache.delete(briefingsA);
    h.bot.client.guilds.cache.get(serverA.id)?.channels.cache.delete(briefingsA);
    const asked = () => h.discord.requests.filter((r) => r.method === 'GET' && r.path === `/channels/${briefingsA}`).length;
    const before = asked();
    assert.match(await answer(await digest(serverB, 'pause', { channel: briefingsA })), /has no digest/);
    assert.equal(asked(), before + 1, 'Discord was asked which server the channel is in');
    assert.equal((await client.hgetall(`${prefix}digest:sub:${briefingsA}`)).paused, '0');
    // The owner still can: Discord says the channel is theirs.
    h.bot.client.channels.cache.delete(briefingsA);
    h.bot.client.guilds.cache.get(serverA.id)?.channels.cache.delete(briefingsA);
    assert.match(await answer(await digest(serverA, 'pause', { channel: briefingsA })), /is paused/);
    assert.match(await answer(await digest(serverA, 'resume', { channel: briefingsA })), /is running again/);
    // A channel Discord does not show the bot at all (404) is refused the same way.
    const unknown = snowflake(base + 99);
    assert.equal(shape(await answer(await digest(serverB, 'unsubscribe', { channel: unknown }))), shape(await answer(await digest(serverB, 'unsubscribe', { channel: generalA }))));
  });

  test('with Redis down /digest answers within 3 s that digests are unavailable, other commands work, and the log says so once', async () => {
    const mark = lines.length;
    await redis.kill();
    for (const [sub, options] of [['list', {}], ['subscribe', { channel: briefingsA, time: '09:00', timezone: 'UTC' }], ['pause', { channel: briefingsA }], ['preview', { channel: briefingsA }]] as const) {
      const started = Date.now();
      const record = await digest(serverA, sub, options);
      const reply = await answer(record);
      assert.match(reply, /digests are unavailable right now.*other commands work/i, sub);
      assert.ok(record.callbacks.length >= 1 && record.callbacks.every((c) => c.status < 300), `${sub}: acknowledged within Discord's deadline`);
      assert.ok(Date.now() - started < 3000, `${sub}: answered in ${Date.now() - started} ms`);
    }
    const help = await (await h.discord.interact({ kind: 'chatInput', name: 'help', guildId: serverA.id, channelId: generalA })).visibleMessage();
    assert.ok(help.embeds.length > 0 || help.content, 'another command answers');

    await sleep(2500); // ioredis and BullMQ keep trying to reconnect meanwhile
    const during = lines.slice(mark);
    const warnings = during.filter((l) => l.level === 'warn' || l.level === 'error');
    assert.equal(warnings.length, 1, `one warning for the outage: ${JSON.stringify(warnings)}`);
    assert.match(String(warnings[0]!.msg), /Redis is unreachable/);

    await redis.launch();
    await waitFor(() => lines.slice(mark).some((l) => /Redis is back/.test(String(l.msg))), 15_000, 'the line saying Redis is back');
    await waitFor(async () => /<#\d+>/.test(await answer(await digest(serverA, 'list'))), 10_000, '/digest to work again');
    const all = lines.slice(mark);
    assert.equal(all.filter((l) => /Redis is back/.test(String(l.msg))).length, 1, 'one line when it is back');
    // (This Redis keeps nothing on disk, so it also comes back empty: restoring from the mirror is worth its own warning.)
    const restored = /restored them from the disk mirror/;
    assert.deepEqual(all.filter((l) => (l.level === 'warn' || l.level === 'error') && !restored.test(String(l.msg))).map((l) => l.msg), ['Redis is unreachable: scheduled digests are unavailable until it is back (other commands work)']);
    assert.ok(!JSON.stringify(all).includes('"stack"'), 'no stack traces for an expected outage');
    assert.deepEqual(h.logs.filter((l) => l.level === 'error'), [], 'the bot logged no errors');
    // Let BullMQ's blocking connection reconnect too before the worker is closed (see worker.ts close()).
    await sleep(2500);
  });
});
