/**
 * Live sources end to end in Discord: the real discord.js client on the fake
 * Discord, the real /feeds, /article, /search, /who and /digest commands, the
 * real live engine over a temporary corpus, real Redis (BullMQ schedules for
 * feeds and digests) and the fake news site on 127.0.0.1. A feed added with
 * /feeds add is polled, its articles stored, answered by /search and /who,
 * and posted by /digest now once, never again.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { LiveBriefing } from '../../src/engine/live.js';
import { createLogger } from '../../src/log.js';
import { startDigests, type RunningDigests } from '../../src/digest/bot-integration.js';
import { startSources, type SourcesService } from '../../src/bot/sources-integration.js';
import { feedSchedulerId, FEED_QUEUE_NAME } from '../../src/sources/schedule.js';
import { startSitrep, type SitrepHarness } from '../bot/harness.js';
import { snowflake, type FakeMessage, type InteractionRecord } from '../fake-discord/fake-discord.js';
import { cleanPrefix, freshPrefix, RedisHarness } from '../digest/redis-harness.js';
import { waitFor } from '../digest/fakes.js';
import { ARTICLES, articleHtml, startFakeNewsSite, type FakeNewsSite } from './fake-news-site.js';

const EPHEMERAL = 64;
const MODERATOR = (2248473465835073n | (1n << 5n)).toString();
const ORDINARY = '2248473465835073';

function text(message: FakeMessage): string {
  return [message.content, ...message.embeds.flatMap((e) => [e.title ?? '', e.description ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value]), e.footer?.text ?? ''])].join('\n');
}

describe('feeds, articles and digests through the fake Discord', () => {
  let site: FakeNewsSite;
  let redis: RedisHarness;
  let client: Redis;
  let prefix: string;
  let corpus: string;
  let cacheDir: string;
  let live: LiveBriefing;
  let h: SitrepHarness;
  let digests: RunningDigests;
  let sources: SourcesService;
  const base = Date.now() - 86_400_000;
  const guild = { id: snowflake(base), name: 'Courier Readers', channels: [{ id: snowflake(base + 1), name: 'general' }, { id: snowflake(base + 2), name: 'briefings' }] };
  const [general, briefings] = guild.channels.map((c) => c.id) as [string, string];

  const run = (name: string, subcommand: string, options: { name: string; value: string | number; type?: number }[] = [], permissions = MODERATOR, extra = {}): Promise<InteractionRecord> =>
    h.discord.interact({ kind: 'chatInput', name, subcommand, options, memberPermissions: permissions, channelId: general, ...extra });
  const answer = async (record: InteractionRecord): Promise<FakeMessage> => {
    // Deferred answers wait for fetching, extraction and the engine's reload: generous on a busy machine.
    const message = await record.visibleMessage(30_000);
    assert.deepEqual(message.allowed_mentions, { parse: [] });
    return message;
  };

  before(async () => {
    site = await startFakeNewsSite();
    site.feedArticles = ARTICLES.slice(0, 2);
    redis = await RedisHarness.start();
    client = redis.client();
    prefix = freshPrefix();
    corpus = mkdtempSync(join(tmpdir(), 'sitrep-live-discord-'));
    cacheDir = mkdtempSync(join(tmpdir(), 'sitrep-live-cache-'));
    live = new LiveBriefing(corpus);
    await live.refresh();
    h = await startSitrep(live.briefing, { fake: { guilds: [guild] } });
    live.onChange((next) => h.bot.setEngine(next));
    const log = createLogger({ level: 'error' });
    digests = await startDigests({ redisUrl: redis.url, cacheDir, live, rest: h.bot.client.rest, log, runWorker: true, prefix });
    h.bot.setDigests(digests.service);
    sources = await startSources({ corpusDir: corpus, fetchedDir: null, addresses: 'loopback', redisUrl: redis.url, prefix, live, rest: h.bot.client.rest, log, runScheduler: true, hostIntervalMs: 0, timeoutMs: 10_000, maxFailures: 2 });
    h.bot.setSources(sources);
  });
  after(async () => {
    await sources?.close();
    await digests?.close();
    await h?.stop();
    if (client) {
      await cleanPrefix(client, prefix);
      client.disconnect();
    }
    await redis?.stop();
    await site?.close();
    rmSync(corpus, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  });

  test('/feeds and /article are registered for Manage Server; /sources stays open to everyone; a member without it is refused', async () => {
    const registered = h.discord.registeredCommands(guild.id);
    for (const name of ['feeds', 'article']) assert.equal(registered.find((c) => c.name === name)?.default_member_permissions, '32', name);
    assert.equal(registered.find((c) => c.name === 'sources')?.default_member_permissions ?? null, null);
    const refused = await answer(await run('feeds', 'add', [{ name: 'url', value: `${site.origin}/feed.rss` }], ORDINARY));
    assert.equal(refused.flags & EPHEMERAL, EPHEMERAL);
    assert.match(text(refused), /Only members with the Manage Server permission/);
    assert.deepEqual(await sources.listFeeds(), []);
  });

  test('a feed added with /feeds add is polled at once: its articles are stored, answered by /search and /who, and posted by /digest now once', async () => {
    assert.match(text(await answer(await run('digest', 'subscribe', [{ name: 'channel', value: briefings, type: 7 }, { name: 'time', value: '07:00' }, { name: 'timezone', value: 'Europe/London' }]))), /Digest set up/);
    await new Promise((resolve) => setTimeout(resolve, 5));

    const added = await answer(await run('feeds', 'add', [{ name: 'url', value: `${site.origin}/feed.rss` }, { name: 'every', value: 5, type: 4 }]));
    assert.equal(added.flags & EPHEMERAL, EPHEMERAL);
    const said = text(added);
    assert.match(said, /Following .*The Quillmarsh Courier.* every 5 min/);
    assert.match(said, /First poll: 2 new articles stored/);
    assert.match(said, /Quillmarsh harbour dispute reaches the tribunal/);

    // One BullMQ job scheduler for the feed.
    const queue = new Queue(FEED_QUEUE_NAME, { connection: { url: redis.url }, prefix: `${prefix}bull` });
    const schedulers = await queue.getJobSchedulers(0, -1);
    assert.deepEqual(schedulers.map((s) => [s.key, s.every]), [[feedSchedulerId(`${site.origin}/feed.rss`), 5 * 60_000]]);

    // Redis losing the feed schedules loses nothing: they are rebuilt from the feed files.
    await cleanPrefix(client, `${prefix}bull:${FEED_QUEUE_NAME}`);
    assert.equal((await queue.getJobSchedulers(0, -1)).length, 0);
    await sources.reconcile();
    assert.equal((await queue.getJobSchedulers(0, -1)).length, 1);
    await queue.close();

    const search = text(await answer(await h.discord.interact({ kind: 'chatInput', name: 'search', options: [{ name: 'query', value: 'tribunal dredging silt barges' }], channelId: general })));
    assert.match(search, /Quillmarsh harbour dispute reaches the tribunal/);
    const who = await answer(await h.discord.interact({ kind: 'chatInput', name: 'who', options: [{ name: 'name', value: 'Marla Okonkwo' }], channelId: general }));
    assert.match(who.embeds[0]!.title ?? '', /Marla Okonkwo/);
    assert.match(text(who), /harbour engineer/);

    const now = text(await answer(await run('digest', 'now', [{ name: 'channel', value: briefings, type: 7 }])));
    assert.match(now, /Posting the digest to .* now: 2 new documents/);
    await waitFor(() => h.discord.channelMessages(briefings).length >= 1, 10_000, 'the digest in the channel');
    const posted = h.discord.channelMessages(briefings).map(text).join('\n');
    assert.match(posted, /Quillmarsh harbour dispute reaches the tribunal/);
    assert.match(posted, /New ferry route to Tarnholm/);
    const count = h.discord.channelMessages(briefings).length;
    await waitFor(async () => (await digests.service.list(guild.id)).some((s) => s.channelId === briefings && s.lastDigestAt !== null), 5000, 'the window to advance');
    assert.match(text(await answer(await run('digest', 'now', [{ name: 'channel', value: briefings, type: 7 }]))), /Nothing new/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(h.discord.channelMessages(briefings).length, count, 'never posted again');
  });

  test('/article add takes a link or an uploaded file and says what was stored, or exactly why not; /article remove takes it out', async () => {
    const link = text(await answer(await run('article', 'add', [{ name: 'link', value: `${site.origin}/news/oyster-beds` }])));
    assert.match(link, /Added to the sources:/);
    assert.match(link, /Oyster growers count the cost of silt/);
    assert.match(link, /The Quillmarsh Courier · 2031-05-08 · \d+ words/);

    const again = text(await answer(await run('article', 'add', [{ name: 'link', value: `${site.origin}/news/oyster-beds` }])));
    assert.match(again, /Not added.*\n.*already in the sources as “Oyster growers count the cost of silt”/);
    const privateAddress = text(await answer(await run('article', 'add', [{ name: 'link', value: `${site.origin}/to-metadata` }])));
    assert.match(privateAddress, /169\.254\.169\.254/);
    const short = text(await answer(await run('article', 'add', [{ name: 'link', value: `${site.origin}/short` }])));
    assert.match(short, /not an article: fewer than 50 words of text/);

    site.routes.set('/attachments/courier.html', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(articleHtml({ ...ARTICLES[0]!, slug: 'lighthouse', title: 'Lighthouse keepers return to Tarnholm point', paragraphs: ARTICLES[0]!.paragraphs.map((p) => p.replace(/harbour/g, 'lighthouse').replace(/tribunal/g, 'council')) }, site.origin));
    });
    const upload = await run('article', 'add', [{ name: 'file', value: '900000000000000001', type: 11 }], MODERATOR, {
      attachments: { '900000000000000001': { filename: 'courier.html', url: `${site.origin}/attachments/courier.html`, size: 4000, content_type: 'text/html' } },
    });
    assert.match(text(await answer(upload)), /Lighthouse keepers return to Tarnholm point/);
    const wrong = await run('article', 'add', [{ name: 'file', value: '900000000000000002', type: 11 }], MODERATOR, {
      attachments: { '900000000000000002': { filename: 'scan.pdf', url: `${site.origin}/image.png`, size: 4000 } },
    });
    assert.match(text(await answer(wrong)), /only \.txt, \.md and \.html files are read/);
    const huge = await run('article', 'add', [{ name: 'file', value: '900000000000000003', type: 11 }], MODERATOR, {
      attachments: { '900000000000000003': { filename: 'big.html', url: `${site.origin}/huge`, size: 7 * 1024 * 1024 } },
    });
    assert.match(text(await answer(huge)), /over the 5 MB limit/);

    const choices = await (await h.discord.interact({ kind: 'autocomplete', name: 'article', subcommand: 'remove', focused: 'document', options: { document: 'oyster' }, memberPermissions: MODERATOR })).autocompleteChoices();
    assert.equal(choices.length, 1);
    const removed = text(await answer(await run('article', 'remove', [{ name: 'document', value: String(choices[0]!.value) }])));
    assert.match(removed, /Removed from the sources:.*\n.*Oyster growers/);
    await live.refresh();
    assert.ok(!live.briefing.sources().documents.some((d) => d.title === 'Oyster growers count the cost of silt'));
  });

  test('/feeds list shows each feed and its state; a failing feed pauses, says so once in its channel, and shows why', async () => {
    let failing = false;
    site.routes.set('/flaky.rss', (_req, res) => {
      res.writeHead(failing ? 500 : 200, { 'content-type': 'application/rss+xml' });
      res.end(failing ? 'down' : `<?xml version="1.0"?><rss version="2.0"><channel><title>Flaky Gazette</title></channel></rss>`);
    });
    assert.match(text(await answer(await run('feeds', 'add', [{ name: 'url', value: `${site.origin}/flaky.rss` }]))), /Following .*Flaky Gazette/);
    failing = true;
    const before = h.discord.channelMessages(general).length;
    await sources.sources.poll();
    await sources.sources.poll();
    await sources.sources.poll();
    const notices = h.discord.channelMessages(general).slice(before).map(text);
    assert.equal(notices.length, 1, 'said once');
    assert.match(notices[0]!, /Flaky Gazette.*is no longer polled: paused after 2 failed polls in a row: .*answered 500/s);
    const list = text(await answer(await run('feeds', 'list')));
    assert.match(list, /The Quillmarsh Courier.*every 5 min/);
    assert.match(list, /⏸ paused after 2 failed polls in a row/);
    assert.match(list, /added here by <@/);

    const other = await h.discord.interact({ kind: 'chatInput', name: 'feeds', subcommand: 'remove', options: [{ name: 'url', value: `${site.origin}/flaky.rss` }], memberPermissions: MODERATOR, channelId: general });
    assert.match(text(await answer(other)), /No longer following/);
  });
});
