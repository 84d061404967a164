/**
 * Dates bench: scores `extractDates` on the TimeML files under
 * `<dataDir>/timebank/` (TimeBank 1.2 + AQUAINT, the TempEval-3 training data).
 *
 * Each `.tml` file gives the document creation time in `<DCT><TIMEX3 value=…>`
 * and the text in `<TEXT>…</TEXT>` with inline `<TIMEX3>` tags. The tags are
 * stripped (and XML entities decoded) to give the plain text and the gold
 * character spans; the extractor runs on that text with the DCT as the
 * publication date.
 *
 * Measures (percent):
 *  - `<T>_span_F1`: relaxed span match (any overlap, one-to-one) between
 *    system mentions and gold TIMEX3 of type T (`DATE`), or of any type (`all`).
 *  - `<T>_value_F1`: overlap AND equal value string.
 *  - the same per corpus (`TimeBank_…`, `AQUAINT_…`).
 * For `DATE`, only system mentions typed DATE count (that is what
 * `sitrep analyze` outputs); for `all`, every system mention counts.
 *
 * `DATES_BENCH_ERRORS=N` prints N wrong values (and misses / spurious
 * mentions) as notes, to help tuning.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, basename } from 'node:path';
import type { NlpBenchReport } from '../nlp.js';
import { extractDates } from '../../src/analysis/dates/index.js';
import type { DateMention } from '../../src/analysis/dates/index.js';

interface GoldTimex {
  start: number;
  end: number;
  text: string;
  type: string;
  value: string;
}

export interface TimeMLDoc {
  name: string;
  corpus: string;
  dct: string | null;
  text: string;
  gold: GoldTimex[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function attr(tag: string, name: string): string | null {
  const m = new RegExp(`\\b${name}="([^"]*)"`).exec(tag);
  return m ? (m[1] ?? null) : null;
}

/** Parses a TimeML file: plain text of `<TEXT>` and the gold TIMEX3 spans in it. */
export function parseTimeML(xml: string, name: string, corpus: string): TimeMLDoc {
  const dctTag = /<DCT>\s*(<TIMEX3[^>]*>)/.exec(xml);
  const dctValue = dctTag ? attr(dctTag[1] ?? '', 'value') : null;
  const dct = dctValue && /^\d{4}-\d{2}-\d{2}/.test(dctValue) ? dctValue.slice(0, 10) : null;
  const open = xml.indexOf('<TEXT>');
  const close = xml.indexOf('</TEXT>');
  const body = open >= 0 && close > open ? xml.slice(open + 6, close) : '';
  let text = '';
  const gold: GoldTimex[] = [];
  let current: { start: number; type: string; value: string } | null = null;
  const re = /<[^>]*>|&(\w+);|[^<&]+|&/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) {
    const tok = m[0];
    if (tok.startsWith('<')) {
      if (/^<TIMEX3\b/.test(tok)) {
        current = { start: text.length, type: attr(tok, 'type') ?? '', value: attr(tok, 'value') ?? '' };
      } else if (/^<\/TIMEX3>/.test(tok) && current) {
        gold.push({ ...current, end: text.length, text: text.slice(current.start, text.length) });
        current = null;
      }
    } else if (m[1] !== undefined) {
      text += ENTITIES[m[1]] ?? tok;
    } else {
      text += tok;
    }
  }
  return { name, corpus, dct, text, gold };
}

export function loadTimeBank(dataDir: string): TimeMLDoc[] {
  const root = join(dataDir, 'timebank');
  const docs: TimeMLDoc[] = [];
  if (!existsSync(root)) return docs;
  for (const corpus of readdirSync(root, { withFileTypes: true })) {
    if (!corpus.isDirectory() || corpus.name === 'testpipeline') continue;
    const dir = join(root, corpus.name);
    for (const file of readdirSync(dir).sort()) {
      if (!file.endsWith('.tml')) continue;
      docs.push(parseTimeML(readFileSync(join(dir, file), 'utf8'), basename(file, '.tml'), corpus.name));
    }
  }
  return docs;
}

interface Counts {
  sys: number;
  gold: number;
  spanTp: number;
  valueTp: number;
}

const zero = (): Counts => ({ sys: 0, gold: 0, spanTp: 0, valueTp: 0 });

function f1(tp: number, sys: number, gold: number): number {
  if (tp === 0) return 0;
  const p = tp / sys;
  const r = tp / gold;
  return (200 * p * r) / (p + r);
}

interface Pairing {
  pairs: [DateMention, GoldTimex][];
  spurious: DateMention[];
  missed: GoldTimex[];
}

/** One-to-one pairing by overlap, in text order (greedy: largest overlap first). */
function pair(sys: DateMention[], gold: GoldTimex[]): Pairing {
  const cands: { s: number; g: number; overlap: number }[] = [];
  sys.forEach((s, i) =>
    gold.forEach((g, j) => {
      const overlap = Math.min(s.end, g.end) - Math.max(s.start, g.start);
      if (overlap > 0) cands.push({ s: i, g: j, overlap });
    }),
  );
  cands.sort((a, b) => b.overlap - a.overlap);
  const usedS = new Set<number>();
  const usedG = new Set<number>();
  const pairs: [DateMention, GoldTimex][] = [];
  for (const c of cands) {
    if (usedS.has(c.s) || usedG.has(c.g)) continue;
    usedS.add(c.s);
    usedG.add(c.g);
    pairs.push([sys[c.s]!, gold[c.g]!]);
  }
  return {
    pairs,
    spurious: sys.filter((_, i) => !usedS.has(i)),
    missed: gold.filter((_, j) => !usedG.has(j)),
  };
}

function add(c: Counts, p: Pairing, nSys: number, nGold: number): void {
  c.sys += nSys;
  c.gold += nGold;
  c.spanTp += p.pairs.length;
  c.valueTp += p.pairs.filter(([s, g]) => s.value === g.value).length;
}

export async function run(dataDir: string): Promise<NlpBenchReport> {
  const docs = loadTimeBank(dataDir);
  const metrics: Record<string, number> = {};
  const notes: string[] = [];
  if (docs.length === 0) {
    notes.push(`no .tml files under ${join(dataDir, 'timebank')}`);
    return { task: 'dates', metrics, notes };
  }
  const showErrors = Number(process.env.DATES_BENCH_ERRORS ?? 0);
  const groups = new Map<string, { date: Counts; all: Counts }>();
  const total = { date: zero(), all: zero() };
  const wrong: string[] = [];
  const missed: string[] = [];
  const spurious: string[] = [];
  let chars = 0;
  const started = performance.now();
  for (const doc of docs) {
    chars += doc.text.length;
    const mentions = extractDates(doc.text, { published: doc.dct });
    const g = groups.get(doc.corpus) ?? { date: zero(), all: zero() };
    groups.set(doc.corpus, g);
    const sysDate = mentions.filter((m) => m.type === 'DATE');
    const goldDate = doc.gold.filter((x) => x.type === 'DATE');
    const pd = pair(sysDate, goldDate);
    const pa = pair(mentions, doc.gold);
    for (const c of [g.date, total.date]) add(c, pd, sysDate.length, goldDate.length);
    for (const c of [g.all, total.all]) add(c, pa, mentions.length, doc.gold.length);
    if (showErrors > 0) {
      const ctx = (s: number, e: number) =>
        doc.text.slice(Math.max(0, s - 50), s).replace(/\s+/g, ' ') + '[' + doc.text.slice(s, e) + ']' + doc.text.slice(e, e + 30).replace(/\s+/g, ' ');
      for (const [s, x] of pd.pairs)
        if (s.value !== x.value) wrong.push(`${doc.name} dct=${doc.dct} gold=${x.value} sys=${s.value} «${ctx(x.start, x.end)}» sys«${s.text}» ${s.rule ?? ''}`);
      for (const x of pd.missed) {
        const other = mentions.find((m) => m.start < x.end && m.end > x.start);
        missed.push(`${doc.name} dct=${doc.dct} gold=${x.value}${other ? ` (sys ${other.type} ${other.value})` : ''} «${ctx(x.start, x.end)}»`);
      }
      for (const s of pd.spurious) {
        const other = doc.gold.find((x) => x.start < s.end && x.end > s.start);
        spurious.push(`${doc.name} dct=${doc.dct} ${s.rule ?? ''} sys=${s.value}${other ? ` (gold ${other.type} ${other.value})` : ''} «${ctx(s.start, s.end)}»`);
      }
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const put = (prefix: string, c: { date: Counts; all: Counts }) => {
    metrics[`${prefix}DATE_span_F1`] = f1(c.date.spanTp, c.date.sys, c.date.gold);
    metrics[`${prefix}DATE_value_F1`] = f1(c.date.valueTp, c.date.sys, c.date.gold);
    metrics[`${prefix}all_span_F1`] = f1(c.all.spanTp, c.all.sys, c.all.gold);
    metrics[`${prefix}all_value_F1`] = f1(c.all.valueTp, c.all.sys, c.all.gold);
  };
  put('', total);
  metrics.DATE_value_P = total.date.sys ? (100 * total.date.valueTp) / total.date.sys : 0;
  metrics.DATE_value_R = total.date.gold ? (100 * total.date.valueTp) / total.date.gold : 0;
  for (const [name, c] of [...groups].sort()) put(`${name}_`, c);
  metrics.docs = docs.length;
  metrics.gold_DATE = total.date.gold;
  notes.push(`${docs.length} documents, ${(chars / 1e6).toFixed(2)} M chars, extraction ${seconds.toFixed(2)} s`);
  if (showErrors > 0) {
    const sample = (xs: string[]) => {
      // Deterministic spread over the corpus rather than the first documents only.
      const step = Math.max(1, Math.floor(xs.length / showErrors));
      return xs.filter((_, i) => i % step === 0).slice(0, showErrors);
    };
    notes.push(`wrong values (${wrong.length}):`, ...sample(wrong).map((s) => '  ' + s));
    notes.push(`missed gold DATE (${missed.length}):`, ...sample(missed).map((s) => '  ' + s));
    notes.push(`spurious DATE (${spurious.length}):`, ...sample(spurious).map((s) => '  ' + s));
  }
  return { task: 'dates', metrics, notes };
}
