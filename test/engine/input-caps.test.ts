/**
 * The engine's own input caps (src/engine/limits.ts): a forged interaction
 * can send 6,000 characters whatever the command options' max_length says,
 * so names are cut at 100 characters and queries and topics at 200 before
 * any work, a digest topic over 200 is refused, and an address over 2,000
 * is not fetched. Each test puts a word that changes the answer just past
 * the cap, so it fails if the cap is not applied.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCorpus } from '../../src/corpus/load.js';
import { Briefing } from '../../src/engine/briefing.js';
import { MAX_NAME_CHARS, MAX_QUERY_CHARS, MAX_URL_CHARS } from '../../src/engine/limits.js';
import { validateSubscription } from '../../src/digest/subscription.js';
import { isDigestError } from '../../src/digest/errors.js';
import { parseFetchUrl } from '../../src/sources/http.js';
import { isSourceError } from '../../src/sources/errors.js';
import { CORPUS } from '../helpers.js';

const corpus = await loadCorpus(CORPUS);
const briefing = new Briefing(corpus.documents);

/** Words found in no document, `chars` characters of them (whole words). */
function filler(chars: number): string {
  const words: string[] = [];
  for (let i = 0; words.join(' ').length < chars; i++) words.push(`zqv${i.toString(36)}`);
  return words.join(' ');
}

describe('the caps are the ones the commands declare', () => {
  test('names 100, queries and topics 200, addresses 2,000', () => {
    assert.deepEqual([MAX_NAME_CHARS, MAX_QUERY_CHARS, MAX_URL_CHARS], [100, 200, 2000]);
  });
});

describe('a forged over-long value is cut (or refused) by the engine', () => {
  const past = filler(MAX_QUERY_CHARS + 5);

  test('/search: a 6,000-character query is searched as its first 200 characters, with a note', () => {
    assert.ok(briefing.search('Kishida').results.length > 0);
    const forged = `${past} Kishida ${'w'.repeat(6000)}`;
    const result = briefing.search(forged);
    assert.ok(result.query.length <= MAX_QUERY_CHARS, `${result.query.length}`);
    assert.match(result.notes?.[0] ?? '', /trimmed from \d+ to \d+ characters/);
    assert.deepEqual(result.results, [], 'the word past the cap was not searched');
  });

  test('/timeline: a topic is matched on its first 200 characters', () => {
    assert.ok(briefing.timeline({ topic: 'Kishida' }).events.length > 0);
    assert.deepEqual(briefing.timeline({ topic: `${past} Kishida` }).events, []);
  });

  test('/quote: a topic is matched on its first 200 characters, and a speaker cut to 100', () => {
    const about = briefing.quote({ topic: 'Kishida' }).quotes;
    assert.ok(about.length > 0);
    assert.deepEqual(briefing.quote({ topic: `${past} Kishida` }).quotes, []);
    const speaker = briefing.quote({ speaker: 'x'.repeat(6000) }).speaker;
    assert.ok(speaker && speaker.query.length <= MAX_NAME_CHARS, `${speaker?.query.length}`);
  });

  test('/brief: a topic is cut to 200 characters', () => {
    const result = briefing.brief({ topic: `${past} Kishida ${'w'.repeat(6000)}` });
    assert.ok((result.topic ?? '').length <= MAX_QUERY_CHARS, `${result.topic?.length}`);
    assert.doesNotMatch(result.topic ?? '', /Kishida/);
  });

  test('/digest subscribe: a topic of 200 characters is kept, one of 201 refused', () => {
    const request = { guildId: '123456789012345678', channelId: '223456789012345678', time: '09:00', timezone: 'Europe/London', createdBy: '323456789012345678' };
    const at200 = 'a'.repeat(MAX_QUERY_CHARS);
    assert.equal(validateSubscription({ ...request, topic: at200 }).topic, at200);
    assert.throws(
      () => validateSubscription({ ...request, topic: 'a'.repeat(MAX_QUERY_CHARS + 1) }),
      (e: unknown) => isDigestError(e) && e.identifier === 'InvalidTopic' && /longer than 200/.test(e.message),
    );
    assert.throws(() => validateSubscription({ ...request, topic: 'w'.repeat(6000) }), (e: unknown) => isDigestError(e) && e.identifier === 'InvalidTopic');
  });

  test('/article add and /feeds add: an address of 2,000 characters is read, one of 2,001 refused', () => {
    const base = 'https://example.org/';
    assert.equal(parseFetchUrl(base + 'a'.repeat(MAX_URL_CHARS - base.length)).href.length, MAX_URL_CHARS);
    assert.throws(
      () => parseFetchUrl(base + 'a'.repeat(MAX_URL_CHARS - base.length + 1)),
      (e: unknown) => isSourceError(e) && e.identifier === 'BadAddress' && /longer than 2000 characters/.test(e.message),
    );
  });
});
