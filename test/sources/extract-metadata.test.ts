import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractArticle } from '../../src/sources/extract/index.js';
import { normaliseDate } from '../../src/sources/extract/dates.js';
import { decodeHtml } from '../../src/sources/extract/decode.js';

const prose = [
  'The river authority opened the new lock gates on Tuesday morning after three years of delays and rising costs.',
  'Barge operators said the wider chamber would cut waiting times in half, though some doubted the promised schedule.',
  'Engineers spent the final week testing the hydraulic rams under load, working through the night to finish on time.',
  'Local councillors welcomed the opening but asked the authority to publish the full accounts of the project.',
].map((s) => `<p>${s}</p>`).join('\n');

function page(head: string, body = `<article><h1>Lock gates open</h1>${prose}</article>`, htmlAttrs = ''): string {
  return `<!doctype html><html${htmlAttrs}><head>${head}</head><body>${body}</body></html>`;
}

test('JSON-LD NewsArticle gives headline, author, publisher and the date (with its zone, in UTC)', () => {
  const ld = { '@context': 'https://schema.org', '@type': 'NewsArticle', headline: 'Lock gates open at last', author: { '@type': 'Person', name: 'Ines Varga' }, publisher: { '@type': 'Organization', name: 'Canal Courier' }, datePublished: '2023-11-07T23:15:00-05:00' };
  const a = extractArticle(page(`<title>Something else</title><script type="application/ld+json">${JSON.stringify(ld)}</script>`));
  assert.equal(a.title, 'Lock gates open at last');
  assert.equal(a.author, 'Ines Varga');
  assert.equal(a.outlet, 'Canal Courier');
  assert.equal(a.published, '2023-11-08T04:15:00Z');
});

test('JSON-LD in an @graph, with the author and publisher given by @id, and several authors', () => {
  const ld = {
    '@context': 'https://schema.org',
    '@graph': [
      { '@type': 'WebSite', '@id': '#site', name: 'Canal Courier Online' },
      { '@type': 'Organization', '@id': '#org', name: 'Canal Courier' },
      { '@type': 'Person', '@id': '#p1', name: 'Ines Varga' },
      { '@type': ['Article', 'NewsArticle'], headline: 'Lock gates open', author: [{ '@id': '#p1' }, { '@type': 'Person', name: 'Tom Reyes' }], publisher: { '@id': '#org' }, datePublished: '2023-11-07' },
    ],
  };
  const a = extractArticle(page(`<script type="application/ld+json">${JSON.stringify(ld)}</script>`));
  assert.equal(a.author, 'Ines Varga, Tom Reyes');
  assert.equal(a.outlet, 'Canal Courier');
  assert.equal(a.published, '2023-11-07');
});

test('a top-level JSON-LD array is searched for the article; a broken block is skipped for the meta tags', () => {
  const list = [{ '@type': 'BreadcrumbList' }, { '@type': 'BlogPosting', headline: 'From the array', datePublished: '2022-02-02' }];
  const a = extractArticle(page(`<script type="application/ld+json">${JSON.stringify(list)}</script>`));
  assert.equal(a.title, 'From the array');
  assert.equal(a.published, '2022-02-02');
  const b = extractArticle(page(`<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script><meta property="og:title" content="From Open Graph">`));
  assert.equal(b.title, 'From Open Graph');
});

test('Open Graph and article:* properties; an article:author that is a URL is not a name', () => {
  const a = extractArticle(
    page(`<meta property="og:title" content="OG headline"><meta property="og:site_name" content="The Lock Keeper">
      <meta property="article:published_time" content="2021-06-01T08:00:00Z"><meta property="article:author" content="https://social.example/ines">
      <meta name="author" content="Ines Varga"><meta property="og:locale" content="de_DE">`),
  );
  assert.equal(a.title, 'OG headline');
  assert.equal(a.outlet, 'The Lock Keeper');
  assert.equal(a.published, '2021-06-01T08:00:00Z');
  assert.equal(a.author, 'Ines Varga');
  assert.equal(a.language, 'de-DE');
});

test('named meta dates (day-first numbers too), then <time datetime> in the article', () => {
  assert.equal(extractArticle(page('<meta name="date" content="24.07.2015">')).published, '2015-07-24');
  assert.equal(extractArticle(page('<meta name="dc.date.issued" content="2015/07/24">')).published, '2015-07-24');
  const timed = page('', `<article><h1>Lock gates open</h1><p>By staff</p><time datetime="2019-03-05T10:00:00+01:00">5 March</time>${prose}</article>`);
  assert.equal(extractArticle(timed).published, '2019-03-05T09:00:00Z');
  assert.equal(extractArticle(page('')).published, null);
});

test('rel=canonical is resolved against the page address; og:url serves when there is none; other schemes are refused', () => {
  assert.equal(extractArticle(page('<link rel="canonical" href="/news/lock-gates">'), { url: 'https://courier.example/a?b=1' }).canonical, 'https://courier.example/news/lock-gates');
  assert.equal(extractArticle(page('<meta property="og:url" content="https://courier.example/og">')).canonical, 'https://courier.example/og');
  assert.equal(extractArticle(page('<link rel="canonical" href="javascript:alert(1)">')).canonical, null);
  assert.equal(extractArticle(page('<link rel="canonical" href="/relative">')).canonical, null);
});

test('the language comes from <html lang>, else og:locale', () => {
  assert.equal(extractArticle(page('', undefined, ' lang="fr"')).language, 'fr');
  assert.equal(extractArticle(page('<meta property="og:locale" content="en_GB">')).language, 'en-GB');
  assert.equal(extractArticle(page('')).language, null);
});

test('the <title> loses the site name when a heading shows the headline alone', () => {
  const a = extractArticle(page('<title>Lock gates open | Canal Courier</title>'));
  assert.equal(a.title, 'Lock gates open');
  const b = extractArticle(page('<title>Canal Courier - Lock gates open on the river at last</title>', `<div>${prose}</div>`));
  assert.equal(b.title, 'Lock gates open on the river at last');
});

test('entities a page escaped twice in its meta tags are decoded; white space is collapsed', () => {
  const a = extractArticle(page('<meta property="og:title" content="Locks &amp;amp; weirs:&#8217;   a   guide">'));
  assert.equal(a.title, 'Locks & weirs:’ a guide');
});

test('the headline is not part of the body text, and paragraphs are separated by a blank line', () => {
  const a = extractArticle(page('<meta property="og:title" content="Lock gates open">'));
  assert.ok(!a.text.includes('Lock gates open\n'));
  assert.ok(a.text.startsWith('The river authority opened'));
  assert.equal(a.paragraphs.length, 4);
  assert.equal(a.text, a.paragraphs.join('\n\n'));
});

test('dates normalise to YYYY-MM-DD, or to UTC with a time when the page gives a zone', () => {
  const cases: [string, string | null][] = [
    ['2015-07-24', '2015-07-24'],
    ['2015-07-24T10:20:30', '2015-07-24'],
    ['2015-07-24T10:20:30.123+02:00', '2015-07-24T08:20:30Z'],
    ['2015-07-24 23:30:00 -0500', '2015-07-25T04:30:00Z'],
    ['Fri, 24 Jul 2015 10:00:00 GMT', '2015-07-24T10:00:00Z'],
    ['July 24, 2015', '2015-07-24'],
    ['24. Juli 2015', '2015-07-24'],
    ['2015-02-30', null],
    ['yesterday', null],
    ['', null],
  ];
  for (const [input, expected] of cases) assert.equal(normaliseDate(input), expected, input);
});

test('page bytes are decoded in the charset the page declares, else UTF-8, else windows-1252', () => {
  const latin = Buffer.from('<meta charset="iso-8859-1"><p>Gr\u00fc\u00dfe</p>', 'latin1');
  assert.match(decodeHtml(latin), /Grüße/);
  const utf8 = Buffer.from('<p>Grüße</p>', 'utf8');
  assert.match(decodeHtml(utf8), /Grüße/);
  assert.match(decodeHtml(Buffer.from('<p>caf\u00e9</p>', 'latin1')), /café/);
  assert.match(decodeHtml(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8])), /^<p>Grüße/);
  assert.match(decodeHtml(latin, 'text/html; charset=utf-8'), /Grüße/); // the header is wrong, the bytes are not UTF-8
});

test('a stated author is the names alone: "By" before them and a date after them go; a shown byline stays as shown', () => {
  assert.equal(extractArticle(page('<meta name="byl" content="By Ines Varga">')).author, 'Ines Varga');
  assert.equal(extractArticle(page('<meta name="author" content="Ines Varga, May 20, 2019">')).author, 'Ines Varga');
  assert.equal(extractArticle(page('<meta name="author" content="Theresa May">')).author, 'Theresa May');
  assert.equal(extractArticle(page('<meta name="author" content="Von Anna Schmidt · 12.03.2020">')).author, 'Anna Schmidt');
  const shown = extractArticle(page('', `<article><h1>Lock gates open</h1><p class="byline">By Ines Varga</p>${prose}</article>`));
  assert.equal(shown.author, 'By Ines Varga');
});

test('a byline inside a hidden part of the page (the page behind an open dialog) is not the article\'s', () => {
  const body = `<div aria-hidden="true"><span class="author">Someone Else Teaser headline about another story</span></div>
    <div class="dialog"><article><h1>Lock gates open</h1><span class="author">Ines Varga</span>${prose}</article></div>`;
  assert.equal(extractArticle(page('', body)).author, 'Ines Varga');
});

test('a UTF-8 page with one broken byte is still read as UTF-8 (as browsers do); Latin-1 mislabelled as UTF-8 is not', () => {
  const polish = 'Kolejne organizacje sprzeciwiają się atakom, ogłosiło stowarzyszenie. Zażółć gęślą jaźń. '.repeat(20);
  const broken = Buffer.concat([Buffer.from(`<meta charset="UTF-8"><p>${polish}</p>`, 'utf8'), Buffer.from([0xff]), Buffer.from('<p>Koniec.</p>', 'utf8')]);
  const text = decodeHtml(broken);
  assert.match(text, /sprzeciwiają się/);
  assert.match(text, /\ufffd<p>Koniec/);
  const latin = Buffer.from('<meta charset="utf-8"><p>Grüße aus Köln, schöne Grüße, äöü.</p>', 'latin1');
  assert.match(decodeHtml(latin), /Grüße aus Köln/);
});
