/** How live sources look on Discord: text from the web is inert, lists and choices stay within Discord's limits. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderArticleAdded, renderArticleChoices, renderFeedChoices, renderFeedList, renderFeedPaused, renderNotAdded } from '../../src/bot/render-sources.js';
import type { FeedView } from '../../src/sources/registry.js';
import type { StoredArticle } from '../../src/sources/store.js';

const GUILD = '111111111111111111';

function feed(n: number, overrides: Partial<FeedView> = {}): FeedView {
  return {
    url: `https://courier.test/feeds/${n}.xml`,
    title: `Feed ${n}`,
    every: 10,
    lastPolledAt: '2031-05-04T08:00:00.000Z',
    lastAddedAt: null,
    failures: 0,
    paused: null,
    lastError: null,
    guild: GUILD,
    member: '222222222222222222',
    channel: null,
    addedAt: '2031-05-01T00:00:00.000Z',
    ...overrides,
  };
}

test('a hostile feed title cannot mention, format or link', () => {
  const hostile = feed(1, { title: '@everyone **Breaking** [click](https://evil.test) <@123>', paused: 'paused after 3 failed polls in a row: @here' });
  for (const message of [renderFeedList([hostile], GUILD), renderFeedPaused(hostile)]) {
    const text = message.embeds.map((e) => e.description ?? '').join('\n');
    assert.ok(!text.includes('@everyone') && !text.includes('@here'), text);
    assert.ok(text.includes('\\*\\*Breaking\\*\\*'), text);
    assert.ok(!text.includes('<@123>'), text);
    assert.deepEqual(message.allowedMentions, { parse: [] });
  }
});

test('a long feed list fits one embed and says how many are not shown', () => {
  const feeds = Array.from({ length: 80 }, (_, i) => feed(i, { title: `A rather long feed title number ${i} `.repeat(3), failures: i % 3, lastError: i % 3 ? 'courier.test answered 500' : null }));
  const message = renderFeedList(feeds, GUILD);
  assert.ok(message.embeds[0]!.description!.length <= 4096);
  assert.match(message.embeds[0]!.description!, /…and \d+ more$/);
  assert.match(message.embeds[0]!.footer!.text, /^80 feeds$/);
});

test('choices: at most 25, names and values within 100 characters, values that Discord can carry', () => {
  const feeds = Array.from({ length: 30 }, (_, i) => feed(i, { title: 'T'.repeat(150) }));
  feeds.push(feed(99, { url: `https://courier.test/${'x'.repeat(120)}` }));
  const choices = renderFeedChoices(feeds);
  assert.equal(choices.length, 25);
  assert.ok(choices.every((c) => c.name.length <= 100 && c.value.length <= 100));
  const article: StoredArticle = { doc: 'fetched/courier.test/2031-05-04-a.md', path: 'courier.test/2031-05-04-a.md', title: 'Quillmarsh  harbour\ndispute', outlet: null, published: null, url: null, canonical: null, words: 120, guild: GUILD, feed: null };
  assert.deepEqual(renderArticleChoices([article, { ...article, doc: `fetched/${'y'.repeat(120)}.md` }]), [{ name: 'Quillmarsh harbour dispute', value: article.doc }]);
});

test('what was stored, and why not, in words', () => {
  const added = renderArticleAdded({ doc: 'fetched/files/2031-05-04-a.md', title: 'Quillmarsh harbour dispute', outlet: null, published: null, url: 'javascript:alert(1)', words: 312 });
  const text = added.embeds[0]!.description!;
  assert.match(text, /\*\*Quillmarsh harbour dispute\*\*\nno date stated · 312 words/);
  assert.ok(!text.includes('javascript:'), 'only http(s) links are made');
  assert.match(renderNotAdded('https://courier.test/x', 'not an article: fewer than 50 words of text').embeds[0]!.description!, /^Not added: https\\:\/\/courier\.test\/x\nnot an article: fewer than 50 words of text$/);
});
