/**
 * Text from a DOM subtree as paragraphs: block elements (p, div, headings, list
 * items, table rows, …) end a paragraph, <br> breaks a line inside one, white
 * space collapses as a browser would render it, and <pre> keeps its lines.
 */
import { isElement, tagName, TEXT_NODE, type DomElement, type DomNode } from './dom.js';

export const BLOCK_TAGS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'center', 'dd', 'details', 'dialog', 'dir', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr', 'html',
  'li', 'main', 'menu', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul',
  'legend', 'option', 'noscript',
]);
/** Never text: code, styles, embedded objects, form controls. */
export const SKIPPED_TAGS = new Set([
  'script', 'style', 'template', 'svg', 'math', 'iframe', 'object', 'embed', 'canvas', 'video', 'audio', 'picture', 'source',
  'head', 'title', 'meta', 'link', 'input', 'select', 'textarea', 'button', 'map', 'noembed', 'noframes',
  // Ruby annotations (a reading printed small above the characters) are not part of the sentence.
  'rt', 'rp',
]);
const CELL_TAGS = new Set(['td', 'th']);
/** Private-use characters marking link text in the buffer (removed from the page's own text first). */
const LINK_START = '\ue000';
const LINK_END = '\ue001';
const MARKS = /[\ue000\ue001]/g;

/** A paragraph and how much of its text is link text (navigation is mostly links). */
export interface TextBlock {
  text: string;
  linkChars: number;
  /** Inside a table cell (a heading cell says "Comment" without ending anything). */
  inCell?: boolean;
}

/** Walks a subtree and returns its paragraphs (non-empty, trimmed). */
export function paragraphsOf(root: DomElement, skip?: (element: DomElement) => boolean): string[] {
  return blocksOf(root, skip).map((b) => b.text);
}

/** Walks a subtree and returns its paragraphs with their link text. */
export function blocksOf(root: DomElement, skip?: (element: DomElement) => boolean): TextBlock[] {
  const paragraphs: TextBlock[] = [];
  // Link text is marked inside the buffer, so each paragraph split from it (<br><br>, <pre> blank lines) counts its own.
  let current = '';
  let inLink = 0;
  let inCell = 0;
  let cellText = false;
  const flush = (): void => {
    // Two line breaks in a row (<br><br>) separate paragraphs as a block would.
    let linkOpen = false;
    for (const chunk of current.split(/\n[ \t\r\f\u00a0\u200b]*\n/)) {
      let linkChars = 0;
      const lines: string[] = [];
      for (const raw of chunk.split('\n')) {
        const line = raw.replace(/[ \t\r\f\u00a0\u200b]+/g, ' ').trim();
        let plain = '';
        for (const ch of line) {
          if (ch === LINK_START) linkOpen = true;
          else if (ch === LINK_END) linkOpen = false;
          else {
            plain += ch;
            if (linkOpen) linkChars++;
          }
        }
        const trimmed = plain.trim();
        if (trimmed.length > 0) lines.push(trimmed);
      }
      const text = lines.join('\n');
      if (text.length > 0) paragraphs.push(cellText ? { text, linkChars: Math.min(linkChars, text.length), inCell: true } : { text, linkChars: Math.min(linkChars, text.length) });
    }
    current = '';
    cellText = false;
  };
  const walk = (node: DomNode, pre: boolean): void => {
    if (node.nodeType === TEXT_NODE) {
      const value = node.textContent.replace(MARKS, '');
      const added = pre ? value : value.replace(/[\s]+/g, ' ');
      current += inLink > 0 ? LINK_START + added + LINK_END : added;
      if (inCell > 0 && added.trim().length > 0) cellText = true;
      return;
    }
    if (!isElement(node)) return;
    const tag = tagName(node);
    if (SKIPPED_TAGS.has(tag) || (skip && skip(node))) return;
    if (tag === 'br') {
      current += '\n';
      return;
    }
    if (tag === 'img') {
      return;
    }
    const block = BLOCK_TAGS.has(tag) && !CELL_TAGS.has(tag);
    if (block) flush();
    if (CELL_TAGS.has(tag)) current += ' ';
    const inPre = pre || tag === 'pre';
    if (tag === 'a') inLink++;
    if (CELL_TAGS.has(tag)) inCell++;
    for (let child = node.firstChild; child; child = child.nextSibling) walk(child, inPre);
    if (tag === 'a') inLink--;
    if (CELL_TAGS.has(tag)) inCell--;
    if (CELL_TAGS.has(tag)) current += ' ';
    if (block) flush();
  };
  walk(root, false);
  flush();
  return paragraphs;
}

/** Words as a reader counts them: runs of letters or digits; in scripts written without spaces (Chinese, Japanese), each character. */
export function countWords(text: string): number {
  let n = 0;
  for (const run of text.match(/[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*/gu) ?? []) {
    const unspaced = run.match(UNSPACED)?.length ?? 0;
    n += unspaced === 0 ? 1 : unspaced + (run.length > unspaced ? 1 : 0);
  }
  return n;
}
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu;
