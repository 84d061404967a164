/**
 * Web page → article: the page's own statements about itself (JSON-LD, Open
 * Graph, meta tags, <time>, rel=canonical, lang) and its body text without
 * navigation, ads, comments, related links or share buttons.
 *
 * `extractArticle` is synchronous and never throws: a page it cannot read comes
 * back with `text: ""` and an `error` saying why. It runs no scripts and loads
 * nothing (the markup is parsed, never rendered).
 */
import { parsePage } from './dom.js';
import { readMetadata, type PageMetadata } from './metadata.js';
import { readabilityBody } from './readability.js';
import { blocksOf, countWords, type TextBlock } from './text.js';
import { removeFurniture } from './boilerplate.js';
import { densestContainer, dropFurnitureBlocks } from './content.js';
import { attr, elements, isElement, type DomElement } from './dom.js';

export interface ExtractedArticle {
  title: string | null;
  outlet: string | null;
  /** ISO date or datetime as the page states it, normalised to YYYY-MM-DD[THH:MM:SSZ]. */
  published: string | null;
  author: string | null;
  canonical: string | null;
  language: string | null;
  /** The body without the headline, paragraphs separated by a blank line ("\n\n"). */
  text: string;
  /** The same paragraphs. */
  paragraphs: string[];
  /** Why there is no text ("" text then), e.g. "not an article: fewer than 50 words of text". */
  error: string | null;
}

export interface ExtractOptions {
  /** The address the page came from: resolves relative canonical links. */
  url?: string | null;
  /** Fewer words of body text than this is "not an article" (default 50). */
  minWords?: number;
  /**
   * How the body is chosen (for measuring alternatives; the default is the best measured):
   * `readability` alone; `rules` (furniture removal + densest container + block cleaning);
   * `combined` (furniture removal, Readability, block cleaning; the densest container when Readability finds nothing).
   */
  strategy?: 'readability' | 'rules' | 'combined';
}

/** Pages with more elements than this skip Readability (its cost grows faster than the page) and use the linear chooser. */
export const MAX_READABILITY_ELEMENTS = 20_000;

/** With fewer words left after the furniture rules, Readability alone on the page as parsed is asked… */
const NEARLY_NOTHING_WORDS = 20;
/** …and its body is taken when it has at least this many words (a short page's few words are often right). */
const SECOND_OPINION_MIN_WORDS = 100;

/** Pages with fewer words of body text are not articles. */
export const MIN_ARTICLE_WORDS = 50;
/** Markup beyond this many characters is not read (a 5 MB page is well within). */
export const MAX_HTML_CHARS = 20_000_000;
/** Share of control or replacement characters above which the input is not text. */
const MAX_JUNK_SHARE = 0.05;
const SNIFF_CHARS = 8192;

const NO_METADATA: PageMetadata = { title: null, outlet: null, published: null, author: null, canonical: null, language: null };

function failure(error: string, metadata: PageMetadata = NO_METADATA): ExtractedArticle {
  return { ...metadata, text: '', paragraphs: [], error };
}

/** True when the string is mostly not text (a binary file read as a string). */
export function looksLikeBinary(html: string): boolean {
  const sample = html.slice(0, SNIFF_CHARS);
  if (sample.includes('\u0000')) return true;
  const junk = sample.match(/[\u0001-\u0008\u000e-\u001f\ufffd]/g)?.length ?? 0;
  return sample.length > 0 && junk / sample.length > MAX_JUNK_SHARE;
}

function sameText(a: string, b: string): boolean {
  const norm = (s: string): string => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  return norm(a) === norm(b);
}

/** Drops the headline (and anything before it that repeats it) from the top of the body. */
function withoutHeadline(paragraphs: string[], title: string | null): string[] {
  if (!title) return paragraphs;
  const at = paragraphs.slice(0, 3).findIndex((p) => sameText(p, title));
  return at === -1 ? paragraphs : paragraphs.slice(at + 1);
}

export function extractArticle(html: string, options: ExtractOptions = {}): ExtractedArticle {
  try {
    if (typeof html !== 'string' || html.trim().length === 0) return failure('empty page');
    if (html.length > MAX_HTML_CHARS) return failure(`page too large: ${html.length} characters (at most ${MAX_HTML_CHARS})`);
    if (looksLikeBinary(html)) return failure('not a web page: binary content');
    const { document, jsonLd } = parsePage(html);
    const metadata = readMetadata(document, jsonLd, options.url ?? null);
    const strategy = options.strategy ?? 'combined';
    let blocks;
    if (strategy === 'readability') {
      const body = readabilityBody(document);
      blocks = body ? blocksOf(body) : [];
    } else {
      // Counted before furniture goes: Readability's cost follows the page as parsed, not what is left.
      const large = elements(document).length > MAX_READABILITY_ELEMENTS;
      removeFurniture(document);
      const densest = densestContainer(document);
      const densestBlocks = dropFurnitureBlocks(densest ? blocksOf(densest) : []);
      // Read before Readability rewrites the document.
      const sections = densest ? siblingSections(densest) : null;
      if (strategy === 'rules' || large) blocks = withSiblingSections(densestBlocks, sections);
      else {
        // The page's paragraphs in order, before Readability rewrites the document.
        const pageBlocks = document.body ? blocksOf(document.body) : [];
        const body = readabilityBody(document);
        const readable = dropFurnitureBlocks(body ? blocksOf(body) : []);
        blocks = withSiblingSections(withAdjacentProse(preferFuller(readable, densestBlocks), pageBlocks), sections);
      }
      if (!large && wordsOf(blocks) < NEARLY_NOTHING_WORDS) {
        // Little or nothing left: the furniture rules may have taken the article (a page drawn inside a
        // hidden or "modal" wrapper), or the page shows its article only without scripts (<noscript>).
        // Readability alone on the page as parsed, <noscript> read as markup, is the second opinion.
        const body = readabilityBody(parsePage(html, { readNoscript: true }).document);
        const second = dropFurnitureBlocks(body ? blocksOf(body) : []);
        if (wordsOf(second) >= SECOND_OPINION_MIN_WORDS) blocks = second;
      }
    }
    const paragraphs = withoutHeadline(blocks.map((b) => b.text), metadata.title).map(cleanParagraph).filter((p) => p.length > 0);
    const minWords = options.minWords ?? MIN_ARTICLE_WORDS;
    const words = countWords(paragraphs.join(' '));
    if (words < minWords) return failure(`not an article: fewer than ${minWords} words of text`, metadata);
    return { ...metadata, text: paragraphs.join('\n\n'), paragraphs, error: null };
  } catch (error) {
    return failure(`could not read the page: ${(error as Error)?.message ?? String(error)}`);
  }
}

/**
 * Readability sometimes settles on one part of an article (a recipe's steps
 * without its ingredients, one of several sections). When the densest container
 * holds what Readability kept and much more prose, it is the article.
 */
/** A paragraph of running text: enough words, few of them links, and a sentence's punctuation. */
function isProseBlock(block: TextBlock): boolean {
  const words = countWords(block.text);
  if (words < ADJACENT_PROSE_WORDS || block.linkChars / Math.max(1, block.text.length) >= 0.2 || !/[.!?:;,]/.test(block.text)) return false;
  // A dateline ("Le Monde | 04.05.2015 à 13h36 • Mis à jour … | Par …") is not running text.
  if (words < 40 && (DATE_OR_TIME.test(block.text) || (block.text.match(/[|•·]/g)?.length ?? 0) >= 2)) return false;
  return dropFurnitureBlocks([block]).length === 1;
}

/**
 * An article split over sibling containers (an intro or lead in one box, the rest in the next) loses
 * its first part. The page's paragraphs right before the chosen body are taken while they are running
 * text (a short heading between two of them comes along). Only before: after an article come
 * comments and teasers, which are prose too (measured: extending forward costs more than it gains).
 */
function withAdjacentProse(chosen: TextBlock[], page: TextBlock[]): TextBlock[] {
  if (chosen.length === 0 || page.length === 0) return chosen;
  const index = new Map<string, number>();
  page.forEach((b, i) => {
    if (!index.has(b.text)) index.set(b.text, i);
  });
  const first = index.get(chosen[0]!.text);
  if (first === undefined) return chosen;
  const before: TextBlock[] = [];
  for (let i = first - 1; i >= 0; i--) {
    const b = page[i]!;
    if (isProseBlock(b)) before.unshift(b);
    else if (countWords(b.text) <= 12 && b.linkChars === 0 && i > 0 && isProseBlock(page[i - 1]!) && before.length > 0) before.unshift(b);
    else if (countWords(b.text) <= 12 && i > 1 && (isProseBlock(page[i - 1]!) || (countWords(page[i - 1]!.text) <= 12 && isProseBlock(page[i - 2]!)))) continue; // a byline or date between lead and body: left out, the lead kept
    else break;
  }
  return before.length === 0 ? chosen : [...before, ...chosen];
}
const ADJACENT_PROSE_WORDS = 15;

interface SiblingSections {
  /** The paragraphs of the container whose siblings continue it. */
  own: Set<string>;
  before: TextBlock[];
  after: TextBlock[];
}

/** How many levels above the densest container a repeated section is looked for. */
const SECTION_LEVELS = 4;
/** A sibling section must hold this many words of running text to continue the article. */
const SECTION_PROSE_WORDS = 30;

/** At most this many boxes of another kind in a row are stepped over between two sections. */
const MAX_STEPPED_OVER = 1;

/** Tag and class: sections of one article repeat them ("div.article-section", "section.text-block"). */
function sectionKind(element: DomElement): string | null {
  const cls = (attr(element, 'class') ?? '').trim().replace(/\s+/g, ' ');
  return cls.length > 0 || element.localName === 'section' ? `${element.localName}.${cls}` : null;
}

function proseSection(element: DomElement): TextBlock[] | null {
  const blocks = dropFurnitureBlocks(blocksOf(element));
  const words = wordsOf(blocks);
  const prose = wordsOf(blocks.filter(isProseBlock));
  const chars = blocks.reduce((n, b) => n + b.text.length, 0);
  const linkChars = blocks.reduce((n, b) => n + b.linkChars, 0);
  return prose >= SECTION_PROSE_WORDS && prose >= 0.5 * words && linkChars < 0.2 * chars ? blocks : null;
}

/**
 * An article split over sibling sections of the same kind (one container per part, each with its own
 * class-named wrapper) loses all but its densest part. Read before Readability rewrites the page:
 * from the densest container up a few levels, the first level whose element has siblings of its own
 * tag and class holding running text; those adjacent siblings (an empty one, or a small box of another kind, stepped over) continue it.
 */
function siblingSections(densest: DomElement): SiblingSections | null {
  let node: DomElement | null = densest;
  for (let level = 0; node && level < SECTION_LEVELS && node.localName !== 'body'; level++) {
    const kind = sectionKind(node);
    if (kind) {
      const collect = (step: (e: DomElement) => DomElement | null): TextBlock[][] => {
        const found: TextBlock[][] = [];
        let other = 0;
        for (let sib = step(node!); sib; sib = step(sib)) {
          if (sectionKind(sib) !== kind) {
            // A box of another kind without running text between two sections (a table, a picture) is stepped over.
            if (++other <= MAX_STEPPED_OVER && wordsOf(blocksOf(sib).filter(isProseBlock)) < SECTION_PROSE_WORDS) continue;
            break;
          }
          other = 0;
          if (countWords(sib.textContent) === 0) continue;
          const blocks = proseSection(sib);
          if (!blocks) break;
          found.push(blocks);
        }
        return found;
      };
      const before = collect((e) => e.previousElementSibling).reverse();
      const after = collect((e) => e.nextElementSibling);
      if (before.length + after.length > 0) return { own: new Set(blocksOf(node).map((b) => b.text)), before: before.flat(), after: after.flat() };
    }
    node = node.parentNode && isElement(node.parentNode) ? node.parentNode : null;
  }
  return null;
}

/** Joins the sibling sections to the chosen body when the body is (mostly) the section they continue. */
function withSiblingSections(chosen: TextBlock[], sections: SiblingSections | null): TextBlock[] {
  if (!sections || chosen.length === 0) return chosen;
  const inside = wordsOf(chosen.filter((b) => sections.own.has(b.text)));
  if (inside < 0.5 * wordsOf(chosen)) return chosen;
  const have = new Set(chosen.map((b) => b.text));
  const fresh = (blocks: TextBlock[]): TextBlock[] => blocks.filter((b) => !have.has(b.text));
  const before = fresh(sections.before);
  const after = fresh(sections.after);
  // Cleaned again as one body: an end marker or a call to subscribe is placed by the whole article.
  return before.length + after.length === 0 ? chosen : dropFurnitureBlocks([...before, ...chosen, ...after]);
}
const DATE_OR_TIME = /\b\d{1,4}[-./]\d{1,2}[-./]\d{2,4}\b|\b\d{1,2}[:h]\d{2}\b/;

function wordsOf(blocks: TextBlock[]): number {
  return blocks.reduce((n, b) => n + countWords(b.text), 0);
}

function preferFuller(readable: TextBlock[], densest: TextBlock[]): TextBlock[] {
  if (readable.length === 0) return densest;
  const r = wordsOf(readable);
  const d = wordsOf(densest);
  if (d < FULLER_RATIO * r) return readable;
  const inDensest = new Set(densest.map((b) => b.text));
  const covered = readable.filter((b) => inDensest.has(b.text)).reduce((n, b) => n + countWords(b.text), 0);
  return covered >= MIN_COVERED_SHARE * r ? densest : readable;
}

/** The densest container replaces Readability's choice when it has this many times the words… */
const FULLER_RATIO = 1.5;
/** …and holds at least this share of Readability's words. */
const MIN_COVERED_SHARE = 0.8;

function cleanParagraph(paragraph: string): string {
  return paragraph.replace(/\n{2,}/g, '\n').trim();
}

