import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { DISCORD_LIMITS, embedChars, renderBrief, renderDigest } from '../../src/bot/render.js';
import type { Digest, DigestDocument } from '../../src/digest/content.js';
import type { BriefResult, Citation } from '../../src/types.js';

const cite = (n: number): Citation => ({ doc: `d${n}.md`, title: `Title ${n} `.repeat(20), outlet: 'Harbor Times', published: '2031-05-10', url: `https://example.org/${n}`, start: 0, end: 10, paragraph: 1 });

function brief(documents: number): BriefResult {
  const long = 'word '.repeat(400);
  return {
    topic: null,
    since: '2031-05-10T00:00:00.000Z',
    until: null,
    documents: Array.from({ length: Math.min(documents, 10) }, (_, n) => ({ doc: `d${n}.md`, title: `Title ${n}`, outlet: 'Harbor Times', published: '2031-05-10', url: null })),
    people: Array.from({ length: 8 }, (_, n) => ({ name: `Person ${n} ${'X'.repeat(200)}`, kind: 'person' as const, description: { text: long, source: cite(n) }, mentions: 3, documents: 2 })),
    events: Array.from({ length: 8 }, (_, n) => ({ date: { value: '2031-05-0' + ((n % 9) + 1), precision: 'day' as const, approximate: false }, text: long, source: cite(n) })),
    quotes: Array.from({ length: 5 }, (_, n) => ({ text: long, speaker: { name: `Speaker ${n}`, description: long, mention: 'he' }, source: cite(n) })),
    outlets: [{ outlet: 'Harbor Times', documents }],
    window: 'first-seen',
    suggestions: [],
    totals: { documents, people: 30, events: 40, quotes: 20 },
    latest: null,
  };
}

function fits(embeds: { title?: string; description?: string }[]): void {
  assert.ok(embeds.length <= DISCORD_LIMITS.embedsPerMessage);
  assert.ok(embeds.reduce((n, e) => n + embedChars(e), 0) <= DISCORD_LIMITS.embedTotal);
  for (const e of embeds) assert.ok([...(e.description ?? '')].length <= DISCORD_LIMITS.embedDescription);
}

describe('rendering a brief', () => {
  test('oversized sections still fit one message, with a title per section', () => {
    const message = renderBrief(brief(40));
    fits(message.embeds!);
    assert.deepEqual(message.embeds!.slice(1).map((e) => e.title), ['Who matters', 'What happened', 'Who said what']);
    assert.deepEqual(message.allowedMentions, { parse: [] });
  });
});

describe('a digest rendered as a brief', () => {
  const document = (n: number): DigestDocument => ({ doc: `d${n}.md`, title: `A long enough headline for document number ${n} of the day`, outlet: 'Harbor Times', published: '2031-05-10', url: `https://example.org/${n}`, firstSeenMs: 1, lead: null, quotes: [], events: [] });

  test('a few documents: the brief and the list of documents in one message', () => {
    const digest: Digest = { channelId: '1', topic: null, sinceMs: 0, untilMs: 1, documents: [document(1), document(2)], brief: brief(2) };
    const messages = renderDigest(digest);
    assert.equal(messages.length, 1);
    fits(messages[0]!.embeds);
    assert.deepEqual(messages[0]!.embeds.map((e) => e.title), ['Who matters', 'What happened', 'Who said what', 'New documents']);
    assert.match(messages[0]!.content, /2 new documents/);
  });

  test('many documents: the list continues in further parts, every document listed once, every part within the limits', () => {
    const documents = Array.from({ length: 150 }, (_, n) => document(n));
    const messages = renderDigest({ channelId: '1', topic: null, sinceMs: 0, untilMs: 1, documents, brief: brief(150) });
    assert.ok(messages.length > 1);
    for (const m of messages) fits(m.embeds);
    const lines = messages.flatMap((m) => m.embeds.filter((e) => e.title?.startsWith('New documents')).flatMap((e) => e.description!.split('\n')));
    assert.equal(lines.length, 150);
    for (let n = 0; n < 150; n++) assert.equal(lines.filter((l) => l.includes(`document number ${n} of`)).length, 1, `document ${n}`);
    assert.match(messages[1]!.content, /part 2 of/);
  });
});
