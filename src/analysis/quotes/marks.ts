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
const ANY_MARK = /["“”„«»'‘’]/;

type Role = 'open' | 'close' | 'either';
/** Marks pair within a family; a different family inside an open quote nests. */
type Family = 'straight' | 'curly' | 'guillemet' | 'single';

interface Mark {
  pos: number;
  len: number;
  family: Family;
  role: Role;
}

function familyOf(c: string, len: number): Family {
  if (len === 2 || c === '"') return 'straight';
  if (c === '«' || c === '»') return 'guillemet';
  if (SINGLE.has(c)) return 'single';
  return 'curly';
}

function roleOf(text: string, i: number, len: number): Role {
  const c = text[i]!;
  const prev = text[i - 1];
  const next = text[i + len];
  const left = !isSpace(next) && !CLOSE_CONTEXT.test(next!) && (isSpace(prev) || OPEN_CONTEXT.test(prev!) || ANY_MARK.test(prev!));
  const right = !isSpace(prev) && (isSpace(next) || CLOSE_CONTEXT.test(next!) || ANY_MARK.test(next!));
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

/** Double marks of a paragraph: " “ ” „ « » and '' (two apostrophes, as some papers print them). Attribute values (id="…") are skipped. */
function doubleMarks(text: string, para: Paragraph): Mark[] {
  const out: Mark[] = [];
  for (let i = para.start; i < para.end; i++) {
    const c = text[i]!;
    let len = 0;
    if (DOUBLE.has(c)) len = 1;
    else if ((c === "'" && text[i + 1] === "'") || (c === '’' && text[i + 1] === '’') || (c === '‘' && text[i + 1] === '‘')) len = 2;
    if (!len) continue;
    if (c === '"' && text[i - 1] === '=') {
      // Markup: skip the attribute value.
      const close = text.indexOf('"', i + 1);
      if (close > 0 && close < para.end) i = close;
      continue;
    }
    out.push({ pos: i, len, family: familyOf(c, len), role: roleOf(text, i, len) });
    i += len - 1;
  }
  return out;
}

/** Pairs marks: returns [openMark, closeMark] pairs of the outermost level plus a run-on opening. */
function pairMarks(text: string, marks: Mark[], nest: boolean): { pairs: [Mark, Mark][]; runOn: Mark | null } {
  const pairs: [Mark, Mark][] = [];
  const stack: Mark[] = [];
  for (const m of marks) {
    const top = stack[stack.length - 1];
    if (!top) {
      if (m.role !== 'close') stack.push(m);
      continue;
    }
    const freeStanding = isSpace(text[m.pos - 1]) && isSpace(text[m.pos + m.len]);
    if (nest && m.family !== top.family && m.role === 'open') {
      stack.push(m);
      continue;
    }
    if (nest && stack.length > 1 && m.family !== top.family && m.role !== 'open') {
      // Closes the outer quote of its family; drop the unclosed inner one.
      const k = stack.map((x) => x.family).lastIndexOf(m.family);
      if (k >= 0) stack.length = k + 1;
    }
    const cur = stack[stack.length - 1]!;
    if (m.role === 'close' || m.role === 'either' || freeStanding) {
      stack.pop();
      if (stack.length === 0) pairs.push([cur, m]);
    } else if (stack.length === 1) {
      // Two openings in a row: the first was a stray mark.
      stack[0] = m;
    } else {
      stack.push(m);
    }
  }
  return { pairs, runOn: stack[0] ?? null };
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

export function findQuotedPassages(text: string, paragraphs: Paragraph[] = paragraphsOf(text)): RawQuote[] {
  const out: RawQuote[] = [];
  /** Index in `out` of a run-on piece the next paragraph may continue, or -1. */
  let carried = -1;
  paragraphs.forEach((para, pIndex) => {
    const doubles = doubleMarks(text, para);
    const pieces: RawQuote[] = [];
    const linkFor = (open: number): number => (carried >= 0 && open === para.start ? carried : -1);
    let paired = pairMarks(text, doubles, true);
    if (paired.runOn && paired.pairs.length === 0 && doubles.length > 1) paired = pairMarks(text, doubles, false);
    const { pairs, runOn } = paired;
    for (const [o, c] of pairs) {
      const [s, e] = trimmed(text, o.pos + o.len, c.pos);
      pieces.push(piece(o.pos, c.pos + c.len, s, e, pIndex, 'double', linkFor(o.pos), false));
    }
    let runOnPiece: RawQuote | null = null;
    if (runOn !== null) {
      const nextPara = paragraphs[pIndex + 1];
      const continues = nextPara !== undefined && doubleMarks(text, nextPara)[0]?.pos === nextPara.start;
      const [s, e] = trimmed(text, runOn.pos + runOn.len, para.end);
      // Kept when the next paragraph continues it, or when the whole paragraph is the quote.
      if (e > s && (continues || runOn.pos === para.start)) {
        runOnPiece = piece(runOn.pos, para.end, s, e, pIndex, 'double', linkFor(runOn.pos), continues);
        pieces.push(runOnPiece);
      }
    }
    // Single marks outside any double-quoted passage.
    const taken = new Set<number>();
    for (const m of doubles) for (let k = 0; k < m.len; k++) taken.add(m.pos + k);
    const inside = (i: number): boolean => pieces.some((q) => i >= q.open && i < q.close);
    const singles: Mark[] = [];
    let singleOpen = false;
    for (let i = para.start; i < para.end; i++) {
      if (!SINGLE.has(text[i]!) || taken.has(i) || inside(i)) continue;
      if (isApostrophe(text, i, singleOpen)) continue;
      singles.push({ pos: i, len: 1, family: 'single', role: roleOf(text, i, 1) });
      singleOpen = !singleOpen;
    }
    const single = pairMarks(text, singles, false);
    for (const [o, c] of single.pairs) {
      const [s, e] = trimmed(text, o.pos + 1, c.pos);
      if (e - s < 2) continue;
      pieces.push(piece(o.pos, c.pos + 1, s, e, pIndex, 'single', -1, false));
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
