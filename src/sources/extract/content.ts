/**
 * Choosing the body and cleaning it.
 *
 * `densestContainer` is a linear-time chooser for pages too large for
 * Readability (or where it finds nothing): every paragraph-like block gives its
 * parent a score for its text and commas (half to the grandparent), discounted
 * by link density, and the best-scoring container wins.
 *
 * `dropFurnitureBlocks` cleans a chosen body block by block: link lists, share
 * and "read more" lines, bare dates and the short run of furniture that often
 * ends an article.
 */
import { classHint } from './boilerplate.js';
import { elements, isElement, TEXT_NODE, type DomDocument, type DomElement, type DomNode } from './dom.js';
import { countWords, type TextBlock } from './text.js';
import { normaliseDate } from './dates.js';

const PARAGRAPH_TAGS = new Set(['p', 'pre', 'td', 'blockquote', 'li', 'dd']);
/** Blocks shorter than this (characters) give no score. */
const MIN_BLOCK_CHARS = 25;

function ownText(element: DomElement): { chars: number; linkChars: number; commas: number } {
  let chars = 0;
  let linkChars = 0;
  let commas = 0;
  const visit = (node: DomNode, inLink: boolean): void => {
    if (node.nodeType === TEXT_NODE) {
      // Letters only: runs of numbers, symbols and separators are not prose.
      const t = node.textContent;
      const letters = (t.match(/\p{L}/gu) ?? []).length;
      chars += letters;
      if (inLink) linkChars += letters;
      commas += (t.match(/[,，、]/g) ?? []).length;
      return;
    }
    if (!isElement(node)) return;
    for (const child of node.childNodes) visit(child, inLink || node.localName === 'a');
  };
  visit(element, false);
  return { chars, linkChars, commas };
}

/** The container holding most of the page's prose, or the body. */
export function densestContainer(document: DomDocument): DomElement | null {
  const body = document.body;
  if (!body) return null;
  const scores = new Map<DomElement, number>();
  for (const element of elements(body)) {
    const isParagraph = PARAGRAPH_TAGS.has(element.localName) || (element.localName === 'div' && element.children.every((c) => !['p', 'div', 'table', 'ul', 'ol', 'section', 'article'].includes(c.localName)));
    if (!isParagraph) continue;
    const { chars, linkChars, commas } = ownText(element);
    if (chars < MIN_BLOCK_CHARS) continue;
    const score = (1 + commas + Math.min(3, Math.floor(chars / 100))) * (1 - linkChars / chars);
    const parent = element.parentNode;
    if (parent && isElement(parent)) {
      scores.set(parent, (scores.get(parent) ?? 0) + score);
      const grand = parent.parentNode;
      if (grand && isElement(grand)) scores.set(grand, (scores.get(grand) ?? 0) + score / 2);
    }
  }
  let best: DomElement | null = null;
  let bestScore = 0;
  for (const [element, score] of scores) {
    const { positive, negative } = classHint(element);
    const adjusted = score * (positive ? 1.25 : 1) * (negative ? 0.5 : 1);
    if (adjusted > bestScore) {
      best = element;
      bestScore = adjusted;
    }
  }
  // A container whose parent scores nearly as well is one part of a split article: take the parent.
  while (best && best.parentNode && isElement(best.parentNode) && best.parentNode !== body && (scores.get(best.parentNode) ?? 0) >= 0.9 * bestScore) best = best.parentNode;
  return best ?? body;
}

const SHARE_LINE = /^(?:share|teilen|tweet|e-?mail|print|drucken|facebook|twitter|whatsapp|linkedin|pinterest|reddit|telegram|xing|flipboard|copy link|link kopieren)(?:\s*(?:on|via|this|article|artikel|auf|per|diesen|story))*[\s:|/•·-]*$/i;
const READ_MORE = /^[\s\-–—|•·]*(?:read more|more:|see also|related:|also read|mehr zum thema|lesen sie auch|weiterlesen|mehr lesen|auch interessant|zum thema|advertisement|anzeige|werbung)\b/i;

function isBareDate(text: string): boolean {
  if (countWords(text) > 8) return false;
  const stripped = text.replace(/^(?:published|posted|updated|veröffentlicht|aktualisiert|stand|am|on|date|datum)\s*[:.]?\s*/i, '');
  return normaliseDate(stripped) !== null || /^\d{1,2}\.\s*\p{L}+\s+\d{4}(?:[,\s]+\d{1,2}[:.]\d{2}(?:\s*uhr)?)?$/iu.test(stripped) || /^\d{1,2}[./]\d{1,2}[./]\d{2,4}(?:[,\s]+\d{1,2}[:.]\d{2})?$/.test(stripped);
}

/** A picture's credit or source line: "Foto: …", "(Quelle: …)", "Image: …", "© …". */
const CREDIT_LINE = /^[([]?\s*(?:quelle|quellen|foto|fotos|bild|bilder|bildquelle|titelbild|abbildung|grafik|photo|photos|picture|image|images|credit|credits|source|illustration|copyright|crédit|fuente|fonte|źródło|fot)\s*[:©/]|^©|\(c\)\s*\d{4}/i;
/** A short line that opens a box of links to other articles: the box goes, the article may go on after it. */
const RELATED_MARKER =
  /^(?:related(?: articles?| stories| posts| content| topics| links| reading)?|further reading|see also|you (?:may|might) also (?:like|be interested(?: in)?)|more (?:from|on|about)\b.{0,40}|read next|recommended(?: for you| articles| stories)?|das könnte (?:sie|dich) auch interessieren|mehr zum thema|weitere (?:artikel|beiträge|themen|nachrichten)|ähnliche (?:artikel|beiträge)|verwandte (?:artikel|beiträge)|weiterführende links|weitere informationen(?: \p{L}+){0,4}|mehr informationen|more information|further information|zum weiterlesen|inhaltsverzeichnis|table of contents|inhalt|sommaire|índice|weitere beiträge(?: \p{L}+){0,3}|beiträge zum thema|neueste (?:artikel|beiträge|nachrichten)|entdecke weitere(?: \p{L}+){0,2}|articles liés|à lire aussi|lire aussi|te puede interesar|noticias relacionadas|leggi anche|leia (?:também|mais)|veja também|czytaj (?:też|także)|zobacz (?:też|także))\s*[:.!]?$/iu;
/** A short line that opens what follows the article: the author's box, comments, tags. */
const END_MARKER =
  /^(?:about the author|über (?:den|die) autor(?:in)?|zur person|kommentare?|comments?|\d+ (?:comments?|kommentare?|responses?)|leave a (?:reply|comment)|schreiben? sie einen kommentar|schreibe einen kommentar|keine kommentare|no comments(?: yet)?|join the discussion|diskutieren sie mit|share this(?: article| story| post)?|diesen artikel teilen|artikel teilen|tags?|schlagworte|stichworte|themen|topics)\s*[:.!]?$/i;
/** After a related-links marker, a block of at least this many words with little link text is the article again. */
const PROSE_AGAIN_WORDS = 20;
/** Asking the reader to subscribe, sign up, join or pay: not the article, when short and in the body's last part. */
const CALL_TO_ACTION =
  /(?<![\p{L}\p{N}_])(?:subscribe|subscriber|subscription|newsletter|sign up|signup|membership|become a member|support (?:our|us)|donate|abonn\p{L}*|anmelden|unterstütz\p{L}* (?:sie|uns)|spende\p{L}*|suscr\p{L}*|hazte miembro|únete|membres[ií]a|ap[oó]y(?:a|anos|enos)|apoie|subskrypc\p{L}*|prenumerat\p{L}*|inscrivez|inscreva)(?![\p{L}\p{N}_])/iu;
/** After a call to action, at most this many words in all are more of the appeal: the body ends at the call. */
const APPEAL_TAIL_WORDS = 60;
/** The last share of the body's words where a call to action is looked for. */
const CALL_TO_ACTION_FROM = 0.6;
/** A cookie notice. */
const COOKIE_NOTICE = /\bcookies?\b/i;
/** …asking for consent (an article about cookies does not). */
const COOKIE_CONSENT = /\b(?:you agree|agree to|accept|akzeptier\p{L}*|consent|einverstanden|zustimm\p{L}*|stimm\p{L}* [^.]{0,60}\bzu\b|acept\p{L}*|by continuing|weitere nutzung|weiteren nutzung)/iu;
/** Widgets that rate or share the page: "Was this article helpful?", "(No ratings yet) Loading...". */
const PAGE_WIDGET = /^(?:(?:war|ist) (?:der|dieser) (?:artikel|beitrag) (?:nützlich|hilfreich)|was this (?:article|page|post) (?:helpful|useful)|(?:möchten|wollen) sie (?:den|diesen) (?:artikel|beitrag) teilen|\(?(?:noch keine bewertungen|no ratings yet))|\bloading\.\.\.$/i;
/** A picture's caption ending in its credit ("… | © Agency/Photographer", "… Foto: Agency"). */
const CAPTION_CREDIT = /(?:^|\s|\|)(?:©|\(c\)|foto:|fotos:|photo:|bild:|image:|crédito:|foto ©)\s*\S[^.!?]{0,60}$/i;

/** A line that is only a byline or date label ("Von:", "Authors:", "Release Date:"): the name or date, if any, stands apart. */
const LABEL_LINE = /^(?:by|von|par|por|autor(?:en|in|innen)?|authors?|written by|release date|publish(?:ed|ing)? date|publication date|erscheinungsdatum|veröffentlicht am)\s*:?$/i;
/** A paywall's notice: the article stops here, what follows is the offer. */
const PAYWALL_NOTICE =
  /\b(?:to (?:view|read|continue reading|keep reading) (?:the|this) (?:full|rest|entire|whole)|subscribe (?:now )?to (?:continue|keep) reading|(?:continue|keep) reading with (?:a|an|your) (?:subscription|account)|this (?:article|story|content) is (?:for|only (?:available )?(?:to|for)) (?:subscribers|members)|pour lire la suite|pour poursuivre votre lecture|(?:para )?(?:seguir|continuar) leyendo|um (?:den (?:ganzen|vollständigen) artikel|weiter) ?zu lesen|weiterlesen mit (?:einem|ihrem)|per continuare a leggere)/iu;
/** A line that is only a site's address ("EXAMPLENEWS.COM", "www.example.de"): a source or logo line, not a sentence. */
const BARE_HOST = /^(?:https?:\/\/)?(?:www\.)?[\p{L}\d-]+(?:\.[\p{L}\d-]+)*\.\p{L}{2,6}\/?$/iu;
/** …written as an address (http, www) or in capitals: "Node.js" or "Vue.js" alone is a heading. */
function isBareHost(text: string): boolean {
  return BARE_HOST.test(text) && (/^(?:https?:\/\/|www\.)/i.test(text) || text === text.toUpperCase());
}

/** An end marker in the last part of the body (past this share of its words) ends it. */
const END_MARKER_FROM = 0.5;

/** Drops the furniture blocks a chosen body still holds, and cuts it at a marker of what follows the article. */
export function dropFurnitureBlocks(blocks: TextBlock[]): TextBlock[] {
  const total = blocks.reduce((n, b) => n + countWords(b.text), 0);
  const linkShareOf = (b: TextBlock): number => (b.text.length > 0 ? b.linkChars / b.text.length : 0);
  let seen = 0;
  let skipping = false;
  const kept: TextBlock[] = [];
  const isProse = (b: TextBlock | undefined, minWords: number): boolean => b !== undefined && countWords(b.text) >= minWords && linkShareOf(b) < 0.3;
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    const text = block.text.trim();
    const words = countWords(text);
    seen += words;
    const marker = words <= 8 && !block.inCell;
    if (marker && (seen - words) >= END_MARKER_FROM * total && END_MARKER.test(text)) break;
    if (words <= 40 && kept.length > 0 && PAYWALL_NOTICE.test(text)) break;
    if (marker && LABEL_LINE.test(text)) {
      // A byline label near the end with only a name after it: the byline goes with it.
      const rest = blocks.slice(i + 1).reduce((n, b) => n + countWords(b.text), 0);
      if (seen - words >= END_MARKER_FROM * total && rest <= 12) break;
      continue;
    }
    if (marker && RELATED_MARKER.test(text)) {
      // A box of links to other articles: drop it up to where prose starts again.
      skipping = true;
      continue;
    }
    if (skipping) {
      // Prose again, and more than one teaser's worth of it.
      const next = blocks[i + 1];
      const nextOk = next === undefined || isProse(next, PROSE_AGAIN_WORDS / 2) || (countWords(next.text) <= 8 && (RELATED_MARKER.test(next.text.trim()) || END_MARKER.test(next.text.trim())));
      if (isProse(block, PROSE_AGAIN_WORDS) && nextOk) skipping = false;
      else continue;
    }
    if (words === 0) continue;
    if (linkShareOf(block) > 0.6 && words < 40) continue;
    if (words <= 6 && SHARE_LINE.test(text)) continue;
    if (words <= 12 && READ_MORE.test(text)) continue;
    if (isBareDate(text)) continue;
    if (isBareHost(text)) continue;
    if (words <= 15 && CREDIT_LINE.test(text)) continue;
    if (words <= 8 && (END_MARKER.test(text) || RELATED_MARKER.test(text))) continue;
    if (seen >= CALL_TO_ACTION_FROM * total && CALL_TO_ACTION.test(text)) {
      // An appeal to readers (support us, join, subscribe) with only a little more after it ends the article.
      if (kept.length > 0 && blocks.slice(i + 1).reduce((n, b) => n + countWords(b.text), 0) <= APPEAL_TAIL_WORDS && words <= 80) break;
      if (words <= 40) continue;
    }
    if (words <= 50 && COOKIE_NOTICE.test(text) && COOKIE_CONSENT.test(text)) continue;
    if (words <= 15 && PAGE_WIDGET.test(text)) continue;
    if (words <= 40 && CAPTION_CREDIT.test(text)) continue;
    kept.push(block);
  }
  return kept;
}
