/**
 * The page as a DOM. parse5 builds the tree the way a browser does (implied
 * <html>/<head>/<body>, unclosed tags closed, misnested ones repaired); the
 * tree is then copied into the light DOM that @mozilla/readability ships for
 * itself (JSDOMParser's node classes), which is all Readability and the rules
 * here need and several times faster than a full DOM. Scripts, styles and
 * embedded objects are dropped while copying (JSON-LD is kept aside as text),
 * and nesting is bounded, so hostile markup cannot blow the stack. Nothing runs
 * and nothing loads: neither library executes scripts or fetches resources.
 */
import { createRequire } from 'node:module';
import { parse, parseFragment, type DefaultTreeAdapterTypes } from 'parse5';

type P5Node = DefaultTreeAdapterTypes.Node;
type P5Element = DefaultTreeAdapterTypes.Element;

/** The part of the DOM this module uses (the project compiles without lib.dom). */
export interface DomNode {
  readonly nodeType: number;
  readonly nodeName: string;
  readonly parentNode: DomElement | null;
  readonly childNodes: DomNode[];
  readonly firstChild: DomNode | null;
  readonly lastChild: DomNode | null;
  readonly nextSibling: DomNode | null;
  readonly previousSibling: DomNode | null;
  textContent: string;
  remove(): void;
}

export interface DomElement extends DomNode {
  /** Upper case, as in HTML documents. */
  readonly tagName: string;
  /** Lower case. */
  readonly localName: string;
  readonly children: DomElement[];
  readonly nextElementSibling: DomElement | null;
  readonly previousElementSibling: DomElement | null;
  /** Note: JSDOMParser returns undefined for a missing attribute; use attr(). */
  getAttribute(name: string): string | undefined;
  setAttribute(name: string, value: string): void;
  hasAttribute(name: string): boolean;
  getElementsByTagName(name: string): DomElement[];
  appendChild(child: DomNode): void;
}

export interface DomDocument extends DomNode {
  documentElement: DomElement | null;
  head: DomElement | null;
  body: DomElement | null;
  title: string;
  getElementsByTagName(name: string): DomElement[];
  createElement(tag: string): DomElement;
  createTextNode(text: string): DomNode;
  appendChild(child: DomNode): void;
}

export interface ParsedPage {
  document: DomDocument;
  /** The text of every <script type="application/ld+json">, in order. */
  jsonLd: string[];
}

export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;

/** Elements nested deeper than this are unwrapped (their children kept): real pages stay far below it. */
export const MAX_DEPTH = 150;
/** Dropped while copying: never text, and only cost time. */
const DROPPED = new Set(['script', 'style', 'noscript', 'template', 'svg', 'math', 'iframe', 'object', 'embed', 'canvas', 'noembed', 'noframes']);

const require = createRequire(import.meta.url);
interface JsdomParser {
  parse(html: string, url?: string): DomDocument;
  error(message: string): void;
}
const JSDOMParser = require('@mozilla/readability/JSDOMParser.js') as new () => JsdomParser;

export function isElement(node: DomNode): node is DomElement {
  return node.nodeType === ELEMENT_NODE;
}

/** An attribute's value, or null (JSDOMParser says undefined). */
export function attr(element: DomElement, name: string): string | null {
  return element.getAttribute(name) ?? null;
}

function scriptType(element: P5Element): string {
  return (element.attrs.find((a) => a.name === 'type')?.value ?? '').trim().toLowerCase();
}

function textOf(element: P5Element): string {
  return element.childNodes.map((c) => (c.nodeName === '#text' ? (c as DefaultTreeAdapterTypes.TextNode).value : '')).join('');
}

/** Parses markup into a browser-shaped document. Throws only on internal failure (callers catch). */
export function parsePage(html: string, options: { keepJsonLdScripts?: boolean; readNoscript?: boolean } = {}): ParsedPage {
  const tree = parse(html);
  const parser = new JSDOMParser();
  parser.error = () => {};
  const document = parser.parse('');
  const jsonLd: string[] = [];

  // Iterative (an explicit stack), so 50,000 nested tags cannot overflow the call stack.
  const stack: [P5Node, DomElement | DomDocument, number][] = [];
  const pushChildren = (nodes: readonly P5Node[], parent: DomElement | DomDocument, depth: number): void => {
    for (let i = nodes.length - 1; i >= 0; i--) stack.push([nodes[i]!, parent, depth]);
  };
  pushChildren(tree.childNodes, document, 0);
  while (stack.length > 0) {
    const [node, parent, depth] = stack.pop()!;
    if (node.nodeName === '#text') {
      // Adjacent text (left beside each other by dropped or unwrapped elements) becomes one node.
      const value = (node as DefaultTreeAdapterTypes.TextNode).value;
      const last = parent.lastChild;
      if (last && last.nodeType === TEXT_NODE) last.textContent += value;
      else parent.appendChild(document.createTextNode(value));
      continue;
    }
    if (!('tagName' in node)) continue; // comments, doctype
    const element = node as P5Element;
    const tag = element.tagName.toLowerCase();
    if (tag === 'noscript' && options.readNoscript && parent !== document.head && hasProse(textOf(element))) {
      // What the page shows without scripts; some pages keep their whole article there (the scripted copy
      // sits in a template). Its markup is read as a browser without scripts would.
      const created = document.createElement('div');
      created.setAttribute('data-noscript', '');
      parent.appendChild(created);
      pushChildren(parseFragment(textOf(element), { scriptingEnabled: false }).childNodes, created, depth + 1);
      continue;
    }
    if (DROPPED.has(tag)) {
      if (tag === 'script' && scriptType(element) === 'application/ld+json') {
        const json = textOf(element);
        jsonLd.push(json);
        if (options.keepJsonLdScripts) {
          const script = document.createElement('script');
          script.setAttribute('type', 'application/ld+json');
          script.appendChild(document.createTextNode(json));
          parent.appendChild(script);
        }
      }
      continue;
    }
    const structural = tag === 'html' || tag === 'head' || tag === 'body';
    if (depth >= MAX_DEPTH && !structural) {
      pushChildren(element.childNodes, parent, depth);
      continue;
    }
    const created = document.createElement(tag);
    for (const a of element.attrs) created.setAttribute(a.name, a.value);
    parent.appendChild(created);
    if (tag === 'html') document.documentElement ??= created;
    else if (tag === 'head') document.head ??= created;
    else if (tag === 'body') document.body ??= created;
    else if (tag === 'title' && !document.title) document.title = textOf(element).trim();
    pushChildren(element.childNodes, created, depth + 1);
  }
  return { document, jsonLd };
}

/** Words of text (tags left out) that make a <noscript> worth reading: an article, not "please enable JavaScript" or a tracking pixel's address. */
const NOSCRIPT_PROSE_WORDS = 80;

function hasProse(markup: string): boolean {
  if (markup.length < NOSCRIPT_PROSE_WORDS * 4) return false;
  const text = markup.replace(/<[^>]*>/g, ' ');
  return (text.match(/(?:^|\s)\p{L}{2,}[,.;:!?]?(?=\s|$)/gu)?.length ?? 0) >= NOSCRIPT_PROSE_WORDS;
}

/** Every element under root (document order), optionally of one tag. */
export function elements(root: DomElement | DomDocument, tag = '*'): DomElement[] {
  return root.getElementsByTagName(tag);
}

/** The element's tag in lower case. */
export function tagName(element: DomElement): string {
  return element.localName;
}
