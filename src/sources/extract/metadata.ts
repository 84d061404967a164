/**
 * What a page says about itself: JSON-LD (schema.org Article and its kinds,
 * also inside @graph, arrays and mainEntity), Open Graph and `article:*`
 * properties, named <meta> tags, <time datetime>, rel=canonical and the
 * document's language. The page's own statements come first; the visible page
 * (its <title>, <h1>, a byline element) only fills what they leave open.
 */
import { normaliseDate } from './dates.js';
import { attr, elements, isElement, type DomDocument, type DomElement } from './dom.js';
import { isHidden } from './boilerplate.js';

export interface PageMetadata {
  title: string | null;
  outlet: string | null;
  published: string | null;
  author: string | null;
  canonical: string | null;
  language: string | null;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** schema.org types whose page is one article (Readability's list plus the news kinds). */
const ARTICLE_TYPES =
  /^(?:Article|AdvertiserContentArticle|NewsArticle|AnalysisNewsArticle|AskPublicNewsArticle|BackgroundNewsArticle|OpinionNewsArticle|ReportageNewsArticle|ReviewNewsArticle|Report|SatiricalArticle|ScholarlyArticle|MedicalScholarlyArticle|SocialMediaPosting|BlogPosting|LiveBlogPosting|DiscussionForumPosting|TechArticle|APIReference|LegalArticle|Review)$/;
const BASIC_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
/** Longer than this, a stated title, author or outlet is not one. */
const MAX_META_CHARS = 300;

/** Collapses white space and decodes entities a page escaped twice ("&amp;amp;", "&#8217;"). */
export function cleanText(value: string): string {
  return value
    .replace(/&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|([a-z]+));/gi, (whole, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
      const code = dec !== undefined ? Number(dec) : hex !== undefined ? parseInt(hex, 16) : null;
      if (code !== null) return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
      return BASIC_ENTITIES[name!.toLowerCase()] ?? whole;
    })
    .replace(/[\s\u00a0\u200b]+/g, ' ')
    .trim();
}

function stated(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = cleanText(value);
  return text.length > 0 && text.length <= MAX_META_CHARS ? text : null;
}

// ---------------------------------------------------------------- JSON-LD

function parseJsonLd(raw: string): Json | null {
  const text = raw.replace(/^\s*(?:<!--|<!\[CDATA\[)/, '').replace(/(?:-->|\]\]>)\s*$/, '').trim();
  if (!text) return null;
  try {
    return JSON.parse(text) as Json;
  } catch {
    // Common slips: raw line breaks inside strings, trailing commas.
    try {
      return JSON.parse(text.replace(/[\n\r\t]+/g, ' ').replace(/,\s*([}\]])/g, '$1')) as Json;
    } catch {
      return null;
    }
  }
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typesOf(node: JsonObject): string[] {
  const t = node['@type'];
  const list = Array.isArray(t) ? t : [t];
  return list.filter((x): x is string => typeof x === 'string').map((x) => x.replace(/^https?:\/\/schema\.org\//, ''));
}

/** Every object in the JSON-LD blocks, depth first (arrays, @graph, mainEntity, nested values). */
function jsonLdObjects(blocks: readonly string[]): JsonObject[] {
  const out: JsonObject[] = [];
  const visit = (value: Json | undefined, depth: number): void => {
    if (depth > 8 || value === undefined) return;
    if (Array.isArray(value)) for (const v of value) visit(v, depth + 1);
    else if (isObject(value)) {
      out.push(value);
      for (const [key, v] of Object.entries(value)) if (typeof v === 'object' && key !== '@context') visit(v, depth + 1);
    }
  };
  for (const block of blocks) visit(parseJsonLd(block) ?? undefined, 0);
  return out;
}

function byId(objects: JsonObject[], value: Json | undefined): Json | undefined {
  if (isObject(value) && typeof value['@id'] === 'string' && Object.keys(value).length === 1) {
    return objects.find((o) => o['@id'] === value['@id'] && Object.keys(o).length > 1) ?? value;
  }
  return value;
}

function namesOf(objects: JsonObject[], value: Json | undefined): string[] {
  const resolved = byId(objects, value);
  if (typeof resolved === 'string') return stated(resolved) ? [stated(resolved)!] : [];
  if (Array.isArray(resolved)) return resolved.flatMap((v) => namesOf(objects, v));
  if (isObject(resolved)) {
    const name = stated(resolved.name);
    return name ? [name] : [];
  }
  return [];
}

interface JsonLdArticle {
  name: string | null;
  headline: string | null;
  author: string | null;
  publisher: string | null;
  published: string | null;
  url: string | null;
  language: string | null;
  website: string | null;
}

function readJsonLd(blocks: readonly string[]): JsonLdArticle | null {
  const objects = jsonLdObjects(blocks);
  const articles = objects.filter((o) => typesOf(o).some((t) => ARTICLE_TYPES.test(t)));
  const website = objects.find((o) => typesOf(o).includes('WebSite'));
  const article = articles.find((a) => a.headline !== undefined || a.articleBody !== undefined) ?? articles[0];
  if (!article) return website ? { name: null, headline: null, author: null, publisher: null, published: null, url: null, language: null, website: stated(website.name) } : null;
  const authors = namesOf(objects, article.author ?? article.creator);
  const entity = byId(objects, article.mainEntityOfPage);
  const url = stated(article.url) ?? (typeof entity === 'string' ? stated(entity) : isObject(entity) ? stated(entity['@id']) ?? stated(entity.url) : null);
  return {
    name: stated(article.name),
    headline: stated(article.headline),
    author: authors.length > 0 ? [...new Set(authors)].join(', ') : null,
    publisher: namesOf(objects, article.publisher)[0] ?? null,
    published: normaliseDate(typeof article.datePublished === 'string' ? article.datePublished : typeof article.dateCreated === 'string' ? article.dateCreated : null),
    url,
    language: typeof article.inLanguage === 'string' ? article.inLanguage : null,
    website: website ? stated(website.name) : null,
  };
}

// ---------------------------------------------------------------- <meta>

/** Lower-cased meta keys (name, property, itemprop, http-equiv; a property may list several) → first non-empty content. */
function readMeta(document: DomDocument): Map<string, string> {
  const values = new Map<string, string>();
  for (const meta of byTag(document, 'meta')) {
    const content = attr(meta, 'content');
    if (content === null || content.trim() === '') continue;
    const keys = [attr(meta, 'property'), attr(meta, 'name'), attr(meta, 'itemprop'), attr(meta, 'http-equiv')]
      .filter((k): k is string => typeof k === 'string')
      .flatMap((k) => k.toLowerCase().split(/\s+/))
      .filter((k) => k.length > 0);
    for (const key of keys) if (!values.has(key)) values.set(key, content);
  }
  return values;
}

function firstMeta(meta: Map<string, string>, keys: readonly string[]): string | null {
  for (const key of keys) {
    const value = stated(meta.get(key));
    if (value) return value;
  }
  return null;
}

const TITLE_KEYS = ['dc:title', 'dc.title', 'dcterm:title', 'dcterms.title', 'og:title', 'weibo:article:title', 'weibo:webpage:title', 'title', 'twitter:title', 'parsely-title', 'sailthru.title'];
const AUTHOR_KEYS = ['dc:creator', 'dc.creator', 'dcterm:creator', 'dcterms.creator', 'author', 'parsely-author', 'article:author', 'sailthru.author', 'byl', 'citation_author'];
const OUTLET_KEYS = ['og:site_name', 'application-name', 'publisher', 'dc.publisher', 'dcterms.publisher'];
const DATE_KEYS = [
  'article:published_time', 'parsely-pub-date', 'og:published_time', 'article:published', 'datepublished', 'published_time',
  'pubdate', 'publishdate', 'publish-date', 'publish_date', 'publication_date', 'date', 'dc.date', 'dc.date.issued', 'dc.date.created',
  'dcterms.date', 'dcterms.issued', 'dcterms.created', 'dc:date', 'sailthru.date', 'citation_publication_date', 'citation_date',
  'originalpublicationdate', 'last-modified',
];

// ---------------------------------------------------------------- the visible page

function isUrl(value: string): boolean {
  return /^https?:\/\//i.test(value.trim());
}

function textOf(element: DomElement | null | undefined): string | null {
  return element ? stated(element.textContent) : null;
}

/** One walk of the document per read (it is not changed while its metadata is read). */
const indexes = new WeakMap<DomDocument, { all: DomElement[]; byTag: Map<string, DomElement[]> }>();

function indexOf(document: DomDocument): { all: DomElement[]; byTag: Map<string, DomElement[]> } {
  let index = indexes.get(document);
  if (!index) {
    const all = elements(document);
    const byTag = new Map<string, DomElement[]>();
    for (const e of all) {
      const list = byTag.get(e.localName);
      if (list) list.push(e);
      else byTag.set(e.localName, [e]);
    }
    index = { all, byTag };
    indexes.set(document, index);
  }
  return index;
}

function byTag(document: DomDocument, tag: string): DomElement[] {
  return indexOf(document).byTag.get(tag) ?? [];
}

function headings(document: DomDocument, tags: readonly string[]): DomElement[] {
  return indexOf(document).all.filter((e) => tags.includes(e.localName));
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/** The document's <title> without the site name that most sites add ("Headline | Site", "Site - Headline"). */
function documentTitle(document: DomDocument): string | null {
  const original = stated(document.title);
  if (!original) return textOf(byTag(document, 'h1')[0]);
  // A heading that is the title without the site's part ("Headline" in "Headline | Site") is the headline.
  for (const heading of headings(document, ['h1', 'h2']).slice(0, 10)) {
    const text = textOf(heading);
    if (text && text !== original && wordCount(text) >= 2 && (original.startsWith(text) || original.endsWith(text))) {
      const rest = original.startsWith(text) ? original.slice(text.length) : original.slice(0, original.length - text.length);
      if (/^\s*[|\-–—\\/>»:·•]|[|\-–—\\/>»:·•]\s*$/.test(rest)) return text;
    }
  }
  // Readability's "hierarchical" separators: a title split by them keeps a short last part.
  const separated = / [\\/>»] /.test(original);
  let title = original;
  if (/ [|\-–—\\/>»] /.test(original)) {
    title = original.replace(/(.*) [|\-–—\\/>»] .*/, '$1');
    if (wordCount(title) < 3) title = original.replace(/^[^|\-–—\\/>»]*[|\-–—\\/>»] /, '');
  } else if (original.includes(': ')) {
    if (!headings(document, ['h1', 'h2']).some((h) => textOf(h) === original)) {
      title = original.slice(original.lastIndexOf(':') + 1).trim();
      if (wordCount(title) < 3) title = original.slice(original.indexOf(':') + 1).trim();
      else if (wordCount(original.slice(0, original.indexOf(':'))) > 5) title = original;
    }
  } else if (original.length > 150 || original.length < 15) {
    const h1s = byTag(document, 'h1');
    if (h1s.length === 1) title = textOf(h1s[0]!) ?? original;
  }
  title = cleanText(title);
  const n = wordCount(title);
  if (n <= 4 && (!separated || n !== wordCount(original.replace(/[|\-–—\\/>»:]+/g, ' ')) - 1)) title = original;
  return title;
}

const BYLINE_HINT = /byline|author|dateline|writtenby|p-author/i;

/** "By", "Von", "Par", "Por", "Door", "Av", "Af" before the names (not "Di": a surname begins so). */
const BY_PREFIX = /^(?:by|von|par|por|door|av|af)\s*:?\s+(?=\S)/i;
const MONTH = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|januar|februar|märz|mai|juni|juli|okt|dez)[a-zä]*\\.?';
/** Where a date or time starts after the names ("Jane Doe May 20, 2019", "Jane Doe · 12.03.2020", "Jane Doe Updated 3 pm"). */
const DATE_TAIL = new RegExp(
  `\\s*[,|•·–—-]?\\s*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day\\b|(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)\\b|${MONTH}\\s+\\d{1,2}\\b|\\d{1,2}\\.?\\s+${MONTH}\\s+\\d{4}|\\d{4}-\\d{2}-\\d{2}|\\d{1,2}[./]\\d{1,2}[./]\\d{2,4}|(?:last\\s+)?(?:updated|published|posted|aktualisiert|veröffentlicht)\\b)`,
  'i',
);

/** The names in a byline: without "By" before them or a date after them. */
export function cleanByline(byline: string | null): string | null {
  if (!byline) return null;
  let text = byline.replace(BY_PREFIX, '');
  const tail = DATE_TAIL.exec(text);
  if (tail && tail.index > 0) text = text.slice(0, tail.index);
  text = text.replace(/[\s,|•·–—-]+$/, '').trim();
  return text.length > 0 ? text : byline;
}

/** A byline the page shows: rel=author, itemprop=author, or a short element whose class or id says byline/author. */
function visibleByline(document: DomDocument): string | null {
  const body = document.body;
  if (!body) return null;
  for (const element of indexOf(document).all) {
    const hint = `${attr(element, 'class') ?? ''} ${attr(element, 'id') ?? ''}`;
    const rel = /\bauthor\b/i.test(attr(element, 'rel') ?? '') || /\bauthor\b/i.test(attr(element, 'itemprop') ?? '');
    if (!rel && !BYLINE_HINT.test(hint)) continue;
    if (/comment/i.test(hint) || !insideBody(element, body) || insideHidden(element)) continue;
    const name = elements(element).find((e) => /\bname\b/.test(attr(e, 'itemprop') ?? ''));
    const text = textOf(name ?? element);
    if (text && text.length < 100 && wordCount(text) <= 12) return text;
  }
  return null;
}

function insideHidden(element: DomElement): boolean {
  for (let p: DomElement | null = element; p && isElement(p); p = p.parentNode) if (isHidden(p)) return true;
  return false;
}

function insideBody(element: DomElement, body: DomElement): boolean {
  for (let p: DomElement | null = element; p; p = p.parentNode) if (p === body) return true;
  return false;
}

function timeElementDate(document: DomDocument): string | null {
  const all = indexOf(document).all;
  const stamped = all.filter((e) => attr(e, 'datetime') !== null || (attr(e, 'content') !== null && e.localName !== 'meta'));
  const within = (e: DomElement, tags: readonly string[]): boolean => {
    for (let p = e.parentNode; p; p = p.parentNode) if (tags.includes(p.localName)) return true;
    return false;
  };
  const ordered = [
    ...stamped.filter((e) => e.hasAttribute('pubdate') || /\bdatePublished\b/.test(attr(e, 'itemprop') ?? '')),
    ...stamped.filter((e) => e.localName === 'time' && within(e, ['article', 'header', 'main'])),
    ...stamped.filter((e) => e.localName === 'time'),
  ];
  for (const element of ordered) {
    const date = normaliseDate(attr(element, 'datetime') ?? attr(element, 'content'));
    if (date) return date;
  }
  return null;
}

// ---------------------------------------------------------------- language and canonical

export function normaliseLanguage(raw: string | null | undefined): string | null {
  if (typeof raw !== 'string') return null;
  const value = raw.trim().replace(/_/g, '-').split(/[,;\s]/)[0] ?? '';
  return /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/i.test(value) ? value : null;
}

function absoluteUrl(raw: string | null | undefined, base: string | null): string | null {
  if (typeof raw !== 'string' || raw.trim() === '') return null;
  try {
    const url = base ? new URL(raw.trim(), base) : new URL(raw.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function similarity(a: string, b: string): number {
  const tokens = (s: string): Set<string> => new Set(s.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean));
  const ta = tokens(a);
  const tb = tokens(b);
  if (ta.size === 0 || tb.size === 0) return 0;
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  return shared / Math.max(ta.size, tb.size);
}

/** Everything the page states about itself. `url` resolves relative canonical links. */
export function readMetadata(document: DomDocument, jsonLdBlocks: readonly string[], url: string | null): PageMetadata {
  const jsonLd = readJsonLd(jsonLdBlocks);
  const meta = readMeta(document);
  const docTitle = documentTitle(document);

  let title: string | null = null;
  if (jsonLd?.name && jsonLd.headline && jsonLd.name !== jsonLd.headline) {
    const reference = firstMeta(meta, ['og:title']) ?? docTitle ?? '';
    title = similarity(jsonLd.headline, reference) >= similarity(jsonLd.name, reference) ? jsonLd.headline : jsonLd.name;
  } else title = jsonLd?.headline ?? jsonLd?.name ?? null;
  title ??= firstMeta(meta, TITLE_KEYS) ?? docTitle;

  const metaAuthor = AUTHOR_KEYS.map((k) => stated(meta.get(k))).find((v): v is string => v !== null && !isUrl(v)) ?? null;
  // Stated names are cleaned ("By Jane Doe" in a meta tag); a byline the page shows is kept as shown.
  const author = cleanByline(jsonLd?.author ?? metaAuthor) ?? visibleByline(document);

  const outlet = jsonLd?.publisher ?? firstMeta(meta, OUTLET_KEYS) ?? jsonLd?.website ?? null;

  let published = jsonLd?.published ?? null;
  if (!published) for (const key of DATE_KEYS) if ((published = normaliseDate(meta.get(key)))) break;
  published ??= timeElementDate(document);

  const baseHref = byTag(document, 'base').map((b) => attr(b, 'href')).find((h) => h) ?? null;
  const base = absoluteUrl(baseHref, url) ?? url;
  const canonicalLink = byTag(document, 'link').find((l) => (attr(l, 'rel') ?? '').toLowerCase().split(/\s+/).includes('canonical') && attr(l, 'href'));
  const canonicalHref = canonicalLink ? attr(canonicalLink, 'href') : null;
  const canonical = absoluteUrl(canonicalHref, base) ?? absoluteUrl(meta.get('og:url'), base) ?? absoluteUrl(jsonLd?.url, base);

  const root = document.documentElement;
  const language =
    normaliseLanguage(root ? attr(root, 'lang') : null) ??
    normaliseLanguage(root ? attr(root, 'xml:lang') : null) ??
    normaliseLanguage(meta.get('content-language')) ??
    normaliseLanguage(meta.get('og:locale')) ??
    normaliseLanguage(jsonLd?.language) ??
    normaliseLanguage(meta.get('language') ?? meta.get('dc.language'));

  return { title, outlet, published, author, canonical, language };
}

