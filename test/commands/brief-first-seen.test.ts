/**
 * `/brief since:` windows by Sitrep's first-seen record when digests keep one
 * (as digests do), so "since last digest" is what was new to the channel, not
 * what was published since: the real bot against the fake Discord, the real
 * digest service on a private redis-server, the real engine over the seed
 * corpus plus one article that arrives later with an old publication date.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { loadCorpus } from '../../src/corpus/load.js';
import { Briefing } from '../../src/engine/briefing.js';
import { createLogger } from '../../src/log.js';
import { startDigests, type RunningDigests } from '../../src/digest/bot-integration.js';
import { startSitrep, type SitrepHarness } from '../bot/harness.js';
import { snowflake } from '../fake-discord/fake-discord.js';
import { cleanPrefix, freshPrefix, RedisHarness } from '../digest/redis-harness.js';
import { SwappableEngine, waitFor } from '../digest/fakes.js';
import { CORPUS, tempCorpus } from '../helpers.js';
import type { CorpusDocument } from '../../src/types.js';

const LATE_TITLE = 'Quillmarsh ferry pier reopens after the winter storms';
const LATE_ARTICLE = `---
title: ${LATE_TITLE}
outlet: The Quillmarsh Courier
published: 2019-05-01
---
The ferry pier at Quillmarsh reopened on Thursday after the winter storms had torn away two of its landing stages, the harbour office said.

"We have rebuilt the stages with heavier timber and the crossings to Tarnholm run to the usual timetable again," said Ilse Maarten, the harbour master, who oversaw the repairs.

The harbour office said the repairs had cost less than feared because the storm barriers built in 2017 had kept the worst of the waves away from the northern basin.
`;

describe('/brief since: by when Sitrep first saw each document', () => {
  let redis: RedisHarness;
  let client: Redis;
  let h: SitrepHarness;
  let digests: RunningDigests;
  let prefix: string;
  let cacheDir: string;
  let lateDir: string;
  let seedDocs: CorpusDocument[];
  const base = Date.now() - 86_400_000;
  const guild = { id: snowflake(base), name: 'Brief Guild', channels: [{ id: snowflake(base + 1), name: 'briefings' }] };
  const channel = guild.channels[0]!.id;
  let members = 0;
  /** The brief's first embed: the window's count and clock, and its documents. */
  const brief = async (options: Record<string, string>): Promise<string> => {
    const user = { id: String(420000000000000000n + BigInt(++members)), username: 'reader' };
    const record = await h.discord.interact({ kind: 'chatInput', name: 'brief', options, channelId: channel, guildId: guild.id, user });
    return (await record.visibleMessage()).embeds[0]?.description ?? '';
  };

  before(async () => {
    redis = await RedisHarness.start();
    client = redis.client();
    prefix = freshPrefix();
    cacheDir = mkdtempSync(join(tmpdir(), 'sitrep-brief-seen-'));
    lateDir = tempCorpus({ 'late.md': LATE_ARTICLE });
    seedDocs = (await loadCorpus(CORPUS)).documents;
    const seed = new Briefing(seedDocs);
    h = await startSitrep(seed, { fake: { guilds: [guild] } });
    const live = new SwappableEngine(seed);
    digests = await startDigests({ redisUrl: redis.url, cacheDir, live, rest: h.bot.client.rest, log: createLogger({ level: 'error' }), runWorker: false, prefix });
    h.bot.setDigests(digests.service);
    // The channel's digest starts now: the seed corpus was seen before it.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await digests.service.subscribe({ guildId: guild.id, channelId: channel, time: '07:00', timezone: 'Europe/London', createdBy: '430000000000000001' });
    // Then an article arrives (a reload), published years ago.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const late = (await loadCorpus(lateDir)).documents[0]!;
    const grown = new Briefing([...seedDocs, late]);
    live.swap(grown);
    await waitFor(() => digests.service.firstSeenTimes?.()?.has(late.hash) ?? false, 5000, 'the late article recorded as first seen');
    h.bot.setEngine(grown);
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
    rmSync(lateDir, { recursive: true, force: true });
  });

  test('"last digest" lists what arrived since the channel\'s digest, whatever its publication date', async () => {
    const said = await brief({ since: 'last digest' });
    assert.match(said, /1 document, by when Sitrep first saw each document/);
    assert.ok(said.includes(LATE_TITLE), said);
    for (const d of seedDocs) assert.ok(!said.includes(d.meta.title.slice(0, 40)), `“${d.meta.title}” was seen before the digest`);
  });

  test('a span back from now ("1w"): what Sitrep first saw in it (here every document: all arrived today)', async () => {
    const said = await brief({ since: '1w' });
    assert.match(said, new RegExp(`${seedDocs.length + 1} documents, by when Sitrep first saw each document`));
  });

  test('a calendar date: what was published since then, even with the record (a date names the news, not its arrival)', async () => {
    const said = await brief({ since: '2020-01-01' });
    assert.match(said, /by publication date/);
    assert.ok(!said.includes(LATE_TITLE), 'published in 2019, before the window');
  });
});

describe('/brief since: without digests (no first-seen record)', () => {
  let h: SitrepHarness;
  let lateDir: string;
  before(async () => {
    lateDir = tempCorpus({ 'late.md': LATE_ARTICLE });
    const docs = [...(await loadCorpus(CORPUS)).documents, ...(await loadCorpus(lateDir)).documents];
    h = await startSitrep(new Briefing(docs));
  });
  after(async () => {
    await h?.stop();
    rmSync(lateDir, { recursive: true, force: true });
  });

  test('the window is by publication date, and says so', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'brief', options: { since: '2020-01-01' } });
    const said = (await record.visibleMessage()).embeds[0]?.description ?? '';
    assert.match(said, /by publication date/);
    assert.ok(!said.includes(LATE_TITLE), 'published in 2019, before the window');
  });
});
