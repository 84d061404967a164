import { createHash } from 'node:crypto';
import type { Citation, CorpusDocument, Excerpt, Paragraph, Sentence } from '../types.js';
import { decodeDocument } from './decode.js';
import { normalizePublishedDate } from './dates.js';
import { readFrontMatter } from './frontmatter.js';
import { splitSentences } from './sentences.js';
import { analysePage } from './structure.js';
import { detached } from './detach.js';

/** A title made from the lead sentence is cut to about this many characters. */
const MAX_DERIVED_TITLE_CHARS = 120;

export type DocumentOutcome =
  | { ok: true; document: CorpusDocument; warnings: string[] }
  | { ok: false; reason: string };

function derivedTitle(text: string, first: Sentence | undefined, doc: string): string {
  if (!first) return doc;
  const sentence = text.slice(first.start, first.end).replace(/\s+/g, ' ');
  if (sentence.length <= MAX_DERIVED_TITLE_CHARS) return sentence;
  const cut = sentence.lastIndexOf(' ', MAX_DERIVED_TITLE_CHARS);
  return `${sentence.slice(0, cut > 40 ? cut : MAX_DERIVED_TITLE_CHARS)}…`;
}

/**
 * Builds a document from a file's bytes: decodes it, reads front matter and
 * what the page itself states (headline, outlet, date, byline), separates
 * content from furniture, and finds paragraphs and sentences with offsets
 * into the decoded text.
 */
export function buildDocument(doc: string, bytes: Uint8Array, mtimeMs = 0): DocumentOutcome {
  const decoded = decodeDocument(bytes);
  if (!decoded.ok) return decoded;
  const warnings: string[] = decoded.warning ? [decoded.warning] : [];
  const { text } = decoded;
  const front = readFrontMatter(text);
  if (front.warning) warnings.push(front.warning);
  const page = analysePage(text, front.bodyStart);

  const paragraphs: Paragraph[] = [];
  const sentences: Sentence[] = [];
  for (const block of page.blocks) {
    if (block.role !== 'content') continue;
    const index = paragraphs.length;
    paragraphs.push({ index, start: block.start, end: block.end });
    // Field by field, not a spread (see withDocumentPaths).
    for (const s of splitSentences(text, block.start, block.end)) sentences.push({ start: s.start, end: s.end, paragraph: index });
  }
  if (paragraphs.length === 0) return { ok: false, reason: 'no article text (only page furniture or blank lines)' };

  let published: string | null = null;
  if (front.fields.published) {
    published = normalizePublishedDate(front.fields.published);
    if (!published) warnings.push(`front matter date "${front.fields.published}" is not a calendar date; ignored`);
  }
  published ??= page.published;

  const title = (front.fields.title ?? page.title?.replace(/^#{1,6}\s+/, '') ?? derivedTitle(text, sentences[0], doc)).trim();
  const document: CorpusDocument = {
    doc,
    paths: [doc],
    text,
    encoding: decoded.encoding,
    meta: {
      title,
      outlet: front.fields.outlet ?? page.outlet,
      published,
      url: front.fields.url ?? null,
      author: front.fields.author ?? page.author,
    },
    bodyStart: front.bodyStart,
    blocks: page.blocks,
    paragraphs,
    sentences,
    hash: createHash('sha256').update(bytes).digest('hex'),
    mtimeMs,
  };
  return { ok: true, document, warnings };
}

/**
 * The same document under other paths (the first is its `doc`). Written out field by field: V8 gives
 * each object made by a spread with properties added (`{ ...document, paths }`) a hidden class of its
 * own, about 200 bytes more per object.
 */
export function withDocumentPaths(document: CorpusDocument, paths: string[]): CorpusDocument {
  const { text, encoding, meta, bodyStart, blocks, paragraphs, sentences, hash, mtimeMs } = document;
  return { doc: paths[0]!, paths, text, encoding, meta, bodyStart, blocks, paragraphs, sentences, hash, mtimeMs };
}

export function citationFor(document: CorpusDocument, start: number, end: number): Citation {
  const { title, outlet, published, url } = document.meta;
  const paragraph = paragraphAt(document, start);
  const citation: Citation = { doc: document.doc, title, outlet, published, url, start, end };
  if (paragraph) citation.paragraph = paragraph.index + 1;
  return citation;
}

/** A verbatim excerpt of `document` over [start, end), trimmed of surrounding white space. */
export function excerptOf(document: CorpusDocument, start: number, end: number): Excerpt {
  const { text } = document;
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  // Excerpts are kept in answer caches: detached, so that they do not keep their article's text.
  return { text: detached(text.slice(start, end)), source: citationFor(document, start, end) };
}

/** The content paragraph holding `offset`, or undefined when it lies in furniture. */
export function paragraphAt(document: CorpusDocument, offset: number): Paragraph | undefined {
  let lo = 0;
  let hi = document.paragraphs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = document.paragraphs[mid]!;
    if (offset < p.start) hi = mid - 1;
    else if (offset >= p.end) lo = mid + 1;
    else return p;
  }
  return undefined;
}
