/**
 * A page's structure: which blocks of text are the article and which are page
 * furniture (site names, breadcrumbs, datelines, navigation, comment prompts,
 * related-article links, bylines, author bios, editor credits).
 *
 * The rules are general, not a list of one site's strings: furniture is
 * recognised by its shape (short, not a sentence, all capitals, a run of
 * separators, a "Label: value" line, a bracketed credit), by where it stands
 * (before the headline, or in the run of short blocks that ends a page), and
 * by a small vocabulary of navigation words that only counts in short blocks.
 */
import type { Block, BlockRole } from '../types.js';
import { findCalendarDate } from './dates.js';

export interface PageStructure {
  blocks: Block[];
  title: string | null;
  outlet: string | null;
  published: string | null;
  author: string | null;
}

interface Line {
  start: number;
  end: number;
  /** Trimmed text (including no-break spaces). */
  text: string;
}

/** Blocks this short (in words) may be furniture; longer ones are prose. */
const SHORT_BLOCK_WORDS = 12;
/** A short block of at least this many words that ends like a sentence is prose, wherever it stands. */
const MIN_SENTENCE_WORDS = 5;
/** A headline has at most this many words. */
const MAX_HEADLINE_WORDS = 30;
/** Wrapped lines are at least this long before the writer's line break. */
const WRAPPED_LINE_CHARS = 50;
/** Lines longer than this are not hard-wrapped. */
const HARD_WRAP_MAX_CHARS = 100;

const NAVIGATION_WORDS = new Set([
  'comment', 'comments', 'reply', 'replies', 'share', 'shares', 'subscribe', 'subscription', 'newsletter', 'login',
  'log', 'sign', 'register', 'advertisement', 'advertising', 'sponsored', 'read', 'more', 'related', 'latest',
  'popular', 'trending', 'recommended', 'must', 'follow', 'cookie', 'cookies', 'privacy', 'terms', 'copyright',
  'reserved', 'tags', 'print', 'email', 'whatsapp', 'facebook', 'twitter', 'telegram', 'click', 'download',
  'next', 'previous', 'prev', 'top', 'home', 'menu', 'search', 'articles', 'stories', 'posts', 'video', 'videos',
  'watch', 'listen', 'podcast', 'enter', 'name', 'website', 'closed', 'leave', 'also', 'see', 'page',
]);
const CREDIT_WORDS = new Set([
  'editor', 'editors', 'edited', 'editing', 'photo', 'photos', 'image', 'images', 'credit', 'credits', 'copyright',
  'reporter', 'reporting', 'reported', 'writer', 'written', 'translated', 'translation', 'translator',
  'correspondent', 'contributor', 'contributed', 'compiled', 'produced', 'producer', 'charge', 'source', 'sources',
]);
const DATE_LABEL_WORDS = new Set(['time', 'publication', 'published', 'posted', 'updated', 'date', 'release', 'released', 'issued']);

function words(text: string): string[] {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
}

function lowerWords(text: string): string[] {
  return words(text).map((w) => w.toLowerCase().replace(/[^\p{L}\p{N}]/gu, ''));
}

function endsLikeSentence(text: string): boolean {
  return /[.!?…]["'”’)\]]*$/.test(text) || /[.!?]["”’]\s*\.?$/.test(text);
}

function isAllCaps(text: string): boolean {
  const letters = text.replace(/[^\p{L}]/gu, '');
  return letters.length >= 3 && letters === letters.toUpperCase() && letters !== letters.toLowerCase();
}

function navigationShare(text: string): number {
  const ws = lowerWords(text);
  if (ws.length === 0) return 0;
  return ws.filter((w) => NAVIGATION_WORDS.has(w)).length / ws.length;
}

/** "Label: value" with a short label; returns the label's words. */
function labelOf(text: string): string[] | null {
  const m = /^([\p{L}][\p{L}\p{N} '&-]{0,40}?)\s*[:：]\s*\S/u.exec(text);
  if (!m) return null;
  const label = lowerWords(m[1]!);
  return label.length >= 1 && label.length <= 4 ? label : null;
}

function isBreadcrumb(text: string): boolean {
  const parts = text.split(/\s*(?:>>|»|›|>|\|)\s*/);
  if (parts.length < 3) return false;
  return parts.every((p) => words(p).length <= 5) && words(text).length <= 20;
}

function isBracketed(text: string): boolean {
  return /^\[[^\]]+\]$/.test(text) || /^\([^)]+\)$/.test(text);
}

function looksLikeName(text: string): boolean {
  return /^(?:\p{Lu}[\p{L}'’.-]+)(?:\s+\p{Lu}[\p{L}'’.-]+){1,3}$/u.test(text);
}

/** Splits the body into lines with offsets. */
function linesOf(text: string, from: number): Line[] {
  const lines: Line[] = [];
  let pos = from;
  while (pos <= text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1) nl = text.length;
    let s = pos;
    let e = nl;
    while (s < e && /[\s\u00a0\ufeff]/.test(text[s]!)) s++;
    while (e > s && /[\s\u00a0]/.test(text[e - 1]!)) e--;
    lines.push({ start: s, end: e, text: text.slice(s, e) });
    pos = nl + 1;
  }
  return lines;
}

/**
 * Paragraphs as the writer laid them out: a blank line always separates
 * paragraphs; within a run of lines, a line break is a paragraph break unless
 * the line was wrapped: the next line continues in lower case, or the page is
 * hard-wrapped (its lines keep near one width) and the line is long and either
 * stops mid-sentence or the page marks paragraphs with blank lines.
 */
export function segmentParagraphs(text: string, from = 0): { start: number; end: number }[] {
  const lines = linesOf(text, from);
  const filled = lines.filter((l) => l.text.length > 0);
  const blankSeparated = lines.length - filled.length >= 2;
  // A hard-wrapped page keeps its lines near one width; a page written one paragraph per line does not.
  const longLines = filled.filter((l) => l.text.length > HARD_WRAP_MAX_CHARS).length;
  const hardWrapped = filled.length >= 3 && longLines / filled.length < 0.1 && median(filled.map((l) => l.text.length)) >= WRAPPED_LINE_CHARS;
  const out: { start: number; end: number }[] = [];
  let current: { start: number; end: number } | null = null;
  let previous: Line | null = null;
  for (const line of lines) {
    if (line.text.length === 0) {
      if (current) out.push(current);
      current = null;
      previous = null;
      continue;
    }
    if (current && previous) {
      const continues =
        /^[\p{Ll}(,;]/u.test(line.text) ||
        (hardWrapped && previous.text.length >= WRAPPED_LINE_CHARS && (blankSeparated || !endsLikeSentence(previous.text)));
      if (continues) {
        current.end = line.end;
        previous = line;
        continue;
      }
      out.push(current);
    }
    current = { start: line.start, end: line.end };
    previous = line;
  }
  if (current) out.push(current);
  return out;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function extractOutlet(text: string): string | null {
  const m = /(?:^|\s)(?:source|outlet|publisher|published by)\s*[:：]\s*([^|\n]+?)\s*(?:\||$|\s{2,})/i.exec(text);
  if (!m) return null;
  const outlet = m[1]!.trim().replace(/[.,;]+$/, '');
  return outlet.length > 0 && words(outlet).length <= 8 ? outlet : null;
}

function extractDateline(text: string): string | null {
  const label = labelOf(text);
  const found = findCalendarDate(text);
  if (!found) return null;
  const isLabelled = label !== null && label.some((w) => DATE_LABEL_WORDS.has(w));
  const isBareDate = words(text).length <= 8 && text.replace(/[\d\s,:./-]/g, '').length <= found.length;
  return isLabelled || isBareDate ? found.iso : null;
}

/** Classifies every paragraph of a page and reads the metadata the page states. */
export function analysePage(text: string, bodyStart: number): PageStructure {
  const paragraphs = segmentParagraphs(text, bodyStart);
  const roles: BlockRole[] = paragraphs.map(() => 'content');
  const texts = paragraphs.map((p) => text.slice(p.start, p.end));
  const wordCounts = texts.map((t) => words(t).length);
  let outlet: string | null = null;
  let published: string | null = null;
  let author: string | null = null;

  const isProse = (i: number): boolean => wordCounts[i]! > SHORT_BLOCK_WORDS && endsLikeSentence(texts[i]!.replace(/\s*\.\s*\.$/, '.'));

  // Shapes that are furniture wherever they stand.
  texts.forEach((t, i) => {
    const n = wordCounts[i]!;
    const label = labelOf(t);
    if (isBreadcrumb(t)) roles[i] = 'breadcrumb';
    else if (n <= 25 && extractDateline(t)) {
      roles[i] = 'dateline';
      published ??= extractDateline(t);
      outlet ??= extractOutlet(t);
    } else if (n <= 25 && label && label.some((w) => CREDIT_WORDS.has(w)) && !/["“”]/.test(t)) {
      roles[i] = 'credit';
      if (label.includes('source')) outlet ??= extractOutlet(t);
    } else if (n <= 25 && label && label.some((w) => NAVIGATION_WORDS.has(w)) && !endsLikeSentence(t)) roles[i] = 'related';
    else if (n <= SHORT_BLOCK_WORDS && (isAllCaps(t) || navigationShare(t) >= 0.34) && !isProse(i)) roles[i] = 'navigation';
    else if (n === 0) roles[i] = 'navigation';
  });

  // Bylines: a short name line that is repeated, or introduces a bio ("X is a ..."), or reads "By X".
  texts.forEach((t, i) => {
    if (roles[i] !== 'content') return;
    const by = /^by\s+(\p{Lu}[\p{L}'’.-]+(?:\s+\p{Lu}[\p{L}'’.-]+){1,3})\s*$/iu.exec(t);
    const name = by ? by[1]! : looksLikeName(t) ? t : null;
    if (!name) return;
    const repeated = texts.some((u, j) => j !== i && u === t);
    const bioIndex = texts.findIndex((u, j) => j > i && j <= i + 3 && u.startsWith(`${name} `) && /^\S+(?:\s+\S+){0,3}\s+(?:is|was|has been|writes)\b/.test(u));
    if (by || repeated || bioIndex >= 0) {
      roles[i] = 'byline';
      author ??= name;
      if (bioIndex >= 0) roles[bioIndex] = 'bio';
    }
  });

  // Everything before a breadcrumb is the site's own header.
  const lastCrumb = roles.lastIndexOf('breadcrumb');
  const firstProse = paragraphs.findIndex((_, i) => roles[i] === 'content' && isProse(i));
  if (lastCrumb >= 0 && (firstProse < 0 || lastCrumb < firstProse)) {
    for (let i = 0; i < lastCrumb; i++) if (roles[i] === 'content') roles[i] = 'site';
  }

  // The headline: the first content block before the prose starts that is headline-shaped.
  let headline = -1;
  for (let i = 0; i < paragraphs.length; i++) {
    if (firstProse >= 0 && i > firstProse) break;
    if (roles[i] !== 'content') continue;
    const n = wordCounts[i]!;
    if (n >= 2 && n <= MAX_HEADLINE_WORDS && !/[.:;,]$/.test(texts[i]!)) {
      headline = i;
      roles[i] = 'headline';
      break;
    }
  }
  // Before the headline, short blocks are the site's name and section.
  for (let i = 0; i < headline; i++) if (roles[i] === 'content' && !isProse(i)) roles[i] = 'site';

  // The run of short, non-prose blocks that ends a page is furniture (comment prompts, "Latest", links).
  for (let i = paragraphs.length - 1; i > headline; i--) {
    const t = texts[i]!;
    if (roles[i] !== 'content') continue;
    if (isBracketed(t) && wordCounts[i]! <= 60) {
      roles[i] = 'credit';
      continue;
    }
    if (/^(?:©|\(c\)|copyright\b)/i.test(t)) {
      roles[i] = 'credit';
      continue;
    }
    // A short complete sentence of ordinary words ends the article, not the furniture.
    const sentenceShaped = wordCounts[i]! >= MIN_SENTENCE_WORDS && endsLikeSentence(t) && navigationShare(t) < 0.34;
    if (wordCounts[i]! <= SHORT_BLOCK_WORDS && !sentenceShaped && !/["“”]/.test(t)) {
      roles[i] = 'navigation';
      continue;
    }
    break;
  }

  // Short lines inside the article are section headings.
  texts.forEach((t, i) => {
    if (roles[i] === 'content' && wordCounts[i]! <= SHORT_BLOCK_WORDS && !endsLikeSentence(t) && !/[:,;]$/.test(t)) roles[i] = 'heading';
  });

  const title = headline >= 0 ? texts[headline]!.replace(/\s+/g, ' ') : null;
  return {
    // Field by field, not a spread (see withDocumentPaths in document.ts).
    blocks: paragraphs.map((p, i) => ({ start: p.start, end: p.end, role: roles[i]! })),
    title,
    outlet,
    published,
    author,
  };
}
