/**
 * Analysis speed: the whole pipeline Sitrep runs on each document when it
 * builds a snapshot (ingest, entities, dates, quotes, descriptions) over the
 * 2,225 BBC articles in <dataDir>/bbc, on one core (this process).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDocument } from '../../src/corpus/document.js';
import { analyseDocument } from '../../src/analysis/document-analysis.js';
import { loadNerModel } from '../../src/analysis/ner/index.js';
import type { NlpBenchReport } from '../nlp.js';

export async function run(dataDir: string): Promise<NlpBenchReport> {
  const root = join(dataDir, 'bbc');
  const files: string[] = [];
  for (const topic of readdirSync(root, { withFileTypes: true })) {
    if (topic.isDirectory()) for (const f of readdirSync(join(root, topic.name))) if (f.endsWith('.txt')) files.push(join(root, topic.name, f));
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
