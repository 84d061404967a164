/**
 * Page furniture, recognised by rules that hold across sites (never one site's
 * names): hidden elements; navigation, asides, footers and form controls; and
 * elements whose class or id says what they are (comments, share buttons,
 * related links, ads, cookie banners, newsletter boxes, breadcrumbs, tag lists,
 * …) unless they hold much of the page's text. Applied to the document before
 * the body is chosen, so no chooser ever sees them.
 */
import { attr, isElement, TEXT_NODE, type DomDocument, type DomElement, type DomNode } from './dom.js';

/** Always furniture. */
const FURNITURE_TAGS = new Set(['figcaption', 'nav', 'aside', 'footer', 'button', 'select', 'input', 'textarea', 'dialog', 'menu', 'label', 'option']);

/** Class/id tokens (split on space, "-" and "_") that name furniture. */
const NEGATIVE_TOKENS = new Set([
  'ad', 'ads', 'adv', 'advert', 'advertisement', 'advertising', 'anzeige', 'banner', 'breadcrumb', 'breadcrumbs', 'cookie', 'cookies',
  'consent', 'comment', 'comments', 'commentlist', 'disqus', 'respond', 'share', 'shares', 'sharing', 'sharebar', 'social', 'socials',
  'related', 'recommended', 'recommendations', 'recommendation', 'promo', 'promotion', 'sponsor', 'sponsored', 'newsletter', 'subscribe',
  'subscription', 'signup', 'menu', 'navbar', 'nav', 'navigation', 'footer', 'sidebar', 'widget', 'widgets', 'popup', 'modal', 'overlay',
  'tags', 'tagcloud', 'tag', 'pagination', 'pager', 'toolbar', 'login', 'rating', 'outbrain', 'taboola', 'skip', 'masthead',
  'author', 'bio', 'byline', 'meta', 'postmeta', 'date', 'dateline', 'timestamp', 'caption', 'credit', 'credits',
  'copyright', 'sr', 'screen', 'visually', 'offscreen', 'follow', 'next', 'prev', 'previous', 'categories', 'category',
  'topbar', 'search', 'shop', 'store', 'donate', 'donation', 'trending', 'popular', 'latest',
]);
/** Tokens that mark the main text: an element with one of these is kept unless it is short. */
const POSITIVE_TOKENS = new Set([
  'article', 'body', 'content', 'entry', 'main', 'post', 'story', 'text', 'blog', 'hentry', 'prose', 'richtext', 'artikel', 'inhalt',
  'news', 'page', 'single', 'column',
]);
const NEGATIVE_SUBSTRINGS = /comment|disqus|share(?!d)|social|related|recommend|advert|sponsor|newsletter|cookie|breadcrumb|sidebar|pagination|outbrain|taboola|footer|navigation|navbar/;

/** Share of the page's text under which an element named as furniture is removed (positive names: lower). */
const MAX_NEGATIVE_SHARE = 0.35;
const MAX_NEGATIVE_SHARE_WITH_POSITIVE = 0.05;

/** An id made from a heading's words ("sharing-with-other-developers") names a section's subject, not its kind. */
const HEADING_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+){4,}$/;

function hintTokens(element: DomElement): string[] {
  const id = (attr(element, 'id') ?? '').toLowerCase();
  const hint = `${attr(element, 'class') ?? ''} ${HEADING_SLUG.test(id) ? '' : id} ${attr(element, 'role') ?? ''}`.toLowerCase();
  return hint.split(/[\s_-]+/).filter(Boolean);
}

export function classHint(element: DomElement): { negative: boolean; positive: boolean } {
  const tokens = hintTokens(element);
  const negative = tokens.some((t) => NEGATIVE_TOKENS.has(t) || NEGATIVE_SUBSTRINGS.test(t)) || ['navigation', 'banner', 'contentinfo', 'complementary', 'search'].includes(attr(element, 'role') ?? '');
  const positive = tokens.some((t) => POSITIVE_TOKENS.has(t));
  return { negative, positive };
}

export function isHidden(element: DomElement): boolean {
  if (element.hasAttribute('hidden') || attr(element, 'aria-hidden') === 'true') return true;
  const style = (attr(element, 'style') ?? '').toLowerCase().replace(/\s+/g, '');
  return style.includes('display:none') || style.includes('visibility:hidden');
}

/** Characters of text under each element (one pass, bottom up). */
export function textLengths(root: DomElement): Map<DomElement, number> {
  const lengths = new Map<DomElement, number>();
  const visit = (node: DomNode): number => {
    if (node.nodeType === TEXT_NODE) return node.textContent.replace(/\s+/g, ' ').trim().length;
    if (!isElement(node)) return 0;
    let sum = 0;
    for (const child of node.childNodes) sum += visit(child);
    lengths.set(node, sum);
    return sum;
  };
  visit(root);
  return lengths;
}

const PROTECTED = new Set(['html', 'body', 'main', 'article']);

/** Removes furniture from the document's body in place; returns how many elements went. */
export function removeFurniture(document: DomDocument, onRemove?: (element: DomElement, why: string) => void): number {
  const body = document.body;
  if (!body) return 0;
  const lengths = textLengths(body);
  const total = Math.max(1, lengths.get(body) ?? 0);
  const doomed: DomElement[] = [];
  const visit = (element: DomElement): void => {
    const tag = element.localName;
    let why: string | null = null;
    if (isHidden(element) && tag !== 'body') why = 'hidden';
    else if (FURNITURE_TAGS.has(tag)) why = 'tag';
    else if (!PROTECTED.has(tag)) {
      const share = (lengths.get(element) ?? 0) / total;
      const { negative, positive } = classHint(element);
      if (negative && share < (positive ? MAX_NEGATIVE_SHARE_WITH_POSITIVE : MAX_NEGATIVE_SHARE) && !insideProse(element, lengths)) why = 'class';
      else if (tag === 'header' && !insideArticle(element) && share < MAX_NEGATIVE_SHARE) why = 'header';
      else if (tag === 'form' && share < MAX_NEGATIVE_SHARE) why = 'form';
    }
    if (why) {
      doomed.push(element);
      onRemove?.(element, why);
      return;
    }
    for (const child of element.children) visit(child);
  };
  visit(body);
  for (const element of doomed) element.remove();
  return doomed.length;
}

/** A link's class names what the link does (opens a "popup"), not what its words are: inside running text they stay. */
const INLINE_TAGS = new Set(['a']);
/** A link whose parent has this many times its text is part of the running text around it. */
const PROSE_AROUND_RATIO = 3;

function insideProse(element: DomElement, lengths: Map<DomElement, number>): boolean {
  if (!INLINE_TAGS.has(element.localName)) return false;
  const parent = element.parentNode;
  if (!parent || !isElement(parent)) return false;
  return (lengths.get(parent) ?? 0) >= PROSE_AROUND_RATIO * (lengths.get(element) ?? 0);
}

function insideArticle(element: DomElement): boolean {
  for (let p = element.parentNode; p && isElement(p); p = p.parentNode) if (p.localName === 'article' || p.localName === 'main') return true;
  return false;
}

