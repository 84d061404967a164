/**
 * The linear-chain tagger: an averaged structured perceptron over BIO tags,
 * decoded with Viterbi under the BIO constraint (I-X only after B-X or I-X).
 * Emission scores are sums of feature weights; transitions are a 9×9 matrix
 * plus a start vector. Training lives here too so that the decoder used while
 * training is the one used at run time.
 */
import { TAGS } from './features.js';
import type { Tag } from './features.js';

export const NUM_TAGS = TAGS.length;

/** allowed[prev * NUM_TAGS + cur]; prev === NUM_TAGS stands for the sentence start. */
const ALLOWED: boolean[] = (() => {
  const out: boolean[] = [];
  for (let p = 0; p <= NUM_TAGS; p++) {
    for (let c = 0; c < NUM_TAGS; c++) {
      const cur = TAGS[c]!;
      if (!cur.startsWith('I-')) {
        out.push(true);
        continue;
      }
      const prev = p === NUM_TAGS ? 'O' : TAGS[p]!;
      out.push(prev !== 'O' && prev.slice(2) === cur.slice(2));
    }
  }
  return out;
})();

/** For each tag c, the tags allowed before it, ascending. */
const PREDECESSORS: Uint8Array[] = Array.from({ length: NUM_TAGS }, (_, c) =>
  Uint8Array.from({ length: NUM_TAGS }, (_, p) => p).filter((p) => ALLOWED[p * NUM_TAGS + c]),
);

/**
 * Viterbi over `n` tokens. `emission[from + t * stride + y]` (by default the
 * tokens' NUM_TAGS scores one after another from 0); `transition[(p) *
 * NUM_TAGS + c]` with row NUM_TAGS for the start. Returns tag indices.
 */
export function viterbi(
  emission: Float64Array | Float32Array,
  n: number,
  transition: Float64Array | Float32Array,
  from = 0,
  stride: number = NUM_TAGS,
): Uint8Array {
  const T = NUM_TAGS;
  const path = new Uint8Array(n);
  if (n === 0) return path;
  const score = new Float64Array(n * T);
  const back = new Uint8Array(n * T);
  for (let c = 0; c < T; c++) {
    score[c] = ALLOWED[T * T + c] ? emission[from + c]! + transition[T * T + c]! : -Infinity;
  }
  for (let t = 1; t < n; t++) {
    for (let c = 0; c < T; c++) {
      let best = -Infinity;
      let arg = 0;
      const predecessors = PREDECESSORS[c]!;
      for (let k = 0; k < predecessors.length; k++) {
        const p = predecessors[k]!;
        const v = score[(t - 1) * T + p]! + transition[p * T + c]!;
        if (v > best) {
          best = v;
          arg = p;
        }
      }
      score[t * T + c] = best + emission[from + t * stride + c]!;
      back[t * T + c] = arg;
    }
  }
  let best = -Infinity;
  let arg = 0;
  for (let c = 0; c < T; c++) {
    const v = score[(n - 1) * T + c]!;
    if (v > best) {
      best = v;
      arg = c;
    }
  }
  path[n - 1] = arg;
  for (let t = n - 1; t > 0; t--) path[t - 1] = back[t * T + path[t]!]!;
  return path;
}

/** A trained stage: feature name → row of NUM_TAGS weights. */
export class LinearChainModel {
  constructor(
    readonly featureIndex: Map<string, number>,
    readonly weights: Float32Array,
    /** (NUM_TAGS + 1) × NUM_TAGS: rows are the previous tag, the last row the start. */
    readonly transition: Float32Array,
  ) {}

  /** Tags one sentence given its tokens' feature strings. */
  tagSentence(features: readonly (readonly string[])[]): Tag[] {
    const n = features.length;
    const T = NUM_TAGS;
    const emission = new Float32Array(n * T);
    for (let t = 0; t < n; t++) {
      const base = t * T;
      for (const name of features[t]!) {
        const row = this.featureIndex.get(name);
        if (row === undefined) continue;
        const off = row * T;
        for (let y = 0; y < T; y++) emission[base + y]! += this.weights[off + y]!;
      }
    }
    return Array.from(viterbi(emission, n, this.transition), (y) => TAGS[y]!);
  }
}

/** One training sentence: feature ids per token and gold tag indices. */
export interface TrainingSentence {
  features: Int32Array[];
  gold: Uint8Array;
}

/**
 * Averaged structured perceptron. `numFeatures` rows of NUM_TAGS weights; the
 * averaging uses the usual lazy trick (w − u / c).
 */
export class PerceptronTrainer {
  readonly w: Float64Array;
  readonly u: Float64Array;
  readonly tw: Float64Array;
  readonly tu: Float64Array;
  c = 1;

  constructor(readonly numFeatures: number) {
    this.w = new Float64Array(numFeatures * NUM_TAGS);
    this.u = new Float64Array(numFeatures * NUM_TAGS);
    this.tw = new Float64Array((NUM_TAGS + 1) * NUM_TAGS);
    this.tu = new Float64Array((NUM_TAGS + 1) * NUM_TAGS);
  }

  private emissions(s: TrainingSentence): Float64Array {
    const T = NUM_TAGS;
    const n = s.gold.length;
    const e = new Float64Array(n * T);
    for (let t = 0; t < n; t++) {
      const base = t * T;
      for (const id of s.features[t]!) {
        const off = id * T;
        for (let y = 0; y < T; y++) e[base + y]! += this.w[off + y]!;
      }
    }
    return e;
  }

  /** One update on one sentence; returns true when the prediction was wrong. */
  learn(s: TrainingSentence): boolean {
    const T = NUM_TAGS;
    const n = s.gold.length;
    const pred = viterbi(this.emissions(s), n, this.tw);
    let wrong = false;
    for (let t = 0; t < n; t++) if (pred[t] !== s.gold[t]) wrong = true;
    if (wrong) {
      const c = this.c;
      for (let t = 0; t < n; t++) {
        const g = s.gold[t]!;
        const p = pred[t]!;
        const gp = t === 0 ? T : s.gold[t - 1]!;
        const pp = t === 0 ? T : pred[t - 1]!;
        if (g !== p || gp !== pp) {
          this.tw[gp * T + g]! += 1;
          this.tu[gp * T + g]! += c;
          this.tw[pp * T + p]! -= 1;
          this.tu[pp * T + p]! -= c;
        }
        if (g === p) continue;
        for (const id of s.features[t]!) {
          const off = id * T;
          this.w[off + g]! += 1;
          this.u[off + g]! += c;
          this.w[off + p]! -= 1;
          this.u[off + p]! -= c;
        }
      }
    }
    this.c++;
    return wrong;
  }

  /** Averaged weights. */
  averaged(): { weights: Float64Array; transition: Float64Array } {
    const weights = new Float64Array(this.w.length);
    for (let i = 0; i < weights.length; i++) weights[i] = this.w[i]! - this.u[i]! / this.c;
    const transition = new Float64Array(this.tw.length);
    for (let i = 0; i < transition.length; i++) transition[i] = this.tw[i]! - this.tu[i]! / this.c;
    return { weights, transition };
  }
}
