import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractArticle, MAX_READABILITY_ELEMENTS } from '../../src/sources/extract/index.js';

const sentences = [
  'The orchard cooperative agreed on Friday to share one cider press among its eleven member farms this autumn.',
  'Members had argued for months over who would pay for repairs, and the compromise splits costs by harvest weight.',
  'The oldest farm, which has pressed its own apples since the war, will keep its wooden press as a museum piece.',
  'A spokesperson said the first pressing would take place in the second week of October if the weather holds.',
  'Younger members hope the shared press will let them sell juice to schools and hospitals in the valley.',
];
const article = `<article><h1>Cider press deal</h1>${sentences.map((s) => `<p>${s}</p>`).join('\n')}</article>`;
const body = (text: string): string => extractArticle(`<html><head><title>Cider press deal</title></head><body>${text}</body></html>`).text;

function assertOnlyArticle(text: string, furniture: string[]): void {
  for (const s of sentences) assert.ok(text.includes(s), `kept: ${s}`);
  for (const f of furniture) assert.ok(!text.includes(f), `dropped: ${f}`);
}

test('navigation, asides, footers and form controls are furniture', () => {
  const text = body(`<nav><a href="/">Home page of the valley</a> <a href="/farms">All our farms and orchards</a></nav>
    <aside><p>Weather for the valley this weekend looks mild and dry with light winds from the west.</p></aside>
    ${article}
    <footer><p>Valley Cooperative Press, 12 Mill Lane. Contact the newsroom for corrections.</p></footer>
    <form><label>Your email address for the weekly letter</label><input name="e"><button>Send me the letter</button></form>`);
  assertOnlyArticle(text, ['Home page of the valley', 'Weather for the valley', 'Mill Lane', 'weekly letter', 'Send me']);
});

test('hidden elements (hidden, aria-hidden, display:none) are not text', () => {
  const text = body(`<div hidden>Secret draft paragraph kept out of sight of readers of the page.</div>
    <div style="display: none">Another paragraph a script would show after a click on the page.</div>
    <span aria-hidden="true">Decorative words read aloud by nobody at all.</span>${article}`);
  assertOnlyArticle(text, ['Secret draft', 'Another paragraph a script', 'Decorative words']);
});

test('class and id names say furniture: comments, share bars, related links, cookie banners, newsletters', () => {
  const text = body(`<div class="cookie-banner"><p>We use cookies to improve your visit to our pages and to count readers.</p></div>
    ${article}
    <div class="share-tools"><a href="#">Facebook</a> <a href="#">Twitter</a> <a href="#">Email this story</a></div>
    <section class="related-stories"><h2>More from the valley</h2><ul><li><a href="/a">Beekeepers count a record number of swarms</a></li><li><a href="/b">Mill pond to be drained for repairs this winter</a></li></ul></section>
    <div id="newsletter-box"><p>Sign up for our newsletter and get the valley news every Sunday morning.</p></div>
    <div id="comments"><h3>3 comments</h3><p>Great news for the farms, I hope the press works well for everyone involved.</p><p>Who pays for the electricity though, nobody has said anything about that yet?</p></div>`);
  assertOnlyArticle(text, ['We use cookies', 'Email this story', 'Beekeepers', 'Sign up for our newsletter', 'Great news for the farms', 'Who pays']);
});

test('a wrapper whose name sounds like furniture is kept when it holds the article', () => {
  const text = body(`<div class="layout-with-sidebar">${article}</div>`);
  assertOnlyArticle(text, []);
});

test('inside the body: link lists, share lines, "read more" lines and bare dates are dropped', () => {
  const text = body(`<article><h1>Cider press deal</h1><p>12.10.2023, 14:30</p>
    ${sentences.slice(0, 3).map((s) => `<p>${s}</p>`).join('')}
    <p>Read more: <a href="/x">the history of the valley presses</a></p>
    ${sentences.slice(3).map((s) => `<p>${s}</p>`).join('')}
    <p><a href="/1">Apples</a> | <a href="/2">Farming</a> | <a href="/3">Cooperatives</a> | <a href="/4">Valley life</a></p>
    <p>Share this article</p></article>`);
  assertOnlyArticle(text, ['12.10.2023', 'Read more', 'Apples | Farming', 'Share this article']);
});

test('a page with only navigation is not an article', () => {
  const nav = `<ul>${['Home', 'News', 'Farms', 'Weather', 'Contact', 'About'].map((w) => `<li><a href="/${w}">${w}</a></li>`).join('')}</ul>`;
  const a = extractArticle(`<html><body><div class="menu">${nav}</div>${nav}</body></html>`);
  assert.equal(a.text, '');
  assert.equal(a.paragraphs.length, 0);
  assert.match(a.error ?? '', /not an article: fewer than 50 words of text/);
});

test('a page larger than Readability is given still yields its article, through the linear chooser', () => {
  const filler = Array.from({ length: MAX_READABILITY_ELEMENTS }, (_, i) => `<span class="x">${i}</span>`).join('');
  const a = extractArticle(`<html><body><div class="junk">${filler}</div>${article}<div>${filler}</div></body></html>`);
  assert.equal(a.error, null);
  assertOnlyArticle(a.text, ['1999']);
});

test('hostile markup never throws: deep nesting, unclosed tags, bad CSS, no body, junk bytes', () => {
  const inputs = [
    '<div>'.repeat(50_000) + sentences.join(' '),
    `<p>${sentences.join('<p>')}<table><tr><td>unclosed<style>}}}{{{ .a{</style><b><i>`,
    `<head><title>No body</title></head>${sentences.join(' ')}`,
    '\u0000\u0001\u0002binary\ufffd'.repeat(1000),
    '<' + '<<>>'.repeat(10_000),
    '<script>while(true){}</script><p>Script never runs.</p>',
  ];
  for (const html of inputs) {
    const a = extractArticle(html);
    assert.equal(typeof a.text, 'string');
    assert.ok(a.error === null || a.text === '');
  }
  assert.ok(extractArticle(inputs[0]!).text.includes(sentences[4]!));
  assert.match(extractArticle(inputs[3]!).error ?? '', /binary/);
});

test('picture captions and credit lines are not the article', () => {
  const text = body(`<article><h1>Cider press deal</h1>${sentences.slice(0, 3).map((s) => `<p>${s}</p>`).join('')}
    <figure><img src="press.jpg"><figcaption>The old wooden press in the barn of the oldest farm in the valley.</figcaption></figure>
    <p>Foto: Valley Picture Agency</p><p>(Quelle: Cooperative archive)</p><p>© 2023 Valley Press</p>
    ${sentences.slice(3).map((s) => `<p>${s}</p>`).join('')}</article>`);
  assertOnlyArticle(text, ['The old wooden press in the barn', 'Foto:', 'Quelle:', '© 2023']);
});

test('a marker of what follows the article ("Related articles", "Über den Autor") ends the body in its last part', () => {
  const text = body(`<article><h1>Cider press deal</h1>${sentences.map((s) => `<p>${s}</p>`).join('')}
    <h3>Über den Autor</h3><p>Hanna Berg writes about farming and rural life in the valley for the weekly paper.</p>
    <h3>Related articles</h3><p>Beekeepers in the valley count a record number of swarms this spring season.</p></article>`);
  assertOnlyArticle(text, ['Über den Autor', 'Hanna Berg writes', 'Related articles', 'Beekeepers']);
});

test('the same words early in the body are only dropped, never cut there: the article goes on', () => {
  const text = body(`<article><h1>Cider press deal</h1><p>Comments</p>${sentences.map((s) => `<p>${s}</p>`).join('')}</article>`);
  assertOnlyArticle(text, []);
  assert.ok(!text.startsWith('Comments'));
});

test('a paywall notice ends the body: the offer after it is not the article', () => {
  const text = body(`<article><h1>Cider press deal</h1>${sentences.map((s) => `<p>${s}</p>`).join('')}
    <p>To view the full story, please subscribe to the Valley Courier. Choose an annual or a weekly pass.</p>
    <p>When you join the Courier family you get unlimited access to reporting about the farms of the valley, and our newsletter.</p>
    <p>First-time subscribers also receive a jar of honey from the cooperative's own hives, with our thanks.</p></article>`);
  assertOnlyArticle(text, ['To view the full story', 'When you join', 'First-time subscribers']);
});

test('a paywall notice in French ("Pour lire la suite") ends the body too, even with much text after it', () => {
  const offer = Array.from({ length: 6 }, (_, i) => `<p>Offre numéro ${i + 1} : accédez à tous nos articles, nos dossiers et nos archives depuis votre téléphone et votre ordinateur.</p>`).join('');
  const text = body(`<article><h1>Cider press deal</h1>${sentences.map((s) => `<p>${s}</p>`).join('')}
    <p>Pour lire la suite<br>et accéder gratuitement à 3 articles par mois,<br>créez votre compte</p>${offer}</article>`);
  assertOnlyArticle(text, ['Pour lire la suite', 'Offre numéro']);
});

test('byline and date labels standing alone ("Von:", "Release Date:", "- Anzeige -") are not text; a label near the end takes its name along', () => {
  const text = body(`<article><h1>Cider press deal</h1>${sentences.slice(0, 2).map((s) => `<p>${s}</p>`).join('')}
    <p>- Anzeige -</p><p>Release Date:</p>
    ${sentences.slice(2).map((s) => `<p>${s}</p>`).join('')}<p>Von:</p><p>Hanna Berg</p></article>`);
  assertOnlyArticle(text, ['Anzeige', 'Release Date', 'Von:', 'Hanna Berg']);
});

test('a line that is only a site address (in capitals or with www) is a source line; a heading like "Node.js" stays', () => {
  const text = body(`<article><h1>Cider press deal</h1>${sentences.slice(0, 3).map((s) => `<p>${s}</p>`).join('')}
    <p>VALLEYNEWS.COM</p><p>www.valley-press.de</p><h2>Node.js</h2>${sentences.slice(3).map((s) => `<p>${s}</p>`).join('')}</article>`);
  assertOnlyArticle(text, ['VALLEYNEWS.COM', 'www.valley-press.de']);
  assert.ok(text.includes('Node.js'));
});
