/**
 * Finding quoted passages: pairs quotation marks in a text whose punctuation
 * may be broken (straight and curly marks mixed, a quote closed with an
 * opening mark, stray marks, apostrophes that look like single quotes).
 *
 * Works paragraph by paragraph (a paragraph is a line of text). A paragraph
 * that ends inside an open quote continues into the next one when that one
 * starts with a quotation mark (the news convention for long quotes).
 */

export interface Paragraph {
  start: number;
  end: number;
}

/** One quoted passage: `start`/`end` delimit the words inside the marks. */
export interface RawQuote {
  /** Offset of the opening mark. */
  open: number;
  /** Offset just after the closing mark; for a piece ending with its paragraph, the trimmed paragraph end. */
  close: number;
  start: number;
  end: number;
  paragraph: number;
  /** 'double' for " “ ” « » „; 'single' for ' ‘ ’. */
  marks: 'double' | 'single';
  /** Index (in the returned array) of the previous piece of the same multi-paragraph quote, or -1. */
  previousPiece: number;
  /** True when the paragraph ended before the quote was closed. */
  runsOn: boolean;
}

const DOUBLE_OPEN = new Set(['“', '„', '«']);
const DOUBLE_CLOSE = new Set(['”', '»']);
const DOUBLE = new Set(['"', '“', '”', '„', '«', '»']);
const SINGLE = new Set(["'", '‘', '’']);

const isSpace = (c: string | undefined): boolean => c === undefined || /\s/.test(c);
const isWordChar = (c: string | undefined): boolean => c !== undefined && /[\p{L}\p{N}]/u.test(c);
const OPEN_CONTEXT = /[([{\-–—/]/;
const CLOSE_CONTEXT = /[.,;:!?)\]}\-–—/…]/;

type Role = 'open' | 'close' | 'either';

function roleOf(text: string, i: number, set: Set<string>): Role {
  const c = text[i]!;
  const prev = text[i - 1];
  const next = text[i + 1];
  const left = !isSpace(next) && !CLOSE_CONTEXT.test(next!) && (isSpace(prev) || OPEN_CONTEXT.test(prev!) || set.has(prev!));
  const right = !isSpace(prev) && (isSpace(next) || CLOSE_CONTEXT.test(next!) || set.has(next!));
  if (left && !right) return 'open';
  if (right && !left) return 'close';
  // Neither or both flanking: a mark between a space and punctuation closes ("chain “,").
  if (isSpace(prev) && next !== undefined && CLOSE_CONTEXT.test(next)) return 'close';
  if (DOUBLE_OPEN.has(c) || c === '‘') return 'open';
  if (DOUBLE_CLOSE.has(c) || c === '’') return 'close';
  return 'either';
}

/** True when a single mark at i is an apostrophe (don't, Japan’s, '90s, Parents’ day). */
function isApostrophe(text: string, i: number, singleOpen: boolean): boolean {
  const prev = text[i - 1];
  const next = text[i + 1];
  if (isWordChar(prev) && isWordChar(next)) return true;
  if (isSpace(prev) && next !== undefined && /\p{N}/u.test(next)) return true;
  // A plural possessive ("the candidates’ estimates") unless a single quote is open.
  if (!singleOpen && prev !== undefined && /s/i.test(prev) && isSpace(next) && text[i] !== '‘') return true;
  return false;
}

export function paragraphsOf(text: string): Paragraph[] {
  const out: Paragraph[] = [];
  const re = /[^\n]+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0].trim() === '') continue;
    let s = m.index;
    let e = m.index + m[0].length;
    while (s < e && /\s/.test(text[s]!)) s++;
    while (e > s && /\s/.test(text[e - 1]!)) e--;
    out.push({ start: s, end: e });
  }
  return out;
}

function trimmed(text: string, start: number, end: number): [number, number] {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return [start, end];
}

/** Pairs the marks of one kind inside [from, to) and returns [open, closeMarkIndex] pairs plus a run-on open. */
function pairMarks(
  text: string,
  positions: number[],
  set: Set<string>,
): { pairs: [number, number][]; runOn: number | null } {
  const pairs: [number, number][] = [];
  let open: number | null = null;
  for (const i of positions) {
    const role = roleOf(text, i, set);
    if (open === null) {
      if (role !== 'close') open = i;
      continue;
    }
    if (role === 'close' || role === 'either') {
      pairs.push([open, i]);
      open = null;
    } else if (isSpace(text[i - 1]) && isSpace(text[i + 1])) {
      // A free-standing mark while a quote is open closes it ("fine “ and").
      pairs.push([open, i]);
      open = null;
    } else {
      // Two openings in a row: the first was a stray mark.
      open = i;
    }
  }
  return { pairs, runOn: open };
}

export function findQuotedPassages(text: string, paragraphs: Paragraph[] = paragraphsOf(text)): RawQuote[] {
  const out: RawQuote[] = [];
  /** Index in `out` of a run-on piece the next paragraph may continue, or -1. */
  let carried = -1;
  paragraphs.forEach((para, pIndex) => {
    const doubles: number[] = [];
    for (let i = para.start; i < para.end; i++) if (DOUBLE.has(text[i]!)) doubles.push(i);
    const pieces: RawQuote[] = [];
    const linkFor = (open: number): number => (carried >= 0 && open === para.start ? carried : -1);
    const { pairs, runOn } = pairMarks(text, doubles, DOUBLE);
    for (const [o, c] of pairs) {
      const [s, e] = trimmed(text, o + 1, c);
      pieces.push(piece(o, c + 1, s, e, pIndex, 'double', linkFor(o), false));
    }
    let runOnPiece: RawQuote | null = null;
    if (runOn !== null) {
      const nextPara = paragraphs[pIndex + 1];
      const continues = nextPara !== undefined && DOUBLE.has(text[nextPara.start]!);
      const [s, e] = trimmed(text, runOn + 1, para.end);
      // Kept when the next paragraph continues it, or when the whole paragraph is the quote.
      if (e > s && (continues || runOn === para.start)) {
        runOnPiece = piece(runOn, para.end, s, e, pIndex, 'double', linkFor(runOn), true);
        pieces.push(runOnPiece);
        if (!continues) runOnPiece.runsOn = false;
      }
    }
    // Single marks outside any double-quoted passage.
    const inside = (i: number): boolean => pieces.some((q) => i >= q.open && i < q.close);
    const singles: number[] = [];
    let singleOpen = false;
    for (let i = para.start; i < para.end; i++) {
      if (!SINGLE.has(text[i]!) || inside(i)) continue;
      if (isApostrophe(text, i, singleOpen)) continue;
      singles.push(i);
      singleOpen = !singleOpen;
    }
    const single = pairMarks(text, singles, SINGLE);
    for (const [o, c] of single.pairs) {
      const [s, e] = trimmed(text, o + 1, c);
      if (e - s < 2) continue;
      pieces.push(piece(o, c + 1, s, e, pIndex, 'single', -1, false));
    }
    pieces.sort((a, b) => a.open - b.open);
    carried = -1;
    for (const p of pieces) {
      if (p.end <= p.start) continue;
      out.push(p);
      if (p === runOnPiece && p.runsOn) carried = out.length - 1;
    }
  });
  return out;
}

function piece(
  open: number,
  close: number,
  start: number,
  end: number,
  paragraph: number,
  marks: 'double' | 'single',
  previousPiece: number,
  runsOn: boolean,
): RawQuote {
  return { open, close, start, end, paragraph, marks, previousPiece, runsOn };
}
