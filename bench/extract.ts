/**
 * `npm run bench:extract -- <benchmarks dir> [--systems a,b] [--sets a,b] [--limit N] [--worst N]`
 *
 * Scores article extraction on the two development sets, exactly as each set's
 * METRIC.md says:
 *   readability-pages/  body F1 over 4-token shingles against the visible text of
 *                       expected.html (Readability's output), and metadata accuracy
 *                       (title, byline, site name: exact after collapsing white space;
 *                       date: same calendar day).
 *   trafilatura-eval/   hand-written segments the text must (`with`) and must not
 *                       (`without`) contain: P, R, F1 and accuracy over all segments.
 * trafilatura-eval is split in two by a hash of the page's URL: "tune" (used while
 * developing the rules) and "held-out" (only looked at for the report).
 * Every system runs on the same pages in the same process; pages per second
 * count only the extraction (not reading or unzipping the file).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { extractArticle } from '../src/sources/extract/index.js';
import { decodeHtml } from '../src/sources/extract/decode.js';
import { parsePage } from '../src/sources/extract/dom.js';
import { paragraphsOf } from '../src/sources/extract/text.js';
import { normaliseDate } from '../src/sources/extract/dates.js';
import { Readability } from '@mozilla/readability';
import { DOMParser as LinkedomParser } from 'linkedom';

interface SystemOutput {
  text: string;
  title?: string | null;
  author?: string | null;
  outlet?: string | null;
  published?: string | null;
}
type System = (html: string, url: string | null) => SystemOutput;

const SYSTEMS: Record<string, System> = {
  sitrep: (html, url) => extractArticle(html, { url, minWords: 0 }),
  'sitrep-min50': (html, url) => extractArticle(html, { url }),
  'sitrep-rules': (html, url) => extractArticle(html, { url, minWords: 0, strategy: 'rules' }),
  'sitrep-readability': (html, url) => extractArticle(html, { url, minWords: 0, strategy: 'readability' }),
  readability: (html) => {
    // @mozilla/readability on the same parsed DOM, its own textContent: the baseline.
    const { document } = parsePage(html, { keepJsonLdScripts: true });
    const result = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0]).parse();
    return { text: result?.textContent ?? '', title: result?.title ?? null, author: result?.byline ?? null, outlet: result?.siteName ?? null, published: result?.publishedTime ?? null };
  },
  'readability-linkedom': (html) => {
    // The usual pairing: Readability on linkedom's DOM, the page parsed by linkedom (htmlparser2) alone.
    const document = new LinkedomParser().parseFromString(/<html[\s>]/i.test(html) ? html : `<html><body>${html}</body></html>`, 'text/html');
    const result = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0]).parse();
    return { text: result?.textContent ?? '', title: result?.title ?? null, author: result?.byline ?? null, outlet: result?.siteName ?? null, published: result?.publishedTime ?? null };
  },
  page: (html) => {
    const { document } = parsePage(html);
    return { text: document.body ? paragraphsOf(document.body).join('\n\n') : '' };
  },
};

// ------------------------------------------------------------------ scoring

function tokens(text: string): string[] {
  return text.match(/[\p{L}\p{N}_]+/gu) ?? [];
}

function shingles(text: string): Map<string, number> {
  const t = tokens(text);
  const out = new Map<string, number>();
  if (t.length === 0) return out;
  if (t.length < 4) {
    out.set(t.join(' '), 1);
    return out;
  }
  for (let i = 0; i + 4 <= t.length; i++) {
    const key = `${t[i]} ${t[i + 1]} ${t[i + 2]} ${t[i + 3]}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

interface PageCounts {
  tp: number;
  fp: number;
  fn: number;
}

function shingleCounts(gold: string, predicted: string): PageCounts {
  const g = shingles(gold);
  const p = shingles(predicted);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [k, n] of p) {
    const m = g.get(k) ?? 0;
    tp += Math.min(n, m);
    fp += Math.max(0, n - m);
  }
  for (const [k, m] of g) fn += Math.max(0, m - (p.get(k) ?? 0));
  return { tp, fp, fn };
}

/** METRIC.md: per-page rates averaged over pages, F1 of the two means. */
function bodyScore(pages: PageCounts[]): { f1: number; precision: number; recall: number } {
  const precisions: number[] = [];
  const recalls: number[] = [];
  for (const { tp, fp, fn } of pages) {
    const sum = tp + fp + fn;
    if (sum === 0) {
      precisions.push(1);
      recalls.push(1);
      continue;
    }
    const [t, f, n] = [tp / sum, fp / sum, fn / sum];
    if (f === 0 && n === 0) {
      precisions.push(1);
      recalls.push(1);
      continue;
    }
    if (t + f > 0) precisions.push(t / (t + f));
    if (t + n > 0) recalls.push(t / (t + n));
  }
  const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const precision = mean(precisions);
  const recall = mean(recalls);
  return { precision, recall, f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0 };
}

const collapse = (s: string | null | undefined): string | null => (s == null ? null : s.replace(/\s+/g, ' ').trim() || null);

function sameDay(expected: string | null, got: string | null | undefined): boolean {
  if (expected === null) return got == null;
  if (got == null) return false;
  const e = normaliseDate(expected);
  const g = normaliseDate(got);
  return e !== null && g !== null && e.slice(0, 10) === g.slice(0, 10);
}

// ------------------------------------------------------------------ sets

interface Timing {
  ms: number;
  pages: number;
}

function timed(system: System, html: string, url: string | null, timing: Timing): SystemOutput {
  const started = performance.now();
  const out = system(html, url);
  timing.ms += performance.now() - started;
  timing.pages++;
  return out;
}

function runReadabilityPages(dir: string, systems: string[], limit: number, worst: number): void {
  const names = readdirSync(dir).filter((n) => existsSync(join(dir, n, 'source.html'))).sort().slice(0, limit);
  for (const name of systems) {
    const system = SYSTEMS[name]!;
    const timing: Timing = { ms: 0, pages: 0 };
    const counts: PageCounts[] = [];
    const perPage: { page: string; f1: number }[] = [];
    const meta = { title: [0, 0], author: [0, 0], outlet: [0, 0], published: [0, 0], publishedStated: [0, 0] };
    for (const page of names) {
      const html = readFileSync(join(dir, page, 'source.html'), 'utf8');
      const expected = JSON.parse(readFileSync(join(dir, page, 'expected-metadata.json'), 'utf8')) as Record<string, string | null>;
      const goldDoc = parsePage(readFileSync(join(dir, page, 'expected.html'), 'utf8')).document;
      const gold = goldDoc.body ? paragraphsOf(goldDoc.body).join('\n') : '';
      const out = timed(system, html, null, timing);
      const c = shingleCounts(gold, out.text);
      counts.push(c);
      const s = c.tp + c.fp + c.fn;
      perPage.push({ page, f1: s === 0 ? 1 : (2 * c.tp) / (2 * c.tp + c.fp + c.fn) });
      const score = (key: keyof typeof meta, ok: boolean): void => {
        meta[key][0]! += ok ? 1 : 0;
        meta[key][1]! += 1;
      };
      score('title', collapse(expected.title) === collapse(out.title));
      score('author', collapse(expected.byline) === collapse(out.author));
      score('outlet', collapse(expected.siteName) === collapse(out.outlet));
      score('published', sameDay(expected.publishedTime ?? null, out.published));
      if (expected.publishedTime) score('publishedStated', sameDay(expected.publishedTime, out.published));
    }
    const b = bodyScore(counts);
    const pct = (x: number[]): string => `${((100 * x[0]!) / Math.max(1, x[1]!)).toFixed(1)}% (${x[0]}/${x[1]})`;
    console.log(
      `readability-pages  ${name.padEnd(12)} body F1 ${b.f1.toFixed(3)} P ${b.precision.toFixed(3)} R ${b.recall.toFixed(3)}  ` +
        `title ${pct(meta.title)}  byline ${pct(meta.author)}  site ${pct(meta.outlet)}  date ${pct(meta.published)} [stated ${pct(meta.publishedStated)}]  ` +
        `${((1000 * timing.pages) / timing.ms).toFixed(1)} pages/s`,
    );
    if (worst > 0) for (const w of perPage.sort((a, b) => a.f1 - b.f1).slice(0, worst)) console.log(`    ${w.f1.toFixed(3)} ${w.page}`);
  }
}

interface EvalEntry {
  file: string;
  with: string[];
  without: string[];
}

function half(url: string): 'tune' | 'held-out' {
  return (createHash('sha1').update(url).digest()[0]! & 1) === 0 ? 'tune' : 'held-out';
}

function runTrafilatura(dir: string, systems: string[], limit: number, worst: number): void {
  const data = JSON.parse(readFileSync(join(dir, 'evaldata.json'), 'utf8')) as Record<string, EvalEntry>;
  const pages: { url: string; html: string; entry: EvalEntry }[] = [];
  for (const [url, entry] of Object.entries(data)) {
    const path = join(dir, 'html', `${entry.file}.gz`);
    if (!existsSync(path)) continue;
    pages.push({ url, html: decodeHtml(gunzipSync(readFileSync(path))), entry });
    if (pages.length >= limit) break;
  }
  const norm = (s: string): string => s.replace(/\s+/g, ' ').trim();
  for (const name of systems) {
    const system = SYSTEMS[name]!;
    const timing: Timing = { ms: 0, pages: 0 };
    const totals = { tune: { tp: 0, fn: 0, fp: 0, tn: 0 }, 'held-out': { tp: 0, fn: 0, fp: 0, tn: 0 } };
    const perPage: { file: string; missed: number; leaked: number }[] = [];
    for (const { url, html, entry } of pages) {
      const out = timed(system, html, url, timing);
      const text = norm(out.text);
      const t = totals[half(url)];
      let missed = 0;
      let leaked = 0;
      for (const s of entry.with) if (text.includes(norm(s))) t.tp++; else { t.fn++; missed++; }
      for (const s of entry.without) if (text.includes(norm(s))) { t.fp++; leaked++; } else t.tn++;
      perPage.push({ file: entry.file, missed, leaked });
    }
    const line = (label: string, c: { tp: number; fn: number; fp: number; tn: number }): string => {
      const p = c.tp / Math.max(1, c.tp + c.fp);
      const r = c.tp / Math.max(1, c.tp + c.fn);
      const f = p + r > 0 ? (2 * p * r) / (p + r) : 0;
      const acc = (c.tp + c.tn) / Math.max(1, c.tp + c.tn + c.fp + c.fn);
      return `${label} F1 ${f.toFixed(3)} P ${p.toFixed(3)} R ${r.toFixed(3)} acc ${acc.toFixed(3)}`;
    };
    const all = { tp: 0, fn: 0, fp: 0, tn: 0 };
    for (const c of Object.values(totals)) for (const k of Object.keys(all) as (keyof typeof all)[]) all[k] += c[k];
    console.log(
      `trafilatura-eval   ${name.padEnd(12)} ${line('all', all)} | ${line('tune', totals.tune)} | ${line('held-out', totals['held-out'])}  ` +
        `${pages.length} pages, ${((1000 * timing.pages) / timing.ms).toFixed(1)} pages/s`,
    );
    if (worst > 0)
      for (const w of perPage.filter((p) => half(Object.keys(data).find((u) => data[u]!.file === p.file) ?? '') === 'tune').sort((a, b) => b.missed + b.leaked - (a.missed + a.leaked)).slice(0, worst))
        console.log(`    missed ${w.missed} leaked ${w.leaked} ${w.file}`);
  }
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    systems: { type: 'string', default: 'sitrep,readability' },
    sets: { type: 'string', default: 'readability-pages,trafilatura-eval' },
    limit: { type: 'string', default: '100000' },
    worst: { type: 'string', default: '0' },
  },
});
const dataDir = resolve(positionals[0] ?? '../shared/benchmarks');
const systems = values.systems.split(',').filter(Boolean);
for (const s of systems) if (!SYSTEMS[s]) {
  console.error(`bench:extract: unknown system "${s}" (known: ${Object.keys(SYSTEMS).join(', ')})`);
  process.exit(2);
}
const sets = values.sets.split(',');
const limit = Number(values.limit);
const worst = Number(values.worst);
if (sets.includes('readability-pages')) {
  const dir = join(dataDir, 'readability-pages');
  if (existsSync(dir)) runReadabilityPages(dir, systems, limit, worst);
  else console.log(`readability-pages: not found under ${dataDir}, skipped`);
}
if (sets.includes('trafilatura-eval')) {
  const dir = join(dataDir, 'trafilatura-eval');
  if (existsSync(dir)) runTrafilatura(dir, systems, limit, worst);
  else console.log(`trafilatura-eval: not found under ${dataDir}, skipped`);
}
