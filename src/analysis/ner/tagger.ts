/**
 * The two-stage tagging pipeline over a prepared document: stage one tags with
 * local features; stage two re-tags with the same features plus how stage one
 * tagged the same words elsewhere in the document.
 */
import { extractFeatures } from './features.js';
import type { Lexicons, PreparedDocument, Tag } from './features.js';
import type { LinearChainModel } from './model.js';

function tagWith(stage: LinearChainModel, doc: PreparedDocument, features: string[][]): Tag[] {
  const tags: Tag[] = new Array<Tag>(doc.forms.length).fill('O');
  for (const s of doc.sentences) {
    const sentenceTags = stage.tagSentence(features.slice(s.first, s.last));
    for (let i = 0; i < sentenceTags.length; i++) tags[s.first + i] = sentenceTags[i]!;
  }
  return tags;
}

export function tagDocument(stages: readonly LinearChainModel[], lexicons: Lexicons, doc: PreparedDocument): Tag[] {
  let previous: Tag[] | null = null;
  for (const stage of stages) {
    const features = extractFeatures(doc, lexicons, previous);
    previous = tagWith(stage, doc, features);
  }
  return previous ?? new Array<Tag>(doc.forms.length).fill('O');
}

export interface TaggedSpan {
  /** Token indices, half-open. */
  first: number;
  last: number;
  type: string;
}

/** Turns BIO tags into entity spans (a stray I- starts a new span). */
export function tagsToSpans(tags: readonly Tag[]): TaggedSpan[] {
  const spans: TaggedSpan[] = [];
  let i = 0;
  while (i < tags.length) {
    const tag = tags[i]!;
    if (tag === 'O') {
      i++;
      continue;
    }
    const type = tag.slice(2);
    let j = i + 1;
    while (j < tags.length && tags[j] === `I-${type}`) j++;
    spans.push({ first: i, last: j, type });
    i = j;
  }
  return spans;
}
