/**
 * Run-time resolution of contextual features to weight rows without building
 * their names. A feature is a template plus up to three values (see
 * FeatureSink in features.ts), and its row is the row of the name made of
 * the template's name followed by the values joined by '|' (NameSink).
 * Building and hashing a fresh name string for each of the ~18 contextual
 * features of every token was most of the tagger's time.
 *
 * Here the model's names are split once into their template and values, and
 * every value string becomes an entry (`ValueEntry`) holding, per template,
 * the rows of the features that start with it. A document's words and shapes
 * are looked up once (`value`), and a feature then costs an array read, or
 * one or two lookups of small integer ids.
 *
 * Every way of splitting a name at its '|' characters is stored, so a lookup
 * of (template, a, b) finds a row exactly when the model has the name
 * `${template}${a}|${b}`, and it is that name's row: the rows found, and the
 * order they are added in, are those of the names (a test compares the two
 * over real articles), so scores are the same to the bit. A value the model
 * never uses has no entry, and no feature with it has a row.
 */
import { featureTemplates } from './features.js';
import type { FeatureSink, FeatureTemplate } from './features.js';

/** What the model holds for one value string. */
export interface ValueEntry {
  readonly id: number;
  /** Whether some template followed by this value alone has a row (in RowSink's table of such rows). */
  one: boolean;
  /** By template id: next value's id → row. */
  two: (Map<number, number> | undefined)[] | null;
  /** By template id: next value's id → the one after's id → row. */
  three: (Map<number, Map<number, number>> | undefined)[] | null;
}

/** Where each '|' is in `text`. */
function bars(text: string): number[] {
  const out: number[] = [];
  for (let p = text.indexOf('|'); p >= 0; p = text.indexOf('|', p + 1)) out.push(p);
  return out;
}

function child<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}

/**
 * Rows of (value, template) pairs: keys `value id × templates + template id`, open addressing over
 * two Int32Arrays. An Int32Array of every template per value took 10 MB of each analysis thread's
 * heap (20,000 values, 31,000 rows); this takes 1 MB.
 */
class PairRows {
  private readonly keys: Int32Array;
  private readonly rows: Int32Array;
  private readonly shift: number;

  /** Room for `count` pairs at most. */
  constructor(count: number) {
    const bits = Math.max(4, Math.ceil(Math.log2(count * 2 + 1)));
    this.keys = new Int32Array(1 << bits).fill(-1);
    this.rows = new Int32Array(1 << bits);
    this.shift = 32 - bits;
  }

  private slot(key: number): number {
    const mask = this.keys.length - 1;
    let at = Math.imul(key, 0x9e3779b1) >>> this.shift;
    while (this.keys[at] !== -1 && this.keys[at] !== key) at = (at + 1) & mask;
    return at;
  }

  set(key: number, row: number): void {
    const at = this.slot(key);
    this.keys[at] = key;
    this.rows[at] = row;
  }

  /** The pair's row, or −1. */
  get(key: number): number {
    const at = this.slot(key);
    return this.keys[at] === key ? this.rows[at]! : -1;
  }
}

export class RowSink implements FeatureSink<ValueEntry | undefined> {
  /** Where rows are added: `target[at + k] += weights[row * width + k]` for k from `fromColumn` to `width`. */
  target: Float32Array = new Float32Array(0);
  at = 0;
  fromColumn = 0;

  /** By template id: the row of the template's name alone, or −1. */
  private readonly zero: Int32Array;
  private readonly entries = new Map<string, ValueEntry>();
  /** Rows of a template followed by one value. */
  private readonly ones: PairRows;
  private readonly templateCount: number;

  constructor(
    index: ReadonlyMap<string, number>,
    private readonly weights: Float32Array,
    private readonly width: number,
  ) {
    const templates = featureTemplates();
    const count = templates.length;
    this.templateCount = count;
    // At most one pair per model name.
    this.ones = new PairRows(index.size);
    this.zero = Int32Array.from(templates, (t) => index.get(t.name) ?? -1);
    const entry = (text: string): ValueEntry => child(this.entries, text, () => ({ id: this.entries.size, one: false, two: null, three: null }));
    // A template's name ends at its only '=', so the template of a name is the name up to its first '='.
    const byName = new Map<string, FeatureTemplate>();
    for (const t of templates) {
      if (t.name.indexOf('=') === t.name.length - 1) byName.set(t.name, t);
      else if (t.name.includes('=')) throw new Error(`ner: feature template ${t.name} must end at its only '='`);
    }
    for (const [name, row] of index) {
      const t = byName.get(name.slice(0, name.indexOf('=') + 1));
      if (t) {
        const rest = name.slice(t.name.length);
        const whole = entry(rest);
        whole.one = true;
        this.ones.set(whole.id * count + t.id, row);
        for (const p of bars(rest)) {
          const a = entry(rest.slice(0, p));
          const tail = rest.slice(p + 1);
          const two = (a.two ??= new Array<Map<number, number> | undefined>(count));
          (two[t.id] ??= new Map()).set(entry(tail).id, row);
          for (const q of bars(tail)) {
            const three = (a.three ??= new Array<Map<number, Map<number, number>> | undefined>(count));
            const byB = (three[t.id] ??= new Map());
            child(byB, entry(tail.slice(0, q)).id, () => new Map<number, number>()).set(entry(tail.slice(q + 1)).id, row);
          }
        }
      }
    }
  }

  value(text: string): ValueEntry | undefined {
    return this.entries.get(text);
  }

  private add(row: number | undefined): void {
    if (row === undefined || row < 0) return;
    const { target, weights, width } = this;
    const at = this.at;
    const off = row * width;
    for (let k = this.fromColumn; k < width; k++) target[at + k]! += weights[off + k]!;
  }

  add0(t: FeatureTemplate): void {
    this.add(this.zero[t.id]);
  }

  add1(t: FeatureTemplate, a: ValueEntry | undefined): void {
    if (a?.one) this.add(this.ones.get(a.id * this.templateCount + t.id));
  }

  add2(t: FeatureTemplate, a: ValueEntry | undefined, b: ValueEntry | undefined): void {
    if (a?.two && b) this.add(a.two[t.id]?.get(b.id));
  }

  add3(t: FeatureTemplate, a: ValueEntry | undefined, b: ValueEntry | undefined, c: ValueEntry | undefined): void {
    if (a?.three && b && c) this.add(a.three[t.id]?.get(b.id)?.get(c.id));
  }
}
