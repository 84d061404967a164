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
import { hasLetter, startsWithCapital as isCapitalised, startsWithLetter, startsWithLetterOrNumber, startsWithLower as isLower } from '../chars.js';
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

/** Any character normalizeForm changes. */
const NEEDS_NORMALIZING = /[’‘‛′`´“”„‟″«»—―–‐‑−…]/;

export function normalizeForm(text: string): string {
  if (!NEEDS_NORMALIZING.test(text)) return text;
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

function isAllCaps(word: string): boolean {
  return /\p{Lu}/u.test(word) && !/\p{Ll}/u.test(word);
}

/** A sentence is a headline when most of its words are in capitals. */
function headlineFlags(doc: PreparedDocument): boolean[] {
  const flags: boolean[] = new Array<boolean>(doc.forms.length).fill(false);
  for (const s of doc.sentences) {
    let letters = 0;
    let caps = 0;
    for (let i = s.first; i < s.last; i++) {
      const f = doc.forms[i]!;
      if (!hasLetter(f)) continue;
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
function documentCase(doc: PreparedDocument, headline: boolean[], lower: readonly string[]): Map<string, string> {
  const seen = new Map<string, number>(); // bit 1: capitalised, bit 2: lower
  for (const s of doc.sentences) {
    for (let i = s.first + 1; i < s.last; i++) {
      if (headline[i]) continue;
      const f = doc.forms[i]!;
      if (!startsWithLetter(f)) continue;
      const prev = doc.forms[i - 1]!;
      if (prev === '"' || prev === "'" || prev === ':' || prev === '(' || prev === '--') continue;
      const key = lower[i]!;
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

/** Shared by every token without labels; never written to. */
const NO_LABELS: readonly string[] = Object.freeze([]);
const GAZ_BEGIN_SINGLE = ENTITY_TYPES.map((type) => `B-${type}s`);
const GAZ_BEGIN_MULTI = ENTITY_TYPES.map((type) => `B-${type}m`);
const GAZ_INSIDE = ENTITY_TYPES.map((type) => `I-${type}`);

/** Gazetteer labels per token: longest match wins, labelled B-/I- with the type mask. */
function gazetteerLabels(doc: PreparedDocument, lex: Lexicons, lower: readonly string[], words: readonly WordInfo[]): (readonly string[])[] {
  const labels: (readonly string[])[] = new Array<readonly string[]>(doc.forms.length).fill(NO_LABELS);
  const push = (k: number, label: string): void => {
    if (labels[k] === NO_LABELS) labels[k] = [label];
    else (labels[k] as string[]).push(label);
  };
  const prefixes = phrasePrefixes(lex);
  for (const s of doc.sentences) {
    for (let i = s.first; i < s.last; i++) {
      if (!startsWithLetterOrNumber(doc.forms[i]!)) continue;
      // one word: what the word's entry says; longer phrases: looked up
      const word = words[i]!;
      if (!word.gazetteerPrefix) continue;
      let phrase = lower[i]!;
      let best = word.gazetteerMask < 0 ? 0 : 1;
      let bestMask = word.gazetteerMask < 0 ? 0 : word.gazetteerMask;
      for (let n = 2; n <= lex.maxPhrase && i + n <= s.last; n++) {
        phrase = `${phrase} ${lower[i + n - 1]!}`;
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
        push(i, (best > 1 ? GAZ_BEGIN_MULTI : GAZ_BEGIN_SINGLE)[t]!);
        for (let k = 1; k < best; k++) push(i + k, GAZ_INSIDE[t]!);
      }
    }
  }
  return labels;
}

/** What the lexicons say about one lower-cased word, looked up once and kept (see wordInfo). */
export interface WordInfo {
  /** Case lexicon bucket ('u' when unknown). */
  usualCase: string;
  /** entityWords mask, or −1. */
  entityMask: number;
  title: boolean;
  /** Whether the word starts a gazetteer phrase, and its own gazetteer mask (−1 when not an entry). */
  gazetteerPrefix: boolean;
  gazetteerMask: number;
}

const WORD_INFO_LIMIT = 200_000;
const wordInfoCache = new WeakMap<Lexicons, Map<string, WordInfo>>();

function wordInfoCacheOf(lex: Lexicons): Map<string, WordInfo> {
  let cache = wordInfoCache.get(lex);
  if (!cache) wordInfoCache.set(lex, (cache = new Map()));
  if (cache.size >= WORD_INFO_LIMIT) cache.clear();
  return cache;
}

function wordInfoIn(cache: Map<string, WordInfo>, lex: Lexicons, l: string): WordInfo {
  let info = cache.get(l);
  if (info === undefined) {
    info = {
      usualCase: caseBucket(lex, l),
      entityMask: lex.entityWords.get(l) ?? -1,
      title: lex.titles.has(l),
      gazetteerPrefix: phrasePrefixes(lex).has(l),
      gazetteerMask: lex.gazetteer.get(l) ?? -1,
    };
    cache.set(l, info);
  }
  return info;
}

/**
 * What documentContext derives from a token's form alone (lower case, shape,
 * lexicon facts). The tagger keeps these per form and passes them in.
 */
export interface FormFacts {
  lower: string;
  shape: string;
  word: WordInfo;
}

export function formFacts(form: string, lex: Lexicons): FormFacts {
  const lower = form.toLowerCase();
  return { lower, shape: wordShape(form), word: wordInfoIn(wordInfoCacheOf(lex), lex, lower) };
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

const TYPE_OF_TAG = new Map<string, string>(TAGS.map((tag) => [tag, tag.slice(2)]));
const INSIDE_OF_TYPE = new Map<string, string>(ENTITY_TYPES.map((type) => [type, `I-${type}`]));
/** Evidence names built once: "hasPER", "majPER", "majPER+". */
const HAS = new Map<string, string>(ENTITY_TYPES.map((type) => [type, `has${type}`]));
const MAJORITY = new Map<string, string>(ENTITY_TYPES.map((type) => [type, `maj${type}`]));
const MAJORITY_PLUS = new Map<string, string>(ENTITY_TYPES.map((type) => [type, `maj${type}+`]));

function firstStageLabels(doc: PreparedDocument, first: readonly Tag[], lower: readonly string[]): LabelCounts {
  const byWord = new Map<string, number[]>();
  const own: string[][] = doc.forms.map(() => []);
  const add = (k: number, label: string): void => {
    if (own[k]!.length === 0) {
      const word = lower[k]!;
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
    const type = TYPE_OF_TAG.get(tag)!;
    const inside = INSIDE_OF_TYPE.get(type)!;
    let j = i + 1;
    while (j < first.length && first[j] === inside) j++;
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
  if (!positions) return NO_LABELS as string[];
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
    if (label !== 'O') out.push(HAS.get(label) ?? `has${label}`);
  }
  if (bestLabel) out.push((total > 1 ? MAJORITY_PLUS : MAJORITY).get(bestLabel) ?? `maj${bestLabel}${total > 1 ? '+' : ''}`);
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
  /** Per token: 1 when the form holds a letter. */
  hasLetter: Uint8Array;
  /** Per token: 1 when the form starts with a capital letter. */
  capital: Uint8Array;
  /** Per token: how the case lexicon says the word is usually written ('u' when unknown). */
  usualCase: string[];
  /** Per token: the entityWords mask of the word, or −1. */
  entityMask: Int8Array;
  /** Per token: 1 when the word is a title ("minister"). */
  title: Uint8Array;
  docCase: Map<string, string>;
  gaz: (readonly string[])[];
}

/** `facts`, when given, are formFacts of each token's form. */
export function documentContext(doc: PreparedDocument, lex: Lexicons, facts?: readonly FormFacts[]): DocumentContext {
  const headline = headlineFlags(doc);
  let lower: string[];
  let shapes: string[];
  let words: WordInfo[];
  if (facts) {
    lower = facts.map((f) => f.lower);
    shapes = facts.map((f) => f.shape);
    words = facts.map((f) => f.word);
  } else {
    lower = doc.forms.map((f) => f.toLowerCase());
    shapes = doc.forms.map(wordShape);
    const cache = wordInfoCacheOf(lex);
    words = lower.map((l) => wordInfoIn(cache, lex, l));
  }
  return {
    doc,
    lex,
    lower,
    shapes,
    headline,
    hasLetter: Uint8Array.from(doc.forms, (f) => (hasLetter(f) ? 1 : 0)),
    capital: Uint8Array.from(doc.forms, (f) => (isCapitalised(f) ? 1 : 0)),
    usualCase: words.map((w) => w.usualCase),
    entityMask: Int8Array.from(words, (w) => w.entityMask),
    title: Uint8Array.from(words, (w) => (w.title ? 1 : 0)),
    docCase: documentCase(doc, headline, lower),
    gaz: gazetteerLabels(doc, lex, lower, words),
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

/**
 * A feature template: the fixed start of a feature's name ("-1l|l="), followed
 * by its values joined by '|' ("-1l|l=the|minister"). `id` numbers the
 * templates, for the run-time tables of feature-rows.ts.
 */
export interface FeatureTemplate {
  readonly name: string;
  readonly id: number;
}

const templateList: FeatureTemplate[] = [];

function template(name: string): FeatureTemplate {
  const t: FeatureTemplate = { name, id: templateList.length };
  templateList.push(t);
  return t;
}

/** Every template, by id. */
export function featureTemplates(): readonly FeatureTemplate[] {
  return templateList;
}

/**
 * Where the contextual features of a token go, in order. A feature's name is
 * its template's name followed by its values joined by '|' (see NameSink).
 * Values are first turned into the sink's own representation `V` with
 * `value` (NameSink keeps the strings; the tagger's RowSink looks each
 * document's words up once and resolves features to weight rows without
 * building their names).
 */
export interface FeatureSink<V> {
  value(text: string): V;
  add0(t: FeatureTemplate): void;
  add1(t: FeatureTemplate, a: V): void;
  add2(t: FeatureTemplate, a: V, b: V): void;
  add3(t: FeatureTemplate, a: V, b: V, c: V): void;
}

/** A sink that collects feature names (training, and tests of the run-time tables). */
export class NameSink implements FeatureSink<string> {
  constructor(readonly names: string[] = []) {}
  value(text: string): string {
    return text;
  }
  add0(t: FeatureTemplate): void {
    this.names.push(t.name);
  }
  add1(t: FeatureTemplate, a: string): void {
    this.names.push(t.name + a);
  }
  add2(t: FeatureTemplate, a: string, b: string): void {
    this.names.push(`${t.name}${a}|${b}`);
  }
  add3(t: FeatureTemplate, a: string, b: string, c: string): void {
    this.names.push(`${t.name}${a}|${b}|${c}`);
  }
}

/** A document's feature values in a sink's representation, looked up once per document. */
export interface FeatureValues<V> {
  lower: V[];
  shapes: V[];
  usualCase: V[];
  gaz: (readonly V[])[];
  /** '<s>' and '</s>', for positions outside the sentence. */
  before: V;
  after: V;
  capital: V;
  notCapital: V;
  initial: V;
  medial: V;
  /** ENTITY_TYPES, and POSITION_CASE, in their order. */
  types: V[];
  positionCase: V[];
}

/** `known`, when given, holds the sink's values of each token's lower case, shape and usual case. */
export function featureValues<V>(
  ctx: DocumentContext,
  sink: FeatureSink<V>,
  known?: { lower: V[]; shapes: V[]; usualCase: V[] },
): FeatureValues<V> {
  const value = (text: string): V => sink.value(text);
  return {
    lower: known?.lower ?? ctx.lower.map(value),
    shapes: known?.shapes ?? ctx.shapes.map(value),
    usualCase: known?.usualCase ?? ctx.usualCase.map(value),
    gaz: ctx.gaz.map((labels) => (labels.length === 0 ? (NO_LABELS as V[]) : labels.map(value))),
    before: value('<s>'),
    after: value('</s>'),
    capital: value('C'),
    notCapital: value('l'),
    initial: value('f'),
    medial: value('m'),
    types: ENTITY_TYPES.map(value),
    positionCase: POSITION_CASE.map(value),
  };
}

const T_FIRST_S = template('first|s=');
const T_FIRST_L = template('first|l=');
const T_HL_S = template('hl|s=');
const T_HL_L = template('hl|l=');
const T_LAST = template('last');
const T_SHORT_S = template('short|s=');
const T_CASE = template('L=');
const T_DOC_CASE = template('D=');
/** Templates for the tokens at offsets `ds` from the current one, indexed by offset + 2. */
function byOffset(ds: number[], name: (d: number) => string): FeatureTemplate[] {
  const out: FeatureTemplate[] = [];
  for (const d of ds) out[d + 2] = template(name(d));
  return out;
}

const T_WIN_L = byOffset([-2, -1, 1, 2], (d) => `${d}l=`);
const T_WIN_S = byOffset([-1, 1], (d) => `${d}s=`);
const T_WIN_G = byOffset([-1, 1], (d) => `${d}g=`);
const T_PREV_L_L = template('-1l|l=');
const T_L_NEXT_L = template('l|+1l=');
const T_PREV_S_S_NEXT_S = template('-1s|s|+1s=');
const T_PREV_L_S = template('-1l|s=');
const T_S_NEXT_L = template('s|+1l=');
const T_PREV2_L_PREV_L = template('-2l|-1l=');
const T_PREV_S_S = template('-1s|s=');
const T_S_NEXT_S = template('s|+1s=');
const T_GAZ = template('g=');
const T_NEIGHBOUR_CASE = byOffset([-1, 1], (d) => `${d}L=`);
const T_ENTITY_WORD = byOffset([-1, 0, 1], (d) => `${d}gw=`);
const T_PREV_TITLE_S = template('-1ti|s=');
const T_PREV2_TITLE_S = template('-2ti|s=');
const T_EVIDENCE = template('E=');
const T_NEIGHBOUR_EVIDENCE = byOffset([-1, 1], (d) => `${d}E=`);

/** "f"/"m" (sentence-initial or headline, or mid-sentence) followed by "C"/"l" (capitalised or not). */
const POSITION_CASE = ['mC', 'ml', 'fC', 'fl'] as const;

/** Features of token i that depend on its sentence and document. */
export function contextFeatures<V>(ctx: DocumentContext, v: FeatureValues<V>, s: SentenceRange, i: number, f: FeatureSink<V>): void {
  const { lower, shapes, gaz } = v;
  const l = lower[i]!;
  const sh = shapes[i]!;
  const sentenceStart = isSentenceStart(ctx, s, i);
  const hl = ctx.headline[i]!;
  if (sentenceStart) {
    f.add1(T_FIRST_S, sh);
    f.add1(T_FIRST_L, l);
  }
  if (hl) {
    f.add1(T_HL_S, sh);
    f.add1(T_HL_L, l);
  }
  if (i === s.last - 1) f.add0(T_LAST);
  if (s.last - s.first <= 3) f.add1(T_SHORT_S, sh);
  if (ctx.hasLetter[i]) {
    const position = sentenceStart || hl ? v.initial : v.medial;
    f.add3(T_CASE, v.usualCase[i]!, ctx.capital[i] ? v.capital : v.notCapital, position);
    const dc = ctx.docCase.get(ctx.lower[i]!);
    if (dc && (ctx.capital[i] || hl)) f.add2(T_DOC_CASE, f.value(dc), position);
  }
  // context window
  for (let d = -2; d <= 2; d++) {
    if (d === 0) continue;
    const j = i + d;
    const inSentence = j >= s.first && j < s.last;
    const cw = inSentence ? lower[j]! : d < 0 ? v.before : v.after;
    f.add1(T_WIN_L[d + 2]!, cw);
    if (d === -1 || d === 1) {
      f.add1(T_WIN_S[d + 2]!, inSentence ? shapes[j]! : cw);
      if (inSentence) for (const g of gaz[j]!) f.add1(T_WIN_G[d + 2]!, g);
    }
  }
  const pl = i - 1 >= s.first ? lower[i - 1]! : v.before;
  const nl = i + 1 < s.last ? lower[i + 1]! : v.after;
  const ps = i - 1 >= s.first ? shapes[i - 1]! : v.before;
  const ns = i + 1 < s.last ? shapes[i + 1]! : v.after;
  const p2l = i - 2 >= s.first ? lower[i - 2]! : v.before;
  f.add2(T_PREV_L_L, pl, l);
  f.add2(T_L_NEXT_L, l, nl);
  f.add3(T_PREV_S_S_NEXT_S, ps, sh, ns);
  f.add2(T_PREV_L_S, pl, sh);
  f.add2(T_S_NEXT_L, sh, nl);
  f.add2(T_PREV2_L_PREV_L, p2l, pl);
  f.add2(T_PREV_S_S, ps, sh);
  f.add2(T_S_NEXT_S, sh, ns);
  for (const g of gaz[i]!) {
    f.add1(T_GAZ, g);
    f.add2(T_GAZ, g, sh);
  }
  // how the neighbours are usually written: an unknown capitalised word next to this one suggests a name
  if (i - 1 >= s.first && ctx.capital[i - 1]) f.add2(T_NEIGHBOUR_CASE[1]!, v.usualCase[i - 1]!, sh);
  if (i + 1 < s.last && ctx.capital[i + 1]) f.add2(T_NEIGHBOUR_CASE[3]!, v.usualCase[i + 1]!, sh);
  for (let d = -1; d <= 1; d++) {
    const j = i + d;
    if (j < s.first || j >= s.last) continue;
    const mask = ctx.entityMask[j]!;
    if (mask < 0) continue;
    for (let t = 0; t < ENTITY_TYPES.length; t++) if (mask & (1 << t)) f.add1(T_ENTITY_WORD[d + 2]!, v.types[t]!);
  }
  if (i - 1 >= s.first && ctx.title[i - 1]) f.add1(T_PREV_TITLE_S, sh);
  if (i - 2 >= s.first && ctx.title[i - 2]) f.add1(T_PREV2_TITLE_S, sh);
}

/** Stage-one evidence over a document, for the stage-two features. */
export interface StageEvidence {
  tags: readonly Tag[];
  counts: LabelCounts;
  /** Per token: its evidence labels from the other occurrences of its word nearby (otherEvidence). */
  labels: string[][];
}

export function stageEvidence(ctx: DocumentContext, first: readonly Tag[]): StageEvidence {
  const counts = firstStageLabels(ctx.doc, first, ctx.lower);
  return { tags: first, counts, labels: ctx.lower.map((word, k) => otherEvidence(counts, word, k)) };
}

/** Stage-two features of token i: how stage one tagged this word (and its neighbours) elsewhere in the document. */
export function evidenceFeatures<V>(
  ctx: DocumentContext,
  v: FeatureValues<V>,
  ev: StageEvidence,
  s: SentenceRange,
  i: number,
  f: FeatureSink<V>,
): void {
  const labels = ev.labels[i]!;
  if (labels.length > 0) {
    const positionCase = v.positionCase[(isSentenceStart(ctx, s, i) || ctx.headline[i]! ? 2 : 0) + (ctx.capital[i] ? 0 : 1)]!;
    for (const e of labels) {
      const value = f.value(e);
      f.add1(T_EVIDENCE, value);
      f.add2(T_EVIDENCE, value, positionCase);
    }
  }
  for (const d of [-1, 1]) {
    const j = i + d;
    if (j < s.first || j >= s.last) continue;
    for (const e of ev.labels[j]!) if (e.startsWith('maj')) f.add1(T_NEIGHBOUR_EVIDENCE[d + 2]!, f.value(e));
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
  const values = featureValues(ctx, new NameSink());
  const out: string[][] = new Array<string[]>(doc.forms.length);
  for (const s of doc.sentences) {
    for (let i = s.first; i < s.last; i++) {
      const sink = new NameSink(wordFeatures(doc.forms[i]!, lex));
      contextFeatures(ctx, values, s, i, sink);
      if (ev) evidenceFeatures(ctx, values, ev, s, i, sink);
      out[i] = sink.names;
    }
  }
  return out;
}
