/**
 * /digest end to end: the real discord.js Client logged in to the fake
 * Discord, the real command module, the real digest service and in-process
 * worker (startDigests) on a private redis-server, the real engine over the
 * seed corpus. Digests are posted through the bot client's REST to the fake's
 * POST /channels/:id/messages.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { loadCorpus } from '../../src/corpus/load.js';
import { Briefing } from '../../src/engine/briefing.js';
import { createLogger, type Logger } from '../../src/log.js';
import { escapeAndFit, escapeText } from '../../src/bot/render.js';
import { startDigests, type LiveEngine, type RunningDigests } from '../../src/digest/bot-integration.js';
import type { LiveBriefing } from '../../src/engine/live.js';
import { nextRunAfter, cronPattern, parseDays } from '../../src/digest/schedule.js';
import { startSitrep, type SitrepHarness } from '../bot/harness.js';
import { snowflake, type FakeMessage, type InteractionRecord, type InteractionSpec } from '../fake-discord/fake-discord.js';
import { cleanPrefix, freshPrefix, RedisHarness } from '../digest/redis-harness.js';
import { SwappableEngine, waitFor } from '../digest/fakes.js';

const CORPUS = fileURLToPath(new URL('../../corpus/', import.meta.url));
const EPHEMERAL = 64;
/** The fake's ordinary member plus Manage Server (1 << 5). */
const MODERATOR = (2248473465835073n | (1n << 5n)).toString();

function text(message: FakeMessage): string {
  return [message.content, ...message.embeds.flatMap((e) => [e.title ?? '', e.description ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value]), e.footer?.text ?? ''])].join('\n');
}

/** The bot passes its LiveBriefing as `live`: checked when type-checking. */
const liveBriefingFits: LiveBriefing extends LiveEngine ? true : never = true;
void liveBriefingFits;

function captureLog(): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  return { log: createLogger({ level: 'debug', write: (line) => void lines.push(JSON.parse(line) as Record<string, unknown>) }), lines };
}

function guildSpec() {
  const base = Date.now() - 86_400_000;
  return {
    id: snowflake(base),
    name: 'Digest Guild',
    channels: [
      { id: snowflake(base + 1), name: 'general' },
      { id: snowflake(base + 2), name: 'briefings' },
      { id: snowflake(base + 3), name: 'navy' },
    ],
  };
}

describe('/digest through the fake Discord with Redis', () => {
  let redis: RedisHarness;
  let client: Redis;
  let h: SitrepHarness;
  let digests: RunningDigests;
  let live: SwappableEngine;
  let seed: Briefing;
  let prefix: string;
  let cacheDir: string;
  let logLines: Record<string, unknown>[];
  const guild = guildSpec();
  const [general, briefings, navy] = guild.channels.map((c) => c.id) as [string, string, string];

  // Each command from another member, so the per-member cooldown (src/bot/load.ts) never answers instead.
  let members = 0;
  const digest = (subcommand: string, options: Record<string, string> = {}, permissions: string = MODERATOR): Promise<InteractionRecord> => {
    const list = Object.entries(options).map(([name, value]) => (name === 'channel' ? { name, type: 7, value } : { name, value }));
    const user = { id: String(410000000000000000n + BigInt(++members)), username: 'analyst' };
    const spec: InteractionSpec = { kind: 'chatInput', name: 'digest', subcommand, options: list, memberPermissions: permissions, channelId: general, user };
    return h.discord.interact(spec);
  };
  const answer = async (record: InteractionRecord): Promise<FakeMessage> => {
    const message = await record.visibleMessage();
    assert.equal(message.flags & EPHEMERAL, EPHEMERAL, 'every /digest answer is ephemeral');
    assert.deepEqual(message.allowed_mentions, { parse: [] });
    return message;
  };
  /** How many messages the seed digest takes (learned from the preview). */
  let previewParts = 0;
  const storedKeys = async (): Promise<string[]> => (await client.keys(`${prefix}digest:sub:*`)).sort();

  before(async () => {
    redis = await RedisHarness.start();
    client = redis.client();
    prefix = freshPrefix();
    cacheDir = mkdtempSync(join(tmpdir(), 'sitrep-digestcmd-'));
    seed = new Briefing((await loadCorpus(CORPUS)).documents);
    // The bot starts on an empty corpus; the seed articles "arrive" later (a reload), after the subscriptions.
    live = new SwappableEngine(new Briefing([]));
    h = await startSitrep(seed, { fake: { guilds: [guild] } });
    const captured = captureLog();
    logLines = captured.lines;
    digests = await startDigests({ redisUrl: redis.url, cacheDir, live, rest: h.bot.client.rest, log: captured.log, runWorker: true, prefix });
    h.bot.setDigests(digests.service);
  });
  after(async () => {
    await digests?.close();
    await h?.stop();
    if (client) {
      await cleanPrefix(client, prefix);
      client.disconnect();
    }
    await redis?.stop();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  test('/digest is registered for Manage Server only, in servers, with text-channel options', () => {
    const command = h.discord.registeredCommands(guild.id).find((c) => c.name === 'digest');
    assert.ok(command, 'digest registered');
    assert.equal(command.default_member_permissions, '32');
    const subs = command.options as { name: string; options?: { name: string; type: number; channel_types?: number[]; autocomplete?: boolean; required?: boolean }[] }[];
    assert.deepEqual(subs.map((s) => s.name), ['subscribe', 'list', 'unsubscribe', 'pause', 'resume', 'preview', 'now']);
    for (const sub of subs.filter((s) => s.name !== 'list')) {
      const channel = sub.options?.find((o) => o.name === 'channel');
      assert.deepEqual(channel && { type: channel.type, channel_types: channel.channel_types, required: channel.required }, { type: 7, channel_types: [0], required: true }, sub.name);
    }
    const subscribe = subs[0]!.options!;
    assert.deepEqual(subscribe.map((o) => o.name), ['channel', 'time', 'timezone', 'topic', 'days']);
    assert.equal(subscribe.find((o) => o.name === 'timezone')!.autocomplete, true);
  });

  test('timezone autocomplete offers at most 25 IANA names, the matching ones first', async () => {
    const record = await h.discord.interact({ kind: 'autocomplete', name: 'digest', subcommand: 'subscribe', focused: 'timezone', options: { timezone: 'new y' } });
    const choices = await record.autocompleteChoices();
    assert.ok(choices.length >= 1 && choices.length <= 25);
    assert.equal(choices[0]!.value, 'America/New_York');
    const all = await (await h.discord.interact({ kind: 'autocomplete', name: 'digest', subcommand: 'subscribe', focused: 'timezone', options: { timezone: '' } })).autocompleteChoices();
    assert.equal(all.length, 25);
    assert.ok(all.every((c) => c.name.length <= 100 && String(c.value).length <= 100));
    const berlin = await (await h.discord.interact({ kind: 'autocomplete', name: 'digest', subcommand: 'subscribe', focused: 'timezone', options: { timezone: 'berl' } })).autocompleteChoices();
    assert.deepEqual(berlin.map((c) => c.value), ['Europe/Berlin']);
  });

  test('a member without Manage Server is refused, and nothing is stored', async () => {
    const ordinary = '2248473465835073';
    const message = await answer(await digest('subscribe', { channel: briefings, time: '09:00', timezone: 'Europe/Berlin' }, ordinary));
    assert.match(text(message), /Only members with the Manage Server permission/);
    assert.deepEqual(await storedKeys(), []);
    assert.match(text(await answer(await digest('list', {}, ordinary))), /Manage Server/);
  });

  test('a bad time zone, time or days is answered with the problem in words, and nothing is stored', async () => {
    const zone = text(await answer(await digest('subscribe', { channel: briefings, time: '09:00', timezone: 'Mars/Olympus_Mons' })));
    assert.match(zone, /“Mars\/Olympus\\_Mons” is not a time zone I know\. Nothing was saved\./);
    assert.ok(!zone.includes('sitrep'), 'no internal message');
    const time = text(await answer(await digest('subscribe', { channel: briefings, time: '25:00', timezone: 'Europe/Berlin' })));
    assert.match(time, /“25:00” is not a time of day I can use: the hour is 00 to 23\. Nothing was saved\./);
    const days = text(await answer(await digest('subscribe', { channel: briefings, time: '09:00', timezone: 'Europe/Berlin', days: 'funday' })));
    assert.match(days, /“funday” is not a set of days: .*funday.* is not a day/);
    assert.deepEqual(await storedKeys(), []);
  });

  test('subscribe stores the digest and answers with its schedule and next run; list then shows it', async () => {
    const before = Date.now();
    const message = text(await answer(await digest('subscribe', { channel: briefings, time: '9:00', timezone: 'europe/berlin', days: 'mon-fri' })));
    assert.match(message, new RegExp(`Digest set up for <#${briefings}>\\.`));
    assert.match(message, /09:00 Europe\/Berlin, weekdays/);
    const expected = nextRunAfter(cronPattern('09:00', parseDays('mon-fri')), 'Europe/Berlin', before)!;
    assert.ok(message.includes(`Next: <t:${Math.floor(expected / 1000)}:F>`), message);
    assert.ok(!message.includes('⚠️'), 'the bot may post there: no permission warning');
    assert.deepEqual(await storedKeys(), [`${prefix}digest:sub:${briefings}`]);

    const topical = text(await answer(await digest('subscribe', { channel: navy, time: '18:30', timezone: 'Asia/Tokyo', topic: 'missiles', days: 'sat,sun' })));
    assert.match(topical, /18:30 Asia\/Tokyo, weekends, about “missiles”/);

    const list = await answer(await digest('list'));
    const body = text(list);
    assert.equal(list.embeds[0]!.title, 'Scheduled digests in this server');
    assert.match(body, new RegExp(`\\*\\*<#${briefings}>\\*\\* — 09:00 Europe/Berlin, weekdays\\nNext: <t:${Math.floor(expected / 1000)}:F> \\(<t:\\d+:R>\\)`));
    assert.match(body, new RegExp(`\\*\\*<#${navy}>\\*\\* — 18:30 Asia/Tokyo, weekends, about “missiles”\\nNext: <t:\\d+:F>`));
    assert.match(list.embeds[0]!.footer!.text, /^2 digests$/);
  });

  test('subscribing the same channel again replaces its digest instead of adding one', async () => {
    const message = text(await answer(await digest('subscribe', { channel: briefings, time: '08:15', timezone: 'Europe/Berlin', days: 'weekdays' })));
    assert.match(message, /was replaced/);
    assert.match(message, /08:15 Europe\/Berlin, weekdays/);
    assert.equal((await storedKeys()).length, 2);
  });

  test('preview is ephemeral and says nothing is new until documents arrive, then shows their titles without posting', async () => {
    const empty = text(await answer(await digest('preview', { channel: briefings })));
    assert.match(empty, new RegExp(`Nothing new for <#${briefings}> since <t:\\d+:f>`));

    await sleep(5); // first seen strictly after the subscription
    live.swap(seed);
    // One field per content hash (and one per path, "path:…").
    const contents = async () => (await client.hkeys(`${prefix}digest:first-seen`)).filter((f) => !f.startsWith('path:')).length;
    await waitFor(async () => (await contents()) === seed.documents.length, 5000, 'the reload to be recorded');

    const record = await digest('preview', { channel: briefings });
    const first = await answer(record);
    const parts = Number(/\(part 1 of (\d+)\)/.exec(first.content)?.[1] ?? 1);
    previewParts = parts;
    assert.match(first.content, new RegExp(`^-# Preview of the next digest for <#${briefings}>.*Only you see this; nothing was posted\\.\\n\\*\\*Sitrep digest\\*\\*: 5 new documents since <t:\\d+:f>`));
    const rest: FakeMessage[] = [];
    for (let i = 0; i < parts - 1; i++) rest.push(await record.followUp(i));
    for (const part of rest) {
      assert.equal(part.flags & EPHEMERAL, EPHEMERAL, 'every part of a preview is ephemeral');
      assert.match(part.content, /^-# Preview of the next digest .*\(part \d of \d\)/);
    }
    const shown = [first, ...rest].flatMap((m) => m.embeds.map((e) => `${e.title}\n${e.description ?? ''}`)).join('\n');
    assert.match(shown, /^Who matters$/m, 'a digest is a brief: who matters…');
    assert.match(shown, /^Who said what$/m, '…and who said what');
    for (const d of seed.documents) assert.ok(shown.includes(escapeAndFit(d.meta.title, 110)), `preview lists “${d.meta.title}”`);
    assert.equal(h.discord.channelMessages(briefings).length, 0, 'a preview posts nothing');

    const topical = await answer(await digest('preview', { channel: navy }));
    assert.ok(topical.embeds.length >= 1 && topical.embeds.length <= seed.documents.length);
    assert.match(topical.content, /about “missiles”/);
  });

  test('now posts the digest in the channel with a nonce, enforce_nonce and no mentions, then has nothing new', async () => {
    const confirm = text(await answer(await digest('now', { channel: briefings })));
    const parts = previewParts;
    assert.ok(parts >= 1);
    assert.match(confirm, new RegExp(`Posting the digest to <#${briefings}> now: 5 new documents in ${parts} messages?\\.`));
    await waitFor(() => h.discord.channelMessages(briefings).length >= parts, 10_000, 'the digest in the channel');
    const posted = h.discord.channelMessages(briefings);
    assert.equal(posted.length, parts);
    assert.match(posted[0]!.content, /^\*\*Sitrep digest\*\*: 5 new documents since/);
    const listed = posted.flatMap((m) => m.embeds.filter((e) => e.title?.startsWith('New documents')).flatMap((e) => e.description!.split('\n')));
    assert.equal(listed.length, seed.documents.length, 'each new document listed once');
    for (const d of seed.documents) assert.ok(listed.some((line) => line.includes(escapeAndFit(d.meta.title, 110))), `the post lists “${d.meta.title}”`);
    const requests = h.discord.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${briefings}/messages`);
    assert.equal(requests.length, parts);
    const nonces = new Set<string>();
    for (const request of requests) {
      const body = request.body as { nonce?: unknown; enforce_nonce?: unknown; allowed_mentions?: unknown };
      assert.match(String(body.nonce), /^[0-9a-f]{25}$/);
      nonces.add(String(body.nonce));
      assert.equal(body.enforce_nonce, true);
      assert.deepEqual(body.allowed_mentions, { parse: [] });
      assert.equal(request.headers.authorization, `Bot ${h.discord.token}`, 'posted with the bot client’s REST');
    }
    assert.equal(nonces.size, parts, 'one nonce per part');

    await waitFor(async () => (await digests.service.list(guild.id)).some((s) => s.channelId === briefings && s.lastDigestAt !== null), 5000, 'the window to advance');
    const again = text(await answer(await digest('now', { channel: briefings })));
    assert.match(again, /Nothing new for .* so nothing was posted/);
    await sleep(300);
    assert.equal(h.discord.channelMessages(briefings).length, parts);
    assert.match(text(await answer(await digest('list'))), /Last digest covered up to <t:\d+:f>/);
  });

  test('pause and resume change the listed state; a digest paused by failures shows its reason', async () => {
    const paused = text(await answer(await digest('pause', { channel: briefings })));
    assert.match(paused, /is paused\. \/digest resume starts it again/);
    assert.match(paused, /⏸ Paused: paused by analyst with \/digest pause/);
    const posts = h.discord.channelMessages(briefings).length;
    assert.match(text(await answer(await digest('now', { channel: briefings }))), /is paused\. \/digest resume starts it again/, 'now on a paused digest says it is paused');
    assert.match(text(await answer(await digest('list'))), new RegExp(`<#${briefings}>.*\\n⏸ Paused: paused by analyst`));
    assert.equal((await digests.service.list(guild.id)).find((s) => s.channelId === briefings)!.nextRunAt, null);

    assert.equal(h.discord.channelMessages(briefings).length, posts);
    const resumed = text(await answer(await digest('resume', { channel: briefings })));
    assert.match(resumed, /is running again/);
    assert.match(resumed, /Next: <t:\d+:F>/);
    assert.doesNotMatch(text(await answer(await digest('list'))), /Paused/);

    // What the worker stores after three refused posts (src/digest/processor.ts).
    const reason = 'paused after 3 failed digests in a row: Missing Permissions (50013); give Sitrep permission to send messages and embeds here, then /digest resume';
    await client.hset(`${prefix}digest:sub:${navy}`, 'paused', '1', 'pausedReason', reason);
    const list = await answer(await digest('list'));
    assert.ok(text(list).includes(`⏸ Paused: ${escapeText(reason)}`), text(list));
    assert.match(list.embeds[0]!.footer!.text, /2 digests · 1 paused/);
  });

  test('unsubscribe removes the digest; unsubscribing or previewing a channel without one says so', async () => {
    const removed = text(await answer(await digest('unsubscribe', { channel: navy })));
    assert.match(removed, new RegExp(`The digest for <#${navy}> was removed\\.`));
    assert.deepEqual(await storedKeys(), [`${prefix}digest:sub:${briefings}`]);
    assert.doesNotMatch(text(await answer(await digest('list'))), new RegExp(navy));
    for (const sub of ['unsubscribe', 'preview', 'now', 'pause']) {
      assert.match(text(await answer(await digest(sub, { channel: navy }))), new RegExp(`<#${navy}> has no digest\\. Set one up with /digest subscribe\\.`), sub);
    }
  });

  test('every interaction was answered once within the deadline, without error logs', async () => {
    const allLogged = () => h.discord.interactions.every((i) => h.logs.some((l) => l.fields.interactionId === i.id));
    for (let n = 0; n < 50 && !allLogged(); n++) await sleep(10);
    for (const i of h.discord.interactions) {
      const acks = i.callbacks.filter((c) => c.status < 300);
      assert.equal(acks.length, 1, `interaction ${i.id}`);
      assert.equal(i.callbacks.length, 1, `interaction ${i.id}`);
    }
    assert.deepEqual(h.logs.filter((l) => l.level === 'error'), []);
    assert.deepEqual(logLines.filter((l) => l.level === 'error'), []);
    assert.deepEqual(h.discord.unknownRoutes, []);
  });
});

describe('/digest without Redis', () => {
  let h: SitrepHarness;
  let lines: Record<string, unknown>[];
  let digests: RunningDigests;
  let cacheDir: string;

  before(async () => {
    cacheDir = mkdtempSync(join(tmpdir(), 'sitrep-digestcmd-'));
    const seed = new Briefing((await loadCorpus(CORPUS)).documents);
    h = await startSitrep(seed);
    const captured = captureLog();
    lines = captured.lines;
    digests = await startDigests({ redisUrl: null, cacheDir, live: () => seed, rest: h.bot.client.rest, log: captured.log, runWorker: true });
    h.bot.setDigests(digests.service);
  });
  after(async () => {
    await digests?.close();
    await h?.stop();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  test('start-up logs one line on how to enable digests', () => {
    assert.equal(lines.length, 1);
    assert.match(String(lines[0]!.msg), /set REDIS_URL/);
    assert.equal(digests.worker, null);
  });

  test('every /digest subcommand answers, privately, that digests need REDIS_URL', async () => {
    for (const [subcommand, options] of [
      ['list', []],
      ['subscribe', [{ name: 'channel', type: 7, value: h.discord.channelId }, { name: 'time', value: '09:00' }, { name: 'timezone', value: 'UTC' }]],
      ['now', [{ name: 'channel', type: 7, value: h.discord.channelId }]],
    ] as const) {
      const record = await h.discord.interact({ kind: 'chatInput', name: 'digest', subcommand, options: [...options], memberPermissions: MODERATOR });
      const message = await record.visibleMessage();
      assert.equal(message.flags & EPHEMERAL, EPHEMERAL);
      assert.match(text(message), /without REDIS\\_URL|without REDIS_URL/, subcommand);
      assert.match(text(message), /Every other command works without it/);
    }
  });

  test('a bot started without any digest service answers the same', async () => {
    h.bot.setDigests(null);
    const record = await h.discord.interact({ kind: 'chatInput', name: 'digest', subcommand: 'list', memberPermissions: MODERATOR });
    assert.match(text(await record.visibleMessage()), /REDIS/);
    h.bot.setDigests(digests.service);
  });

  test('time-zone autocomplete and every other command keep working', async () => {
    const choices = await (await h.discord.interact({ kind: 'autocomplete', name: 'digest', subcommand: 'subscribe', focused: 'timezone', options: { timezone: 'tokyo' } })).autocompleteChoices();
    assert.deepEqual(choices.map((c) => c.value), ['Asia/Tokyo']);
    const search = await (await h.discord.interact({ kind: 'chatInput', name: 'search', options: { query: 'missiles' } })).visibleMessage();
    assert.match(search.embeds[0]!.title!, /^Search: missiles/);
    assert.deepEqual(h.logs.filter((l) => l.level === 'error'), []);
  });
});
