/**
 * Search ranking on Cranfield 1400 (<dataDir>/cranfield, the development half: queries 1–112 and their
 * judgements; see its README). Per query, documents are ranked (Sitrep's passages mapped to their
 * document, first appearance wins) and scored by nDCG@10 (gain 5 − code for codes 1–4; -1 is not
 * relevant) and average precision over the top 50, averaged over queries.
 *
 * Three systems in one run, on the same documents and queries:
 *   - Sitrep: the engine's `search` (what `sitrep search "<query>" --limit 50` ranks);
 *   - plain BM25 (k1 1.2, b 0.75, lower-cased word tokens, a short stop list, no stemming);
 *   - MiniSearch with fuzzy 0.2 and prefix on every term (its usual typo-tolerant setting).
 * Figures are given for odd and even queries apart (tune on one half, check on the other) and for all.
 *
 *   npx tsx bench/nlp/cranfield.ts ../shared/benchmarks
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import MiniSearch from 'minisearch';
import { buildDocument } from '../../src/corpus/document.js';
import { Briefing } from '../../src/engine/briefing.js';
import type { CorpusDocument } from '../../src/types.js';
import type { NlpBenchReport } from '../nlp.js';

interface CranDoc {
  id: number;
  title: string;
  text: string;
}

/** Records of a Cranfield file: `.I id` then fields `.T`, `.A`, `.B`, `.W`. */
function parseRecords(raw: string): { id: string; fields: Record<string, string> }[] {
  const out: { id: string; fields: Record<string, string> }[] = [];
  let current: { id: string; fields: Record<string, string> } | null = null;
  let field = '';
  for (const line of raw.split('\n')) {
    const m = /^\.([ITABW])\b\s*(.*)$/.exec(line);
    if (m) {
      if (m[1] === 'I') {
        current = { id: m[2]!.trim(), fields: {} };
        out.push(current);
      } else {
        field = m[1]!;
        if (current) current.fields[field] = '';
      }
      continue;
    }
    if (current && field) current.fields[field] += `${line} `;
  }
  return out;
}

const clean = (s: string | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();

export function loadCranfield(dataDir: string): { docs: CranDoc[]; queries: string[]; qrels: Map<number, Map<number, number>> } {
  const dir = join(dataDir, 'cranfield');
  const docs = parseRecords(readFileSync(join(dir, 'cran.all.1400'), 'utf8')).map((r) => ({
    id: Number(r.id),
    title: clean(r.fields.T),
    text: clean(r.fields.W),
  }));
  // Queries are numbered by position, whatever their .I says.
  const queries = parseRecords(readFileSync(join(dir, 'cran.qry.dev'), 'utf8')).map((r) => clean(r.fields.W));
  const qrels = new Map<number, Map<number, number>>();
  for (const line of readFileSync(join(dir, 'cranqrel.dev'), 'utf8').split('\n')) {
    const [q, d, code] = line.trim().split(/\s+/).map(Number);
    if (!q || !d || code === undefined || Number.isNaN(code)) continue;
    if (!qrels.has(q)) qrels.set(q, new Map());
    qrels.get(q)!.set(d, code);
  }
  return { docs, queries, qrels };
}

const gainOf = (code: number | undefined): number => (code !== undefined && code >= 1 && code <= 4 ? 5 - code : 0);

/** nDCG@10 and average precision over the top 50 for one ranking. */
export function scoreRanking(ranking: readonly number[], judged: Map<number, number>): { ndcg: number; ap: number } {
  const gains = ranking.slice(0, 10).map((d) => gainOf(judged.get(d)));
  const dcg = gains.reduce((s, g, i) => s + g / Math.log2(i + 2), 0);
  const ideal = [...judged.values()].map(gainOf).filter((g) => g > 0).sort((a, b) => b - a).slice(0, 10);
  const idcg = ideal.reduce((s, g, i) => s + g / Math.log2(i + 2), 0);
  const relevant = [...judged.values()].filter((c) => gainOf(c) > 0).length;
  let hits = 0;
  let sum = 0;
  ranking.slice(0, 50).forEach((d, i) => {
    if (gainOf(judged.get(d)) > 0) {
      hits++;
      sum += hits / (i + 1);
    }
  });
  return { ndcg: idcg > 0 ? dcg / idcg : 0, ap: relevant > 0 ? sum / relevant : 0 };
}

const STOP = new Set('a an and are as at be by for from has have in is it its of on or that the this to was were will with what how which'.split(' '));
const words = (s: string): string[] => (s.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((w) => !STOP.has(w));

/** Plain BM25 over title + text, no stemming. */
function plainBm25(docs: CranDoc[]): (query: string) => number[] {
  const k1 = 1.2;
  const b = 0.75;
  const tfs = docs.map((d) => {
    const tf = new Map<string, number>();
    for (const w of words(`${d.title} ${d.text}`)) tf.set(w, (tf.get(w) ?? 0) + 1);
    return tf;
  });
  const lengths = docs.map((d) => words(`${d.title} ${d.text}`).length);
  const avg = lengths.reduce((s, l) => s + l, 0) / docs.length;
  const df = new Map<string, number>();
  for (const tf of tfs) for (const w of tf.keys()) df.set(w, (df.get(w) ?? 0) + 1);
  return (query) => {
    const terms = [...new Set(words(query))];
    const scores = docs.map((d, i) => {
      let s = 0;
      for (const t of terms) {
        const f = tfs[i]!.get(t);
        if (!f) continue;
        const n = df.get(t)!;
        const idf = Math.log(1 + (docs.length - n + 0.5) / (n + 0.5));
        s += (idf * f * (k1 + 1)) / (f + k1 * (1 - b + (b * lengths[i]!) / avg));
      }
      return { id: d.id, s };
    });
    return scores.filter((x) => x.s > 0).sort((x, y) => y.s - x.s || x.id - y.id).map((x) => x.id);
  };
}

function miniSearch(docs: CranDoc[]): (query: string) => number[] {
  const ms = new MiniSearch<CranDoc>({ fields: ['title', 'text'], idField: 'id' });
  ms.addAll(docs);
  return (query) => ms.search(query, { fuzzy: 0.2, prefix: true }).map((r) => r.id as number);
}

/** Each abstract as a corpus file: its title in front matter, its text as the article (an empty one is left out). */
export function cranfieldDocuments(docs: CranDoc[]): CorpusDocument[] {
  const out: CorpusDocument[] = [];
  for (const d of docs) {
    const file = `---\ntitle: ${JSON.stringify(d.title || `Document ${d.id}`)}\n---\n${d.text}\n`;
    const built = buildDocument(`${d.id}.txt`, new TextEncoder().encode(file));
    if (built.ok) out.push(built.document);
  }
  return out;
}

function sitrep(docs: CranDoc[]): (query: string) => number[] {
  const documents = cranfieldDocuments(docs);
  const engine = new Briefing(documents, undefined, documents.map(() => ({ dates: [], entities: [], quotes: [] })));
  return (query) => {
    const seen = new Set<number>();
    for (const r of engine.search(query, { limit: 50 }).results) seen.add(Number(r.source.doc.replace(/\.txt$/, '')));
    return [...seen];
  };
}

export async function run(dataDir: string): Promise<NlpBenchReport> {
  if (!existsSync(join(dataDir, 'cranfield'))) return { task: 'cranfield', metrics: {}, notes: ['cranfield folder missing: skipped'] };
  const { docs, queries, qrels } = loadCranfield(dataDir);
  const systems: [string, (q: string) => number[]][] = [
    ['sitrep', sitrep(docs)],
    ['bm25', plainBm25(docs)],
    ['minisearch', miniSearch(docs)],
  ];
  const metrics: Record<string, number> = {};
  const notes: string[] = [];
  for (const [name, rank] of systems) {
    const per = queries.map((q, i) => {
      const judged = qrels.get(i + 1);
      return judged ? { n: i + 1, ...scoreRanking(rank(q), judged) } : null;
    }).filter((x): x is { n: number; ndcg: number; ap: number } => x !== null);
    const mean = (xs: { ndcg: number; ap: number }[], k: 'ndcg' | 'ap'): number => (100 * xs.reduce((s, x) => s + x[k], 0)) / Math.max(1, xs.length);
    const odd = per.filter((x) => x.n % 2 === 1);
    const even = per.filter((x) => x.n % 2 === 0);
    metrics[`${name}_nDCG10_odd`] = mean(odd, 'ndcg');
    metrics[`${name}_nDCG10_even`] = mean(even, 'ndcg');
    metrics[`${name}_nDCG10`] = mean(per, 'ndcg');
    metrics[`${name}_MAP`] = mean(per, 'ap');
  }
  for (const half of ['odd', 'even', '']) {
    const key = (s: string): string => `${s}_nDCG10${half ? `_${half}` : ''}`;
    notes.push(`${half || 'all'} queries: Sitrep nDCG@10 is ${((100 * metrics[key('sitrep')]!) / metrics[key('bm25')]!).toFixed(0)}% of plain BM25's`);
  }
  notes.unshift(`${docs.length} documents, ${queries.length} queries (${qrels.size} judged); nDCG@10 and MAP@50 in percent`);
  return { task: 'cranfield (search ranking)', metrics, notes };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/bench\//, '/bench/'))) {
  const report = await run(process.argv[2] ?? '../shared/benchmarks');
  console.log(report.task);
  for (const [k, v] of Object.entries(report.metrics)) console.log(`  ${k} = ${v.toFixed(1)}`);
  for (const n of report.notes ?? []) console.log(' ', n);
}
