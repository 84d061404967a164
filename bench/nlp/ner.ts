/**
 * NER benchmark on CoNLL-2003 dev: the text is rebuilt (tokens joined by single
 * spaces, one sentence per line, a blank line between documents) and given to
 * `recognizeEntities` as raw text, so the tokenizer and sentence splitter are
 * measured too. Scores are exact character-span matches against the gold spans.
 *
 * The whole rebuilt file is passed in one call (documents pool their
 * document-level evidence); set NER_BENCH_PER_DOCUMENT=1 to call once per
 * document instead. Set NER_BENCH_MODEL=<path> to score another model file
 * (e.g. one trained without dev: `npm run train:ner -- <dir> --out /tmp/m.json.gz`),
 * since the shipped model includes dev in its training data.
 */
import { join } from 'node:path';
import type { NlpBenchReport } from '../nlp.js';
import { recognizeEntitiesWith, loadNerModel } from '../../src/analysis/ner/index.js';
import { loadModelFile } from '../../src/analysis/ner/model-file.js';
import { prf, readConllDocuments, scoreSpans } from '../../src/analysis/ner/conll.js';
import type { GoldSpan, TypeScore } from '../../src/analysis/ner/conll.js';

const TYPE_OF_KIND: Record<string, string> = { person: 'PER', organization: 'ORG', place: 'LOC', other: 'MISC' };

export async function run(dataDir: string): Promise<NlpBenchReport> {
  const docs = readConllDocuments(join(dataDir, 'conll2003', 'dev.txt'));
  const loadStart = performance.now();
  const model = process.env.NER_BENCH_MODEL ? loadModelFile(process.env.NER_BENCH_MODEL) : loadNerModel();
  const loadMs = performance.now() - loadStart;

  const perDocument = process.env.NER_BENCH_PER_DOCUMENT === '1';
  let text = '';
  const gold: GoldSpan[] = [];
  const pieces: { offset: number; length: number }[] = [];
  for (const d of docs) {
    if (text.length > 0) text += '\n\n';
    const offset = text.length;
    text += d.text;
    pieces.push({ offset, length: d.text.length });
    for (const s of d.spans) gold.push({ start: s.start + offset, end: s.end + offset, type: s.type });
  }
  const tokens = docs.reduce((n, d) => n + d.tokens, 0);

  const started = performance.now();
  const predicted: GoldSpan[] = [];
  const calls = perDocument ? pieces : [{ offset: 0, length: text.length }];
  for (const { offset, length } of calls) {
    for (const e of recognizeEntitiesWith(model, text.slice(offset, offset + length))) {
      predicted.push({ start: e.start + offset, end: e.end + offset, type: TYPE_OF_KIND[e.kind]! });
    }
  }
  const seconds = (performance.now() - started) / 1000;

  const scores = scoreSpans(gold, predicted, new Map<string, TypeScore>());
  const per = prf(scores.get('PER'));
  const org = prf(scores.get('ORG'));
  const loc = prf(scores.get('LOC'));
  const round = (x: number): number => Math.round(x * 100) / 100;
  return {
    task: 'ner',
    metrics: {
      PER_P: round(per.p),
      PER_R: round(per.r),
      PER_F1: round(per.f),
      ORG_P: round(org.p),
      ORG_R: round(org.r),
      ORG_F1: round(org.f),
      LOC_P: round(loc.p),
      LOC_R: round(loc.r),
      LOC_F1: round(loc.f),
      MISC_F1: round(prf(scores.get('MISC')).f),
      ALL_F1: round(prf(scores.get('ALL')).f),
      tokens_per_s: Math.round(tokens / seconds),
      model_load_ms: Math.round(loadMs),
    },
    notes: [
      model.trainedOn.includes('dev.txt')
        ? `WARNING: the model was trained on ${model.trainedOn.join(' + ')}; these dev scores are not held-out (retrain without --dev to measure)`
        : `model trained on ${model.trainedOn.join(' + ')} (dev held out)`,
      `CoNLL-2003 dev: ${docs.length} documents, ${tokens} tokens, ${gold.length} gold spans; ${perDocument ? 'one call per document' : 'one call for the whole text'}`,
    ],
  };
}
