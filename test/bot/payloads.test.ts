/**
 * Payloads Discord (or someone forging requests) may send with fields
 * missing or unexpected: a member without permissions, no guild id, a DM,
 * unknown or missing options, unknown commands, absent optional fields.
 * Each gets a proper answer through the real discord.js client and the fake
 * Discord — never the generic apology for a bug, never a crash.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { MessageFlags } from 'discord.js';
import type { FakeMessage, InteractionRecord } from '../fake-discord/fake-discord.js';
import { SeedEngine } from './seed-engine.js';
import { startSitrep, type SitrepHarness } from './harness.js';

const CORPUS = fileURLToPath(new URL('../../corpus/', import.meta.url));
const MANAGE_GUILD = String(1 << 5);

/** Turns the fake's guild interaction into a DM: a user instead of a member, no guild. */
function asDm(p: Record<string, unknown>): void {
  const user = (p.member as { user: unknown }).user;
  p.user = user;
  for (const field of ['member', 'guild_id', 'guild', 'guild_locale']) delete p[field];
  p.context = 1;
  p.channel = { id: p.channel_id, type: 1, recipients: [user] };
}

/** Takes the guild out of the fake's interaction, keeping the member. */
function withoutGuild(p: Record<string, unknown>): void {
  delete p.guild_id;
  delete p.guild;
}

function text(message: FakeMessage): string {
  return [message.content, ...message.embeds.flatMap((e) => [e.title ?? '', e.description ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value]), e.footer?.text ?? ''])].join('\n');
}

describe('payloads with missing or unexpected fields', () => {
  let h: SitrepHarness;
  before(async () => {
    h = await startSitrep(new SeedEngine(CORPUS));
  });
  after(async () => {
    await h.stop();
  });

  /** The answer the user sees, asserting it is not the apology for a bug and nothing was logged as an error. */
  async function answer(record: InteractionRecord): Promise<string> {
    const shown = text(await record.visibleMessage());
    assert.doesNotMatch(shown, /something went wrong/, shown);
    assert.ok(!h.logs.some((l) => l.level === 'error' && l.fields.interactionId === record.id), JSON.stringify(h.logs.filter((l) => l.level === 'error')));
    return shown;
  }

  test('a member without permissions is refused /digest like any member without Manage Server (no TypeError)', async () => {
    const record = await h.discord.interact({
      kind: 'chatInput',
      name: 'digest',
      subcommand: 'list',
      memberPermissions: MANAGE_GUILD,
      mutate: (p) => delete (p.member as Record<string, unknown>).permissions,
    });
    assert.match(await answer(record), /Manage Server/);
  });

  test('a member without permissions can still search', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'search', options: { query: 'missiles' }, mutate: (p) => delete (p.member as Record<string, unknown>).permissions });
    assert.match(await answer(record), /Search: missiles/);
  });

  test('/who and /search in a DM are answered', async () => {
    const who = await h.discord.interact({ kind: 'chatInput', name: 'who', options: { name: 'Kishida' }, mutate: asDm });
    assert.match(await answer(who), /Kishida/);
    const search = await h.discord.interact({ kind: 'chatInput', name: 'search', options: { query: 'missiles' }, mutate: asDm });
    assert.match(await answer(search), /Search: missiles/);
  });

  test('/digest in a DM says digests are set up per server', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'digest', subcommand: 'list', mutate: asDm });
    assert.match(await answer(record), /per server/);
  });

  test('a member payload without guild_id is answered', async () => {
    const record = await h.discord.interact({
      kind: 'chatInput',
      name: 'timeline',
      options: { topic: 'missiles' },
      mutate: withoutGuild,
    });
    assert.match(await answer(record), /Timeline/);
  });

  test('/digest with a member but without guild_id is told to use a server', async () => {
    const record = await h.discord.interact({
      kind: 'chatInput',
      name: 'digest',
      subcommand: 'list',
      memberPermissions: MANAGE_GUILD,
      mutate: withoutGuild,
    });
    assert.match(await answer(record), /per server/);
  });

  test('an unknown extra option is ignored', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'search', options: [{ name: 'query', value: 'treaty' }, { name: 'colour', value: 'blue' }] });
    assert.match(await answer(record), /Search: treaty/);
  });

  test('a required option that is missing is answered with what to do', async () => {
    const search = await h.discord.interact({ kind: 'chatInput', name: 'search' });
    assert.match(await answer(search), /nothing to search for/i);
    const who = await h.discord.interact({ kind: 'chatInput', name: 'who' });
    assert.match(await answer(who), /name/i);
  });

  test('an option of the wrong type is answered with what to do', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'search', options: [{ name: 'query', type: 4, value: 42 }] });
    const shown = await answer(record);
    assert.match(shown, /option/i);
    assert.equal((await record.visibleMessage()).flags & MessageFlags.Ephemeral, MessageFlags.Ephemeral);
  });

  test('a command the bot does not have is answered, not treated as a bug', async () => {
    const record = await h.discord.interact({ kind: 'raw', type: 2, data: { id: '1', name: 'vanished', type: 1 } });
    assert.match(await answer(record), /not available/);
  });

  test('absent optional fields (entitlements, app_permissions, locale, channel) do not stop an answer', async () => {
    const record = await h.discord.interact({
      kind: 'chatInput',
      name: 'sources',
      mutate: (p) => {
        for (const field of ['entitlements', 'app_permissions', 'locale', 'channel', 'authorizing_integration_owners', 'context', 'guild_locale']) delete p[field];
      },
    });
    assert.match(await answer(record), /Sources/);
  });

  test('an autocomplete without a focused option gets no choices rather than an error', async () => {
    const record = await h.discord.interact({ kind: 'raw', type: 4, data: { id: '1', name: 'who', type: 1, options: [{ name: 'name', type: 3, value: 'Ki' }] } });
    assert.deepEqual(await record.autocompleteChoices(), []);
  });

  test('an interaction with neither user nor member is answered (as from an unknown user)', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'sources', mutate: (p) => delete p.member });
    assert.match(await answer(record), /Sources/);
  });

  test('an interaction of an unknown type, or with no data at all, is ignored and the bot keeps answering', async () => {
    h.discord.setInteractionDeadline(200);
    try {
      await h.discord.interact({ kind: 'raw', type: 99, data: {} }, 0);
      await h.discord.interact({ kind: 'chatInput', name: 'sources', mutate: (p) => delete p.data }, 0);
    } finally {
      h.discord.setInteractionDeadline(3000);
    }
    const next = await h.discord.interact({ kind: 'chatInput', name: 'sources' });
    assert.match(await answer(next), /Sources/);
  });
});
