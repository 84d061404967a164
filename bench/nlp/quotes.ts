/**
 * Quotation detection and speaker attribution scored on PolNeAR
 * (<dataDir>/polnear/{train,dev}/{text,attributions}).
 *
 * Gold: every attribution whose Content span contains a double quotation
 * mark (" “ ” « » „, or '' as the New York Times prints it). What is scored is
 * what `sitrep analyze` lists (`listedQuotes`: one entry per attribution).
 * Matching is one to one: a listed quotation is right when it overlaps the
 * Content of a gold attribution no earlier listed quotation took; its speaker
 * is right when, in addition, the listed speaker mention overlaps the gold
 * Source span (an attribution without a Source counts as right only when the
 * listing has no speaker either). So a second entry for the same statement, a
 * title, a term or a scare quote is a false positive. Precision is counted
 * over listed quotations, recall over gold attributions.
 *
 * `run(dataDir)` scores the dev split; set QUOTES_SPLIT=train to score train.
 * Run directly for error listings:
 *   npx tsx bench/nlp/quotes.ts ../shared/benchmarks [dev|train] [--errors]
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AttributedQuote } from '../../src/analysis/quotes/index.js';
import { listedQuotes } from '../../src/analysis/analyze.js';
import type { NlpBenchReport } from '../nlp.js';

interface Range {
  start: number;
  end: number;
}

interface GoldAttribution {
  content: Range[];
  source: Range[] | null;
  cue: Range[];
}

interface BenchDocument {
  name: string;
  text: string;
  /** Attributions whose content holds a quotation mark. */
  gold: GoldAttribution[];
}

/** Double quotation marks, including '' (two apostrophes, the New York Times' style). */
const QUOTE_MARK = /["“”«»„]|''/;

function parseRanges(spec: string): Range[] {
  return spec.split(';').map((part) => {
    const [a, b] = part.trim().split(/\s+/).map(Number);
    return { start: a ?? 0, end: b ?? 0 };
  });
}

/** Parses a brat standoff file into attributions (Source/Cue/Content triples). */
export function parseAnn(ann: string): GoldAttribution[] {
  const spans = new Map<string, Range[]>();
  const out: GoldAttribution[] = [];
  const events: string[] = [];
  for (const line of ann.split('\n')) {
    const cols = line.split('\t');
    const id = cols[0] ?? '';
    if (id.startsWith('T') && cols[1]) {
      const m = /^(\S+) (.*)$/.exec(cols[1]);
      if (m && m[2]) spans.set(id, parseRanges(m[2]));
    } else if (id.startsWith('E') && cols[1]) {
      events.push(cols[1]);
    }
  }
  for (const ev of events) {
    let content: Range[] | null = null;
    let source: Range[] | null = null;
    let cue: Range[] = [];
    for (const part of ev.split(/\s+/)) {
      const [role, ref] = part.split(':');
      if (!role || !ref) continue;
      const r = spans.get(ref);
      if (!r) continue;
      if (role.startsWith('Content')) content = r;
      else if (role.startsWith('Source')) source = r;
      else if (role.startsWith('Cue')) cue = r;
    }
    if (content) out.push({ content, source, cue });
  }
  return out;
}

/** Loads a split; when a text has several annotators, the alphabetically first suffix is used. */
export function loadSplit(dataDir: string, split: string): BenchDocument[] {
  const base = join(dataDir, 'polnear', split);
  const textDir = join(base, 'text');
  const annDir = join(base, 'attributions');
  const anns = readdirSync(annDir).filter((f) => f.endsWith('.ann')).sort();
  const chosen = new Map<string, string>();
  for (const f of anns) {
    const stem = f.replace(/_[^_]+\.ann$/, '');
    if (!chosen.has(stem)) chosen.set(stem, f);
  }
  const docs: BenchDocument[] = [];
  for (const [stem, annFile] of [...chosen].sort((a, b) => a[0].localeCompare(b[0]))) {
    const textPath = join(textDir, `${stem}.txt`);
    if (!existsSync(textPath)) continue;
    const text = readFileSync(textPath, 'utf8');
    const all = parseAnn(readFileSync(join(annDir, annFile), 'utf8'));
    const gold = all.filter((a) => a.content.some((r) => QUOTE_MARK.test(text.slice(r.start, r.end))));
    docs.push({ name: stem, text, gold });
  }
  return docs;
}

function overlaps(a: Range, bs: Range[]): boolean {
  return bs.some((b) => a.start < b.end && b.start < a.end);
}

interface Tally {
  predicted: number;
  gold: number;
  quoteTpP: number;
  quoteTpR: number;
  speakerTpP: number;
  speakerTpR: number;
}

export interface ErrorCase {
  doc: string;
  kind: 'missed' | 'spurious' | 'speaker';
  context: string;
  detail: string;
}

function speakerRight(q: AttributedQuote, g: GoldAttribution): boolean {
  if (!g.source) return q.speaker === null;
  return q.speaker !== null && overlaps(q.speaker, g.source);
}

function snippet(text: string, start: number, end: number): string {
  return text.slice(Math.max(0, start - 80), Math.min(text.length, end + 80)).replace(/\s+/g, ' ');
}

export function score(docs: BenchDocument[], errors?: ErrorCase[]): Tally {
  const t: Tally = { predicted: 0, gold: 0, quoteTpP: 0, quoteTpR: 0, speakerTpP: 0, speakerTpR: 0 };
  for (const doc of docs) {
    const preds = listedQuotes(doc.text);
    t.predicted += preds.length;
    t.gold += doc.gold.length;
    // One to one, greedily in text order: each gold attribution is credited to one listed quotation.
    const takenQuote = new Set<GoldAttribution>();
    const takenSpeaker = new Set<GoldAttribution>();
    for (const q of preds) {
      const hits = doc.gold.filter((g) => g.content.some((r) => overlaps(r, [q])));
      const free = hits.filter((g) => !takenQuote.has(g));
      if (free.length > 0) {
        t.quoteTpP++;
        takenQuote.add(free.find((g) => speakerRight(q, g)) ?? free[0]!);
      } else {
        const why = hits.length > 0 ? 'another entry already took this statement' : 'no quoted attribution here';
        errors?.push({ doc: doc.name, kind: 'spurious', context: snippet(doc.text, q.start, q.end), detail: `${why}: ${q.text.slice(0, 120)}` });
      }
      const right = hits.find((g) => !takenSpeaker.has(g) && speakerRight(q, g));
      if (right) {
        t.speakerTpP++;
        takenSpeaker.add(right);
      }
    }
    t.quoteTpR += takenQuote.size;
    t.speakerTpR += takenSpeaker.size;
    for (const g of doc.gold) {
      const first = g.content[0]!;
      const last = g.content[g.content.length - 1]!;
      if (!takenQuote.has(g)) {
        errors?.push({ doc: doc.name, kind: 'missed', context: snippet(doc.text, first.start, last.end), detail: '' });
      } else if (!takenSpeaker.has(g)) {
        const hits = preds.filter((q) => g.content.some((r) => overlaps(r, [q])));
        const gs = g.source?.map((r) => doc.text.slice(r.start, r.end)).join(' … ') ?? '(none)';
        const ps = hits.map((q) => (q.speaker ? `${q.speaker.text} → ${q.speaker.name}` : '(none)')).join(' | ');
        errors?.push({ doc: doc.name, kind: 'speaker', context: snippet(doc.text, first.start, last.end), detail: `gold=${gs}  pred=${ps}` });
      }
    }
  }
  return t;
}

function prf(tpP: number, predicted: number, tpR: number, gold: number): [number, number, number] {
  const p = predicted ? (100 * tpP) / predicted : 0;
  const r = gold ? (100 * tpR) / gold : 0;
  const f = p + r ? (2 * p * r) / (p + r) : 0;
  return [p, r, f];
}

export async function run(dataDir: string, split = process.env.QUOTES_SPLIT ?? 'dev'): Promise<NlpBenchReport> {
  const docs = loadSplit(dataDir, split);
  const t = score(docs);
  const [qp, qr, qf] = prf(t.quoteTpP, t.predicted, t.quoteTpR, t.gold);
  const [sp, sr, sf] = prf(t.speakerTpP, t.predicted, t.speakerTpR, t.gold);
  return {
    task: `quotes (PolNeAR ${split})`,
    metrics: { quote_P: qp, quote_R: qr, quote_F1: qf, speaker_P: sp, speaker_R: sr, speaker_F1: sf },
    notes: [`${docs.length} documents, ${t.gold} gold quoted attributions, ${t.predicted} listed quotations (one-to-one matching)`],
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/bench\//, '/bench/'))) {
  const dir = process.argv[2] ?? '../shared/benchmarks';
  const split = process.argv.slice(3).find((a) => !a.startsWith('--')) ?? 'dev';
  const report = await run(dir, split);
  console.log(report.task, Object.entries(report.metrics).map(([k, v]) => `${k}=${v.toFixed(1)}`).join('  '));
  for (const n of report.notes ?? []) console.log(' ', n);
  if (process.argv.includes('--errors')) {
    const errors: ErrorCase[] = [];
    score(loadSplit(dir, split), errors);
    const kinds = process.argv.find((a) => a.startsWith('--kind='))?.slice(7);
    for (const e of errors) {
      if (kinds && !kinds.split(',').includes(e.kind)) continue;
      console.log(`[${e.kind}] ${e.doc}\n   ${e.context}\n   ${e.detail}`);
    }
  }
}
