/**
 * Feature extraction for the entity tagger, shared by training
 * (scripts/train-ner.ts) and run time, so both see exactly the same features.
 *
 * Per token: the word and its lower-cased form, word shape, prefixes and
 * suffixes, a two-token context window (words and shapes), position in the
 * sentence, whether the sentence is an all-caps headline, how the word is
 * usually capitalised (a case lexicon), gazetteer matches, and document-level
 * evidence: how the same word is written, and (second stage) how the first
 * stage tagged it, elsewhere in the same document.
 */
import type { SentenceRange, Token } from './tokenize.js';

export const TAGS = ['O', 'B-PER', 'I-PER', 'B-ORG', 'I-ORG', 'B-LOC', 'I-LOC', 'B-MISC', 'I-MISC'] as const;
export type Tag = (typeof TAGS)[number];
export const ENTITY_TYPES = ['PER', 'ORG', 'LOC', 'MISC'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/** Resources learned from the training split alone. */
export interface Lexicons {
  /** Lower-cased entity phrase (tokens joined by one space) → bit mask of entity types (1 PER, 2 ORG, 4 LOC, 8 MISC). */
  gazetteer: Map<string, number>;
  /** Lower-cased word → how it is capitalised mid-sentence: 'l' lower, 'c' capitalised, 'm' mixed. */
  caseLexicon: Map<string, string>;
  /** Longest gazetteer phrase, in tokens. */
  maxPhrase: number;
  /** Lower-cased words that often come right before a person's name and are not part of it ("minister", "spokesman"). */
  titles: Set<string>;
  /** Lower-cased words often capitalised mid-sentence yet rarely part of an entity (months, weekdays, "Mr"). */
  capitalisedNonEntities: Set<string>;
  /** Lower-cased word → bit mask of the entity types it was seen in, capitalised (same bits as the gazetteer). */
  entityWords: Map<string, number>;
}

/** A document prepared for tagging: tokens, sentences and normalised forms. */
export interface PreparedDocument {
  tokens: readonly Token[];
  sentences: readonly SentenceRange[];
  /** Normalised token text (curly quotes → straight, dashes → hyphens). */
  forms: string[];
}

/** Stage-one tag of each token, for the document-level features of stage two. */
export type FirstStageTags = readonly Tag[] | null;

export function normalizeForm(text: string): string {
  return text
    .replace(/[’‘‛′`´]/g, "'")
    .replace(/[“”„‟″«»]/g, '"')
    .replace(/[—―]/g, '--')
    .replace(/[–‐‑−]/g, '-')
    .replace(/…/g, '...');
}

export function prepareDocument(tokens: readonly Token[], sentences: readonly SentenceRange[]): PreparedDocument {
  return { tokens, sentences, forms: tokens.map((t) => normalizeForm(t.text)) };
}

const shapeCache = new Map<string, string>();

/** Word shape with runs of the same class collapsed after two: "Kishida" → "Xxx", "U.S." → "X.X.", "1,000" → "d,ddd". */
export function wordShape(word: string): string {
  const cached = shapeCache.get(word);
  if (cached !== undefined) return cached;
  let out = '';
  let prev = '';
  let run = 0;
  for (const ch of word) {
    let c: string;
    if (/\p{Lu}/u.test(ch)) c = 'X';
    else if (/\p{Ll}/u.test(ch)) c = 'x';
    else if (/\p{N}/u.test(ch)) c = 'd';
    else if (/\p{L}/u.test(ch)) c = 'x';
    else c = ch;
    if (c === prev) {
      run++;
      if (run > 2) continue;
    } else {
      run = 1;
      prev = c;
    }
    out += c;
  }
  if (shapeCache.size < 100_000) shapeCache.set(word, out);
  return out;
}

function isCapitalised(word: string): boolean {
  return /^\p{Lu}/u.test(word);
}

function isAllCaps(word: string): boolean {
  return /\p{Lu}/u.test(word) && !/\p{Ll}/u.test(word);
}

function isLower(word: string): boolean {
  return /^\p{Ll}/u.test(word);
}

/** A sentence is a headline when most of its words are in capitals. */
function headlineFlags(doc: PreparedDocument): boolean[] {
  const flags: boolean[] = new Array<boolean>(doc.forms.length).fill(false);
  for (const s of doc.sentences) {
    let letters = 0;
    let caps = 0;
    for (let i = s.first; i < s.last; i++) {
      const f = doc.forms[i]!;
      if (!/\p{L}/u.test(f)) continue;
      letters++;
      if (isAllCaps(f) && f.length > 1) caps++;
    }
    const headline = letters >= 2 && caps / letters > 0.6;
    if (headline) for (let i = s.first; i < s.last; i++) flags[i] = true;
  }
  return flags;
}

/**
 * Document case evidence: for each lower-cased word, how it is written in
 * positions where case is informative (not sentence-initial, not in a headline).
 */
function documentCase(doc: PreparedDocument, headline: boolean[]): Map<string, string> {
  const seen = new Map<string, number>(); // bit 1: capitalised, bit 2: lower
  for (const s of doc.sentences) {
    for (let i = s.first + 1; i < s.last; i++) {
      if (headline[i]) continue;
      const f = doc.forms[i]!;
      if (!/^\p{L}/u.test(f)) continue;
      const prev = doc.forms[i - 1]!;
      if (prev === '"' || prev === "'" || prev === ':' || prev === '(' || prev === '--') continue;
      const key = f.toLowerCase();
      const bit = isCapitalised(f) ? 1 : isLower(f) ? 2 : 0;
      seen.set(key, (seen.get(key) ?? 0) | bit);
    }
  }
  const out = new Map<string, string>();
  for (const [k, v] of seen) out.set(k, v === 1 ? 'C' : v === 2 ? 'L' : v === 3 ? 'M' : '-');
  return out;
}

const prefixCache = new WeakMap<Map<string, number>, Set<string>>();

/** Every token prefix of every gazetteer phrase ("new", "new york", "new york times"), to stop lookups early. */
function phrasePrefixes(lex: Lexicons): Set<string> {
  let set = prefixCache.get(lex.gazetteer);
  if (!set) {
    set = new Set();
    for (const phrase of lex.gazetteer.keys()) {
      const words = phrase.split(' ');
      for (let n = 1; n <= words.length; n++) set.add(words.slice(0, n).join(' '));
    }
    prefixCache.set(lex.gazetteer, set);
  }
  return set;
}

/** Gazetteer labels per token: longest match wins, labelled B-/I- with the type mask. */
function gazetteerLabels(doc: PreparedDocument, lex: Lexicons): string[][] {
  const labels: string[][] = doc.forms.map(() => []);
  const lower = doc.forms.map((f) => f.toLowerCase());
  const prefixes = phrasePrefixes(lex);
  for (const s of doc.sentences) {
    for (let i = s.first; i < s.last; i++) {
      if (!/^[\p{L}\p{N}]/u.test(doc.forms[i]!)) continue;
      let phrase = '';
      let best = 0;
      let bestMask = 0;
      for (let n = 1; n <= lex.maxPhrase && i + n <= s.last; n++) {
        phrase = n === 1 ? lower[i]! : `${phrase} ${lower[i + n - 1]!}`;
        if (!prefixes.has(phrase)) break;
        const mask = lex.gazetteer.get(phrase);
        if (mask !== undefined) {
          best = n;
          bestMask = mask;
        }
      }
      if (best === 0) continue;
      for (let t = 0; t < ENTITY_TYPES.length; t++) {
        if ((bestMask & (1 << t)) === 0) continue;
        const type = ENTITY_TYPES[t]!;
        const multi = best > 1 ? 'm' : 's';
        labels[i]!.push(`B-${type}${multi}`);
        for (let k = 1; k < best; k++) labels[i + k]!.push(`I-${type}`);
      }
    }
  }
  return labels;
}

/**
 * Stage-two document evidence: the labels stage one gave each token (its
 * entity type, 'O' for a capitalised token outside entities, and whether it was
 * part or the last token of a longer person name), and their totals per
 * lower-cased word. A token's features use the totals minus its own labels,
 * so they say only what the rest of the document says about the word.
 */
interface LabelCounts {
  /** Lower-cased word → positions of its labelled tokens, ascending. */
  byWord: Map<string, number[]>;
  own: string[][];
}

/**
 * Evidence is taken from occurrences at most this many tokens away, so that a
 * long text holding many articles does not pool unrelated documents.
 */
export const EVIDENCE_WINDOW = 1000;

function firstStageLabels(doc: PreparedDocument, first: readonly Tag[]): LabelCounts {
  const byWord = new Map<string, number[]>();
  const own: string[][] = doc.forms.map(() => []);
  const add = (k: number, label: string): void => {
    if (own[k]!.length === 0) {
      const word = doc.forms[k]!.toLowerCase();
      let positions = byWord.get(word);
      if (!positions) byWord.set(word, (positions = []));
      positions.push(k);
    }
    own[k]!.push(label);
  };
  let i = 0;
  while (i < first.length) {
    const tag = first[i]!;
    if (tag === 'O') {
      // Only entity labels count as evidence: a capitalised word stage one left
      // outside entities would otherwise veto the occurrences it got right.
      i++;
      continue;
    }
    const type = tag.slice(2);
    let j = i + 1;
    while (j < first.length && first[j] === `I-${type}`) j++;
    for (let k = i; k < j; k++) {
      add(k, type);
      if (type === 'PER' && j - i >= 2) add(k, 'PERpart');
      if (type === 'PER' && j - i >= 2 && k === j - 1) add(k, 'PERlast');
    }
    i = j;
  }
  return { byWord, own };
}

/** Evidence labels for token k from the other occurrences of its word nearby. */
function otherEvidence(counts: LabelCounts, word: string, k: number): string[] {
  const positions = counts.byWord.get(word);
  if (!positions) return [];
  // first position >= k - EVIDENCE_WINDOW
  let lo = 0;
  let hi = positions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (positions[mid]! < k - EVIDENCE_WINDOW) lo = mid + 1;
    else hi = mid;
  }
  const m = new Map<string, number>();
  for (let p = lo; p < positions.length; p++) {
    const pos = positions[p]!;
    if (pos > k + EVIDENCE_WINDOW) break;
    if (pos === k) continue;
    for (const label of counts.own[pos]!) m.set(label, (m.get(label) ?? 0) + 1);
  }
  const out: string[] = [];
  let total = 0;
  let bestLabel = '';
  let bestCount = 0;
  for (const [label, c] of m) {
    if (label === 'PERlast' || label === 'PERpart') {
      out.push(label);
      continue;
    }
    total += c;
    if (c > bestCount) {
      bestCount = c;
      bestLabel = label;
    }
    if (label !== 'O') out.push(`has${label}`);
  }
  if (bestLabel) out.push(`maj${bestLabel}${total > 1 ? '+' : ''}`);
  return out;
}

function caseBucket(lex: Lexicons, lower: string): string {
  return lex.caseLexicon.get(lower) ?? 'u';
}

/** Per-document data the contextual features read. */
export interface DocumentContext {
  doc: PreparedDocument;
  lex: Lexicons;
  lower: string[];
  shapes: string[];
  headline: boolean[];
  docCase: Map<string, string>;
  gaz: string[][];
}

export function documentContext(doc: PreparedDocument, lex: Lexicons): DocumentContext {
  const headline = headlineFlags(doc);
  return {
    doc,
    lex,
    lower: doc.forms.map((f) => f.toLowerCase()),
    shapes: doc.forms.map(wordShape),
    headline,
    docCase: documentCase(doc, headline),
    gaz: gazetteerLabels(doc, lex),
  };
}

/** Features that depend on the word alone (cacheable per word form). */
export function wordFeatures(w: string, lex: Lexicons): string[] {
  const l = w.toLowerCase();
  const f: string[] = ['b', `w=${w}`, `l=${l}`, `s=${wordShape(w)}`];
  const len = l.length;
  for (let k = 1; k <= 4 && k <= len; k++) f.push(`p${k}=${l.slice(0, k)}`, `x${k}=${l.slice(len - k)}`);
  if (w.includes('-')) f.push('hyph');
  if (/\p{L}/u.test(w)) f.push(`L=${caseBucket(lex, l)}`);
  if (lex.titles.has(l)) f.push('ti');
  return f;
}

function isSentenceStart(ctx: DocumentContext, s: SentenceRange, i: number): boolean {
  const pos = i - s.first;
  return pos === 0 || (pos === 1 && /^["'(]$/.test(ctx.doc.forms[s.first]!));
}

/** Features of token i that depend on its sentence and document. */
export function contextFeatures(ctx: DocumentContext, s: SentenceRange, i: number, f: string[]): void {
  const { lower, shapes, gaz } = ctx;
  const w = ctx.doc.forms[i]!;
  const l = lower[i]!;
  const sh = shapes[i]!;
  const sentenceStart = isSentenceStart(ctx, s, i);
  const hl = ctx.headline[i]!;
  if (sentenceStart) f.push(`first|s=${sh}`, `first|l=${l}`);
  if (hl) f.push(`hl|s=${sh}`, `hl|l=${l}`);
  if (i === s.last - 1) f.push('last');
  if (s.last - s.first <= 3) f.push(`short|s=${sh}`);
  if (/\p{L}/u.test(w)) {
    const cb = caseBucket(ctx.lex, l);
    f.push(`L=${cb}|${isCapitalised(w) ? 'C' : 'l'}|${sentenceStart || hl ? 'f' : 'm'}`);
    const dc = ctx.docCase.get(l);
    if (dc && (isCapitalised(w) || hl)) f.push(`D=${dc}|${sentenceStart || hl ? 'f' : 'm'}`);
  }
  // context window
  for (let d = -2; d <= 2; d++) {
    if (d === 0) continue;
    const j = i + d;
    const inSentence = j >= s.first && j < s.last;
    const cw = inSentence ? lower[j]! : d < 0 ? '<s>' : '</s>';
    f.push(`${d}l=${cw}`);
    if (d === -1 || d === 1) {
      f.push(`${d}s=${inSentence ? shapes[j]! : cw}`);
      if (inSentence) for (const g of gaz[j]!) f.push(`${d}g=${g}`);
    }
  }
  const pl = i - 1 >= s.first ? lower[i - 1]! : '<s>';
  const nl = i + 1 < s.last ? lower[i + 1]! : '</s>';
  const ps = i - 1 >= s.first ? shapes[i - 1]! : '<s>';
  const ns = i + 1 < s.last ? shapes[i + 1]! : '</s>';
  const p2l = i - 2 >= s.first ? lower[i - 2]! : '<s>';
  f.push(`-1l|l=${pl}|${l}`, `l|+1l=${l}|${nl}`, `-1s|s|+1s=${ps}|${sh}|${ns}`, `-1l|s=${pl}|${sh}`, `s|+1l=${sh}|${nl}`);
  f.push(`-2l|-1l=${p2l}|${pl}`, `-1s|s=${ps}|${sh}`, `s|+1s=${sh}|${ns}`);
  for (const g of gaz[i]!) f.push(`g=${g}`, `g=${g}|${sh}`);
  // how the neighbours are usually written: an unknown capitalised word next to this one suggests a name
  for (const d of [-1, 1]) {
    const j = i + d;
    if (j < s.first || j >= s.last || !/^\p{Lu}/u.test(ctx.doc.forms[j]!)) continue;
    f.push(`${d}L=${caseBucket(ctx.lex, lower[j]!)}|${sh}`);
  }
  for (let d = -1; d <= 1; d++) {
    const j = i + d;
    if (j < s.first || j >= s.last) continue;
    const mask = ctx.lex.entityWords.get(lower[j]!);
    if (mask === undefined) continue;
    for (let t = 0; t < ENTITY_TYPES.length; t++) if (mask & (1 << t)) f.push(`${d}gw=${ENTITY_TYPES[t]!}`);
  }
  if (i - 1 >= s.first && ctx.lex.titles.has(lower[i - 1]!)) f.push(`-1ti|s=${sh}`);
  if (i - 2 >= s.first && ctx.lex.titles.has(lower[i - 2]!)) f.push(`-2ti|s=${sh}`);
}

/** Stage-one evidence over a document, for the stage-two features. */
export interface StageEvidence {
  tags: readonly Tag[];
  counts: LabelCounts;
}

export function stageEvidence(ctx: DocumentContext, first: readonly Tag[]): StageEvidence {
  return { tags: first, counts: firstStageLabels(ctx.doc, first) };
}

/** Stage-two features of token i: how stage one tagged this word (and its neighbours) elsewhere in the document. */
export function evidenceFeatures(ctx: DocumentContext, ev: StageEvidence, s: SentenceRange, i: number, f: string[]): void {
  const firstPos = isSentenceStart(ctx, s, i) || ctx.headline[i]! ? 'f' : 'm';
  const cap = isCapitalised(ctx.doc.forms[i]!) ? 'C' : 'l';
  for (const e of otherEvidence(ev.counts, ctx.lower[i]!, i)) f.push(`E=${e}`, `E=${e}|${firstPos}${cap}`);
  for (const d of [-1, 1]) {
    const j = i + d;
    if (j < s.first || j >= s.last) continue;
    for (const e of otherEvidence(ev.counts, ctx.lower[j]!, j)) if (e.startsWith('maj')) f.push(`${d}E=${e}`);
  }
  void ev.tags;
}

/**
 * Feature strings for every token of a document (training uses this; run time
 * computes the same features piecewise, caching the word-only part).
 * `first` (stage-one tags) adds the stage-two document-level features.
 */
export function extractFeatures(doc: PreparedDocument, lex: Lexicons, first: FirstStageTags): string[][] {
  const ctx = documentContext(doc, lex);
  const ev = first ? stageEvidence(ctx, first) : null;
  const out: string[][] = new Array<string[]>(doc.forms.length);
  for (const s of doc.sentences) {
    for (let i = s.first; i < s.last; i++) {
      const f = wordFeatures(doc.forms[i]!, lex);
      contextFeatures(ctx, s, i, f);
      if (ev) evidenceFeatures(ctx, ev, s, i, f);
      out[i] = f;
    }
  }
  return out;
}
