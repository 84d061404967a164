/**
 * Reading CoNLL-2003 files (token and BIO tag per line, blank line between
 * sentences) and turning them into raw text with gold character spans: tokens
 * joined by single spaces, one sentence per line, a blank line between
 * documents. Used by the training script and the benchmark, never at run time.
 *
 * The copy of the data used here has no -DOCSTART- lines, so documents are
 * recovered from the Reuters layout: a document starts with the headline
 * sentence just before a dateline ("LONDON 1996-08-30").
 */
import { readFileSync } from 'node:fs';

export interface GoldSpan {
  start: number;
  end: number;
  type: string;
}

export interface ConllDocument {
  text: string;
  spans: GoldSpan[];
  tokens: number;
}

interface ConllSentence {
  words: string[];
  tags: string[];
}

export function readConllSentences(path: string): ConllSentence[] {
  const sentences: ConllSentence[] = [];
  let current: ConllSentence = { words: [], tags: [] };
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('-DOCSTART-')) {
      if (current.words.length > 0) sentences.push(current);
      current = { words: [], tags: [] };
      if (trimmed.startsWith('-DOCSTART-')) sentences.push({ words: [], tags: ['DOCSTART'] });
      continue;
    }
    const parts = trimmed.split(/\s+/);
    current.words.push(parts[0]!);
    current.tags.push(parts[parts.length - 1]!);
  }
  if (current.words.length > 0) sentences.push(current);
  return sentences;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isDateline(s: ConllSentence): boolean {
  const last = s.words[s.words.length - 1];
  return s.words.length <= 8 && last !== undefined && DATE.test(last);
}

/** Splits sentences into documents (explicit -DOCSTART- markers, else headline + dateline). */
export function groupDocuments(sentences: ConllSentence[]): ConllSentence[][] {
  const docs: ConllSentence[][] = [];
  let current: ConllSentence[] = [];
  const flush = (): void => {
    if (current.length > 0) docs.push(current);
    current = [];
  };
  const explicit = sentences.some((s) => s.tags[0] === 'DOCSTART');
  for (let i = 0; i < sentences.length; i++) {
    const s = sentences[i]!;
    if (explicit) {
      if (s.tags[0] === 'DOCSTART') flush();
      else current.push(s);
      continue;
    }
    const next = sentences[i + 1];
    // The headline is the sentence right before a dateline.
    if (next !== undefined && isDateline(next) && !isDateline(s)) flush();
    current.push(s);
  }
  flush();
  return docs;
}

/** Builds the raw text of one document and the gold spans in it. */
export function documentText(doc: ConllSentence[]): ConllDocument {
  let text = '';
  const spans: GoldSpan[] = [];
  let tokens = 0;
  doc.forEach((s, si) => {
    if (si > 0) text += '\n';
    let open: GoldSpan | null = null;
    s.words.forEach((word, wi) => {
      if (wi > 0) text += ' ';
      const start = text.length;
      text += word;
      tokens++;
      const tag = s.tags[wi]!;
      const type = tag === 'O' ? null : tag.slice(2);
      const continues = open !== null && tag.startsWith('I-') && open.type === type;
      if (!continues) {
        if (open) spans.push(open);
        open = type ? { start, end: text.length, type } : null;
      } else if (open) {
        open.end = text.length;
      }
    });
    if (open) spans.push(open);
  });
  return { text, spans, tokens };
}

/** Reads a CoNLL file as documents of raw text with gold spans. */
export function readConllDocuments(path: string): ConllDocument[] {
  return groupDocuments(readConllSentences(path)).map(documentText);
}

export interface TypeScore {
  tp: number;
  fp: number;
  fn: number;
}

/** Exact-span scores per entity type ('ALL' for every type together). */
export function scoreSpans(gold: readonly GoldSpan[], predicted: readonly GoldSpan[], into: Map<string, TypeScore> = new Map()): Map<string, TypeScore> {
  const get = (type: string): TypeScore => {
    let s = into.get(type);
    if (!s) into.set(type, (s = { tp: 0, fp: 0, fn: 0 }));
    return s;
  };
  const goldKeys = new Set(gold.map((g) => `${g.start}:${g.end}:${g.type}`));
  const predKeys = new Set(predicted.map((p) => `${p.start}:${p.end}:${p.type}`));
  for (const p of predicted) {
    const hit = goldKeys.has(`${p.start}:${p.end}:${p.type}`);
    for (const t of [p.type, 'ALL']) {
      if (hit) get(t).tp++;
      else get(t).fp++;
    }
  }
  for (const g of gold) {
    if (!predKeys.has(`${g.start}:${g.end}:${g.type}`)) {
      get(g.type).fn++;
      get('ALL').fn++;
    }
  }
  return into;
}

export function prf(s: TypeScore | undefined): { p: number; r: number; f: number } {
  if (!s) return { p: 0, r: 0, f: 0 };
  const p = s.tp + s.fp === 0 ? 0 : s.tp / (s.tp + s.fp);
  const r = s.tp + s.fn === 0 ? 0 : s.tp / (s.tp + s.fn);
  const f = p + r === 0 ? 0 : (2 * p * r) / (p + r);
  return { p: p * 100, r: r * 100, f: f * 100 };
}
