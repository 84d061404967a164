/**
 * The fetcher against the local fake news site: validators and 304,
 * Retry-After, errors, redirects (a private address and cloud metadata
 * refused even with loopback allowed), the deadline, the size cap, gzip and
 * brotli, cookies, and the address guard itself (DNS rebinding included).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addressPolicyFrom, addressRefusal, guardedLookup, type Resolver } from '../../src/sources/guard.js';
import { Fetcher, parseFetchUrl, redactUrl, retryAfterMs } from '../../src/sources/http.js';
import { isSourceError, type SourceErrorId } from '../../src/sources/errors.js';
import { RobotsRules } from '../../src/sources/robots.js';
import { startFakeNewsSite, type FakeNewsSite } from './fake-news-site.js';

async function refused(promise: Promise<unknown>, identifier: SourceErrorId, words?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isSourceError(error), `expected a SourceError, got ${String(error)}`);
    assert.equal(error.identifier, identifier, error.message);
    if (words) assert.match(error.message, words);
    return true;
  });
}

describe('the address guard', () => {
  test('public unicast is allowed; loopback, private, link-local, metadata and the rest are refused by default', () => {
    assert.equal(addressRefusal('93.184.216.34', 'public'), null);
    assert.equal(addressRefusal('2606:2800:220:1:248:1893:25c8:1946', 'public'), null);
    for (const address of ['127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.100.100.200', '0.0.0.0', '::1', 'fd00:ec2::254', 'fe80::1', '::ffff:10.0.0.1', '::ffff:127.0.0.1', '224.0.0.1']) {
      assert.notEqual(addressRefusal(address, 'public'), null, address);
    }
  });
  test('"loopback" allows only loopback beyond public addresses', () => {
    assert.equal(addressRefusal('127.0.0.1', 'loopback'), null);
    assert.equal(addressRefusal('::1', 'loopback'), null);
    assert.match(addressRefusal('10.0.0.1', 'loopback') ?? '', /private network/);
    assert.match(addressRefusal('169.254.169.254', 'loopback') ?? '', /link-local/);
    assert.equal(addressRefusal('10.0.0.1', 'any'), null);
  });
  test('FETCH_ALLOW_PRIVATE values', () => {
    assert.equal(addressPolicyFrom(undefined), 'public');
    assert.equal(addressPolicyFrom('false'), 'public');
    assert.equal(addressPolicyFrom('loopback'), 'loopback');
    assert.equal(addressPolicyFrom('TRUE'), 'any');
    assert.equal(addressPolicyFrom('maybe'), null);
  });
  test('a name is refused when any address it resolves to is private, and the checked address is the one handed to the connection', async () => {
    const lookup = (resolver: Resolver, all: boolean) =>
      new Promise<{ error: unknown; address: unknown }>((resolve) =>
        guardedLookup('public', resolver)('news.example', { all }, (error, address) => resolve({ error, address })),
      );
    const rebinding: Resolver = async () => [{ address: '93.184.216.34', family: 4 }, { address: '10.0.0.1', family: 4 }];
    const bad = await lookup(rebinding, true);
    assert.ok(isSourceError(bad.error) && bad.error.identifier === 'PrivateAddress');
    const good = await lookup(async () => [{ address: '93.184.216.34', family: 4 }], false);
    assert.equal(good.error, null);
    assert.equal(good.address, '93.184.216.34');
  });
  test('addresses: only http(s), no credentials; redaction for logs', () => {
    assert.throws(() => parseFetchUrl('ftp://example.com/x'), /only http and https/);
    assert.throws(() => parseFetchUrl('file:///etc/passwd'), /only http and https/);
    assert.throws(() => parseFetchUrl('https://user:pw@example.com/'), /user name or password/);
    assert.throws(() => parseFetchUrl('not a url'), /not a web address/);
    assert.equal(redactUrl('https://user:secret@example.com/a'), 'https://example.com/a');
    assert.equal(retryAfterMs('120'), 120_000);
    assert.equal(retryAfterMs(new Date(Date.now() + 60_000).toUTCString())! > 50_000, true);
    assert.equal(retryAfterMs('soon'), null);
  });
});

describe('fetching from the fake news site', () => {
  let site: FakeNewsSite;
  const fetcher = (options: Partial<ConstructorParameters<typeof Fetcher>[0]> = {}) => new Fetcher({ addresses: 'loopback', hostIntervalMs: 0, timeoutMs: 10_000, ...options });
  before(async () => {
    site = await startFakeNewsSite();
  });
  after(() => site.close());

  test('loopback is refused unless allowed', async () => {
    await refused(new Fetcher({ addresses: 'public', hostIntervalMs: 0 }).get({ url: `${site.origin}/feed.rss`, accept: '*/*' }), 'PrivateAddress', /loopback/);
    assert.equal(site.hits.get('/feed.rss') ?? 0, 0, 'no request was made');
  });

  test('a conditional GET with the ETag gets 304 and no body; the User-Agent names Sitrep; no cookies are sent', async () => {
    const f = fetcher();
    const first = await f.get({ url: `${site.origin}/feed.rss`, accept: 'application/rss+xml' });
    assert.equal(first.status, 200);
    assert.ok(first.etag);
    assert.match(String(site.lastHeaders.get('/feed.rss')?.['user-agent']), /^Sitrep\//);
    const second = await f.get({ url: `${site.origin}/feed.rss`, accept: 'application/rss+xml', etag: first.etag, lastModified: first.lastModified });
    assert.equal(second.notModified, true);
    assert.equal(second.body.length, 0);
    assert.equal(site.lastHeaders.get('/feed.rss')?.['if-modified-since'], first.lastModified);
    await f.get({ url: `${site.origin}/cookie`, accept: 'text/html' });
    await f.get({ url: `${site.origin}/cookie`, accept: 'text/html' });
    assert.equal(site.lastHeaders.get('/cookie')?.cookie, undefined);
  });

  test('429 with Retry-After: refused, and the site is not asked again before then', async () => {
    const f = fetcher();
    await refused(f.get({ url: `${site.origin}/busy`, accept: '*/*' }), 'RateLimited', /429.*120 s/);
    const before = site.hits.get('/feed.json') ?? 0;
    await refused(f.get({ url: `${site.origin}/feed.json`, accept: '*/*' }), 'RateLimited', /left alone until/);
    assert.equal(site.hits.get('/feed.json') ?? 0, before, 'nothing was sent to the resting site');
    assert.ok(f.retryAt(site.origin)! > Date.now() + 100_000);
  });

  test('500, 404, a wrong content type and an unknown encoding are answered, not thrown past', async () => {
    await refused(fetcher().get({ url: `${site.origin}/broken`, accept: '*/*' }), 'HttpStatus', /500/);
    await refused(fetcher().get({ url: `${site.origin}/missing`, accept: '*/*' }), 'HttpStatus', /404/);
    const image = await fetcher().get({ url: `${site.origin}/image.png`, accept: '*/*' });
    assert.equal(image.contentType, 'image/png');
  });

  test('redirects are followed and checked: at most 5, never to a private or metadata address, never to another scheme', async () => {
    const moved = await fetcher().get({ url: `${site.origin}/moved`, accept: 'text/html' });
    assert.match(moved.url, /\/news\/oyster-beds$/);
    await refused(fetcher().get({ url: `${site.origin}/loop`, accept: '*/*' }), 'TooManyRedirects');
    assert.equal(site.hits.get('/loop'), 6, 'the first request and five redirects');
    await refused(fetcher().get({ url: `${site.origin}/to-private`, accept: '*/*' }), 'PrivateAddress', /10\.0\.0\.1.*private network/);
    await refused(fetcher().get({ url: `${site.origin}/to-metadata`, accept: '*/*' }), 'PrivateAddress', /169\.254\.169\.254/);
    await refused(fetcher().get({ url: `${site.origin}/to-file`, accept: '*/*' }), 'BadAddress', /only http and https/);
  });

  test('a slow answer times out; oversized bodies (declared, streamed, or a gzip bomb) are cut off', async () => {
    const started = Date.now();
    await refused(fetcher({ timeoutMs: 300 }).get({ url: `${site.origin}/slow`, accept: '*/*' }), 'Timeout');
    assert.ok(Date.now() - started < 2000);
    // A generous deadline: the cap, not the clock, must stop these (the machine may be busy).
    const patient = fetcher({ timeoutMs: 15_000 });
    await refused(patient.get({ url: `${site.origin}/huge`, accept: '*/*' }), 'TooLarge', /5\.0 MB/);
    await refused(patient.get({ url: `${site.origin}/huge-declared`, accept: '*/*' }), 'TooLarge');
    await refused(patient.get({ url: `${site.origin}/zip-bomb`, accept: '*/*' }), 'TooLarge');
  });

  test('gzip and brotli bodies are decompressed', async () => {
    const gz = await fetcher().get({ url: `${site.origin}/feed.gz`, accept: '*/*' });
    const br = await fetcher().get({ url: `${site.origin}/feed.br`, accept: '*/*' });
    assert.match(gz.body.toString('utf8'), /^<\?xml/);
    assert.equal(gz.body.toString('utf8'), br.body.toString('utf8'));
  });

  test('one request per site per interval', async () => {
    const f = fetcher({ hostIntervalMs: 250 });
    const started = Date.now();
    await Promise.all([1, 2, 3].map(() => f.get({ url: `${site.origin}/feed.json`, accept: '*/*' })));
    assert.ok(Date.now() - started >= 480, `three requests took ${Date.now() - started} ms`);
  });

  test('robots.txt: a disallowed page is refused, others allowed', async () => {
    const robots = new RobotsRules(fetcher());
    await robots.assertAllowed(`${site.origin}/news/harbour-dispute`);
    await refused(robots.assertAllowed(`${site.origin}/private/secret-memo`), 'RobotsDisallowed', /robots\.txt/);
    assert.equal(site.hits.get('/robots.txt'), 1, 'robots.txt is read once per site');
  });
});

describe('the checked address is the one connected to', () => {
  test('a name resolving to loopback connects under "loopback" and is refused under "public"', async () => {
    const site = await startFakeNewsSite();
    try {
      const port = new URL(site.origin).port;
      const resolver: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
      const ok = await new Fetcher({ addresses: 'loopback', hostIntervalMs: 0, resolver }).get({ url: `http://courier.test:${port}/feed.json`, accept: '*/*' });
      assert.equal(ok.status, 200);
      await refused(new Fetcher({ addresses: 'public', hostIntervalMs: 0, resolver }).get({ url: `http://courier.test:${port}/feed.json`, accept: '*/*' }), 'PrivateAddress', /courier\.test resolves to this machine/);
      assert.equal(site.hits.get('/feed.json'), 1);
    } finally {
      await site.close();
    }
  });
});
