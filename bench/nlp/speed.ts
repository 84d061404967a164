/**
 * Analysis speed: the whole pipeline Sitrep runs on each document when it
 * builds a snapshot (ingest, entities, dates, quotes, descriptions) over the
 * 2,225 BBC articles in <dataDir>/bbc, on one core (this process).
 *
 * With SPEED_BASELINE=<another checkout of Sitrep> (its node_modules and
 * models/ in place), the same documents are analysed by both, alternating
 * document by document in this one process, and the CPU time of each is
 * reported with their ratio: a comparison that a busy shared machine does not
 * skew, since both sides see the same load at the same moments.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildDocument } from '../../src/corpus/document.js';
import { analyseDocument } from '../../src/analysis/document-analysis.js';
import { loadNerModel } from '../../src/analysis/ner/index.js';
import type { CorpusDocument } from '../../src/types.js';
import type { NlpBenchReport } from '../nlp.js';

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

async function compare(documents: CorpusDocument[], baselineDir: string): Promise<NlpBenchReport> {
  const load = async (path: string): Promise<Record<string, unknown>> => (await import(pathToFileURL(join(baselineDir, path)).href)) as Record<string, unknown>;
  const baseline = (await load('src/analysis/document-analysis.ts')).analyseDocument as typeof analyseDocument;
  const baselineModel = (await load('src/analysis/ner/index.ts')).loadNerModel as typeof loadNerModel;
  baselineModel();
  loadNerModel();
  // Warm both up (JIT, caches) on the first documents, then alternate which goes first.
  for (const document of documents.slice(0, 100)) {
    baseline(document);
    analyseDocument(document);
  }
  let before = 0;
  let after = 0;
  documents.forEach((document, k) => {
    const sides: [(d: CorpusDocument) => unknown, (ms: number) => void][] = [
      [baseline, (ms) => (before += ms)],
      [analyseDocument, (ms) => (after += ms)],
    ];
    if (k % 2) sides.reverse();
    for (const [analyse, add] of sides) {
      const started = cpuMs();
      analyse(document);
      add(cpuMs() - started);
    }
  });
  const n = documents.length;
  return {
    task: 'analysis speed (BBC, one core, CPU time, alternating with the baseline)',
    metrics: { documents: n, baseline_ms_per_doc: Number((before / n).toFixed(2)), ms_per_doc: Number((after / n).toFixed(2)), speedup: Number((before / after).toFixed(2)) },
    notes: [`baseline: ${baselineDir}`],
  };
}

export async function run(dataDir: string): Promise<NlpBenchReport> {
  const root = join(dataDir, 'bbc');
  const files: string[] = [];
  for (const topic of readdirSync(root, { withFileTypes: true })) {
    if (topic.isDirectory()) for (const f of readdirSync(join(root, topic.name))) if (f.endsWith('.txt')) files.push(join(root, topic.name, f));
  }
  if (process.env.SPEED_BASELINE) {
    const documents: CorpusDocument[] = [];
    for (const file of files.sort()) {
      const built = buildDocument(file, readFileSync(file));
      if (built.ok) documents.push(built.document);
    }
    return compare(documents, resolve(process.env.SPEED_BASELINE));
  }
  let started = performance.now();
  loadNerModel();
  const modelMs = performance.now() - started;
  started = performance.now();
  let documents = 0;
  let chars = 0;
  for (const file of files.sort()) {
    const built = buildDocument(file, readFileSync(file));
    if (!built.ok) continue;
    analyseDocument(built.document);
    documents++;
    chars += built.document.text.length;
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    task: 'analysis speed (BBC, one core)',
    metrics: { documents, seconds: Number(seconds.toFixed(1)), docs_per_s: Math.round(documents / seconds), model_load_ms: Math.round(modelMs) },
    notes: [`${(chars / 1e6).toFixed(1)} M characters: ingest, entities, dates, quotes and descriptions per document`],
  };
}
