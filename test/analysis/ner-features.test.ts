/**
 * The tagger's fast feature path (feature-rows.ts: features resolved to weight
 * rows without building their names) against the names training uses
 * (extractFeatures): same rows, same order, so the same scores to the bit and
 * the same tags.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadNerModel, recognizeEntities, recognizeEntitiesWith, splitSentences, tokenize } from '../../src/analysis/ner/index.js';
import {
  contextFeatures,
  documentContext,
  evidenceFeatures,
  extractFeatures,
  featureValues,
  NameSink,
  prepareDocument,
  stageEvidence,
  TAGS,
  type PreparedDocument,
  type Tag,
} from '../../src/analysis/ner/features.js';
import { RowSink } from '../../src/analysis/ner/feature-rows.js';
import { NUM_TAGS } from '../../src/analysis/ner/model.js';
import { tagDocument } from '../../src/analysis/ner/tagger.js';

const corpusDir = new URL('../../corpus/', import.meta.url).pathname;
const texts = readdirSync(corpusDir)
  .filter((f) => f.endsWith('.txt'))
  .sort()
  .map((f) => readFileSync(join(corpusDir, f), 'utf8'));
// Names with '|' inside a value, boundary markers and odd shapes, beside the seed articles.
texts.push('A|B met <s> and </s> in U.S.-led talks; “Mr. O’Neill” said -- 1,000 … AT&T | C|D.\nNEW YORK TIMES HEADLINE HERE\nOk.');

function prepared(text: string): PreparedDocument {
  const tokens = tokenize(text);
  return prepareDocument(tokens, splitSentences(text, tokens));
}

const rowSinks: RowSink[] = [];

/** Scores of one stage's contextual (and, given stage-one tags, evidence) features, summed in Float32 as the tagger does. */
function scoresBoth(doc: PreparedDocument, stage: number, first: readonly Tag[] | null): { byName: Float32Array; byRow: Float32Array; found: number } {
  const model = loadNerModel();
  const { featureIndex, weights } = model.stages[stage]!;
  const ctx = documentContext(doc, model.lexicons);
  const ev = first ? stageEvidence(ctx, first) : null;
  const n = doc.forms.length;
  const byName = new Float32Array(n * NUM_TAGS);
  let found = 0;
  const names = new NameSink();
  const nameValues = featureValues(ctx, names);
  for (const s of doc.sentences) {
    for (let i = s.first; i < s.last; i++) {
      names.names.length = 0;
      contextFeatures(ctx, nameValues, s, i, names);
      if (ev) evidenceFeatures(ctx, nameValues, ev, s, i, names);
      for (const name of names.names) {
        const row = featureIndex.get(name);
        if (row === undefined) continue;
        found++;
        for (let y = 0; y < NUM_TAGS; y++) byName[i * NUM_TAGS + y]! += weights[row * NUM_TAGS + y]!;
      }
    }
  }
  const rows = (rowSinks[stage] ??= new RowSink(featureIndex, weights, NUM_TAGS));
  rows.fromColumn = 0;
  const byRow = new Float32Array(n * NUM_TAGS);
  rows.target = byRow;
  const rowValues = featureValues(ctx, rows);
  for (const s of doc.sentences) {
    for (let i = s.first; i < s.last; i++) {
      rows.at = i * NUM_TAGS;
      contextFeatures(ctx, rowValues, s, i, rows);
      if (ev) evidenceFeatures(ctx, rowValues, ev, s, i, rows);
    }
  }
  return { byName, byRow, found };
}

describe('NER features resolved to rows (feature-rows.ts)', () => {
  it('gives the same scores, bit for bit, as looking the feature names up', () => {
    const model = loadNerModel();
    for (const text of texts) {
      const doc = prepared(text);
      const first = tagDocument(model.stages, model.lexicons, doc);
      for (const [stage, tags] of [[0, null], [1, first]] as const) {
        const { byName, byRow, found } = scoresBoth(doc, stage, tags);
        assert.ok(found > doc.forms.length, `only ${found} features found for ${doc.forms.length} tokens`);
        assert.deepEqual(Buffer.from(byRow.buffer), Buffer.from(byName.buffer), `stage ${stage} differs on "${text.slice(0, 40)}…"`);
      }
    }
  });

  it('tags as the per-sentence model does on the feature names training uses', () => {
    const model = loadNerModel();
    const [stage1, stage2] = model.stages;
    for (const text of texts) {
      const doc = prepared(text);
      const tagWith = (features: string[][], stage: typeof stage1): Tag[] => {
        const tags: Tag[] = new Array<Tag>(doc.forms.length).fill('O');
        for (const s of doc.sentences) stage!.tagSentence(features.slice(s.first, s.last)).forEach((t, k) => (tags[s.first + k] = t));
        return tags;
      };
      const first = tagWith(extractFeatures(doc, model.lexicons, null), stage1);
      const second = tagWith(extractFeatures(doc, model.lexicons, first), stage2);
      assert.deepEqual(tagDocument(model.stages, model.lexicons, doc), second);
      assert.ok(second.some((t) => t !== TAGS[0]), 'the seed articles have entities');
    }
  });
});

describe('the tagging model (recognizeEntities)', () => {
  it('finds what the whole model finds, without each stage’s own tables', () => {
    let spans = 0;
    for (const text of texts) {
      const light = recognizeEntities(text);
      assert.deepEqual(light, recognizeEntitiesWith(loadNerModel(), text));
      spans += light.length;
    }
    assert.ok(spans > 100, `only ${spans} entities in the seed articles`);
  });
});
