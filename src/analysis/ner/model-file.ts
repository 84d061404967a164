/**
 * The model file (models/ner.json.gz): gzipped JSON holding the lexicons and,
 * per stage, the feature names (newline-separated), their weight rows
 * quantised to 16-bit integers (base64, little-endian) and the transitions.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { TAGS } from './features.js';
import type { Lexicons } from './features.js';
import { LinearChainModel, NUM_TAGS } from './model.js';

export const MODEL_FILE_NAME = 'ner.json.gz';
const FORMAT_VERSION = 4;

export interface NerModel {
  lexicons: Lexicons;
  /** Stage one (local features), then stage two (adds document-level stage-one evidence). */
  stages: LinearChainModel[];
  /** The CoNLL files the model was trained on (train.txt, and dev.txt for the shipped model). */
  trainedOn: string[];
}

interface StageJson {
  features: string;
  scale: number;
  weights: string;
  transition: number[];
}

interface ModelJson {
  format: number;
  tags: string[];
  maxPhrase: number;
  gazetteer: string;
  caseLexicon: string;
  titles: string;
  capitalisedNonEntities: string;
  entityWords: string;
  stages: StageJson[];
  trainedOn: string[];
}

export interface StageToSave {
  featureNames: string[];
  weights: Float64Array;
  transition: Float64Array;
}

/** Serialises a model, dropping feature rows whose largest absolute weight is below `minWeight`. */
export function serializeModel(lexicons: Lexicons, stages: StageToSave[], trainedOn: string[], minWeight: number): Buffer {
  const json: ModelJson = {
    format: FORMAT_VERSION,
    tags: [...TAGS],
    maxPhrase: lexicons.maxPhrase,
    gazetteer: [...lexicons.gazetteer].map(([k, v]) => `${k}\t${v}`).join('\n'),
    caseLexicon: [...lexicons.caseLexicon].map(([k, v]) => `${k}\t${v}`).join('\n'),
    titles: [...lexicons.titles].join('\n'),
    capitalisedNonEntities: [...lexicons.capitalisedNonEntities].join('\n'),
    entityWords: [...lexicons.entityWords].map(([k, v]) => `${k}\t${v}`).join('\n'),
    stages: stages.map((stage) => {
      const kept: number[] = [];
      let maxAbs = 0;
      for (let f = 0; f < stage.featureNames.length; f++) {
        let rowMax = 0;
        for (let y = 0; y < NUM_TAGS; y++) rowMax = Math.max(rowMax, Math.abs(stage.weights[f * NUM_TAGS + y]!));
        if (rowMax >= minWeight) {
          kept.push(f);
          maxAbs = Math.max(maxAbs, rowMax);
        }
      }
      const scale = maxAbs / 32767 || 1;
      const q = new Int16Array(kept.length * NUM_TAGS);
      kept.forEach((f, r) => {
        for (let y = 0; y < NUM_TAGS; y++) q[r * NUM_TAGS + y] = Math.round(stage.weights[f * NUM_TAGS + y]! / scale);
      });
      const bytes = Buffer.alloc(q.length * 2);
      for (let i = 0; i < q.length; i++) bytes.writeInt16LE(q[i]!, i * 2);
      return {
        features: kept.map((f) => stage.featureNames[f]!).join('\n'),
        scale,
        weights: bytes.toString('base64'),
        transition: Array.from(stage.transition, (v) => Math.round(v * 1000) / 1000),
      };
    }),
    trainedOn,
  };
  return gzipSync(JSON.stringify(json), { level: 9 });
}

function parseTable<V>(text: string, parse: (v: string) => V): Map<string, V> {
  const out = new Map<string, V>();
  if (text === '') return out;
  for (const line of text.split('\n')) {
    const tab = line.lastIndexOf('\t');
    out.set(line.slice(0, tab), parse(line.slice(tab + 1)));
  }
  return out;
}

export function deserializeModel(buffer: Buffer): NerModel {
  const json = JSON.parse(gunzipSync(buffer).toString('utf8')) as ModelJson;
  if (json.format !== FORMAT_VERSION || json.tags.join() !== TAGS.join()) {
    throw new Error(`ner: model file has format ${json.format} and tags ${json.tags.join()}; expected format ${FORMAT_VERSION}`);
  }
  const stages = json.stages.map((s) => {
    const names = s.features === '' ? [] : s.features.split('\n');
    const index = new Map<string, number>();
    names.forEach((name, i) => index.set(name, i));
    const bytes = Buffer.from(s.weights, 'base64');
    const weights = new Float32Array(bytes.length / 2);
    for (let i = 0; i < weights.length; i++) weights[i] = bytes.readInt16LE(i * 2) * s.scale;
    return new LinearChainModel(index, weights, Float32Array.from(s.transition));
  });
  return {
    lexicons: {
      gazetteer: parseTable(json.gazetteer, Number),
      caseLexicon: parseTable(json.caseLexicon, (v) => v),
      maxPhrase: json.maxPhrase,
      titles: new Set(json.titles === '' ? [] : json.titles.split('\n')),
      entityWords: parseTable(json.entityWords, Number),
      capitalisedNonEntities: new Set(json.capitalisedNonEntities === '' ? [] : json.capitalisedNonEntities.split('\n')),
    },
    stages,
    trainedOn: json.trainedOn,
  };
}

/**
 * Finds models/ner.json.gz by walking up from this module's folder, so the
 * same code works from src/ (tsx) and from dist/src/ (compiled).
 */
export function findModelFile(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'models', MODEL_FILE_NAME);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`ner: model file models/${MODEL_FILE_NAME} not found; train it with \`npx tsx scripts/train-ner.ts <conll2003 dir>\``);
}

export function loadModelFile(path: string): NerModel {
  return deserializeModel(readFileSync(path));
}
