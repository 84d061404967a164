/**
 * Every command end to end: the real discord.js Client logged in to the fake
 * Discord, commands registered by the deploy code, answers rendered from the
 * real engine (Briefing) over the seed corpus. The fake rejects anything
 * Discord would (limits, late or double answers), so a passing test is an
 * answer Discord accepts. A controlled engine (test/bot/seed-engine.ts) is
 * used only where controlling the engine is the point: hostile corpus text
 * and oversized results.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCorpus } from '../../src/corpus/load.js';
import { Briefing } from '../../src/engine/briefing.js';
import type { SearchOptions, TimelineOptions } from '../../src/engine/api.js';
import type { Excerpt, SearchResult, SourcesResult, TimelineResult, WhoResult } from '../../src/types.js';
import { LOADING_MESSAGE, NAMES_LOADING_MESSAGE } from '../../src/bot/interactions.js';
import { SeedEngine } from '../bot/seed-engine.js';
import { startSitrep, type SitrepHarness } from '../bot/harness.js';
import { forgetLongArgs } from '../../src/bot/page-state.js';
import type { FakeMessage, InteractionRecord } from '../fake-discord/fake-discord.js';

const CORPUS = fileURLToPath(new URL('../../corpus/', import.meta.url));
const EPHEMERAL = 64;
/** Interaction callback types: 4 reply, 5 deferred reply, 6 deferred update, 7 update, 8 autocomplete. */
const REPLY = 4;
const UPDATE = 7;
const AUTOCOMPLETE = 8;
/** A citation line of the renderer: "— [*outlet*, date, ]“title”, ¶n". */
const CITATION_LINE = /^— .+, ¶\d+$/m;

function text(message: FakeMessage): string {
  return [message.content, ...message.embeds.flatMap((e) => [e.title ?? '', e.description ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value]), e.footer?.text ?? ''])].join('\n');
}

function buttons(message: FakeMessage): { custom_id?: string; label?: string; disabled?: boolean }[] {
  return message.components.flatMap((row) => row.components ?? []);
}

/** The seed corpus's engine, built once for the file (about a second). */
let seedBriefing: Promise<Briefing> | null = null;
function realEngine(): Promise<Briefing> {
  seedBriefing ??= loadCorpus(CORPUS).then((loaded) => new Briefing(loaded.documents));
  return seedBriefing;
}

/** Clicks "next" until the last page; returns every later page (copies, since the fake edits messages in place). */
async function laterPages(h: SitrepHarness, message: FakeMessage): Promise<FakeMessage[]> {
  const out: FakeMessage[] = [];
  let current = structuredClone(message);
  for (let guard = 0; guard < 50; guard++) {
    const next = buttons(current)[1];
    if (!next || next.disabled) break;
    const click = await h.discord.interact({ kind: 'button', customId: next.custom_id!, message: current });
    current = structuredClone(await click.visibleMessage());
    out.push(current);
  }
  return out;
}

describe('Sitrep commands through the fake Discord, answered by the real engine', () => {
  let h: SitrepHarness;
  before(async () => {
    h = await startSitrep(await realEngine());
  });
  after(async () => {
    await h.stop();
  });

  test('deploy registered all eleven commands in the guild and the bot registered none itself', () => {
    assert.deepEqual(h.discord.registeredCommands(h.discord.guildId).map((c) => c.name).sort(), ['Find sources', 'article', 'brief', 'digest', 'feeds', 'help', 'quote', 'search', 'sources', 'timeline', 'who']);
    assert.deepEqual(h.discord.registeredCommands(), []);
    assert.equal(h.discord.requests.filter((r) => r.method === 'PUT').length, 1);
  });

  test('/who autocomplete offers full names for a prefix', async () => {
    const record = await h.discord.interact({ kind: 'autocomplete', name: 'who', focused: 'name', options: { name: 'kish' } });
    const choices = await record.autocompleteChoices();
    assert.ok(choices.length > 0 && choices.length <= 25);
    assert.ok(choices.some((c) => c.value === 'Fumio Kishida'), JSON.stringify(choices));
  });

  test('/who "Song Zhongping" answers publicly with who he is, quoted and cited', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'who', options: { name: 'Song Zhongping' } });
    const message = await record.visibleMessage();
    assert.equal(message.flags & EPHEMERAL, 0);
    const embed = message.embeds[0]!;
    assert.equal(embed.title, 'Song Zhongping');
    assert.match(embed.description!, /^> a Chinese military expert$/m);
    assert.match(embed.description!, CITATION_LINE);
    assert.deepEqual(message.allowed_mentions, { parse: [] });
  });

  test('/who with public false is ephemeral, and an unknown name is told so instead of an error', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'who', options: { name: 'Zbigniew Nobody', public: false } });
    const message = await record.visibleMessage();
    assert.equal(message.flags & EPHEMERAL, EPHEMERAL);
    assert.match(message.embeds[0]!.title!, /No one called “Zbigniew Nobody”/);
  });

  test('/search "Tomahwk" (a typo) shows Tomahawk passages, each with a citation line', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'search', options: { query: 'Tomahwk' } });
    const message = await record.visibleMessage();
    assert.equal(message.flags & EPHEMERAL, EPHEMERAL);
    const description = message.embeds[0]!.description!;
    const quotes = description.split('\n').filter((l) => l.startsWith('> '));
    assert.ok(quotes.length > 0);
    assert.ok(quotes.every((q) => /Tomahawk/.test(q)), quotes.join('\n'));
    assert.equal(description.split('\n').filter((l) => CITATION_LINE.test(l)).length, quotes.length, 'one citation line per passage');
  });

  test('/search pages with buttons that update the message in place', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'search', options: { query: 'missiles Japan' } });
    const first = structuredClone(await record.visibleMessage());
    assert.match(first.embeds[0]!.footer!.text, /^Page 1 of (\d+) · 20 passages$/);
    const [previous, next] = buttons(first);
    assert.equal(previous?.disabled, true);
    assert.equal(next?.disabled, false);
    const click = await h.discord.interact({ kind: 'button', customId: next!.custom_id!, message: first });
    const second = await click.visibleMessage();
    assert.equal(click.response?.type, UPDATE);
    assert.equal(second.id, first.id);
    assert.match(second.embeds[0]!.footer!.text, /^Page 2 of/);
    assert.notEqual(second.embeds[0]!.description, first.embeds[0]!.description);
  });

  test('a page button still works after the bot restarts, because its state is in the custom id', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'search', options: { query: 'deployment', public: true } });
    const message = await record.visibleMessage();
    const next = buttons(message)[1]!;
    assert.equal(next.disabled, false);
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

  test('/search at the longest query Discord allows (200 characters) is answered within every limit', async () => {
    const query = 'Japan United States missiles deployment treaty Tomahawk Typhon Philippines China Russia alliance Kishida Biden Austin Okinawa ballistic cruise intermediate range southwest islands security talks';
    assert.ok(query.length <= 200);
    const record = await h.discord.interact({ kind: 'chatInput', name: 'search', options: { query } });
    const message = await record.visibleMessage();
    assert.ok(record.callbacks[0]!.status < 300);
    assert.match(message.embeds[0]!.footer!.text, /20 passages/);
  });

  test('/timeline "treaty" shows the 1960 treaty, and every page of it is accepted', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'timeline', options: { topic: 'treaty' } });
    const message = await record.visibleMessage();
    assert.equal(message.flags & EPHEMERAL, EPHEMERAL);
    assert.equal(message.embeds[0]!.title, 'Timeline on treaty');
    assert.match(message.embeds[0]!.description!, /^\*\*1960 · year\*\*$/m);
    assert.match(message.embeds[0]!.description!, /^> In 1960, the United States and Japan signed/m);
    const pages = [message, ...(await laterPages(h, message))];
    assert.equal(pages.length, Number(/of (\d+)/.exec(message.embeds[0]!.footer!.text)![1]));
  });

  test('/timeline lists dated events in order within from and to', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'timeline', options: { from: '2021', to: '2024' } });
    const message = await record.visibleMessage();
    const all = [message, ...(await laterPages(h, message))];
    const years = all.flatMap((m) => [...m.embeds[0]!.description!.matchAll(/^\*\*[^*\n]*?(\d{4})[^*\n]*\*\*$/gm)].map((d) => d[1]!));
    assert.ok(years.length > 4, years.join(','));
    assert.deepEqual([...years].sort(), years);
    assert.ok(years.every((y) => y >= '2021' && y <= '2024'), years.join(','));
  });

  test('/timeline with an unreadable date says how to write one', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'timeline', options: { from: 'March' } });
    assert.match(text(await record.visibleMessage()), /“March” is not a date I can read\. Use a year \(2024\)/);
  });

  test('/quote is public by default', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'quote', options: { topic: 'missiles' } });
    const message = await record.visibleMessage();
    assert.equal(message.flags & EPHEMERAL, 0);
    assert.match(message.embeds[0]!.title!, /^Quotes on missiles/);
  });

  test('/quote speaker "Lin Jian" shows his words verbatim with the speaker and the source', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'quote', options: { speaker: 'Lin Jian' } });
    const description = (await record.visibleMessage()).embeds[0]!.description!;
    assert.match(description, /^> “We insist that the United States abandon the plan to deploy/m);
    assert.match(description, /^\*\*Lin Jian\*\*/m);
    assert.match(description, CITATION_LINE);
  });

  test('/quote speaker autocompletes from known names', async () => {
    const record = await h.discord.interact({ kind: 'autocomplete', name: 'quote', focused: 'speaker', options: { speaker: 'lin' } });
    const choices = await record.autocompleteChoices();
    assert.ok(choices.some((c) => c.name === 'Lin Jian'), JSON.stringify(choices));
  });

  test('/sources lists the five documents, with Global Times 2024-03-27 for the one that states them', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'sources' });
    const message = structuredClone(await record.visibleMessage());
    assert.equal(message.flags & EPHEMERAL, EPHEMERAL);
    assert.match(message.embeds[0]!.footer!.text, /5 documents/);
    const all = [message, ...(await laterPages(h, message))].map(text).join('\n');
    for (const d of (await realEngine()).documents) assert.ok(all.includes(d.doc.replace(/_/g, '\\_')), d.doc);
    assert.match(all, /^Global Times · 2024-03-27 · \d+ passages$/m);
  });

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
    assert.match(message.embeds[0]!.description!, CITATION_LINE);
  });

  test('"Find sources" on a message without text says so', async () => {
    const target = h.discord.postUserMessage('');
    const record = await h.discord.interact({ kind: 'messageContextMenu', name: 'Find sources', target });
    assert.match(text(await record.visibleMessage()), /no text to find sources for/);
  });

  test('every interaction was answered at once (never deferred) well within 3 s, once, and logged with its id', async () => {
    // The log line is written when discord.js's REST call returns, just after the fake stored the answer.
    const allLogged = () => h.discord.interactions.every((i) => h.logs.some((l) => l.fields.interactionId === i.id));
    for (let n = 0; n < 50 && !allLogged(); n++) await sleep(10);
    assert.ok(h.discord.interactions.length >= 20);
    for (const i of h.discord.interactions) {
      assert.equal(i.callbacks.length, 1, `interaction ${i.id}`);
      const [callback] = i.callbacks;
      assert.ok(callback!.status < 300, `interaction ${i.id}: ${callback!.status}`);
      // Engine calls are synchronous over an in-memory index (milliseconds), so nothing is deferred.
      assert.ok([REPLY, UPDATE, AUTOCOMPLETE].includes(callback!.type), `interaction ${i.id} answered with type ${callback!.type}`);
      assert.ok(callback!.elapsedMs < 1000, `interaction ${i.id} answered after ${callback!.elapsedMs} ms`);
    }
    const logged = new Set(h.logs.map((l) => l.fields.interactionId));
    for (const i of h.discord.interactions) assert.ok(logged.has(i.id), `no log for ${JSON.stringify(i.payload.data)}`);
    assert.deepEqual(h.logs.filter((l) => l.level === 'error'), []);
    assert.deepEqual(h.discord.unknownRoutes, []);
  });
});

describe('Discord faults with the real engine', () => {
  let h: SitrepHarness;
  before(async () => {
    h = await startSitrep(await realEngine());
  });
  after(async () => {
    await h.stop();
  });

  test('a 429 on the interaction callback is waited out and the answer still lands within the deadline', async () => {
    h.discord.inject429('POST /interactions/', 1, 300);
    const record = await h.discord.interact({ kind: 'chatInput', name: 'search', options: { query: 'Tomahawk' } });
    const message = await record.visibleMessage();
    assert.match(message.embeds[0]!.description!, /Tomahawk/);
    const attempts = h.discord.requests.filter((r) => r.path.includes(record.id));
    assert.deepEqual(attempts.map((r) => r.status), [429, 204]);
    assert.ok(attempts[1]!.at - attempts[0]!.at >= 290);
    assert.ok(record.callbacks.at(-1)!.elapsedMs < 3000);
  });

  test('after op 7 RECONNECT the session is resumed and commands are answered', async () => {
    const resumed = h.discord.waitForSessions(1);
    h.discord.reconnect();
    await resumed;
    assert.equal(h.discord.identifies.length, 1, 'no new IDENTIFY');
    const record = await h.discord.interact({ kind: 'chatInput', name: 'who', options: { name: 'Song Zhongping' } });
    assert.match((await record.visibleMessage()).embeds[0]!.description!, /a Chinese military expert/);
  });

  test('an interaction sent while the socket was down is replayed on RESUME and answered', async () => {
    const resumed = h.discord.waitForSessions(1);
    h.discord.dropConnection();
    const record = await h.discord.interact({ kind: 'chatInput', name: 'timeline', options: { topic: 'treaty' } }, 0);
    await resumed;
    assert.match((await record.visibleMessage()).embeds[0]!.description!, /\*\*1960 · year\*\*/);
    assert.equal(h.discord.resumes.at(-1)?.replayed, 1);
  });

  test('nothing was logged as an error', () => {
    assert.deepEqual(h.logs.filter((l) => l.level === 'error'), []);
  });
});

describe('before the index is loaded', () => {
  let h: SitrepHarness;
  before(async () => {
    h = await startSitrep(null);
  });
  after(async () => {
    await h.stop();
  });

  test('a command is answered with a short private "still loading" notice, not an error', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'search', options: { query: 'Tomahawk', public: true } });
    const message = await record.visibleMessage();
    assert.equal(record.response?.type, REPLY);
    assert.equal(message.flags & EPHEMERAL, EPHEMERAL);
    assert.equal(message.embeds[0]!.description, LOADING_MESSAGE);
    assert.equal(message.embeds[0]!.color, 0x2f6f9f, 'the notice colour, not the error red');
    // The log line is written when discord.js's REST call returns, just after the fake stored the answer.
    const logged = () => h.logs.some((l) => l.level === 'info' && l.fields.interactionId === record.id && /still loading/.test(l.message));
    for (let n = 0; n < 50 && !logged(); n++) await sleep(10);
    assert.ok(logged(), 'logged as info with the interaction id');
  });

  test('autocomplete offers nothing rather than leaving the user waiting', async () => {
    const record: InteractionRecord = await h.discord.interact({ kind: 'autocomplete', name: 'who', focused: 'name', options: { name: 'kish' } });
    assert.deepEqual(await record.autocompleteChoices(), []);
  });

  test('once the engine is in place, the same command is answered from it', async () => {
    h.bot.setEngine(await realEngine());
    assert.deepEqual(h.bot.status(), { gateway: true, documents: 5 });
    const record = await h.discord.interact({ kind: 'chatInput', name: 'search', options: { query: 'Tomahawk' } });
    assert.match((await record.visibleMessage()).embeds[0]!.description!, /Tomahawk/);
    assert.deepEqual(h.logs.filter((l) => l.level !== 'info'), []);
  });

  test('on a large corpus just started, /who says the names are still loading while /search answers; then /who answers', async () => {
    const threshold = Briefing.syncNamesMaxDocuments;
    Briefing.syncNamesMaxDocuments = 0; // the seed corpus stands in for a large one
    try {
      const engine = new Briefing((await loadCorpus(CORPUS)).documents);
      h.bot.setEngine(engine);
      const who = await h.discord.interact({ kind: 'chatInput', name: 'who', options: { name: 'Lin Jian' } });
      assert.equal((await who.visibleMessage()).embeds[0]!.description, NAMES_LOADING_MESSAGE);
      const search = await h.discord.interact({ kind: 'chatInput', name: 'search', options: { query: 'Tomahawk' } });
      assert.match((await search.visibleMessage()).embeds[0]!.description!, /Tomahawk/);
      // Asking started the build in the background; once done, /who answers from the tables.
      await engine.prepareEntities();
      for (let n = 0; n < 100 && engine.namesPending; n++) await sleep(10);
      const again = await h.discord.interact({ kind: 'chatInput', name: 'who', options: { name: 'Lin Jian' } });
      assert.match(JSON.stringify((await again.visibleMessage()).embeds), /Lin Jian/);
      assert.doesNotMatch(JSON.stringify((await again.visibleMessage()).embeds), /still reading the names/);
    } finally {
      Briefing.syncNamesMaxDocuments = threshold;
    }
  });

  test('on a large corpus just started, /who answers as soon as the entity table exists, while /quote waits for the quotation tables', async () => {
    const threshold = Briefing.syncNamesMaxDocuments;
    Briefing.syncNamesMaxDocuments = 0;
    try {
      const engine = new Briefing((await loadCorpus(CORPUS)).documents);
      void engine.entities; // built first, as the background build does
      h.bot.setEngine(engine);
      const who = await h.discord.interact({ kind: 'chatInput', name: 'who', options: { name: 'Lin Jian' } });
      assert.match(JSON.stringify((await who.visibleMessage()).embeds), /Lin Jian/);
      const typed = await h.discord.interact({ kind: 'autocomplete', name: 'quote', focused: 'speaker', options: { speaker: 'Lin' } });
      assert.ok((await typed.autocompleteChoices()).length > 0, 'name autocomplete needs only the entity table');
      const quote = await h.discord.interact({ kind: 'chatInput', name: 'quote', options: { topic: 'missile' } });
      assert.equal((await quote.visibleMessage()).embeds[0]!.description, NAMES_LOADING_MESSAGE);
    } finally {
      Briefing.syncNamesMaxDocuments = threshold;
    }
  });
});

describe('a document with front matter, through the real engine', () => {
  let h: SitrepHarness;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sitrep-frontmatter-'));
    writeFileSync(
      join(dir, 'kyodo.md'),
      '---\ntitle: Japan to deploy long-range missiles\noutlet: Kyodo News\npublished: 2024-03-27\nurl: https://news.example/missiles\n---\n\nJapan plans to deploy long-range missiles on its southwest islands by 2026, the defence ministry said on Wednesday.\n\nThe missiles would be able to reach targets far beyond the coast, officials said.\n',
    );
    h = await startSitrep(new Briefing((await loadCorpus(dir)).documents));
  });
  after(async () => {
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('/sources links its title to its URL and shows its outlet and date', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'sources' });
    const body = text(await record.visibleMessage());
    assert.ok(body.includes('**[Japan to deploy long-range missiles](<https://news.example/missiles>)**'), body);
    assert.match(body, /^Kyodo News · 2024-03-27 · 2 passages$/m);
  });

  test('a search citation names the outlet and date and links the title', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'search', options: { query: 'southwest islands' } });
    assert.match((await record.visibleMessage()).embeds[0]!.description!, /^— \*Kyodo News\*, 2024-03-27, \[Japan to deploy long-range missiles\]\(<https:\/\/news\.example\/missiles>\), ¶1$/m);
  });
});

describe('hostile corpus text through the fake Discord (controlled engine)', () => {
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

/** An engine whose answers are far larger than anything Discord accepts in one message. */
class OversizedEngine extends SeedEngine {
  private huge(n: number): Excerpt {
    const d = this.docs[0]!;
    return {
      text: `Word${n} `.repeat(3000),
      source: { doc: `${'deep/'.repeat(60)}file-${n}.txt`, title: 'T'.repeat(900), outlet: 'O'.repeat(400), published: '2024-03-27', url: `https://news.example/${'x'.repeat(3000)}`, start: 0, end: d.text.length },
    };
  }
  override search(query: string, options: SearchOptions = {}): SearchResult {
    return { query: query.repeat(20), results: Array.from({ length: options.limit ?? 5 }, (_, n) => this.huge(n)), notes: ['N'.repeat(5000)] };
  }
  override sources(): SourcesResult {
    return { documents: Array.from({ length: 300 }, (_, n) => ({ doc: `${'d'.repeat(500)}${n}.txt`, title: 'T'.repeat(2000), outlet: 'O'.repeat(500), published: '2024-03-27', url: null, passages: n })), total: 300 };
  }
  override who(name: string): WhoResult {
    const excerpts = Array.from({ length: 30 }, (_, n) => this.huge(n));
    return {
      query: name,
      match: { name: 'N'.repeat(1000), kind: 'person', aliases: Array.from({ length: 200 }, (_, n) => `Alias${n}`.repeat(20)), descriptions: excerpts.slice(0, 5), mentions: 99999, documents: ['a', 'b'], excerpts },
      suggestions: Array.from({ length: 100 }, (_, n) => `S${n}`.repeat(50)),
    };
  }
  override timeline(_options: TimelineOptions = {}): TimelineResult {
    const event = (n: number) => ({ date: { value: '2024-03-27', precision: 'day' as const, approximate: n % 2 === 0 }, text: this.huge(n).text.slice(0, 5000), source: this.huge(n).source, alsoReportedBy: Array.from({ length: 10 }, () => this.huge(n).source) });
    return { events: Array.from({ length: 300 }, (_, n) => event(n)), total: 300 };
  }
  override completeNames(): string[] {
    return Array.from({ length: 100 }, (_, n) => `Name${n} `.repeat(40));
  }
}

describe('oversized results (controlled engine)', () => {
  let h: SitrepHarness;
  before(async () => {
    h = await startSitrep(new OversizedEngine(CORPUS));
  });
  after(async () => {
    await h.stop();
  });

  const cases: [string, Record<string, string | boolean>][] = [
    ['search', { query: 'missiles' }],
    ['sources', {}],
    ['who', { name: 'anyone' }],
    ['timeline', {}],
  ];
  for (const [name, options] of cases) {
    test(`/${name} is cut to fit every Discord limit and still pages`, async () => {
      const record = await h.discord.interact({ kind: 'chatInput', name, options });
      const message = await record.visibleMessage();
      assert.ok(record.callbacks[0]!.status < 300, JSON.stringify(record.callbacks[0]));
      assert.ok(text(message).length > 100);
      if (name !== 'who') {
        const next = buttons(message)[1]!;
        const click = await h.discord.interact({ kind: 'button', customId: next.custom_id!, message });
        assert.ok(click.callbacks[0]!.status < 300, JSON.stringify(click.callbacks[0]));
      }
    });
  }

  test('autocomplete with too many, too long names sends at most 25 choices within the limits', async () => {
    const record = await h.discord.interact({ kind: 'autocomplete', name: 'who', focused: 'name', options: { name: 'n' } });
    const choices = await record.autocompleteChoices();
    assert.equal(choices.length, 25);
    assert.ok(choices.every((c) => c.name.length <= 100 && String(c.value).length <= 100));
  });
});
