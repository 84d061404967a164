/**
 * The fake Discord against the real, unmodified discord.js Client: every rule
 * the fake claims to enforce is checked through the client's own REST and
 * gateway code, so a test that passes here means discord.js accepts the fake.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { constants as zlibConstants, createInflate } from 'node:zlib';
import { WebSocket } from 'ws';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Routes,
  ShardingManager,
  type Interaction,
} from 'discord.js';
import { shardForGuild, snowflake, startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from './fake-discord.js';
import { DISCORD_LIMITS, validateAutocomplete, validateCommands, validateMessage } from './limits.js';

type Handler = (interaction: Interaction) => Promise<void>;

interface Harness {
  discord: FakeDiscord;
  client: Client;
  /** Replaces the bot's interaction handler. Errors are collected, never thrown into the client. */
  handle(handler: Handler): void;
  errors: unknown[];
  stop(): Promise<void>;
}

async function startHarness(options: FakeDiscordOptions = {}, clientOptions: { shards?: number[]; shardCount?: number } = {}): Promise<Harness> {
  const discord = await startFakeDiscord(options);
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: discord.apiUrl }, ...clientOptions });
  const errors: unknown[] = [];
  let current: Handler = async () => undefined;
  client.on(Events.InteractionCreate, (interaction) => {
    current(interaction).catch((error: unknown) => errors.push(error));
  });
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(discord.token);
  await ready;
  return {
    discord,
    client,
    errors,
    handle(handler) {
      current = handler;
    },
    async stop() {
      await client.destroy();
      await discord.close();
    },
  };
}

describe('fake Discord limits table', () => {
  const cases: { name: string; body: unknown; path: string }[] = [
    { name: 'content over 2000', body: { content: 'a'.repeat(DISCORD_LIMITS.messageContent + 1) }, path: 'content' },
    { name: 'more than 10 embeds', body: { embeds: Array.from({ length: 11 }, () => ({ description: 'x' })) }, path: 'embeds' },
    { name: 'embed title over 256', body: { embeds: [{ title: 't'.repeat(257) }] }, path: 'embeds.0.title' },
    { name: 'embed description over 4096', body: { embeds: [{ description: 'd'.repeat(4097) }] }, path: 'embeds.0.description' },
    { name: 'more than 25 fields', body: { embeds: [{ fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) }] }, path: 'embeds.0.fields' },
    { name: 'field name over 256', body: { embeds: [{ fields: [{ name: 'n'.repeat(257), value: 'v' }] }] }, path: 'embeds.0.fields.0.name' },
    { name: 'field value over 1024', body: { embeds: [{ fields: [{ name: 'n', value: 'v'.repeat(1025) }] }] }, path: 'embeds.0.fields.0.value' },
    { name: 'footer over 2048', body: { embeds: [{ description: 'x', footer: { text: 'f'.repeat(2049) } }] }, path: 'embeds.0.footer.text' },
    { name: 'author name over 256', body: { embeds: [{ description: 'x', author: { name: 'a'.repeat(257) } }] }, path: 'embeds.0.author.name' },
    { name: 'embed text over 6000 in total', body: { embeds: [{ description: 'd'.repeat(4000) }, { description: 'd'.repeat(2001) }] }, path: 'embeds' },
    { name: 'custom id over 100', body: { components: [{ type: 1, components: [{ type: 2, style: 1, label: 'x', custom_id: 'c'.repeat(101) }] }] }, path: 'components.0.components.0.custom_id' },
    { name: 'more than 5 action rows', body: { components: Array.from({ length: 6 }, (_, i) => ({ type: 1, components: [{ type: 2, style: 1, label: 'x', custom_id: `b${i}` }] })) }, path: 'components' },
    { name: 'more than 5 buttons in a row', body: { components: [{ type: 1, components: Array.from({ length: 6 }, (_, i) => ({ type: 2, style: 1, label: 'x', custom_id: `b${i}` })) }] }, path: 'components.0.components' },
    { name: 'button label over 80', body: { components: [{ type: 1, components: [{ type: 2, style: 1, label: 'l'.repeat(81), custom_id: 'b' }] }] }, path: 'components.0.components.0.label' },
    { name: 'duplicate custom ids', body: { components: [{ type: 1, components: [{ type: 2, style: 1, label: 'x', custom_id: 'b' }, { type: 2, style: 1, label: 'y', custom_id: 'b' }] }] }, path: 'components.0.components.1.custom_id' },
  ];
  for (const c of cases) {
    test(`a message with ${c.name} is rejected at ${c.path}`, () => {
      const errors = validateMessage(c.body);
      assert.deepEqual(errors.map((e) => e.path.join('.')), [c.path]);
    });
  }

  test('a message exactly at every limit is accepted', () => {
    const body = {
      content: 'c'.repeat(2000),
      embeds: [
        { title: 't'.repeat(256), description: 'd'.repeat(3000), footer: { text: 'f'.repeat(1000) }, author: { name: 'a'.repeat(256) } },
        { description: 'd'.repeat(1000), fields: Array.from({ length: 1 }, () => ({ name: 'n'.repeat(256), value: 'v'.repeat(232) })) },
      ],
      components: Array.from({ length: 5 }, (_, r) => ({ type: 1, components: Array.from({ length: 5 }, (_, b) => ({ type: 2, style: 1, label: 'l'.repeat(80), custom_id: `${r}:${b}:`.padEnd(100, 'x') })) })),
    };
    assert.equal(256 + 3000 + 1000 + 256 + 1000 + 256 + 232, 6000);
    assert.deepEqual(validateMessage(body), []);
  });

  test('characters are counted as code points, so 2000 emoji are within the content limit', () => {
    assert.deepEqual(validateMessage({ content: '😀'.repeat(2000) }), []);
  });

  test('an empty message is rejected', () => {
    assert.deepEqual(validateMessage({ content: '' }).map((e) => e.code), ['EMPTY_MESSAGE']);
  });

  test('autocomplete with 26 choices or a 101-character name or value is rejected, 25 × 100 is accepted', () => {
    const choice = (n: number, len = 100) => ({ name: `${n}`.padEnd(len, 'n'), value: `${n}`.padEnd(len, 'v') });
    assert.deepEqual(validateAutocomplete({ choices: Array.from({ length: 25 }, (_, i) => choice(i)) }), []);
    assert.deepEqual(validateAutocomplete({ choices: Array.from({ length: 26 }, (_, i) => choice(i, 5)) }).map((e) => e.path.join('.')), ['choices']);
    assert.deepEqual(validateAutocomplete({ choices: [{ name: 'n'.repeat(101), value: 'v' }] }).map((e) => e.path.join('.')), ['choices.0.name']);
    assert.deepEqual(validateAutocomplete({ choices: [{ name: 'n', value: 'v'.repeat(101) }] }).map((e) => e.path.join('.')), ['choices.0.value']);
  });

  test('commands with an upper-case chat-input name or a required option after an optional one are rejected', () => {
    const errors = validateCommands([
      { name: 'Who', description: 'x' },
      { name: 'quote', description: 'x', options: [{ name: 'topic', description: 't', type: 3 }, { name: 'speaker', description: 's', type: 3, required: true }] },
      { name: 'Find sources', type: 3 },
    ]);
    assert.deepEqual(errors.map((e) => e.path.join('.')), ['0.name', '1.options.1.required']);
  });
});

describe('fake Discord with a real discord.js client', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ heartbeatIntervalMs: 500 });
  });
  after(async () => {
    await h.stop();
  });

  test('the client logs in, identifies as shard 0 of 1 and becomes ready with the guild and its channel', () => {
    assert.equal(h.client.isReady(), true);
    assert.ok(h.client.guilds.cache.has(h.discord.guildId));
    assert.ok(h.client.channels.cache.has(h.discord.channelId));
    assert.equal(h.client.application?.id, h.discord.applicationId);
    assert.deepEqual(h.discord.identifies.map((i) => i.shard), [[0, 1]]);
    assert.equal(h.discord.identifies[0]?.intents, GatewayIntentBits.Guilds);
    assert.equal(h.discord.requests[0]?.path, '/gateway/bot');
    assert.equal(h.discord.requests[0]?.headers.authorization, `Bot ${h.discord.token}`);
  });

  test('heartbeats are acknowledged, so the client measures a ping and stays connected', async () => {
    await sleep(1200);
    assert.ok(h.discord.gatewayLog.some((e) => e.direction === 'in' && e.op === 1));
    assert.ok(h.discord.gatewayLog.some((e) => e.direction === 'out' && e.op === 11));
    assert.ok(h.client.ws.ping >= 0, `ping ${h.client.ws.ping}`);
    assert.deepEqual(h.discord.connectedShards(), [0]);
  });

  test('a chat-input command with a subcommand and options is answered with reply, without an auth header', async () => {
    h.handle(async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.reply({ content: `${i.commandName}/${i.options.getSubcommand()}: ${i.options.getString('topic')} ${i.options.getInteger('limit')} ${i.options.getBoolean('public')}` });
    });
    const record = await h.discord.interact({ kind: 'chatInput', name: 'brief', subcommand: 'topic', options: { topic: 'missiles', limit: 3, public: true } });
    const message = await record.visibleMessage();
    assert.equal(message.content, 'brief/topic: missiles 3 true');
    assert.equal(record.callbacks[0]?.type, 4);
    assert.equal(record.callbacks[0]?.authorized, false);
    assert.ok(record.callbacks[0]!.elapsedMs < 3000);
    assert.ok(h.discord.channelMessages().includes(message));
  });

  test('deferReply then editReply shows a loading message first and the edit after', async () => {
    h.handle(async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply({ flags: MessageFlags.Ephemeral });
      await sleep(50);
      await i.editReply({ content: 'done', embeds: [{ title: 'T', description: 'D' }] });
    });
    const record = await h.discord.interact({ kind: 'chatInput', name: 'slow' });
    assert.equal(record.response?.type, 5);
    const message = await record.visibleMessage();
    assert.equal(message.content, 'done');
    assert.equal(message.embeds[0]?.description, 'D');
    assert.equal(message.flags & MessageFlags.Ephemeral, MessageFlags.Ephemeral);
    assert.equal(message.history[0]!.flags & MessageFlags.Loading, MessageFlags.Loading);
    const edit = h.discord.requests.find((r) => r.method === 'PATCH' && r.path.endsWith('/messages/@original') && r.path.includes(record.token));
    assert.ok(edit, 'PATCH @original recorded');
    assert.ok(edit.rawPath.endsWith('/messages/%40original'));
  });

  test('followUp after a reply is recorded as a follow-up message', async () => {
    h.handle(async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.reply('first');
      await i.followUp({ content: 'second', allowedMentions: { parse: [] } });
    });
    const record = await h.discord.interact({ kind: 'chatInput', name: 'two' });
    const follow = await record.followUp(0);
    assert.equal(follow.content, 'second');
    assert.deepEqual(follow.allowed_mentions, { parse: [] });
    assert.equal((await record.visibleMessage()).content, 'first');
  });

  test('autocomplete is answered with respond and the focused option arrives as focused', async () => {
    h.handle(async (i) => {
      if (!i.isAutocomplete()) return;
      const focused = i.options.getFocused(true);
      await i.respond([{ name: `${focused.name}=${focused.value}`, value: String(focused.value) }]);
    });
    const record = await h.discord.interact({ kind: 'autocomplete', name: 'who', focused: 'name', options: { name: 'kis' } });
    assert.deepEqual(await record.autocompleteChoices(), [{ name: 'name=kis', value: 'kis' }]);
  });

  test('a button click on the bot message is answered with update, which edits that message', async () => {
    h.handle(async (i) => {
      if (i.isChatInputCommand()) {
        const row = new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId('page:2').setLabel('Next').setStyle(ButtonStyle.Primary));
        await i.reply({ content: 'page 1', components: [row] });
      } else if (i.isButton()) {
        await i.update({ content: `page ${i.customId.split(':')[1]} (clicked on ${i.message.id})`, components: [] });
      }
    });
    const first = await h.discord.interact({ kind: 'chatInput', name: 'pages' });
    const message = await first.visibleMessage();
    const click = await h.discord.interact({ kind: 'button', customId: 'page:2', message });
    const updated = await click.visibleMessage();
    assert.equal(updated.id, message.id);
    assert.equal(updated.content, `page 2 (clicked on ${message.id})`);
    assert.equal(click.callbacks[0]?.type, 7);
    await assert.rejects(h.discord.interact({ kind: 'button', customId: 'missing', message }), /no component/);
  });

  test('a message context-menu command gets the target message from resolved.messages', async () => {
    h.handle(async (i) => {
      if (!i.isMessageContextMenuCommand()) return;
      await i.reply({ content: `target said: ${i.targetMessage.content}`, flags: MessageFlags.Ephemeral });
    });
    const target = h.discord.postUserMessage('Japan deploys missiles');
    const record = await h.discord.interact({ kind: 'messageContextMenu', name: 'Find sources', target });
    const message = await record.visibleMessage();
    assert.equal(message.content, 'target said: Japan deploys missiles');
    assert.equal((record.payload.data as { target_id: string }).target_id, target.id);
  });

  test('a reply after the deadline fails with DiscordAPIError 10062 and the client keeps answering', async () => {
    h.discord.setInteractionDeadline(200);
    try {
      h.handle(async (i) => {
        if (!i.isChatInputCommand()) return;
        if (i.commandName === 'late') await sleep(400);
        await i.reply('answer');
      });
      const late = await h.discord.interact({ kind: 'chatInput', name: 'late' });
      assert.equal(late.callbacks[0]?.errorCode, 10062);
      assert.equal(late.callbacks[0]?.status, 404);
      await sleep(50);
      const error = h.errors.pop();
      assert.ok(error instanceof DiscordAPIError, String(error));
      assert.equal(error.code, 10062);
      assert.equal(late.original, null);
      const next = await h.discord.interact({ kind: 'chatInput', name: 'quick' });
      assert.equal((await next.visibleMessage()).content, 'answer');
    } finally {
      h.discord.setInteractionDeadline(3000);
    }
  });

  test('a second acknowledgement of the same interaction fails with 40060', async () => {
    h.handle(async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.reply('once');
      // discord.js guards its own double replies, so a second process answering is simulated by a raw callback.
      await i.client.rest.post(Routes.interactionCallback(i.id, i.token), { body: { type: 4, data: { content: 'twice' } }, auth: false });
    });
    const record = await h.discord.interact({ kind: 'chatInput', name: 'double' });
    await record.waitFor((r) => r.callbacks.length === 2);
    await sleep(20);
    const error = h.errors.pop();
    assert.ok(error instanceof DiscordAPIError);
    assert.equal(error.code, 40060);
    assert.equal(error.message, 'Interaction has already been acknowledged.');
    assert.equal((await record.visibleMessage()).content, 'once');
  });

  test('a 4097-character embed description fails with 50035 Invalid Form Body naming the field', async () => {
    h.handle(async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.reply({ embeds: [{ description: 'x'.repeat(4097) }] });
    });
    const record = await h.discord.interact({ kind: 'chatInput', name: 'big' });
    assert.equal(record.callbacks[0]?.errorCode, 50035);
    await sleep(20);
    const error = h.errors.pop();
    assert.ok(error instanceof DiscordAPIError);
    assert.equal(error.code, 50035);
    assert.match(error.message, /data\.embeds\[0\]\.description\[BASE_TYPE_MAX_LENGTH\]/);
    assert.equal(record.response, null);
  });

  test('a 429 on the callback route is retried by @discordjs/rest after retry-after and the reply lands', async () => {
    h.handle(async (i) => {
      if (i.isChatInputCommand()) await i.reply('after the limit');
    });
    h.discord.inject429('POST /interactions/', 1, 300);
    const record = await h.discord.interact({ kind: 'chatInput', name: 'limited' });
    assert.equal((await record.visibleMessage()).content, 'after the limit');
    const attempts = h.discord.requests.filter((r) => r.path.includes(record.id));
    assert.deepEqual(attempts.map((r) => r.status), [429, 204]);
    assert.equal(attempts[0]!.headers.authorization, undefined);
    assert.ok(attempts[1]!.at - attempts[0]!.at >= 290, `retried after ${attempts[1]!.at - attempts[0]!.at} ms`);
    assert.deepEqual(h.errors, []);
  });

  test('a global 429 carries the global flag and is waited out too', async () => {
    h.discord.inject429('GET /channels/', 1, 200, { global: true });
    const channel = await h.client.rest.get(Routes.channel(h.discord.channelId));
    assert.equal((channel as { id: string }).id, h.discord.channelId);
    const hits = h.discord.requests.filter((r) => r.path === `/channels/${h.discord.channelId}`);
    assert.equal(hits[0]?.status, 429);
    assert.deepEqual(hits[0]?.response, { message: 'You are being rate limited.', retry_after: 0.2, global: true });
  });

  test('op 7 RECONNECT makes the client RESUME the same session, and it keeps answering', async () => {
    h.handle(async (i) => {
      if (i.isChatInputCommand()) await i.reply('still here');
    });
    const resumed = h.discord.waitForSessions(1);
    h.discord.reconnect();
    await resumed;
    assert.equal(h.discord.identifies.length, 1, 'no new IDENTIFY');
    assert.equal(h.discord.resumes.length, 1);
    const record = await h.discord.interact({ kind: 'chatInput', name: 'after-reconnect' });
    assert.equal((await record.visibleMessage()).content, 'still here');
  });

  test('a dropped socket is resumed, and an interaction sent while it was down is replayed', async () => {
    h.handle(async (i) => {
      if (i.isChatInputCommand()) await i.reply('replayed');
    });
    const resumed = h.discord.waitForSessions(1);
    h.discord.dropConnection();
    const record = await h.discord.interact({ kind: 'chatInput', name: 'while-down' }, 0);
    await resumed;
    assert.equal((await record.visibleMessage()).content, 'replayed');
    assert.equal(h.discord.identifies.length, 1);
    assert.equal(h.discord.resumes.at(-1)?.replayed, 1);
  });

  test('op 9 INVALID_SESSION makes the client IDENTIFY again, and it keeps answering', async () => {
    h.handle(async (i) => {
      if (i.isChatInputCommand()) await i.reply('new session');
    });
    const identified = h.discord.identifies.length;
    const ready = h.discord.waitForSessions(1);
    h.discord.invalidateSession();
    await ready;
    assert.equal(h.discord.identifies.length, identified + 1);
    const record = await h.discord.interact({ kind: 'chatInput', name: 'after-invalid' });
    assert.equal((await record.visibleMessage()).content, 'new session');
  });

  test('channel.send with enforceNonce returns the first message for a repeated nonce', async () => {
    const channel = await h.client.channels.fetch(h.discord.channelId);
    assert.ok(channel?.isSendable());
    const before = h.discord.channelMessages().length;
    const a = await channel.send({ content: 'digest', nonce: 'digest-2024-03-24', enforceNonce: true });
    const b = await channel.send({ content: 'digest', nonce: 'digest-2024-03-24', enforceNonce: true });
    const c = await channel.send({ content: 'digest', nonce: 'digest-2024-03-24' });
    assert.equal(a.id, b.id);
    assert.notEqual(a.id, c.id);
    assert.equal(h.discord.channelMessages().length, before + 2);
  });

  test('global and guild command registration is stored and returned with ids', async () => {
    const global = await h.client.application!.commands.set([{ name: 'who', description: 'Who is this?' }]);
    assert.deepEqual([...global.values()].map((c) => c.name), ['who']);
    await h.client.rest.put(Routes.applicationGuildCommands(h.discord.applicationId, h.discord.guildId), { body: [{ name: 'Find sources', type: 3 }] });
    assert.deepEqual(h.discord.registeredCommands().map((c) => c.name), ['who']);
    assert.deepEqual(h.discord.registeredCommands(h.discord.guildId).map((c) => c.name), ['Find sources']);
    await assert.rejects(h.discord.interact({ kind: 'chatInput', name: 'not-registered' }), /no registered command/);
    await assert.rejects(h.client.rest.put(Routes.applicationCommands(h.discord.applicationId), { body: [{ name: 'Bad Name', description: 'x' }] }), (e: unknown) => e instanceof DiscordAPIError && e.code === 50035);
    // Leave no commands registered, so later tests may use any name.
    await h.client.application!.commands.set([]);
    await h.client.rest.put(Routes.applicationGuildCommands(h.discord.applicationId, h.discord.guildId), { body: [] });
  });

  test('an unknown route is answered 404 and recorded', async () => {
    await assert.rejects(h.client.rest.get('/nothing/here'), (e: unknown) => e instanceof DiscordAPIError && e.status === 404);
    assert.equal(h.discord.unknownRoutes.at(-1)?.path, '/nothing/here');
  });

  test('nothing the bot did made the client emit an error', () => {
    assert.deepEqual(h.errors, []);
  });
});

describe('fake Discord gateway wire format', () => {
  test('a connection asking for zlib-stream gets one deflate stream, each payload ending in a sync flush', async () => {
    const discord = await startFakeDiscord();
    const socket = new WebSocket(`${discord.gatewayUrl}?v=10&encoding=json&compress=zlib-stream`);
    const inflate = createInflate();
    const payloads: { op: number; t: string | null }[] = [];
    let pending = '';
    inflate.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
    });
    // Messages are inflated one after another: two arriving together must not share one flush.
    let inflating = Promise.resolve();
    const received = new Promise<void>((resolve, reject) => {
      socket.on('message', (data: Buffer, isBinary: boolean) => {
        inflating = inflating.then(
          () =>
            new Promise<void>((done) => {
              try {
                assert.equal(isBinary, true);
                assert.deepEqual([...data.subarray(-4)], [0, 0, 0xff, 0xff]);
              } catch (error) {
                reject(error);
                done();
                return;
              }
              inflate.write(data, () => {
                inflate.flush(zlibConstants.Z_SYNC_FLUSH, () => {
                  try {
                    const payload = JSON.parse(pending) as { op: number; t: string | null };
                    pending = '';
                    payloads.push(payload);
                    if (payload.op === 10) socket.send(JSON.stringify({ op: 2, d: { token: discord.token, intents: 1, properties: {}, shard: [0, 1] } }));
                    if (payload.t === 'GUILD_CREATE') resolve();
                  } catch (error) {
                    reject(error);
                  }
                  done();
                });
              });
            }),
        );
      });
    });
    try {
      await received;
      assert.deepEqual(payloads.map((p) => p.t ?? p.op), [10, 'READY', 'GUILD_CREATE']);
    } finally {
      socket.close();
      await discord.close();
    }
  });

  test('a connection asking for etf encoding or with a wrong token is closed with the gateway close code', async () => {
    const discord = await startFakeDiscord();
    const closeCode = (url: string, identify?: object) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(url);
        socket.on('message', () => identify && socket.send(JSON.stringify({ op: 2, d: identify })));
        socket.on('close', (code) => resolve(code));
      });
    try {
      assert.equal(await closeCode(`${discord.gatewayUrl}?v=10&encoding=etf`), 4002);
      assert.equal(await closeCode(`${discord.gatewayUrl}?v=10&encoding=json`, { token: 'wrong', intents: 1, properties: {} }), 4004);
      assert.equal(await closeCode(`${discord.gatewayUrl}?v=10&encoding=json`, { token: discord.token, intents: 1, properties: {}, shard: [2, 2] }), 4010);
    } finally {
      await discord.close();
    }
  });
});

/** Guild ids whose events go to shard 0 and shard 1 of 2. */
function twoShardGuilds(): { id: string; name: string; channels: { id: string; name: string }[] }[] {
  const base = Date.now() - 86_400_000;
  const ids = [snowflake(base), snowflake(base + 1)];
  return ids
    .sort((a, b) => shardForGuild(a, 2) - shardForGuild(b, 2))
    .map((id, n) => ({ id, name: `Guild ${n}`, channels: [{ id: snowflake(base + 10 + n), name: 'general' }] }));
}

describe('fake Discord with two shards', () => {
  test('a client with shards [0, 1] identifies twice and each guild interaction reaches its own shard', async () => {
    const guilds = twoShardGuilds();
    assert.deepEqual(guilds.map((g) => shardForGuild(g.id, 2)), [0, 1]);
    const h = await startHarness({ guilds }, { shards: [0, 1], shardCount: 2 });
    try {
      assert.deepEqual(h.discord.identifies.map((i) => i.shard).sort(), [[0, 2], [1, 2]]);
      assert.equal(h.client.guilds.cache.size, 2);
      h.handle(async (i) => {
        if (i.isChatInputCommand()) await i.reply(`shard ${i.guild?.shardId}`);
      });
      for (const [n, g] of guilds.entries()) {
        const record = await h.discord.interact({ kind: 'chatInput', name: 'which', guildId: g.id });
        assert.equal(record.shardId, n);
        assert.equal((await record.visibleMessage()).content, `shard ${n}`);
      }
      const resumed = h.discord.waitForSessions(1);
      h.discord.reconnect(1);
      await resumed;
      assert.deepEqual(h.discord.resumes.map((r) => r.shardId), [1]);
    } finally {
      await h.stop();
    }
  });

  test('discord.js ShardingManager spawns two child processes that each identify and answer for their guild', async () => {
    const guilds = twoShardGuilds();
    const discord = await startFakeDiscord({ guilds });
    const file = fileURLToPath(new URL('./shard-child.ts', import.meta.url));
    const manager = new ShardingManager(file, {
      token: discord.token,
      totalShards: 2,
      mode: 'process',
      execArgv: ['--import', 'tsx'],
      shardArgs: [discord.apiUrl],
    });
    try {
      await manager.spawn({ amount: 2, delay: 200, timeout: 60_000 });
      assert.deepEqual(discord.identifies.map((i) => i.shard).sort(), [[0, 2], [1, 2]]);
      for (const [n, g] of guilds.entries()) {
        const record = await discord.interact({ kind: 'chatInput', name: 'which', guildId: g.id });
        assert.equal((await record.visibleMessage()).content, `shard ${n} of 2`);
      }
      const counts = (await manager.fetchClientValues('guilds.cache.size')) as number[];
      assert.deepEqual(counts, [1, 1]);
    } finally {
      for (const shard of manager.shards.values()) shard.kill();
      await discord.close();
    }
  });
});
