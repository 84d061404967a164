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
import { tagDocument, tagsToSpans } from './tagger.js';
import type { TaggedSpan } from './tagger.js';
import { splitSentences, tokenize } from './tokenize.js';
import type { Token } from './tokenize.js';

export { tokenize, splitSentences } from './tokenize.js';
export type { Token, SentenceRange } from './tokenize.js';

const KIND_OF_TYPE: Record<string, EntityKind> = {
  PER: 'person',
  ORG: 'organization',
  LOC: 'place',
  MISC: 'other',
};

/**
 * Role nouns that stand before a person's name. Inside a longer capitalised run
 * tagged as an organisation or place ("White House National Security Advisor
 * Jake Sullivan"), a role noun followed by one to three capitalised words
 * marks those words as the person's name.
 */
const ROLE_NOUNS = new Set([
  'advisor', 'adviser', 'secretary', 'minister', 'president', 'spokesman', 'spokeswoman', 'spokesperson',
  'ambassador', 'director', 'chairman', 'chairwoman', 'commander', 'governor', 'senator', 'editor',
  'correspondent', 'envoy', 'premier', 'chancellor', 'mayor', 'professor', 'analyst', 'researcher', 'expert',
]);

function splitRoleRuns(tokens: readonly Token[], spans: TaggedSpan[]): TaggedSpan[] {
  const out: TaggedSpan[] = [];
  for (const span of spans) {
    if (span.type === 'PER' || span.last - span.first < 3) {
      out.push(span);
      continue;
    }
    let role = -1;
    for (let k = span.last - 2; k > span.first; k--) {
      if (ROLE_NOUNS.has(tokens[k]!.text.toLowerCase())) {
        role = k;
        break;
      }
    }
    const tail = role < 0 ? [] : tokens.slice(role + 1, span.last);
    if (tail.length >= 1 && tail.length <= 3 && tail.every((t) => /^\p{Lu}\p{Ll}+$/u.test(t.text) && !ROLE_NOUNS.has(t.text.toLowerCase()))) {
      out.push({ first: role + 1, last: span.last, type: 'PER' });
    } else {
      out.push(span);
    }
  }
  return out;
}

let cachedModel: NerModel | null = null;

/** The shipped model, loaded on first call and kept. */
export function loadNerModel(): NerModel {
  cachedModel ??= loadModelFile(findModelFile());
  return cachedModel;
}

/** Recognises entity mentions with a given model (training and tests use this; callers use recognizeEntities). */
export function recognizeEntitiesWith(model: NerModel, text: string): EntitySpan[] {
  const tokens = tokenize(text);
  const doc = prepareDocument(tokens, splitSentences(text, tokens));
  const tags = tagDocument(model.stages, model.lexicons, doc);
  return (process.env.NO_ROLE ? tagsToSpans(tags) : splitRoleRuns(tokens, tagsToSpans(tags))).map((span) => {
    const start = tokens[span.first]!.start;
    const end = tokens[span.last - 1]!.end;
    return { start, end, text: text.slice(start, end), kind: KIND_OF_TYPE[span.type] ?? 'other' };
  });
}

/** Person, organisation, place and other entity mentions in `text`, in text order. */
export function recognizeEntities(text: string): EntitySpan[] {
  return recognizeEntitiesWith(loadNerModel(), text);
}
