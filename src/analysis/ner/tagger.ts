/**
 * The two-stage tagging pipeline over a prepared document: stage one tags with
 * local features; stage two re-tags with the same features plus how stage one
 * tagged the same words elsewhere in the document.
 *
 * At run time the stages share one feature index (each name is looked up once
 * for all stages) and the scores of the word-only features are cached per word
 * form; the features and weights are exactly those of training.
 */
import { contextFeatures, documentContext, evidenceFeatures, featureValues, formFacts, stageEvidence, TAGS, wordFeatures } from './features.js';
import type { FormFacts, Lexicons, PreparedDocument, Tag } from './features.js';
import { RowSink, type ValueEntry } from './feature-rows.js';
import { NUM_TAGS, viterbi } from './model.js';
import { LinearChainModel } from './model.js';

/** Forms remembered (FormEntry) before the memory is dropped and rebuilt. */
const FORM_CACHE_LIMIT = 100_000;

/** What the tagger keeps per token form: everything that depends on the form alone. */
interface FormEntry {
  facts: FormFacts;
  /** Scores of the word-only features, every stage. */
  scores: Float32Array;
  lower: ValueEntry | undefined;
  shape: ValueEntry | undefined;
  usualCase: ValueEntry | undefined;
}

export class DocumentTagger {
  private readonly index = new Map<string, number>();
  private readonly weights: Float32Array;
  private readonly width: number;
  private readonly forms = new Map<string, FormEntry>();
  private readonly rows: RowSink;
  /** Each stage's transitions: all the tagger keeps of the stages once it has their rows. */
  private readonly transitions: readonly Float32Array[];

  constructor(
    stages: readonly LinearChainModel[],
    private readonly lexicons: Lexicons,
  ) {
    this.transitions = stages.map((stage) => stage.transition);
    const S = stages.length;
    this.width = S * NUM_TAGS;
    stages.forEach((stage) => {
      for (const name of stage.featureIndex.keys()) if (!this.index.has(name)) this.index.set(name, this.index.size);
    });
    this.weights = new Float32Array(this.index.size * this.width);
    stages.forEach((stage, k) => {
      for (const [name, row] of stage.featureIndex) {
        const to = this.index.get(name)! * this.width + k * NUM_TAGS;
        for (let y = 0; y < NUM_TAGS; y++) this.weights[to + y] = stage.weights[row * NUM_TAGS + y]!;
      }
    });
    this.rows = new RowSink(this.index, this.weights, this.width);
  }

  private addFeatures(names: readonly string[], into: Float32Array, at: number, fromStage: number): void {
    const W = this.width;
    for (const name of names) {
      const row = this.index.get(name);
      if (row === undefined) continue;
      const off = row * W;
      for (let k = fromStage * NUM_TAGS; k < W; k++) into[at + k]! += this.weights[off + k]!;
    }
  }

  private formEntry(form: string): FormEntry {
    let entry = this.forms.get(form);
    if (entry === undefined) {
      const facts = formFacts(form, this.lexicons);
      const scores = new Float32Array(this.width);
      this.addFeatures(wordFeatures(form, this.lexicons), scores, 0, 0);
      entry = {
        facts,
        scores,
        lower: this.rows.value(facts.lower),
        shape: this.rows.value(facts.shape),
        usualCase: this.rows.value(facts.word.usualCase),
      };
      this.forms.set(form, entry);
    }
    return entry;
  }

  tag(doc: PreparedDocument): Tag[] {
    const n = doc.forms.length;
    const W = this.width;
    if (this.forms.size >= FORM_CACHE_LIMIT) this.forms.clear();
    const entries = doc.forms.map((form) => this.formEntry(form));
    const ctx = documentContext(
      doc,
      this.lexicons,
      entries.map((e) => e.facts),
    );
    const scores = new Float32Array(n * W);
    const rows = this.rows;
    rows.target = scores;
    rows.fromColumn = 0;
    const values = featureValues(ctx, rows, {
      lower: entries.map((e) => e.lower),
      shapes: entries.map((e) => e.shape),
      usualCase: entries.map((e) => e.usualCase),
    });
    for (const s of doc.sentences) {
      for (let i = s.first; i < s.last; i++) {
        scores.set(entries[i]!.scores, i * W);
        rows.at = i * W;
        contextFeatures(ctx, values, s, i, rows);
      }
    }
    let tags: Tag[] = new Array<Tag>(n).fill('O');
    this.transitions.forEach((transition, k) => {
      if (k > 0) {
        const ev = stageEvidence(ctx, tags);
        rows.fromColumn = k * NUM_TAGS;
        for (const s of doc.sentences) {
          for (let i = s.first; i < s.last; i++) {
            rows.at = i * W;
            evidenceFeatures(ctx, values, ev, s, i, rows);
          }
        }
      }
      const next: Tag[] = new Array<Tag>(n).fill('O');
      for (const s of doc.sentences) {
        const len = s.last - s.first;
        const path = viterbi(scores, len, transition, s.first * W + k * NUM_TAGS, W);
        for (let t = 0; t < len; t++) next[s.first + t] = TAGS[path[t]!]!;
      }
      tags = next;
    });
    rows.target = new Float32Array(0);
    return tags;
  }
}

const taggers = new WeakMap<readonly LinearChainModel[], DocumentTagger>();

/**
 * Stages standing for `stages` at run time: each keeps its transitions only, and tags through the
 * tagger made from `stages` (which holds every row it needs), so the per-stage name tables and weights
 * can be let go.
 */
export function taggingStages(stages: readonly LinearChainModel[], lexicons: Lexicons): LinearChainModel[] {
  const tagger = taggerFor(stages, lexicons);
  const light = stages.map((stage) => new LinearChainModel(new Map(), new Float32Array(0), stage.transition));
  taggers.set(light, tagger);
  return light;
}

/** The tagger of a model's stages, made on first use and kept (its tables take a moment to build). */
export function taggerFor(stages: readonly LinearChainModel[], lexicons: Lexicons): DocumentTagger {
  let tagger = taggers.get(stages);
  if (!tagger) taggers.set(stages, (tagger = new DocumentTagger(stages, lexicons)));
  return tagger;
}

export function tagDocument(stages: readonly LinearChainModel[], lexicons: Lexicons, doc: PreparedDocument): Tag[] {
  return taggerFor(stages, lexicons).tag(doc);
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
