/**
 * The bot's runtime through the fake Discord: the one interaction handler's
 * error paths (engine bugs, late and double answers, deferred commands),
 * the command loader's checks and the deploy script.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { MessageFlags, Routes, SlashCommandBuilder } from 'discord.js';
import type { SlashCommand } from '../../src/bot/command.js';
import { loadCommands, validateCommandModule, CommandLoadError } from '../../src/bot/commands.js';
import { deployCommands, readDeployEnv } from '../../src/bot/deploy-commands.js';
import type { SearchOptions } from '../../src/engine/api.js';
import type { SearchResult } from '../../src/types.js';
import { startFakeDiscord } from '../fake-discord/fake-discord.js';
import { SeedEngine } from './seed-engine.js';
import { startSitrep, type SitrepHarness } from './harness.js';

const CORPUS = fileURLToPath(new URL('../../corpus/', import.meta.url));

/** An engine with a bug: searching for "crash" throws a plain Error; completing "crash" too. */
class BuggyEngine extends SeedEngine {
  override search(query: string, options?: SearchOptions): SearchResult {
    if (query.includes('crash')) throw new TypeError('cannot read properties of undefined (internal detail)');
    return super.search(query, options);
  }
  override completeNames(prefix: string, limit?: number): string[] {
    if (prefix.includes('crash')) throw new Error('completion bug');
    return super.completeNames(prefix, limit);
  }
}

const testCommands: SlashCommand[] = [
  {
    kind: 'slash',
    data: new SlashCommandBuilder().setName('slow').setDescription('answers after the deadline'),
    async execute(interaction) {
      await sleep(400);
      await interaction.reply('too late');
    },
  },
  {
    kind: 'slash',
    data: new SlashCommandBuilder().setName('deferred-crash').setDescription('defers, then fails'),
    async execute(interaction) {
      await interaction.deferReply();
      throw new Error('failed after deferring');
    },
  },
  {
    kind: 'slash',
    data: new SlashCommandBuilder().setName('chatty').setDescription('logs from inside the command'),
    async execute(interaction, { log }) {
      log.info('working on it', { step: 1 });
      await interaction.reply('done');
    },
  },
  {
    kind: 'slash',
    data: new SlashCommandBuilder().setName('twice').setDescription('acknowledges twice'),
    async execute(interaction) {
      await interaction.reply('first');
      // Another process answering the same interaction, as a second acknowledgement looks to Discord.
      await interaction.client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), { body: { type: 4, data: { content: 'second' } }, auth: false });
    },
  },
];

describe('the interaction handler', () => {
  let h: SitrepHarness;
  before(async () => {
    h = await startSitrep(new BuggyEngine(CORPUS), { extraCommands: testCommands });
  });
  after(async () => {
    await h.stop();
  });

  test('an engine bug is answered with a short ephemeral apology naming the interaction, and logged as an error', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'search', options: { query: 'crash now', public: true } });
    const message = await record.visibleMessage();
    assert.equal(message.flags & MessageFlags.Ephemeral, MessageFlags.Ephemeral);
    assert.equal(message.embeds[0]?.description, `Sorry, something went wrong on my side. It has been logged (reference ${record.id}).`);
    assert.ok(!JSON.stringify(message).includes('internal detail'));
    await sleep(20);
    assert.ok(h.logs.some((l) => l.level === 'error' && l.fields.interactionId === record.id && l.fields.command === 'search'));
  });

  test('a command that fails after deferring gets the apology as a follow-up', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'deferred-crash' });
    const follow = await record.followUp(0);
    assert.match(follow.embeds[0]?.description ?? '', /something went wrong/);
    assert.equal(follow.flags & MessageFlags.Ephemeral, MessageFlags.Ephemeral);
  });

  test('an answer after the deadline (10062) is logged as a warning and the bot keeps answering', async () => {
    h.discord.setInteractionDeadline(200);
    try {
      const late = await h.discord.interact({ kind: 'chatInput', name: 'slow' });
      assert.equal(late.callbacks[0]?.errorCode, 10062);
      await sleep(50);
      assert.equal(late.callbacks.length, 1, 'no second attempt to reply');
      assert.ok(h.logs.some((l) => l.level === 'warn' && l.fields.interactionId === late.id && l.fields.code === 10062));
      assert.ok(!h.logs.some((l) => l.level === 'error' && l.fields.interactionId === late.id));
    } finally {
      h.discord.setInteractionDeadline(3000);
    }
    const next = await h.discord.interact({ kind: 'chatInput', name: 'sources' });
    assert.match((await next.visibleMessage()).embeds[0]!.title!, /Sources/);
  });

  test('a second acknowledgement (40060) is logged as a warning and nothing more is sent', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'twice' });
    await record.waitFor((r) => r.callbacks.length === 2);
    await sleep(50);
    assert.equal(record.callbacks[1]?.errorCode, 40060);
    assert.equal(record.followUps.length, 0);
    assert.equal((await record.visibleMessage()).content, 'first');
    assert.ok(h.logs.some((l) => l.level === 'warn' && l.fields.interactionId === record.id && l.fields.code === 40060));
  });

  test('a failing autocomplete answers with no choices rather than leaving the user waiting', async () => {
    const record = await h.discord.interact({ kind: 'autocomplete', name: 'who', focused: 'name', options: { name: 'crash' } });
    assert.deepEqual(await record.autocompleteChoices(), []);
  });

  test("a command's own log lines carry the interaction id", async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'chatty' });
    await record.visibleMessage();
    const line = h.logs.find((l) => l.message === 'working on it');
    assert.equal(line?.fields.interactionId, record.id);
    assert.equal(line?.fields.step, 1);
  });

  test('a button with a foreign custom id is answered privately instead of failing', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'help' });
    const message = await record.visibleMessage();
    message.components = [{ type: 1, components: [{ type: 2, style: 1, label: 'Old', custom_id: 'legacy:1' }] }];
    const click = await h.discord.interact({ kind: 'button', customId: 'legacy:1', message });
    const notice = await click.visibleMessage();
    assert.match(notice.embeds[0]!.description!, /no longer in use/);
    assert.equal(notice.flags & MessageFlags.Ephemeral, MessageFlags.Ephemeral);
  });
});

describe('the command loader', () => {
  test('loads the nine commands in commands/ with their kinds', async () => {
    const commands = await loadCommands();
    assert.deepEqual([...commands.keys()].sort(), ['Find sources', 'brief', 'digest', 'help', 'quote', 'search', 'sources', 'timeline', 'who']);
    assert.equal(commands.get('Find sources')?.kind, 'message');
    for (const name of ['who', 'quote', 'search', 'timeline', 'sources', 'help']) {
      const json = commands.get(name)!.data.toJSON() as { options?: { name: string; type: number }[] };
      assert.ok(json.options?.some((o) => o.name === 'public' && o.type === 5), `${name} has a public option`);
    }
  });

  const bad: [string, unknown, RegExp][] = [
    ['no default export', { command: {} }, /no default export/],
    ['no kind', { default: { data: new SlashCommandBuilder().setName('x').setDescription('x'), execute: async () => undefined } }, /kind must be/],
    ['plain data', { default: { kind: 'slash', data: { name: 'x' }, execute: async () => undefined } }, /command builder/],
    ['no execute', { default: { kind: 'slash', data: new SlashCommandBuilder().setName('x').setDescription('x') } }, /execute must be a function/],
    ['slash kind on a context menu', { default: { kind: 'slash', data: { name: 'X', toJSON: () => ({ name: 'X', type: 3 }) }, execute: async () => undefined } }, /does not match the command type 3/],
  ];
  for (const [what, module, message] of bad) {
    test(`a module with ${what} is refused with the file name`, () => {
      assert.throws(() => validateCommandModule('broken.ts', module), (e: unknown) => e instanceof CommandLoadError && /broken\.ts/.test(e.message) && message.test(e.message));
    });
  }
});

describe('deploy-commands', () => {
  test('without a guild id the commands are registered globally, and Discord accepts every definition', async () => {
    const discord = await startFakeDiscord();
    try {
      const commands = await loadCommands();
      const stored = await deployCommands({ token: discord.token, clientId: discord.applicationId, guildId: null, apiUrl: discord.apiUrl, commands });
      assert.ok(commands.size >= 9);
      assert.equal(stored.length, commands.size);
      assert.equal(discord.registeredCommands().length, commands.size);
      assert.deepEqual(discord.registeredCommands(discord.guildId), []);
    } finally {
      await discord.close();
    }
  });

  test('the environment is checked and every problem is listed at once', () => {
    assert.throws(() => readDeployEnv({ DISCORD_CLIENT_ID: 'abc', DISCORD_GUILD_ID: '12' }), (e: unknown) => {
      const message = (e as Error).message;
      return /DISCORD_TOKEN is not set/.test(message) && /DISCORD_CLIENT_ID must be/.test(message) && /DISCORD_GUILD_ID must be/.test(message);
    });
    assert.deepEqual(readDeployEnv({ DISCORD_TOKEN: 't', DISCORD_CLIENT_ID: '123456789012345678' }), { token: 't', clientId: '123456789012345678', guildId: null, apiUrl: null });
    // The deploy script reads src/config.ts's configuration, so the rest of .env is checked too.
    assert.throws(() => readDeployEnv({ DISCORD_TOKEN: 't', DISCORD_CLIENT_ID: '123456789012345678', HEALTH_PORT: 'abc' }), /HEALTH_PORT must be a port number/);
  });
});
