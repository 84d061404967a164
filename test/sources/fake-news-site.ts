/**
 * A local fake news site for the live-sources tests: an HTTP server on
 * 127.0.0.1 (port 0) serving feeds in four formats and article pages, and
 * every misbehaviour the fetcher must survive: ETag/304, 429 with
 * Retry-After, 500, redirects (one to a private address, one loop), a slow
 * answer, an oversized body, a wrong content type, a "feed" that is a web
 * page, gzip and brotli. All text is made up. `hits` counts requests per path.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, gzipSync } from 'node:zlib';

export interface FakeArticle {
  slug: string;
  title: string;
  published: string;
  author: string;
  paragraphs: string[];
}

/** Made-up articles about a made-up harbour dispute; distinctive names and words for search and /who. */
export const ARTICLES: FakeArticle[] = [
  {
    slug: 'harbour-dispute',
    title: 'Quillmarsh harbour dispute reaches the tribunal',
    published: '2031-05-04',
    author: 'Dana Whitlow',
    paragraphs: [
      'The long-running quarrel over the Quillmarsh harbour reached the maritime tribunal on Monday, when lawyers for the port authority asked the judges to halt the dredging of the northern basin until an inquiry into the silt barges is complete.',
      '"We are not against the expansion, we are against doing it blind," said Marla Okonkwo, a harbour engineer who has advised the fishing cooperative for a decade. She told the tribunal that the barges had already damaged two oyster beds.',
      'The port authority replied that the dredging contract was signed in 2029 and that any delay would cost the town its new ferry route. The tribunal said it would give its decision within three weeks.',
    ],
  },
  {
    slug: 'ferry-route',
    title: 'New ferry route to Tarnholm delayed by dredging row',
    published: '2031-05-06',
    author: 'Ivo Brandt',
    paragraphs: [
      'The ferry operator Bellwake Lines said on Wednesday that its planned service between Quillmarsh and Tarnholm would not start in June as promised, because the harbour basin is still too shallow for its larger vessels.',
      'Marla Okonkwo, the harbour engineer whose evidence prompted the tribunal hearing, said the delay was the price of doing the work properly. "A ferry that runs aground is slower than one that starts in August," she said.',
      'Bellwake Lines said it would refund tickets already sold for June and July, and that it expected to announce a new timetable once the tribunal has ruled.',
    ],
  },
  {
    slug: 'oyster-beds',
    title: 'Oyster growers count the cost of silt',
    published: '2031-05-08',
    author: 'Dana Whitlow',
    paragraphs: [
      'Oyster growers on the northern shore of Quillmarsh say the silt stirred up by the dredging barges has smothered a third of this season\'s stock, and they want the port authority to pay for restocking the beds.',
      'The cooperative\'s chair, Pell Haverkamp, said the growers had photographed the plumes of silt every morning since March. "The water turned the colour of strong tea," Haverkamp said.',
      'The port authority said it would study the photographs and that it had always met the conditions of its dredging licence, which limit the work to the hours of the falling tide.',
    ],
  },
];

export function articleHtml(a: FakeArticle, origin: string, options: { canonical?: string } = {}): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>${a.title} | The Quillmarsh Courier</title>
<meta property="og:site_name" content="The Quillmarsh Courier">
<meta property="og:title" content="${a.title}">
<meta property="article:published_time" content="${a.published}T08:00:00Z">
<meta name="author" content="${a.author}">
<link rel="canonical" href="${options.canonical ?? `${origin}/news/${a.slug}`}">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":${JSON.stringify(a.title)},"datePublished":"${a.published}T08:00:00Z","author":{"@type":"Person","name":${JSON.stringify(a.author)}},"publisher":{"@type":"Organization","name":"The Quillmarsh Courier"}}</script>
</head><body>
<nav><a href="/">Home</a> <a href="/local">Local</a> <a href="/sport">Sport</a> <a href="/weather">Weather</a></nav>
<article>
<h1>${a.title}</h1>
<p class="byline">By ${a.author} · <time datetime="${a.published}T08:00:00Z">${a.published}</time></p>
${a.paragraphs.map((p) => `<p>${p}</p>`).join('\n')}
</article>
<aside><h2>Most read</h2><ul><li><a href="/x">Council approves new car park</a></li><li><a href="/y">Lighthouse reopens to visitors</a></li></ul></aside>
<footer>© 2031 The Quillmarsh Courier · <a href="/privacy">Privacy</a></footer>
</body></html>`;
}

function rss(origin: string, articles: FakeArticle[]): string {
  const items = articles
    .map((a) => `<item><title>${a.title}</title><link>${origin}/news/${a.slug}</link><guid>${origin}/news/${a.slug}</guid><pubDate>${new Date(`${a.published}T08:00:00Z`).toUTCString()}</pubDate></item>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>The Quillmarsh Courier</title><link>${origin}/</link><description>News</description>${items}</channel></rss>`;
}

function atom(origin: string, articles: FakeArticle[]): string {
  const entries = articles
    .map((a) => `<entry><title>${a.title}</title><id>tag:courier,2031:${a.slug}</id><link rel="alternate" href="/news/${a.slug}"/><published>${a.published}T08:00:00Z</published><updated>${a.published}T08:00:00Z</updated></entry>`)
    .join('');
  return `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="${origin}/"><title>Courier (Atom)</title><id>tag:courier,2031:feed</id><updated>2031-05-08T08:00:00Z</updated>${entries}</feed>`;
}

function rdf(origin: string, articles: FakeArticle[]): string {
  const items = articles
    .map((a) => `<item rdf:about="${origin}/news/${a.slug}"><title>${a.title}</title><link>${origin}/news/${a.slug}</link><dc:date>${a.published}</dc:date></item>`)
    .join('');
  return `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="${origin}/"><title>Courier (RDF)</title><link>${origin}/</link><description>News</description></channel>${items}</rdf:RDF>`;
}

function jsonFeed(origin: string, articles: FakeArticle[]): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: 'Courier (JSON)',
    items: articles.map((a) => ({ id: a.slug, url: `${origin}/news/${a.slug}`, title: a.title, date_published: `${a.published}T08:00:00Z` })),
  });
}

export interface FakeNewsSite {
  origin: string;
  hits: Map<string, number>;
  /** Request headers seen per path (the last request). */
  lastHeaders: Map<string, IncomingMessage['headers']>;
  /** Which articles the main feed lists (tests add items over time). */
  feedArticles: FakeArticle[];
  /** Extra routes a test adds. */
  routes: Map<string, (req: IncomingMessage, res: ServerResponse) => void>;
  close(): Promise<void>;
}

export async function startFakeNewsSite(): Promise<FakeNewsSite> {
  const hits = new Map<string, number>();
  const lastHeaders = new Map<string, IncomingMessage['headers']>();
  const routes = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>();
  const site = { hits, lastHeaders, routes, feedArticles: ARTICLES.slice(0, 2) } as FakeNewsSite;
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    lastHeaders.set(path, req.headers);
    const origin = site.origin;
    const send = (status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': type, ...headers });
      res.end(body);
    };
    const extra = routes.get(path);
    if (extra) return extra(req, res);
    const article = ARTICLES.find((a) => path === `/news/${a.slug}`);
    if (article) return send(200, 'text/html; charset=utf-8', articleHtml(article, origin));
    switch (path) {
      case '/robots.txt':
        return send(200, 'text/plain', 'User-agent: *\nDisallow: /private/\n');
      case '/private/secret-memo':
        return send(200, 'text/html', articleHtml(ARTICLES[0]!, origin));
      case '/feed.rss': {
        const body = rss(origin, site.feedArticles);
        const etag = `"v${site.feedArticles.length}"`;
        if (req.headers['if-none-match'] === etag) {
          res.writeHead(304, { etag });
          return res.end();
        }
        return send(200, 'application/rss+xml; charset=utf-8', body, { etag, 'last-modified': 'Thu, 08 May 2031 08:00:00 GMT' });
      }
      case '/feed.atom':
        return send(200, 'application/atom+xml', atom(origin, ARTICLES));
      case '/feed.rdf':
        return send(200, 'application/rdf+xml', rdf(origin, ARTICLES));
      case '/feed.json':
        return send(200, 'application/feed+json', jsonFeed(origin, ARTICLES));
      case '/feed.gz':
        return send(200, 'application/rss+xml', gzipSync(rss(origin, ARTICLES)), { 'content-encoding': 'gzip' });
      case '/feed.br':
        return send(200, 'application/rss+xml', brotliCompressSync(rss(origin, ARTICLES)), { 'content-encoding': 'br' });
      case '/front-page':
        return send(200, 'text/html', `<!doctype html><html><head><title>Courier</title><link rel="alternate" type="application/rss+xml" href="/feed.rss"></head><body><p>Welcome.</p></body></html>`);
      case '/busy':
        return send(429, 'text/plain', 'slow down', { 'retry-after': '120' });
      case '/unavailable':
        return send(503, 'text/plain', 'maintenance', { 'retry-after': '60' });
      case '/broken':
        return send(500, 'text/plain', 'internal error');
      case '/missing':
        return send(404, 'text/plain', 'not found');
      case '/moved':
        res.writeHead(301, { location: `/news/${ARTICLES[2]!.slug}` });
        return res.end();
      case '/loop':
        res.writeHead(302, { location: '/loop' });
        return res.end();
      case '/to-private':
        res.writeHead(302, { location: 'http://10.0.0.1/admin' });
        return res.end();
      case '/to-metadata':
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
        return res.end();
      case '/to-file':
        res.writeHead(302, { location: 'file:///etc/passwd' });
        return res.end();
      case '/slow':
        setTimeout(() => send(200, 'text/html', articleHtml(ARTICLES[0]!, origin)), 3000).unref();
        return;
      case '/huge':
        res.writeHead(200, { 'content-type': 'text/html' });
        for (let i = 0; i < 7; i++) res.write(Buffer.alloc(1024 * 1024, 0x61));
        return res.end();
      case '/huge-declared':
        res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(50 * 1024 * 1024) });
        return res.end('<html></html>');
      case '/zip-bomb':
        return send(200, 'text/html', gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20)), { 'content-encoding': 'gzip' });
      case '/image.png':
        return send(200, 'image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      case '/short':
        return send(200, 'text/html', '<!doctype html><html><head><title>Brief</title></head><body><article><h1>Brief</h1><p>Only a few words here.</p></article></body></html>');
      case '/cookie':
        return send(200, 'text/html', articleHtml(ARTICLES[1]!, origin), { 'set-cookie': 'session=abc; Path=/' });
      default:
        return send(404, 'text/plain', 'not found');
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  site.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  site.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return site;
}
