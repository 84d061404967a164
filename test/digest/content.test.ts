import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { BriefingDigestSource, buildDigest, FIRST_SEEN_MIRROR_FILE, FirstSeenStore } from '../../src/digest/content.js';
import { openBriefing } from '../../src/engine/open.js';
import { seedText, tempCorpus } from '../helpers.js';
import { cleanPrefix, freshPrefix, RedisHarness } from './redis-harness.js';

let redis: RedisHarness;
let client: Redis;

before(async () => {
  redis = await RedisHarness.start();
  client = redis.client();
});
after(async () => {
  client.disconnect();
  await redis.stop();
});

test('a digest lists only documents first seen since the last one, with verbatim cited leads', async () => {
  const prefix = freshPrefix();
  try {
    const firstSeen = new FirstSeenStore(client, prefix);
    let clock = 1_000;
    const dir = tempCorpus({ 'a.txt': seedText('000'), 'b.txt': seedText('001') });
    const before = (await openBriefing(dir)).briefing;
    await new BriefingDigestSource(before, firstSeen, () => clock).recordSeen();

    // Later a third article arrives; a new process (fresh engine) builds the digest.
    clock = 5_000;
    const dir2 = tempCorpus({ 'a.txt': seedText('000'), 'b.txt': seedText('001'), 'c.txt': seedText('002') });
    const after = (await openBriefing(dir2)).briefing;
    const source = new BriefingDigestSource(after, firstSeen, () => clock);
    const digest = await buildDigest(source, '200000000000000001', { sinceMs: 2_000, untilMs: 6_000 });
    assert.deepEqual(digest.documents.map((d) => d.doc), ['c.txt']);
    const [doc] = digest.documents;
    assert.equal(doc!.firstSeenMs, 5_000);
    const text = readFileSync(join(dir2, 'c.txt'), 'utf8');
    assert.ok(doc!.lead, 'a lead excerpt');
    assert.equal(text.slice(doc!.lead!.source.start, doc!.lead!.source.end), doc!.lead!.text, 'the lead is a verbatim slice');

    // First-seen times are durable: the same window asked again later gives the same answer.
    clock = 9_000;
    const again = await buildDigest(new BriefingDigestSource(after, firstSeen, () => clock), '200000000000000001', { sinceMs: 2_000, untilMs: 6_000 });
    assert.deepEqual(again.documents.map((d) => d.doc), ['c.txt']);
    // and nothing is new after it
    assert.deepEqual((await buildDigest(source, '200000000000000001', { sinceMs: 6_000, untilMs: 9_000 })).documents, []);
  } finally {
    await cleanPrefix(client, prefix);
  }
});

test('a topic narrows the digest to documents with a passage about it, led by that passage', async () => {
  const prefix = freshPrefix();
  try {
    const dir = tempCorpus({ 'a.txt': seedText('000'), 'b.txt': seedText('001'), 'c.txt': seedText('002') });
    const briefing = (await openBriefing(dir)).briefing;
    const source = new BriefingDigestSource(briefing, new FirstSeenStore(client, prefix), () => 100);
    const all = await buildDigest(source, '200000000000000001', { sinceMs: 0, untilMs: 200 });
    assert.equal(all.documents.length, 3);
    // A word from one document's text that not every document contains.
    const words = (t: string) => new Set(t.toLowerCase().match(/[a-z]{7,}/g) ?? []);
    const [wa, wb, wc] = [words(seedText('000')), words(seedText('001')), words(seedText('002'))];
    const distinctive = [...wc].find((w) => !wa.has(w) && !wb.has(w));
    assert.ok(distinctive, 'the seed articles differ');
    const narrowed = await buildDigest(source, '200000000000000001', { sinceMs: 0, untilMs: 200, topic: distinctive });
    assert.deepEqual(narrowed.documents.map((d) => d.doc), ['c.txt']);
    assert.equal(narrowed.documents[0]!.lead!.source.doc, 'c.txt');
    const nothing = await buildDigest(source, '200000000000000001', { sinceMs: 0, untilMs: 200, topic: 'zzqxv' });
    assert.deepEqual(nothing.documents, [], 'a topic nothing mentions leaves nothing new');
  } finally {
    await cleanPrefix(client, prefix);
  }
});

/** A made-up article: a title line, a blank line, paragraphs. */
function article(title: string, body: string): string {
  return `${title}\n\n${body}\n\nThe council said it would publish the full minutes of the meeting next week.\n`;
}

test('after FLUSHALL the first-seen record comes back from its disk mirror: the next digest posts only the new document, not an edited one', async () => {
  const prefix = freshPrefix();
  const cacheDir = mkdtempSync(join(tmpdir(), 'sitrep-first-seen-'));
  const mirrorPath = join(cacheDir, FIRST_SEEN_MIRROR_FILE);
  try {
    let clock = 1_000;
    const v1 = tempCorpus({
      'harbour.txt': article('Harbour dredging starts in May', 'Dredging of the old harbour will start in May, the port authority announced on Tuesday.'),
      'library.txt': article('Library opens on Sundays', 'The central library will open on Sundays from next month, the city said.'),
    });
    const store = new FirstSeenStore(client, prefix, { mirrorPath });
    const first = await buildDigest(new BriefingDigestSource((await openBriefing(v1)).briefing, store, () => clock), '200000000000000001', { sinceMs: 0, untilMs: 2_000 });
    assert.deepEqual(first.documents.map((d) => d.doc).sort(), ['harbour.txt', 'library.txt']);
    await store.saveMirror();
    const saved = JSON.parse(readFileSync(mirrorPath, 'utf8')) as { firstSeen: Record<string, number> };
    assert.equal(saved.firstSeen['path:harbour.txt'], 1_000, 'the mirror holds paths and contents');

    // Redis loses everything. Meanwhile one article was edited and a new one arrived.
    await client.flushall();
    clock = 5_000;
    const v2 = tempCorpus({
      'harbour.txt': article('Harbour dredging starts in June', 'Dredging of the old harbour will start in June, not May, the port authority said on Friday.'),
      'library.txt': article('Library opens on Sundays', 'The central library will open on Sundays from next month, the city said.'),
      'tram.txt': article('New tram line approved', 'The regional assembly approved a tram line to the airport on Thursday.'),
    });
    // A new process: a fresh store over the same mirror.
    const restarted = new FirstSeenStore(client, prefix, { mirrorPath });
    const second = await buildDigest(new BriefingDigestSource((await openBriefing(v2)).briefing, restarted, () => clock), '200000000000000001', { sinceMs: 2_000, untilMs: 6_000 });
    assert.deepEqual(second.documents.map((d) => d.doc), ['tram.txt'], 'only the really new document');
    assert.equal(second.documents[0]!.firstSeenMs, 5_000);

    // A copy of known content under a new name is not new either.
    clock = 9_000;
    const v3 = tempCorpus({ 'library-copy.txt': article('Library opens on Sundays', 'The central library will open on Sundays from next month, the city said.') });
    const third = await buildDigest(new BriefingDigestSource((await openBriefing(v3)).briefing, restarted, () => clock), '200000000000000001', { sinceMs: 6_000, untilMs: 10_000 });
    assert.deepEqual(third.documents, []);
  } finally {
    await cleanPrefix(client, prefix);
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

test('a digest reads its window ahead (prepareBrief, in slices) before the brief, with the same options', async () => {
  const prefix = freshPrefix();
  try {
    const dir = tempCorpus({ 'a.txt': seedText('000'), 'b.txt': seedText('001') });
    const briefing = (await openBriefing(dir)).briefing;
    const calls: { call: string; since: unknown; until: unknown; topic: unknown }[] = [];
    const { prepareBrief, brief } = briefing;
    briefing.prepareBrief = async (options = {}) => {
      calls.push({ call: 'prepare', since: options.since, until: options.until, topic: options.topic });
      return prepareBrief.call(briefing, options);
    };
    briefing.brief = (options = {}) => {
      calls.push({ call: 'brief', since: options.since, until: options.until, topic: options.topic });
      return brief.call(briefing, options);
    };
    const source = new BriefingDigestSource(briefing, new FirstSeenStore(client, prefix), () => 100);
    await source.briefSince({ sinceMs: 0, untilMs: 200, topic: 'treaty' });
    assert.deepEqual(calls, [
      { call: 'prepare', since: 0, until: 200, topic: 'treaty' },
      { call: 'brief', since: 0, until: 200, topic: 'treaty' },
    ]);
  } finally {
    await cleanPrefix(client, prefix);
  }
});
