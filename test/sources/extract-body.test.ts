import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractArticle } from '../../src/sources/extract/index.js';

// Made-up pages: how the body is chosen when the page's structure misleads the rules.
const sentences = [
  'The ferry company said on Monday that the evening crossing to the island will run all year from next spring, after a trial last summer.',
  'Islanders had asked for a late boat for years, because the last one left the harbour before most shops and offices on the mainland closed.',
  'The council will pay for the extra crew during the winter months, when fewer tourists travel to the island and tickets sell slowly.',
  'A new waiting room with heating and a small café is planned for the mainland pier before the summer season, the company said.',
  'Fishermen worry that the larger ferry will crowd the narrow harbour mouth on stormy nights in the autumn, when their boats come home late.',
  'The company promised to publish the full timetable in March, after a last round of talks with the harbour master and the fishermen.',
];
const para = (s: string): string => `<p>${s}</p>`;
const page = (body: string): string => `<html><head><title>Late ferry</title></head><body>${body}</body></html>`;

function assertKept(text: string, kept: string[], dropped: string[] = []): void {
  for (const s of kept) assert.ok(text.includes(s), `kept: ${s}`);
  for (const s of dropped) assert.ok(!text.includes(s), `dropped: ${s}`);
}

test('a box of related links in the middle of the article goes, and the article goes on after it', () => {
  const text = extractArticle(
    page(`<article><h1>Late ferry</h1>${sentences.slice(0, 4).map(para).join('')}
      <p>Related</p><p><a href="/a">Harbour master retires after thirty years</a></p><p><a href="/b">Island school gets new roof</a></p>
      ${sentences.slice(4).map(para).join('')}</article>`),
  ).text;
  assertKept(text, sentences, ['Harbour master retires', 'Island school gets', 'Related']);
});

test('teasers after a related-links marker at the end are not taken for the article resuming', () => {
  const teaser = (t: string): string => `<p><a href="/x">${t}</a></p><p>A short summary of another story on the island that readers may want to read next, with a few more words in it.</p><p>By / On</p>`;
  const text = extractArticle(
    page(`<article><h1>Late ferry</h1>${sentences.map(para).join('')}<p>Lire aussi</p>${teaser('Island school gets new roof')}${teaser('Harbour master retires')}</article>`),
  ).text;
  assertKept(text, sentences, ['A short summary of another story']);
});

test('a heading cell that says "Comment" inside a table does not end the article', () => {
  const rows = ['queued', 'started', 'finished', 'failed']
    .map((s) => `<tr><td><p>${s}</p></td><td><p>The ticket machine moves the booking to the ${s} state and writes the time it happened.</p></td></tr>`)
    .join('');
  const text = extractArticle(
    page(`<article><h1>Late ferry</h1>${sentences.slice(0, 5).map(para).join('')}<table><tr><th><p>State</p></th><th><p>Comment</p></th></tr>${rows}</table>${sentences.slice(5).map(para).join('')}</article>`),
  ).text;
  assertKept(text, [...sentences, 'moves the booking to the failed state']);
});

test('a section whose id is its heading made into a slug is not taken for furniture by the words in it', () => {
  const text = extractArticle(
    page(`<div class="document"><h1>Late ferry</h1>${sentences.slice(0, 2).map(para).join('')}
      <div class="section" id="sharing-the-crossing-with-the-other-islands"><h2>Sharing the crossing with the other islands</h2>${sentences.slice(2, 4).map(para).join('')}</div>
      <div class="section" id="comments-from-the-shared-harbour-board"><h2>Comments from the harbour board</h2>${sentences.slice(4).map(para).join('')}</div></div>
      <div class="share-buttons"><a href="#">Share on the social network</a></div>`),
  ).text;
  assertKept(text, sentences, ['Share on the social network']);
});

test('an article drawn in a "modal" over a page hidden behind it is still found (Readability alone as the second opinion)', () => {
  const text = extractArticle(
    page(`<div aria-hidden="true"><div class="top"><a href="/">Home</a> <a href="/news">News</a></div><p>Weather on the island: mild and dry, with light winds.</p>
      ${Array.from({ length: 40 }, (_, i) => `<p><a href="/story/${i}">Story number ${i} from the island's news desk, with a long headline that goes on and on</a></p>`).join('')}</div>
      <div class="modal-overlay"><div class="story"><h1>Late ferry</h1>${sentences.map(para).join('')}</div></div>`),
  ).text;
  assertKept(text, sentences, ['Weather on the island']);
});

test('a link styled by its class ("popup", "share") inside a sentence stays part of the sentence', () => {
  const text = extractArticle(
    page(`<article><h1>Late ferry</h1>${sentences.slice(0, 3).map(para).join('')}
      <p>The harbour master called the plan <a class="popup" href="#note1">a sensible compromise for everyone</a> and said the pier would be ready in time for the first crossing.</p>
      ${sentences.slice(3).map(para).join('')}</article>`),
  ).text;
  assertKept(text, [...sentences, 'called the plan a sensible compromise for everyone and said the pier']);
});

test('in preformatted text each paragraph counts its own link text (one link does not make every paragraph navigation)', () => {
  const memo = sentences.map((s) => s.replace(/, /g, ',\n')).join('\n\n');
  const text = extractArticle(page(`<pre>${['Documents', 'Plain text', 'Tracker', 'Email the authors', 'Differences', 'Earlier versions', 'Nits and checks', 'Status'].map((l) => `<a href="/${l}">[${l}]</a>`).join(' ')}\n\n${memo}</pre>`)).text;
  for (const s of sentences) assert.ok(text.replace(/\n/g, ' ').includes(s), `kept: ${s}`);
});

test('a page that shows its article only without scripts (<noscript>) is read as a browser without scripts shows it', () => {
  const story = `<h1>Late ferry</h1>${sentences.map(para).join('\n')}`;
  const html = page(`<div class="post"><script type="text/template">${story}</script><noscript>${story}</noscript></div>
    <noscript><img src="/pixel.gif?id=123456789&amp;ref=https%3A%2F%2Fexample.org%2Fa%2Fvery%2Flong%2Faddress"></noscript>`);
  const a = extractArticle(html);
  assert.deepEqual(a.paragraphs, sentences);
  // A "please enable JavaScript" line is not an article: the page stays unread.
  const empty = extractArticle(page(`<div id="app"></div><noscript><p>Please enable JavaScript to use this site.</p></noscript>`));
  assert.equal(empty.text, '');
});

test('the end of an article loses its calls to subscribe, cookie notices, rating widgets and picture credits', () => {
  const text = extractArticle(
    page(`<article><h1>Late ferry</h1>
      <p>Cookies help us run this site. By continuing to browse you agree to our use of cookies.</p>
      ${sentences.slice(0, 3).map(para).join('')}
      <p>The new ferry at the mainland pier during its trial run in the summer. | © Island Photo Agency/Jo Smith</p>
      ${sentences.slice(3).map(para).join('')}
      <p>Was this article helpful?</p><p>(No ratings yet) Loading...</p>
      <p>Sign up for our weekly newsletter and get the island's news every Sunday morning.</p>
      <p>To read more stories like this one, please subscribe: a year costs less than one crossing.</p></article>`),
  ).text;
  assertKept(text, sentences, ['Cookies help us', 'trial run in the summer', 'Was this article', 'Loading', 'Sign up for our weekly', 'please subscribe']);
});

test('an article about cookies or newsletters keeps its paragraphs: only short asks near the end go', () => {
  const about = [
    'Third-party cookies let advertisers follow readers from site to site, and browsers have started to block them by default this year.',
    'Logging in to some sites is impossible without third-party cookies, which is why the browser makers moved slowly and warned in advance.',
    'The newsletter, which the ferry company started in 2019, was the first place where the new timetable appeared, weeks before the website.',
  ];
  const text = extractArticle(page(`<article><h1>Late ferry</h1>${about.map(para).join('')}${sentences.map(para).join('')}</article>`)).text;
  assertKept(text, [...about, ...sentences]);
});

test('more headings that open a box of links ("Weiterführende Links", "Veja também", a table of contents)', () => {
  for (const marker of ['Weiterführende Links', 'Zum Weiterlesen:', 'Neueste Artikel', 'Veja também:', 'Weitere Beiträge aus der Kolumne:', 'Table of contents', 'Weitere Informationen zum Thema:']) {
    const text = extractArticle(
      page(`<article><h1>Late ferry</h1>${sentences.map(para).join('')}<p>${marker}</p><p>Harbour master retires after thirty years on the island</p><p>Island school gets new roof before winter</p></article>`),
    ).text;
    assertKept(text, sentences, [marker.replace(/:$/, ''), 'Harbour master retires', 'Island school gets']);
  }
});

test('ruby readings are not part of the sentence, and Japanese or Chinese text is counted by characters (not "fewer than 50 words")', () => {
  const line = '<p><ruby>法律<rp>(</rp><rt>ほうりつ</rt><rp>)</rp></ruby>では<ruby>虐待<rt>ぎゃくたい</rt></ruby>をした<ruby>親<rt>おや</rt></ruby>に専門家が子どもの育て方を教えたりすることも決まりました。</p>';
  const a = extractArticle(page(`<article><h1>Late ferry</h1>${line}${line.replace('決まりました', '話し合いました')}</article>`));
  assert.equal(a.error, null);
  assert.ok(a.text.startsWith('法律では虐待をした親に専門家が子どもの育て方を教えたりすることも決まりました。'), a.text);
});

test("an article's lead in a box of its own, right before the chosen body, is kept; a dateline or byline there is not", () => {
  const lead = 'Gerade hat die Fährgesellschaft angekündigt, dass die späte Überfahrt zur Insel ab dem nächsten Frühjahr das ganze Jahr über fahren wird, nach einem Versuch im Sommer.';
  const html = page(`<div class="row"><div class="col-md-12"><div class="wrapper"><div class="inner"><p>Harbour Times | 04.05.2015 at 13:36 • Updated 05.05.2015 at 20:13 | By Jo Smith</p></div></div></div></div>
    <div class="row"><div class="col-md-12"><div class="wrapper"><div class="inner"><p>${lead}</p></div></div></div></div>
    <div class="row"><div class="col-md-12"><div class="wrapper"><div class="inner"><p>Von Jo Schmidt</p></div></div></div></div>
    <div class="row"><div class="col-md-12"><div class="wrapper"><div class="inner"><h2>The plan</h2>${sentences.map(para).join('')}${sentences.map((s) => para(s.replace('The ', 'Then the '))).join('')}</div></div></div></div>`);
  const text = extractArticle(html).text;
  assertKept(text, [lead, ...sentences], ['Harbour Times', 'Updated 05.05.2015', 'Jo Schmidt']);
  assert.ok(text.startsWith(lead), text.slice(0, 80));
});

test('an article split over sibling sections of one kind (each deeply wrapped) is joined, a data table between them stepped over', () => {
  const more = [
    'Shop owners in the harbour street welcomed the plan and said they would stay open later on Fridays once the new boat runs.',
    'The island doctor said patients would no longer need to stay overnight on the mainland after an afternoon appointment at the hospital.',
    'Tourist guides expect more day visitors in the shoulder season, when hotels on the island have rooms to spare and prices are lower.',
  ];
  const section = (ps: string[]): string => `<div class="wide-band text-band"><div class="inner"><div class="row"><h2>Ferry news</h2></div><div class="row"><div class="column">${ps.map(para).join('')}</div></div></div></div>`;
  const html = page(`<h1>Late ferry</h1>${section(sentences)}
      <div class="wide-band table-band"><table><tr><td>Crossing</td><td>Departs</td></tr><tr><td>Evening</td><td>21:30</td></tr></table></div>
      ${section(more)}
      <div class="wide-band teaser-band"><div class="inner"><ul><li><a href="/x">Harbour master retires after thirty years at the pier</a></li><li><a href="/y">Island school gets a new roof before winter storms</a></li></ul></div></div>`);
  // The linear chooser (pages too large for Readability) settles on the first section alone without the rule…
  assertKept(extractArticle(html, { strategy: 'rules' }).text, [...sentences, ...more], ['Harbour master retires', 'Island school gets']);
  // …and the default path keeps the whole article too.
  assertKept(extractArticle(html).text, [...sentences, ...more], ['Harbour master retires', 'Island school gets']);
});

test('sibling sections join only when they are of the same kind and hold running text', () => {
  const section = (ps: string[]): string => `<div class="story-part"><div class="inner"><div class="row"><h2>Ferry news</h2></div><div class="column">${ps.map(para).join('')}</div></div></div>`;
  const teaser = (t: string): string => `<div class="story-part"><div class="inner"><div class="column"><p><a href="/t">${t}</a></p></div></div></div>`;
  const html = page(`<h1>Late ferry</h1>${section(sentences)}
      ${teaser('Harbour master retires after thirty years at the pier, and the town plans a farewell party for him in June.')}
      <div class="reader-voices"><div class="inner"><p>A reader from the island writes that the late boat is long overdue, and that she will use it every week to visit her mother.</p><p>Another reader thinks the money would have been better spent on the island's roads, which are in a poor state after the winter.</p></div></div>`);
  for (const strategy of ['rules', 'combined'] as const)
    assertKept(extractArticle(html, { strategy }).text, sentences, ['Harbour master retires', 'A reader from the island', 'Another reader thinks']);
});

test("a readers' appeal near the end ends the article with the little that follows it; words starting with an accented letter ('Únete') count", () => {
  const text = extractArticle(
    page(`<article><h1>Late ferry</h1>${sentences.map(para).join('')}
      <p>Únete a nuestra comunidad de lectores, que con su aporte mensual garantizan nuestra independencia y hacen posible cada reportaje sobre la isla.</p>
      <p>Tú también puedes hacerlo. Cancela cuando quieras.</p><p>Te necesitamos para seguir contando la isla.</p></article>`),
  ).text;
  assertKept(text, sentences, ['Únete a nuestra', 'Cancela cuando quieras', 'Te necesitamos']);
  // The article going on after a newsletter box: more than an appeal's tail of words, kept.
  const more = [
    'Shop owners in the harbour street welcomed the plan and said they would stay open later on Fridays once the new boat runs.',
    'The island doctor said patients would no longer need to stay overnight on the mainland after an afternoon appointment at the hospital.',
    'Tourist guides expect more day visitors in the shoulder season, when hotels on the island have rooms to spare and prices are lower.',
  ];
  const goesOn = extractArticle(
    page(`<article><h1>Late ferry</h1>${sentences.map(para).join('')}<p>Sign up for our weekly newsletter.</p>${more.map(para).join('')}</article>`),
  ).text;
  assertKept(goesOn, [...sentences, ...more], ['Sign up for our weekly']);
});
