/**
 * Feeds and stored articles, end to end without the network: the fake news
 * site on 127.0.0.1 serves feeds and pages; Sources (the same object the CLI
 * and the bot use) follows, polls, stores; the real engine indexes the stored
 * files and cites them verbatim.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LiveBriefing } from '../../src/engine/live.js';
import { readFeed } from '../../src/sources/feed.js';
import { Fetcher } from '../../src/sources/http.js';
import { Sources } from '../../src/sources/index.js';
import { isSourceError } from '../../src/sources/errors.js';
import type { FeedView } from '../../src/sources/registry.js';
import { startFeedScheduler } from '../../src/sources/schedule.js';
import { createLogger } from '../../src/log.js';
import { ARTICLES, articleHtml, startFakeNewsSite, type FakeNewsSite } from './fake-news-site.js';

let site: FakeNewsSite;
before(async () => {
  site = await startFakeNewsSite();
});
after(() => site.close());

function freshSources(extra: Partial<ConstructorParameters<typeof Sources>[0]> = {}) {
  const corpusDir = mkdtempSync(join(tmpdir(), 'sitrep-feeds-'));
  const paused: FeedView[] = [];
  const stored: string[][] = [];
  const sources = new Sources({
    corpusDir,
    addresses: 'loopback',
    hostIntervalMs: 0,
    timeoutMs: 10_000,
    onPaused: async (feed) => void paused.push(feed),
    onStored: async (added) => void stored.push(added.map((a) => a.doc)),
    ...extra,
  });
  return { corpusDir, sources, paused, stored };
}

describe('reading feeds', () => {
  test('RSS 2.0, RSS 1.0 (RDF), Atom and JSON Feed give the same links, titles and dates', async () => {
    const fetcher = new Fetcher({ addresses: 'loopback', hostIntervalMs: 0 });
    const links = ARTICLES.map((a) => `${site.origin}/news/${a.slug}`).sort();
    for (const path of ['/feed.atom', '/feed.rdf', '/feed.json', '/feed.gz']) {
      const r = await fetcher.get({ url: `${site.origin}${path}`, accept: '*/*' });
      const feed = await readFeed(r.body, r.contentType, r.charset, r.url);
      assert.deepEqual(feed.items.map((i) => i.link).sort(), links, path);
      assert.deepEqual(feed.items.map((i) => i.published).sort(), ARTICLES.map((a) => a.published).sort(), path);
      assert.ok(feed.items.every((i) => i.title && i.key), path);
      assert.ok(feed.title, path);
    }
  });
  test('a web page is not a feed, and the refusal names the feed the page links to', async () => {
    await assert.rejects(
      readFeed(Buffer.from('<!doctype html><html><head><link rel="alternate" type="application/atom+xml" href="/atom.xml"></head><body>Hi</body></html>'), 'text/html', null, 'https://courier.test/'),
      (error: unknown) => isSourceError(error) && error.identifier === 'NotAFeed' && /web page.*https:\/\/courier\.test\/atom\.xml/.test(error.message),
    );
    await assert.rejects(readFeed(Buffer.from('{"not": "a feed"'), 'application/json', null, 'https://courier.test/'), /broken JSON/);
    await assert.rejects(readFeed(Buffer.from('<?xml version="1.0"?><note>hi</note>'), 'application/xml', null, 'https://courier.test/'), /not RSS, Atom or JSON Feed/);
  });
});

describe('following a feed', () => {
  let env: ReturnType<typeof freshSources>;
  beforeEach(() => {
    env = freshSources();
    site.feedArticles = ARTICLES.slice(0, 2);
    site.routes.clear();
  });

  test('added → polled: every item stored once as text with front matter, cited verbatim by the engine; the next poll is a 304 and fetches nothing else', async () => {
    const feedUrl = `${site.origin}/feed.rss`;
    const { feed } = await env.sources.addFeed(feedUrl);
    assert.equal(feed.title, 'The Quillmarsh Courier');
    assert.equal(feed.every, 10);
    const pagesBefore = site.hits.get('/news/harbour-dispute') ?? 0;
    const [first] = await env.sources.poll(feedUrl);
    assert.equal(first!.error, null);
    assert.equal(first!.added.length, 2, JSON.stringify(first));
    const harbour = first!.added.find((a) => a.url?.endsWith('/news/harbour-dispute'))!;
    assert.ok(harbour, 'the harbour article was stored');
    assert.match(harbour.doc, /^fetched\/127\.0\.0\.1-\d+\/2031-05-04-quillmarsh-harbour-dispute-reaches-the-tribunal\.md$/);
    assert.equal(harbour.published, '2031-05-04');
    assert.equal(harbour.title, 'Quillmarsh harbour dispute reaches the tribunal');
    const file = readFileSync(join(env.corpusDir, harbour.doc), 'utf8');
    for (const key of ['title:', 'outlet:', 'published:', 'author:', 'url:', 'canonical:', 'fetched:']) assert.ok(file.includes(`\n${key}`), `front matter has ${key}`);
    assert.ok(!/<[a-z]/i.test(file), 'no markup is stored');
    assert.ok(!file.includes('Most read'), 'page furniture is not stored');
    assert.deepEqual(env.stored, [first!.added.map((a) => a.doc)], 'the engine is told once per poll');

    const live = new LiveBriefing(env.corpusDir);
    await live.refresh();
    const hit = live.briefing.search('tribunal dredging silt barges').results[0]!;
    assert.equal(hit.source.doc, harbour.doc);
    assert.equal(hit.source.url, `${site.origin}/news/harbour-dispute`);
    assert.equal(readFileSync(join(env.corpusDir, hit.source.doc), 'utf8').slice(hit.source.start, hit.source.end), hit.text);

    const [second] = await env.sources.poll(feedUrl);
    assert.equal(second!.added.length, 0);
    assert.equal(second!.error, null);
    assert.equal(site.hits.get('/news/harbour-dispute'), pagesBefore + 1, 'each page is fetched with one GET, once');

    site.feedArticles = ARTICLES.slice(0, 3);
    const [third] = await env.sources.poll(feedUrl);
    assert.deepEqual(third!.added.map((a) => a.title), ['Oyster growers count the cost of silt']);
    assert.equal(site.hits.get('/news/harbour-dispute'), pagesBefore + 1, 'items already seen are never fetched again');
  });

  test('the same articles through another feed format are recognised without fetching them again; add of a stored URL says where it is', async () => {
    await env.sources.addFeed(`${site.origin}/feed.rss`);
    await env.sources.poll(`${site.origin}/feed.rss`);
    const hits = site.hits.get('/news/ferry-route');
    await env.sources.addFeed(`${site.origin}/feed.json`);
    const [poll] = await env.sources.poll(`${site.origin}/feed.json`);
    assert.equal(poll!.added.length, 1, 'only the article the first feed did not list');
    assert.ok(poll!.skipped.every((s) => /already in the sources as “/.test(s.reason)), JSON.stringify(poll!.skipped));
    assert.equal(site.hits.get('/news/ferry-route'), hits);
    const { added, skipped } = await env.sources.add([`${site.origin}/news/ferry-route`]);
    assert.equal(added.length, 0);
    assert.match(skipped[0]!.reason, /already in the sources as “New ferry route to Tarnholm delayed by dredging row”/);
  });

  test('add: every kind of bad input gets its reason; nothing else stops', async () => {
    site.routes.set('/copy', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(articleHtml(ARTICLES[2]!, site.origin, { canonical: `${site.origin}/news/elsewhere` }));
    });
    const inputs = [
      `${site.origin}/short`,
      `${site.origin}/image.png`,
      `${site.origin}/to-private`,
      `${site.origin}/private/secret-memo`,
      `${site.origin}/feed.rss`,
      `${site.origin}/broken`,
      `${site.origin}/huge`,
      'ftp://example.com/x',
      '/no/such/file.html',
      `${site.origin}/moved`,
      `${site.origin}/copy`,
    ];
    const { added, skipped } = await env.sources.add(inputs);
    const reason = (input: string) => skipped.find((s) => s.input === input)?.reason ?? '(added)';
    assert.match(reason(inputs[0]!), /not an article: fewer than 50 words of text/);
    assert.match(reason(inputs[1]!), /not a web page: the address sent image\/png/);
    assert.match(reason(inputs[2]!), /10\.0\.0\.1.*private network/);
    assert.match(reason(inputs[3]!), /robots\.txt does not allow/);
    assert.match(reason(inputs[4]!), /is a feed.*feeds add/);
    assert.match(reason(inputs[5]!), /answered 500/);
    assert.match(reason(inputs[6]!), /over the 5\.0 MB limit/);
    assert.match(reason(inputs[7]!), /only http and https/);
    assert.match(reason(inputs[8]!), /no such file/);
    assert.deepEqual(added.map((a) => a.title), ['Oyster growers count the cost of silt'], 'the redirected page is stored');
    assert.match(reason(inputs[10]!), /already in the sources as “Oyster growers count the cost of silt”.*same text/, 'the same text under another address is stored once');
    assert.equal(skipped.length, inputs.length - 1);
  });

  test('a failing feed pauses itself after three failed polls with the reason, said once; the scheduler leaves it alone; a manual poll that works resumes it', async () => {
    let failing = false;
    site.routes.set('/flaky.rss', (req, res) => {
      if (failing) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('oops');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(`<?xml version="1.0"?><rss version="2.0"><channel><title>Flaky</title><link>${site.origin}</link></channel></rss>`);
    });
    const url = `${site.origin}/flaky.rss`;
    await env.sources.addFeed(url, { guild: '111111111111111111', member: '222222222222222222', channel: '333333333333333333' });
    failing = true;
    for (let i = 1; i <= 3; i++) {
      const [poll] = await env.sources.poll();
      assert.match(poll!.error ?? '', /answered 500/);
      assert.equal(poll!.view!.failures, i);
    }
    const [listed] = await env.sources.listFeeds();
    assert.match(listed!.paused ?? '', /^paused after 3 failed polls in a row: .*answered 500/);
    assert.equal(env.paused.length, 1, 'said once');
    assert.equal(env.paused[0]!.channel, '333333333333333333');
    const hits = site.hits.get('/flaky.rss');
    const [skipped] = await env.sources.poll();
    assert.match(skipped!.error ?? '', /^paused/);
    assert.equal(site.hits.get('/flaky.rss'), hits, 'a paused feed is not fetched by the schedule');
    await env.sources.pollScheduled(url);
    assert.equal(env.paused.length, 1, 'still said only once');
    failing = false;
    const [manual] = await env.sources.poll(url);
    assert.equal(manual!.error, null);
    assert.equal(manual!.view!.paused, null);
    assert.equal(manual!.view!.failures, 0);
  });

  test('429 with Retry-After does not count as a failure and the feed waits', async () => {
    let busy = false;
    site.routes.set('/busy.rss', (_req, res) => {
      if (busy) {
        res.writeHead(429, { 'retry-after': '90' });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(`<?xml version="1.0"?><rss version="2.0"><channel><title>Busy</title></channel></rss>`);
    });
    const url = `${site.origin}/busy.rss`;
    await env.sources.addFeed(url);
    busy = true;
    const [poll] = await env.sources.poll(url);
    assert.match(poll!.error ?? '', /429.*90 s/);
    assert.equal(poll!.view!.failures, 0);
    const stored = JSON.parse(readFileSync(join(env.sources.registry.dir, readdirSync(env.sources.registry.dir).find((n) => n.endsWith('.json'))!), 'utf8')) as { retryAt: string };
    assert.ok(Date.parse(stored.retryAt) > Date.now() + 60_000, 'the wait is on disk, for every process');
  });

  test('a web page given as a feed, a 404 and a private address are refused when added; nothing is registered', async () => {
    await assert.rejects(env.sources.addFeed(`${site.origin}/front-page`), /not a feed: the address is a web page.*names a feed at .*\/feed\.rss/);
    await assert.rejects(env.sources.addFeed(`${site.origin}/missing`), /answered 404/);
    await assert.rejects(env.sources.addFeed(`${site.origin}/to-metadata`), /169\.254\.169\.254/);
    await assert.rejects(env.sources.addFeed(`${site.origin}/feed.rss`, { every: 1 }), /from 2 to/);
    assert.deepEqual(await env.sources.listFeeds(), []);
  });

  test('the feed list is plain files: it survives a restart, an operator can edit it, and only the server that added a feed removes it', async () => {
    const url = `${site.origin}/feed.atom`;
    await env.sources.addFeed(url, { every: 30, guild: '111111111111111111', member: '222222222222222222' });
    await assert.rejects(env.sources.addFeed(url), /already followed/);
    const reopened = new Sources({ corpusDir: env.corpusDir, addresses: 'loopback', hostIntervalMs: 0 });
    const [feed] = await reopened.listFeeds();
    assert.equal(feed!.every, 30);
    assert.equal(feed!.guild, '111111111111111111');
    const file = join(reopened.registry.dir, readdirSync(reopened.registry.dir).find((n) => n.endsWith('.json'))!);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"every": 30', '"every": 45'));
    assert.equal((await reopened.listFeeds())[0]!.every, 45);
    await assert.rejects(reopened.removeFeed(url, '999999999999999999'), /added by another server/);
    assert.equal((await reopened.removeFeed(url, '111111111111111111')).url, url);
    assert.deepEqual(await reopened.listFeeds(), []);
  });

  test('one feed is never polled twice at once: a second poll while the first runs does nothing', async () => {
    let release: () => void = () => undefined;
    site.routes.set('/held.rss', (_req, res) => {
      const answer = () => {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.end(`<?xml version="1.0"?><rss version="2.0"><channel><title>Held</title></channel></rss>`);
      };
      if (site.hits.get('/held.rss')! >= 2) release = answer;
      else answer();
    });
    const url = `${site.origin}/held.rss`;
    await env.sources.addFeed(url);
    const first = env.sources.poll(url);
    while ((site.hits.get('/held.rss') ?? 0) < 2) await new Promise((r) => setTimeout(r, 10));
    const [second] = await env.sources.poll(url);
    assert.equal(second!.busy, true);
    assert.match(second!.error ?? '', /another poll of this feed is running/);
    release();
    const [done] = await first;
    assert.equal(done!.error, null);
    assert.equal(site.hits.get('/held.rss'), 2, 'the second poll sent nothing');
  });

  test('without Redis, due feeds are polled by a timer in the process', async () => {
    const url = `${site.origin}/feed.rss`;
    await env.sources.addFeed(url);
    const scheduler = await startFeedScheduler({ sources: env.sources, log: createLogger({ level: 'error' }), redisUrl: null, reconcileMs: 50 });
    try {
      const deadline = Date.now() + 5000;
      while (!(await env.sources.listFeeds())[0]!.lastPolledAt && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const [feed] = await env.sources.listFeeds();
      assert.ok(feed!.lastPolledAt, 'polled');
      assert.ok(feed!.lastAddedAt, 'and its articles stored');
      const polledAt = feed!.lastPolledAt;
      await new Promise((r) => setTimeout(r, 200));
      assert.equal((await env.sources.listFeeds())[0]!.lastPolledAt, polledAt, 'not again before `every` minutes');
    } finally {
      await scheduler.close();
    }
  });

  test('a fetched folder that cannot be written gives a clear reason', async () => {
    const blocker = join(env.corpusDir, 'blocked');
    writeFileSync(blocker, 'a file where the folder should be');
    const { sources } = freshSources({ corpusDir: env.corpusDir, fetchedDir: blocker });
    const { skipped } = await sources.add([`${site.origin}/news/oyster-beds`]);
    assert.match(skipped[0]!.reason, /cannot store articles in .*blocked/);
    await assert.rejects(sources.addFeed(`${site.origin}/feed.json`), /cannot keep the feed list in .*blocked/);
  });
});

describe('pages and fetched articles in the corpus', () => {
  test('an .html page dropped into the corpus is indexed through its text, once, and follows the page', async () => {
    const { corpusDir, sources } = freshSources();
    writeFileSync(join(corpusDir, 'courier.html'), articleHtml(ARTICLES[1]!, 'https://courier.test'));
    const live = new LiveBriefing(corpusDir);
    await live.refresh();
    const docs = live.briefing.sources().documents.map((d) => d.doc);
    assert.deepEqual(docs, ['fetched/local/courier.html.md']);
    const hit = live.briefing.search('Bellwake Lines refund tickets').results[0]!;
    assert.equal(readFileSync(join(corpusDir, hit.source.doc), 'utf8').slice(hit.source.start, hit.source.end), hit.text);
    assert.ok(!hit.text.includes('<'));
    await live.refresh();
    assert.equal(live.briefing.sources().documents.length, 1, 'not indexed twice');
    const { skipped } = await sources.add([join(corpusDir, 'courier.html')]);
    assert.match(skipped[0]!.reason, /already in the sources as .*fetched\/local\/courier\.html\.md/);
    unlinkSync(join(corpusDir, 'courier.html'));
    await live.refresh();
    assert.equal(live.briefing.sources().documents.length, 0);
    assert.equal(existsSync(join(corpusDir, 'fetched/local/courier.html.md')), false);
  });

  test('a page whose text cannot be stored is a warning; the corpus still loads', async () => {
    const corpusDir = mkdtempSync(join(tmpdir(), 'sitrep-ro-pages-'));
    writeFileSync(join(corpusDir, 'note.txt'), `${ARTICLES[0]!.paragraphs.join('\n\n')}\n`);
    writeFileSync(join(corpusDir, 'page.html'), articleHtml(ARTICLES[1]!, 'https://courier.test'));
    const blocked = join(corpusDir, 'not-a-folder');
    writeFileSync(blocked, 'x');
    const warnings: string[] = [];
    const log = createLogger({ level: 'warn', write: (line) => void warnings.push(line) });
    const live = new LiveBriefing(corpusDir, { fetchedDir: blocked, log });
    await live.refresh();
    assert.deepEqual(live.briefing.sources().documents.map((d) => d.doc), ['note.txt']);
    assert.ok(warnings.some((w) => /page\.html.*cannot be stored.*set FETCHED_DIR to a writable folder/.test(w)), warnings.join('\n'));
  });

  test('FETCHED_DIR outside the corpus folder: indexed with it, document ids are paths that exist', async () => {
    const corpusDir = mkdtempSync(join(tmpdir(), 'sitrep-ro-corpus-'));
    const fetchedDir = mkdtempSync(join(tmpdir(), 'sitrep-fetched-'));
    const { sources } = freshSources({ corpusDir, fetchedDir });
    const { added } = await sources.add([`${site.origin}/news/oyster-beds`]);
    assert.match(added[0]!.doc, /^\.\.\/sitrep-fetched-[^/]+\/127\.0\.0\.1-\d+\/2031-05-08-oyster-growers-count-the-cost-of-silt\.md$/);
    const live = new LiveBriefing(corpusDir, { fetchedDir });
    await live.refresh();
    const hit = live.briefing.search('Haverkamp photographs plumes').results[0]!;
    assert.equal(hit.source.doc, added[0]!.doc);
    assert.equal(readFileSync(join(corpusDir, hit.source.doc), 'utf8').slice(hit.source.start, hit.source.end), hit.text);
    rmSync(fetchedDir, { recursive: true });
  });
});
