/**
 * The words and messages of /digest: error identifiers become sentences that
 * name the problem, and every message fits Discord's limits however many
 * subscriptions or however hostile the user's text.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_PREVIEW_PARTS,
  renderDigestChange,
  renderDigestList,
  renderDigestPreview,
  type BotMessage,
  type DigestSubscriptionInfo,
} from '../../src/bot/render.js';
import { describeDigestError, isUserError, userMessageFor } from '../../src/bot/errors.js';
import { DigestError, needRedis, type DigestErrorId } from '../../src/digest/errors.js';
import { parseDays, parseTime, parseTimezone } from '../../src/digest/schedule.js';
import { discordErrors } from './messages.js';

function textOf(message: BotMessage): string {
  return [message.content ?? '', ...message.embeds.flatMap((e) => [e.title ?? '', e.description ?? '', e.footer?.text ?? ''])].join('\n');
}

function subscription(n: number, overrides: Partial<DigestSubscriptionInfo> = {}): DigestSubscriptionInfo {
  return {
    channelId: String(200000000000000000n + BigInt(n)),
    time: '09:00',
    timezone: 'America/Argentina/Buenos_Aires',
    days: 'weekdays',
    topic: null,
    paused: false,
    pausedReason: null,
    lastDigestAt: null,
    nextRunAt: '2030-01-07T12:00:00.000Z',
    ...overrides,
  };
}

function thrown(fn: () => unknown): DigestError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DigestError) return error;
    throw error;
  }
  throw new Error('did not throw');
}

describe('digest errors in words', () => {
  test('a bad time, time zone or days names the value, the reason, that nothing was saved, and how to write it', () => {
    assert.equal(describeDigestError(thrown(() => parseTime('24:30'))), '“24:30” is not a time of day I can use: the hour is 00 to 23. Nothing was saved. Give the time as HH:MM, 24-hour, such as 09:00 or 18:30.');
    const zone = describeDigestError(thrown(() => parseTimezone('Berlin')));
    assert.match(zone, /^“Berlin” is not a time zone I know\. Nothing was saved\. Use an IANA name/);
    assert.match(zone, /Did you mean Europe\/Berlin\?$/);
    assert.doesNotMatch(describeDigestError(thrown(() => parseTimezone('Qwxz/Plk'))), /Did you mean/);
    assert.match(describeDigestError(thrown(() => parseDays('mon-xyz'))), /^“mon-xyz” is not a set of days: "mon-xyz" is not a range of day names\. Nothing was saved\./);
  });

  test('a hostile value is shown escaped and cut, never as a mention or markdown', () => {
    const words = describeDigestError(thrown(() => parseTimezone('@everyone **x** <@123456789012345678>')));
    assert.ok(!/@everyone/.test(words) && !/(^|[^\\])\*\*/.test(words) && !/(^|[^\\])<@/.test(words), words);
  });

  test('every identifier has its own words, and none leaks the internal message', () => {
    const ids: DigestErrorId[] = ['DigestsNeedRedis', 'InvalidTime', 'InvalidTimezone', 'InvalidDays', 'InvalidTopic', 'InvalidChannel', 'NotSubscribed'];
    const words = ids.map((id) => describeDigestError(new DigestError(id, 'internal detail', { channelId: '200000000000000001', value: 'x', max: 100 })));
    assert.equal(new Set(words).size, ids.length);
    for (const w of words) assert.ok(!w.includes('internal detail') && !w.includes('sitrep digest:'), w);
    assert.match(words[0]!, /REDIS_URL/);
    assert.match(words[6]!, /^<#200000000000000001> has no digest/);
  });

  test('digest errors count as user errors and reach the user through the one mapping', () => {
    assert.ok(isUserError(needRedis()));
    assert.ok(!isUserError(new Error('boom')));
    assert.match(userMessageFor(needRedis(), '1'), /REDIS_URL/);
    assert.match(userMessageFor(new Error('boom'), '42'), /reference 42/);
  });
});

describe('/digest messages', () => {
  test('a list of 300 digests fits one message and ends with how many were left out', () => {
    const subs = Array.from({ length: 300 }, (_, i) => subscription(i, i % 3 === 0 ? { paused: true, pausedReason: 'paused after 3 failed digests in a row: Missing Permissions (50013)', nextRunAt: null } : {}));
    const message = renderDigestList(subs);
    assert.deepEqual(discordErrors(message), []);
    const description = message.embeds[0]!.description!;
    const shown = (description.match(/^\*\*<#\d+>\*\*/gm) ?? []).length;
    assert.ok(shown > 5 && shown < 300);
    assert.match(description, new RegExp(`…and ${300 - shown} more$`));
    assert.equal(message.embeds[0]!.footer!.text, '300 digests · 100 paused');
  });

  test('topics, time zones and reasons are escaped: no mention, markdown or link can form', () => {
    const hostile = subscription(1, { topic: '@everyone **now** [x](https://evil.example)', paused: true, pausedReason: '<@123456789012345678> _why_', nextRunAt: null });
    const body = textOf(renderDigestList([hostile]));
    assert.ok(!/@everyone/.test(body), body);
    assert.ok(!/(^|[^\\])\*\*now/.test(body) && !/\]\(https/.test(body) && !/(^|[^\\])<@1/.test(body), body);
    assert.match(body, /America\/Argentina\/Buenos\\_Aires/);
    assert.deepEqual(renderDigestList([hostile]).allowedMentions, { parse: [] });
  });

  test('an empty list says how to set a digest up', () => {
    assert.match(textOf(renderDigestList([])), /No channel in this server has a digest yet\. Set one up with \/digest subscribe\./);
  });

  test('a change message states the schedule, next run and warnings', () => {
    const body = (renderDigestChange('created', subscription(2, { topic: 'navy' }), ['I cannot post in <#200000000000000002> yet: I am missing Embed Links there.']).embeds[0]!.description ?? '');
    assert.match(body, /^Digest set up for <#200000000000000002>\.\n09:00 America\/Argentina\/Buenos\\_Aires, weekdays, about “navy”\nNext: <t:1894017600:F> \(<t:1894017600:R>\)/);
    assert.match(body, /⚠️ I cannot post in <#200000000000000002> yet: I am missing Embed Links there\./);
  });

  test('a preview of many parts shows at most three, each marked as a preview, and says how many more there are', () => {
    const part = { content: '**Sitrep digest**: 40 new documents since <t:1:f>', embeds: Array.from({ length: 10 }, (_, i) => ({ title: `Doc ${i}`, description: 'x'.repeat(500) })) };
    const messages = renderDigestPreview('200000000000000003', 0, Array.from({ length: 5 }, () => part));
    assert.equal(messages.length, MAX_PREVIEW_PARTS);
    messages.forEach((m, i) => {
      assert.deepEqual(discordErrors(m), []);
      assert.match(m.content!, new RegExp(`^-# Preview of the next digest for <#200000000000000003> \\(part ${i + 1} of 5\\)\\. Only you see this; nothing was posted\\.`));
    });
    assert.match(messages.at(-1)!.content!, /…and 2 more parts not shown here\.$/);
    assert.match(textOf(renderDigestPreview('200000000000000003', 0, [])[0]!), /Nothing new for <#200000000000000003> since <t:0:f>/);
  });
});
