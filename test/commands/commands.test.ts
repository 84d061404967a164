/**
 * Every command end to end: the real discord.js Client logged in to the fake
 * Discord, commands registered by the deploy code, answers rendered from an
 * engine over the real seed corpus. The fake rejects anything Discord would
 * (limits, late or double answers), so a passing test is an answer Discord accepts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeedEngine } from '../bot/seed-engine.js';
import { startSitrep, type SitrepHarness } from '../bot/harness.js';
import { forgetLongArgs } from '../../src/bot/page-state.js';
import type { FakeMessage } from '../fake-discord/fake-discord.js';

const CORPUS = fileURLToPath(new URL('../../corpus/', import.meta.url));
const EPHEMERAL = 64;

function text(message: FakeMessage): string {
  return [message.content, ...message.embeds.flatMap((e) => [e.title ?? '', e.description ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value]), e.footer?.text ?? ''])].join('\n');
}

function buttons(message: FakeMessage): { custom_id?: string; label?: string; disabled?: boolean }[] {
  return message.components.flatMap((row) => row.components ?? []);
}

describe('Sitrep commands through the fake Discord', () => {
  let h: SitrepHarness;
  let engine: SeedEngine;
  before(async () => {
    engine = new SeedEngine(CORPUS, { meta: { '003_7dea33602c708158.txt': { url: 'https://news.example/missiles', outlet: 'Example News', published: '2024-03-24' } } });
    h = await startSitrep(engine);
  });
  after(async () => {
    await h.stop();
  });

  test('deploy registered all eight commands in the guild and the bot registered none itself', () => {
    assert.deepEqual(h.discord.registeredCommands(h.discord.guildId).map((c) => c.name).sort(), ['Find sources', 'digest', 'help', 'quote', 'search', 'sources', 'timeline', 'who']);
    assert.deepEqual(h.discord.registeredCommands(), []);
    assert.equal(h.discord.requests.filter((r) => r.method === 'PUT').length, 1);
  });

  test('/who autocomplete offers full names for a prefix', async () => {
    const record = await h.discord.interact({ kind: 'autocomplete', name: 'who', focused: 'name', options: { name: 'kish' } });
    const choices = await record.autocompleteChoices();
    assert.ok(choices.length > 0 && choices.length <= 25);
    assert.ok(choices.some((c) => String(c.value).includes('Kishida')), JSON.stringify(choices));
  });

  test('/who answers publicly by default with block-quoted excerpts and citation lines', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'who', options: { name: 'Kishida' } });
    const message = await record.visibleMessage();
    assert.equal(message.flags & EPHEMERAL, 0);
    assert.match(message.embeds[0]!.title!, /Kishida/);
    assert.match(message.embeds[0]!.description!, /^> .*Kishida/m);
    assert.match(message.embeds[0]!.description!, /^— “.+”, ¶\d+$/m);
    assert.deepEqual(message.allowed_mentions, { parse: [] });
  });

  test('/who with public false is ephemeral, and an unknown name gets suggestions instead of an error', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'who', options: { name: 'Zbigniew Nobody', public: false } });
    const message = await record.visibleMessage();
    assert.equal(message.flags & EPHEMERAL, EPHEMERAL);
    assert.match(message.embeds[0]!.title!, /No one called/);
  });

  test('/search is ephemeral by default and pages with buttons that update the message in place', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'search', options: { query: 'missiles Japan' } });
    const first = await record.visibleMessage();
    assert.equal(first.flags & EPHEMERAL, EPHEMERAL);
    assert.match(first.embeds[0]!.footer!.text, /^Page 1 of (\d+) · 20 passages$/);
    const [previous, next] = buttons(first);
    assert.equal(previous?.disabled, true);
    assert.equal(next?.disabled, false);
    const click = await h.discord.interact({ kind: 'button', customId: next!.custom_id!, message: first });
    const second = await click.visibleMessage();
    assert.equal(second.id, first.id);
    assert.match(second.embeds[0]!.footer!.text, /^Page 2 of/);
    assert.notEqual(second.embeds[0]!.description, first.history[0]!.embeds[0]!.description);
  });

  test('a page button still works after the bot restarts, because its state is in the custom id', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'search', options: { query: 'deployment', public: true } });
    const message = await record.visibleMessage();
    const next = buttons(message)[1]!;
    await h.restart();
    const click = await h.discord.interact({ kind: 'button', customId: next.custom_id!, message });
    const page2 = await click.visibleMessage();
    assert.match(page2.embeds[0]!.footer!.text, /^Page 2 of/);
    assert.equal(page2.flags & EPHEMERAL, 0);
  });

  test('a page button whose long arguments were forgotten answers that the list expired', async () => {
    const query = 'intermediate-range ballistic missiles deployment southwest islands Japan United States army Typhon';
    const record = await h.discord.interact({ kind: 'chatInput', name: 'search', options: { query } });
    const message = await record.visibleMessage();
    const next = buttons(message)[1]!;
    assert.match(next.custom_id!, /#/);
    forgetLongArgs();
    const click = await h.discord.interact({ kind: 'button', customId: next.custom_id!, message });
    const notice = await click.visibleMessage();
    assert.notEqual(notice.id, message.id);
    assert.equal(notice.flags & EPHEMERAL, EPHEMERAL);
    assert.match(text(notice), /expired.*\/search again/s);
  });

  test('/search with only common words is answered with the engine error in words, ephemeral', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'search', options: { query: 'the and of', public: true } });
    const message = await record.visibleMessage();
    assert.equal(message.flags & EPHEMERAL, EPHEMERAL);
    assert.match(text(message), /only punctuation or very common words/);
    assert.ok(!text(message).includes('sitrep:'), 'no internal message prefix');
  });

  test('/timeline lists dated events in order within from and to', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'timeline', options: { from: '2021', to: '2024' } });
    const message = await record.visibleMessage();
    assert.equal(message.flags & EPHEMERAL, EPHEMERAL);
    const years = [...message.embeds[0]!.description!.matchAll(/^\*\*(\d{4})\*\*$/gm)].map((m) => m[1]!);
    assert.ok(years.length > 0);
    assert.deepEqual([...years].sort(), years);
    assert.ok(years.every((y) => y >= '2021' && y <= '2024'), years.join(','));
  });

  test('/timeline with an unreadable date says how to write one', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'timeline', options: { from: 'March' } });
    assert.match(text(await record.visibleMessage()), /“March” is not a date I can read\. Use a year \(2024\)/);
  });

  test('/quote is public by default and shows the quoted words, the speaker and the source', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'quote', options: { topic: 'missiles' } });
    const message = await record.visibleMessage();
    assert.equal(message.flags & EPHEMERAL, 0);
    assert.match(message.embeds[0]!.description!, /^> “.+”$/m);
    assert.match(message.embeds[0]!.description!, /^— /m);
  });

  test('/quote speaker autocompletes from known names', async () => {
    const record = await h.discord.interact({ kind: 'autocomplete', name: 'quote', focused: 'speaker', options: { speaker: 'lin' } });
    const choices = await record.autocompleteChoices();
    assert.ok(choices.some((c) => c.name === 'Lin Jian'), JSON.stringify(choices));
  });

  test('/sources lists every document, with a link for the one that has a URL', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'sources' });
    const message = structuredClone(await record.visibleMessage());
    assert.equal(message.flags & EPHEMERAL, EPHEMERAL);
    assert.match(message.embeds[0]!.footer!.text, /5 documents/);
    const all = [message, ...(await pagesOf(message))].map(text).join('\n');
    for (const d of engine.docs) assert.ok(all.includes(d.doc.replace(/_/g, '\\_')), d.doc);
    assert.ok(all.includes('](<https://news.example/missiles>)'));
  });

  async function pagesOf(message: FakeMessage): Promise<FakeMessage[]> {
    const out: FakeMessage[] = [];
    let current = message;
    for (let guard = 0; guard < 10; guard++) {
      const next = buttons(current)[1];
      if (!next || next.disabled) break;
      const click = await h.discord.interact({ kind: 'button', customId: next.custom_id!, message: current });
      current = structuredClone(await click.visibleMessage());
      out.push(current);
    }
    return out;
  }

  test('/help lists the slash commands and the context menu', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'help' });
    const message = await record.visibleMessage();
    for (const name of ['/who', '/timeline', '/quote', '/search', '/sources', '/help', 'Find sources']) assert.ok(text(message).includes(name), name);
    assert.equal(message.flags & EPHEMERAL, EPHEMERAL);
  });

  test('"Find sources" on a message answers with related passages, privately', async () => {
    const target = h.discord.postUserMessage('Is it true that the US wants to put intermediate-range missiles in Japan?');
    const record = await h.discord.interact({ kind: 'messageContextMenu', name: 'Find sources', target });
    const message = await record.visibleMessage();
    assert.equal(message.flags & EPHEMERAL, EPHEMERAL);
    assert.equal(message.embeds[0]!.title, 'Sources for this message');
    assert.match(message.embeds[0]!.description!, /^> .*missile/im);
  });

  test('"Find sources" on a message without text says so', async () => {
    const target = h.discord.postUserMessage('');
    const record = await h.discord.interact({ kind: 'messageContextMenu', name: 'Find sources', target });
    assert.match(text(await record.visibleMessage()), /no text to find sources for/);
  });

  test('every interaction was answered within the deadline, once, and logged with its id', async () => {
    // The log line is written when discord.js's REST call returns, just after the fake stored the answer.
    const allLogged = () => h.discord.interactions.every((i) => h.logs.some((l) => l.fields.interactionId === i.id));
    for (let n = 0; n < 50 && !allLogged(); n++) await sleep(10);
    for (const i of h.discord.interactions) {
      assert.equal(i.callbacks.length, 1, `interaction ${i.id}`);
      assert.ok(i.callbacks[0]!.status < 300, `interaction ${i.id}: ${i.callbacks[0]!.status}`);
    }
    const logged = new Set(h.logs.map((l) => l.fields.interactionId));
    for (const i of h.discord.interactions) assert.ok(logged.has(i.id), `no log for ${JSON.stringify(i.payload.data)}`);
    assert.deepEqual(h.logs.filter((l) => l.level === 'error'), []);
    assert.deepEqual(h.discord.unknownRoutes, []);
  });
});

describe('hostile corpus text through the fake Discord', () => {
  let h: SitrepHarness;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sitrep-hostile-'));
    writeFileSync(
      join(dir, 'evil.txt'),
      'Evil headline\n\nThe missile report says @everyone should read [this](https://evil.example/phish) at https://evil.example/x and ping <@123456789012345678> in <#123456789012345678> with **bold** news.\n',
    );
    h = await startSitrep(new SeedEngine(dir, { meta: { 'evil.txt': { url: 'javascript:alert(1)', outlet: '@here' } } }));
  });
  after(async () => {
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a public search over hostile text can neither mention, link nor format', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'search', options: { query: 'missile report', public: true } });
    const message = await record.visibleMessage();
    const body = text(message);
    assert.deepEqual(message.allowed_mentions, { parse: [] });
    assert.ok(!/(^|[^\\])<[@#]/.test(body), body);
    assert.ok(!/@(everyone|here)/.test(body), 'no @everyone or @here');
    assert.ok(!/\]\(https?:/.test(body), 'no masked link');
    assert.ok(!/https?:\/\//.test(body), 'no bare link');
    assert.ok(!/(^|[^\\])\*\*/.test(body), 'no bold');
    assert.ok(!body.includes('javascript:'), 'unsafe URL not linked');
  });
});
