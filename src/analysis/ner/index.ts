/**
 * Named-entity recognition for Sitrep: people, organisations, places (and
 * 'other' for nationalities, events and the like) in raw news text.
 *
 * `recognizeEntities` tokenizes the text (see tokenize.ts), splits sentences,
 * and tags the tokens with a two-stage averaged-perceptron model trained on
 * CoNLL-2003 (scripts/train-ner.ts → models/ner.json.gz). The model is loaded
 * lazily on first use. Every span satisfies `text.slice(start, end) === span.text`.
 */
import type { EntityKind, EntitySpan } from '../../types.js';
import { prepareDocument } from './features.js';
import { findModelFile, loadModelFile } from './model-file.js';
import type { NerModel } from './model-file.js';
import { propagateNames, retypeByName, splitRoleRuns, stripHonorifics } from './postprocess.js';
import { tagDocument, taggerFor, taggingStages, tagsToSpans } from './tagger.js';
import { splitSentences, tokenize } from './tokenize.js';

export { tokenize, splitSentences } from './tokenize.js';
export type { Token, SentenceRange } from './tokenize.js';

const KIND_OF_TYPE: Record<string, EntityKind> = {
  PER: 'person',
  ORG: 'organization',
  LOC: 'place',
  MISC: 'other',
};

let cachedModel: NerModel | null = null;
let taggingModel: NerModel | null = null;

/** The shipped model, whole (each stage's feature names and weights, as training and its checks read them), loaded on first call and kept. */
export function loadNerModel(): NerModel {
  if (!cachedModel) {
    cachedModel = loadModelFile(findModelFile());
    taggerFor(cachedModel.stages, cachedModel.lexicons);
  }
  return cachedModel;
}

/**
 * The shipped model as tagging needs it: the tagger's merged tables, without each stage's own name
 * table and weights (about 8 MB less in every analysis thread). Loaded on first call and kept.
 */
function loadTaggingModel(): NerModel {
  if (!taggingModel) {
    const model = cachedModel ?? loadModelFile(findModelFile());
    taggingModel = { ...model, stages: taggingStages(model.stages, model.lexicons) };
  }
  return taggingModel;
}

/** Recognises entity mentions with a given model (training and tests use this; callers use recognizeEntities). */
export function recognizeEntitiesWith(model: NerModel, text: string): EntitySpan[] {
  const tokens = tokenize(text);
  const doc = prepareDocument(tokens, splitSentences(text, tokens));
  const tags = tagDocument(model.stages, model.lexicons, doc);
  const spans = retypeByName(tokens, stripHonorifics(tokens, splitRoleRuns(tokens, tagsToSpans(tags), model.lexicons)));
  return propagateNames(doc, spans, model.lexicons).map((span) => {
    const start = tokens[span.first]!.start;
    const end = tokens[span.last - 1]!.end;
    return { start, end, text: text.slice(start, end), kind: KIND_OF_TYPE[span.type] ?? 'other' };
  });
}

/** Person, organisation, place and other entity mentions in `text`, in text order. */
export function recognizeEntities(text: string): EntitySpan[] {
  return recognizeEntitiesWith(loadTaggingModel(), text);
}
