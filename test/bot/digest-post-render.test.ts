import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Digest } from '../../src/digest/content.js';
import { DISCORD_LIMITS, embedChars, escapeAndFit, escapeText, length, renderDigest } from '../../src/bot/render.js';
import type { Quote, TimelineEvent } from '../../src/types.js';
import { fakeDocument } from '../digest/fakes.js';
import { validateMessage } from '../fake-discord/limits.js';

function digestOf(n: number, build: (i: number) => Parameters<typeof fakeDocument>[2] = () => ({})): Digest {
  return { channelId: '123456789012345678', topic: null, sinceMs: 1_700_000_000_000, untilMs: 1_700_086_400_000, documents: Array.from({ length: n }, (_, i) => fakeDocument(`doc${i}.txt`, 1_700_000_000_001 + i, build(i))) };
}

function assertWithinLimits(messages: ReturnType<typeof renderDigest>): void {
  for (const m of messages) {
    assert.deepEqual(validateMessage(m), [], 'the fake Discord accepts it');
    assert.ok(length(m.content) <= DISCORD_LIMITS.content, 'content ≤ 2000');
    assert.ok(m.embeds.length <= DISCORD_LIMITS.embedsPerMessage, '≤ 10 embeds');
    assert.deepEqual(m.allowed_mentions, { parse: [] });
    let total = 0;
    for (const e of m.embeds) {
      assert.ok(length(e.title ?? '') <= DISCORD_LIMITS.embedTitle, 'title ≤ 256');
      assert.ok(length(e.description ?? '') <= DISCORD_LIMITS.embedDescription, 'description ≤ 4096');
      total += embedChars(e);
    }
    assert.ok(total <= DISCORD_LIMITS.embedTotal, `embeds total ${total} ≤ 6000`);
  }
}

test('an empty digest renders as no message, or one "nothing new" line when configured', () => {
  assert.deepEqual(renderDigest(digestOf(0)), []);
  const [only, ...rest] = renderDigest(digestOf(0), { postWhenEmpty: true });
  assert.equal(rest.length, 0);
  assert.match(only!.content, /nothing new/);
  assert.deepEqual(only!.allowed_mentions, { parse: [] });
});

test('a small digest is one message with one embed per document and a cited lead', () => {
  const messages = renderDigest(digestOf(3));
  assert.equal(messages.length, 1);
  assert.equal(messages[0]!.embeds.length, 3);
  assert.match(messages[0]!.content, /3 new documents since <t:1700000000:f>/);
  assert.match(messages[0]!.embeds[0]!.description!, /doc0\.txt, ¶1 \(chars 0–20\)/);
});

test('a digest of 25 documents splits into parts of at most 10 embeds, numbered', () => {
  const messages = renderDigest(digestOf(25));
  assert.equal(messages.length, 3);
  assert.deepEqual(messages.map((m) => m.embeds.length), [10, 10, 5]);
  assert.match(messages[0]!.content, /\(3 parts\)/);
  assert.match(messages[2]!.content, /part 3 of 3/);
  assertWithinLimits(messages);
});

test('documents with huge titles, leads, quotes and events stay within every limit', () => {
  const long = 'word '.repeat(3000);
  const quote = (i: number): Quote => ({ text: long, speaker: { name: `Speaker ${i}`, description: null, mention: 'he' }, source: { doc: 'x', title: 'x', outlet: null, published: null, url: null, start: 0, end: 1 } });
  const event = (i: number): TimelineEvent => ({ date: { value: `202${i}`, precision: 'year', approximate: false }, text: long, source: { doc: 'x', title: 'x', outlet: null, published: null, url: null, start: 0, end: 1 } });
  const messages = renderDigest(
    digestOf(12, (i) => ({
      title: `**${long}`,
      url: i % 2 ? 'https://example.org/a' : 'not a url',
      lead: { text: long, source: { doc: `d${i}`, title: 't', outlet: 'O', published: null, url: null, start: 0, end: long.length } },
      quotes: Array.from({ length: 9 }, (_, k) => quote(k)),
      events: Array.from({ length: 9 }, (_, k) => event(k)),
    })),
  );
  assert.ok(messages.length >= 4, `${messages.length} parts`);
  assertWithinLimits(messages);
  assert.equal(messages.reduce((n, m) => n + m.embeds.length, 0), 12, 'every document appears once');
  assert.equal(messages[0]!.embeds[0]!.url, undefined, 'an invalid URL is left out');
  assert.equal(messages[0]!.embeds[1]!.url, 'https://example.org/a');
  assert.match(messages[0]!.embeds[0]!.description!, /…and \d+ more/);
});

test('corpus text cannot mention anyone or format the message', () => {
  const nasty = '@everyone look: <@123456789012345678> <#987> **bold** __u__ `code` ||spoiler|| [link](https://x.y) @here';
  const escaped = escapeText(nasty);
  assert.doesNotMatch(escaped, /@everyone|@here/);
  assert.doesNotMatch(escaped, /(^|[^\\])<@/);
  assert.doesNotMatch(escaped, /(^|[^\\])\*\*/);
  assert.doesNotMatch(escaped, /(^|[^\\])\|\|/);
  assert.doesNotMatch(escaped, /(^|[^\\])\[/);
  assert.equal(escapeText('# Heading\n- item\n> quote\n1. first'), '\\# Heading\n\\- item\n\\> quote\n1\\. first');
  assert.equal(escapeText('a - b, 2.5 3'), 'a - b, 2.5 3', 'marks inside a line stay as they are');
  const messages = renderDigest(digestOf(1, () => ({ title: '@everyone <@1>', lead: { text: nasty, source: { doc: 'd', title: 't', outlet: '@here', published: null, url: null, start: 0, end: 1 } } })));
  const text = JSON.stringify(messages);
  assert.doesNotMatch(text, /@everyone|@here/);
  assert.deepEqual(messages[0]!.allowed_mentions, { parse: [] });
});

test('fitting escaped text never exceeds the limit nor leaves a dangling backslash', () => {
  const raw = '*_'.repeat(500);
  for (const max of [1, 2, 10, 99, 100, 256]) {
    const out = escapeAndFit(raw, max);
    assert.ok(length(out) <= max, `${length(out)} ≤ ${max}`);
    assert.doesNotMatch(out, /(^|[^\\])(\\\\)*\\…$/);
  }
});
