/**
 * Trains the entity tagger on CoNLL-2003 and writes models/ner.json.gz.
 *
 *   npx tsx scripts/train-ner.ts <conll2003 dir> [--dev] [--eval] [--epochs N] [--ensemble N] [--seed N] [--out path]
 *
 * --dev       also train on dev.txt (for the shipped model, after measuring on dev)
 * --eval      score the trained model on dev.txt through the raw-text path (meaningless with --dev)
 * --ensemble  perceptrons per stage, trained on different seeded shuffles and averaged (default 3)
 * --seed      changes every shuffle (default 0), to measure run-to-run variance
 *
 * The training text is rebuilt exactly as the benchmark rebuilds it (tokens
 * joined by spaces, one sentence per line) and re-tokenized with the run-time
 * tokenizer, so training sees the features run time sees. Gazetteers and the
 * case lexicon come from the training documents only and are jackknifed (each
 * fold's features use lexicons built from the other folds) so the model does
 * not learn to trust them more than they deserve on unseen text. Stage two is
 * trained on stage-one predictions made by models that did not see the fold.
 * Deterministic: seeded shuffles, no time-dependent choices.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { prf, readConllDocuments, scoreSpans } from '../src/analysis/ner/conll.js';
import type { ConllDocument, GoldSpan, TypeScore } from '../src/analysis/ner/conll.js';
import { ENTITY_TYPES, extractFeatures, prepareDocument, TAGS } from '../src/analysis/ner/features.js';
import type { Lexicons, PreparedDocument, Tag } from '../src/analysis/ner/features.js';
import { LinearChainModel, PerceptronTrainer } from '../src/analysis/ner/model.js';
import type { TrainingSentence } from '../src/analysis/ner/model.js';
import { deserializeModel, serializeModel } from '../src/analysis/ner/model-file.js';
import type { StageToSave } from '../src/analysis/ner/model-file.js';
import { recognizeEntitiesWith } from '../src/analysis/ner/index.js';
import { splitSentences, tokenize } from '../src/analysis/ner/tokenize.js';

const args = process.argv.slice(2);
const dataDir = args.find((a) => !a.startsWith('--'));
if (!dataDir) {
  console.error('usage: npx tsx scripts/train-ner.ts <conll2003 dir> [--dev] [--eval] [--epochs N] [--out path]');
  process.exit(2);
}
const flag = (name: string): boolean => args.includes(name);
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
};
const EPOCHS = Number(option('--epochs', '12'));
const FOLDS = Number(option('--folds', '5'));
const MIN_COUNT = Number(option('--min-count', '2'));
const MIN_WEIGHT = Number(option('--min-weight', '0.5'));
const STAGES = Number(option('--stages', '2'));
const SEED = Number(option('--seed', '0'));
const ENSEMBLE = Number(option('--ensemble', '3'));
const out = resolve(option('--out', join(dirname(new URL(import.meta.url).pathname), '..', 'models', 'ner.json.gz')));
const started = performance.now();
const log = (msg: string): void => console.log(`[${((performance.now() - started) / 1000).toFixed(1)}s] ${msg}`);

// ---- deterministic randomness ----
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

// ---- data ----
interface TrainingDocument {
  doc: PreparedDocument;
  gold: Uint8Array;
  fold: number;
}

const TAG_INDEX = new Map<string, number>(TAGS.map((t, i) => [t, i]));

/** Tokenizes a rebuilt document with the run-time tokenizer and projects the gold spans on its tokens. */
function prepare(d: ConllDocument, fold: number): TrainingDocument {
  const tokens = tokenize(d.text);
  const doc = prepareDocument(tokens, splitSentences(d.text, tokens));
  const gold = new Uint8Array(tokens.length);
  let s = 0;
  const spans = [...d.spans].sort((a, b) => a.start - b.start);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    while (s < spans.length && spans[s]!.end <= t.start) s++;
    const span = spans[s];
    if (span && span.start <= t.start && t.start < span.end) {
      gold[i] = TAG_INDEX.get(`${t.start === span.start ? 'B' : 'I'}-${span.type}`)!;
    }
  }
  // A sentence boundary inside an entity would leave an I- at a sentence start: make it B-.
  for (const sent of doc.sentences) {
    const g = TAGS[gold[sent.first]!]!;
    if (g.startsWith('I-')) gold[sent.first] = TAG_INDEX.get(`B-${g.slice(2)}`)!;
  }
  return { doc, gold, fold };
}

function buildLexicons(docs: TrainingDocument[]): Lexicons {
  const gazetteer = new Map<string, number>();
  const caseCounts = new Map<string, [number, number]>();
  const beforePerson = new Map<string, number>();
  const entityWords = new Map<string, number>();
  const capsEntity = new Map<string, [number, number]>(); // capitalised mid-sentence: [as O, total]
  const wordCounts = new Map<string, [number, number]>(); // [as O, total]
  let maxPhrase = 1;
  for (const { doc, gold } of docs) {
    const lower = doc.forms.map((f) => f.toLowerCase());
    for (let k = 0; k < gold.length; k++) {
      const c = wordCounts.get(lower[k]!) ?? [0, 0];
      if (gold[k] === 0) c[0]++;
      c[1]++;
      wordCounts.set(lower[k]!, c);
      if (k > 0 && TAGS[gold[k]!] === 'B-PER' && gold[k - 1] === 0 && /^\p{L}/u.test(lower[k - 1]!)) {
        beforePerson.set(lower[k - 1]!, (beforePerson.get(lower[k - 1]!) ?? 0) + 1);
      }
    }
    let i = 0;
    while (i < gold.length) {
      const tag = TAGS[gold[i]!]!;
      if (tag === 'O') {
        i++;
        continue;
      }
      const type = tag.slice(2);
      let j = i + 1;
      while (j < gold.length && TAGS[gold[j]!] === `I-${type}`) j++;
      const phrase = lower.slice(i, j).join(' ');
      for (let k = i; k < j; k++) {
        if (!/^\p{Lu}/u.test(doc.forms[k]!)) continue;
        const typeBit = 1 << ENTITY_TYPES.indexOf(type as (typeof ENTITY_TYPES)[number]);
        entityWords.set(lower[k]!, (entityWords.get(lower[k]!) ?? 0) | typeBit);
      }
      const bit = 1 << ENTITY_TYPES.indexOf(type as (typeof ENTITY_TYPES)[number]);
      gazetteer.set(phrase, (gazetteer.get(phrase) ?? 0) | bit);
      maxPhrase = Math.max(maxPhrase, Math.min(j - i, 6));
      i = j;
    }
    for (const s of doc.sentences) {
      // skip headlines (mostly capitals)
      let letters = 0;
      let caps = 0;
      for (let k = s.first; k < s.last; k++) {
        const f = doc.forms[k]!;
        if (!/\p{L}/u.test(f)) continue;
        letters++;
        if (!/\p{Ll}/u.test(f) && f.length > 1) caps++;
      }
      if (letters === 0 || caps / letters > 0.6) continue;
      for (let k = s.first + 1; k < s.last; k++) {
        const f = doc.forms[k]!;
        if (!/^\p{L}/u.test(f)) continue;
        const prev = doc.forms[k - 1]!;
        if (prev === '"' || prev === "'" || prev === ':' || prev === '(') continue;
        const c = caseCounts.get(lower[k]!) ?? [0, 0];
        if (/^\p{Lu}/u.test(f)) {
          const e = capsEntity.get(lower[k]!) ?? [0, 0];
          if (gold[k] === 0) e[0]++;
          e[1]++;
          capsEntity.set(lower[k]!, e);
        }
        if (/^\p{Lu}/u.test(f)) c[0]++;
        else c[1]++;
        caseCounts.set(lower[k]!, c);
      }
    }
  }
  const caseLexicon = new Map<string, string>();
  for (const [word, [cap, low]] of caseCounts) {
    const total = cap + low;
    const bucket = low === 0 ? 'c' : cap === 0 ? 'l' : cap / total >= 0.5 ? 'mc' : 'ml';
    caseLexicon.set(word, total === 1 ? `${bucket}1` : bucket);
  }
  const titles = new Set<string>();
  for (const [word, n] of beforePerson) {
    const [asO, total] = wordCounts.get(word)!;
    // frequent before a name, rarely part of an entity, and before names often relative to its frequency
    if (n >= 3 && asO / total >= 0.9 && n / total >= 0.05) titles.add(word);
  }
  const capitalisedNonEntities = new Set<string>();
  for (const [word, [asO, total]] of capsEntity) if (total >= 3 && asO / total >= 0.9) capitalisedNonEntities.add(word);
  return { gazetteer, caseLexicon, maxPhrase, titles, capitalisedNonEntities, entityWords };
}

// ---- feature ids ----
class FeatureSpace {
  readonly counts = new Map<string, number>();
  index = new Map<string, number>();
  names: string[] = [];
  count(features: string[][]): void {
    for (const f of features) for (const name of f) this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  }
  freeze(minCount: number): void {
    for (const [name, c] of this.counts) {
      if (c >= minCount) {
        this.index.set(name, this.names.length);
        this.names.push(name);
      }
    }
    this.counts.clear();
  }
  ids(features: string[][]): Int32Array[] {
    return features.map((f) => {
      const ids: number[] = [];
      for (const name of f) {
        const id = this.index.get(name);
        if (id !== undefined) ids.push(id);
      }
      return Int32Array.from(ids);
    });
  }
}

function sentencesOf(d: TrainingDocument, ids: Int32Array[]): TrainingSentence[] {
  return d.doc.sentences.map((s) => ({ features: ids.slice(s.first, s.last), gold: d.gold.slice(s.first, s.last) }));
}

function train(sentences: TrainingSentence[], numFeatures: number, seed: number, label: string): { weights: Float64Array; transition: Float64Array } {
  // ENSEMBLE runs with different shuffles, their averaged weights averaged again (parameter mixing).
  let sum: { weights: Float64Array; transition: Float64Array } | null = null;
  for (let run = 0; run < ENSEMBLE; run++) {
    const trainer = new PerceptronTrainer(numFeatures);
    const random = mulberry32(SEED * 7919 + seed + 1000 * run);
    const order = sentences.map((_, i) => i);
    for (let epoch = 0; epoch < EPOCHS; epoch++) {
      shuffle(order, random);
      let errors = 0;
      for (const i of order) if (trainer.learn(sentences[i]!)) errors++;
      if (epoch === EPOCHS - 1) log(`${label} run ${run + 1}/${ENSEMBLE} epoch ${epoch + 1}: ${errors} of ${sentences.length} sentences wrong`);
    }
    const w = trainer.averaged();
    if (!sum) sum = w;
    else {
      for (let i = 0; i < w.weights.length; i++) sum.weights[i]! += w.weights[i]!;
      for (let i = 0; i < w.transition.length; i++) sum.transition[i]! += w.transition[i]!;
    }
  }
  const result = sum!;
  for (let i = 0; i < result.weights.length; i++) result.weights[i]! /= ENSEMBLE;
  for (let i = 0; i < result.transition.length; i++) result.transition[i]! /= ENSEMBLE;
  return result;
}

function toModel(space: FeatureSpace, w: { weights: Float64Array; transition: Float64Array }): LinearChainModel {
  return new LinearChainModel(space.index, Float32Array.from(w.weights), Float32Array.from(w.transition));
}

function predict(model: LinearChainModel, d: TrainingDocument, features: string[][]): Tag[] {
  const tags: Tag[] = new Array<Tag>(d.doc.forms.length).fill('O');
  for (const s of d.doc.sentences) {
    const t = model.tagSentence(features.slice(s.first, s.last));
    t.forEach((tag, k) => (tags[s.first + k] = tag));
  }
  return tags;
}

// ---- main ----
const trainFiles = ['train.txt', ...(flag('--dev') ? ['dev.txt'] : [])];
const raw = trainFiles.flatMap((f) => readConllDocuments(join(resolve(dataDir), f)));
const docOrder = shuffle(raw.map((_, i) => i), mulberry32(2003 + SEED));
const docs: TrainingDocument[] = docOrder.map((di, k) => prepare(raw[di]!, k % FOLDS));
log(`${docs.length} documents, ${docs.reduce((a, d) => a + d.gold.length, 0)} tokens from ${trainFiles.join(', ')}`);

const fullLexicons = buildLexicons(docs);
const foldLexicons = Array.from({ length: FOLDS }, (_, k) => buildLexicons(docs.filter((d) => d.fold !== k)));
log(`gazetteer ${fullLexicons.gazetteer.size} phrases, case lexicon ${fullLexicons.caseLexicon.size} words, ${fullLexicons.titles.size} title words: ${[...fullLexicons.titles].slice(0, 60).join(' ')}`);

// Stage one: local features with jackknifed lexicons.
const stage1Features = docs.map((d) => extractFeatures(d.doc, foldLexicons[d.fold]!, null));
const space1 = new FeatureSpace();
stage1Features.forEach((f) => space1.count(f));
space1.freeze(MIN_COUNT);
const stage1Ids = stage1Features.map((f) => space1.ids(f));
log(`stage 1: ${space1.names.length} features`);
const allSentences1 = docs.flatMap((d, i) => sentencesOf(d, stage1Ids[i]!));
const stage1 = train(allSentences1, space1.names.length, 1, 'stage 1');
const stages: StageToSave[] = [{ featureNames: space1.names, ...stage1 }];

if (STAGES >= 2) {
  // Jackknifed stage-one predictions for every training document.
  const firstTags: Tag[][] = new Array<Tag[]>(docs.length);
  for (let k = 0; k < FOLDS; k++) {
    const sentences = docs.flatMap((d, i) => (d.fold === k ? [] : sentencesOf(d, stage1Ids[i]!)));
    const model = toModel(space1, train(sentences, space1.names.length, 100 + k, `stage 1 without fold ${k}`));
    docs.forEach((d, i) => {
      if (d.fold === k) firstTags[i] = predict(model, d, stage1Features[i]!);
    });
  }
  stage1Features.length = 0;
  const stage2Features = docs.map((d, i) => extractFeatures(d.doc, foldLexicons[d.fold]!, firstTags[i]!));
  const space2 = new FeatureSpace();
  stage2Features.forEach((f) => space2.count(f));
  space2.freeze(MIN_COUNT);
  const allSentences2 = docs.flatMap((d, i) => sentencesOf(d, space2.ids(stage2Features[i]!)));
  stage2Features.length = 0;
  log(`stage 2: ${space2.names.length} features`);
  stages.push({ featureNames: space2.names, ...train(allSentences2, space2.names.length, 2, 'stage 2') });
}

const buffer = serializeModel(fullLexicons, stages, trainFiles, MIN_WEIGHT);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, buffer);
log(`wrote ${out} (${(buffer.length / 1024 / 1024).toFixed(2)} MB)`);

if (flag('--eval')) {
  const model = deserializeModel(buffer);
  const devDocs = readConllDocuments(join(resolve(dataDir), 'dev.txt'));
  const scores = new Map<string, TypeScore>();
  const scoresStage1 = new Map<string, TypeScore>();
  const stage1Only = { ...model, stages: model.stages.slice(0, 1) };
  const kinds: Record<string, string> = { person: 'PER', organization: 'ORG', place: 'LOC', other: 'MISC' };
  const toGold = (spans: { start: number; end: number; kind: string }[]): GoldSpan[] =>
    spans.map((s) => ({ start: s.start, end: s.end, type: kinds[s.kind]! }));
  for (const d of devDocs) {
    scoreSpans(d.spans, toGold(recognizeEntitiesWith(model, d.text)), scores);
    if (model.stages.length > 1) scoreSpans(d.spans, toGold(recognizeEntitiesWith(stage1Only, d.text)), scoresStage1);
  }
  const line = (s: Map<string, TypeScore>): string =>
    ['PER', 'ORG', 'LOC', 'MISC', 'ALL'].map((t) => `${t}=${prf(s.get(t)).f.toFixed(2)}`).join(' ');
  if (model.stages.length > 1) log(`dev stage 1 only: ${line(scoresStage1)}`);
  log(`dev: ${line(scores)}  (PER P=${prf(scores.get('PER')).p.toFixed(2)} R=${prf(scores.get('PER')).r.toFixed(2)})`);
}
