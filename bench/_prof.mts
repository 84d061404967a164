import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDocument } from '../src/corpus/document.js';
import { SearchIndex } from '../src/index/search-index.js';
import { processTerm, tokenizeForSearch } from '../src/index/terms.js';
import type { CorpusDocument } from '../src/types.js';
const bbcDir = '../shared/benchmarks/bbc'; const copies = Number(process.argv[2] ?? 2);
const files: string[] = [];
for (const topic of readdirSync(bbcDir, { withFileTypes: true })) { if (!topic.isDirectory()) continue; for (const f of readdirSync(join(bbcDir, topic.name))) if (f.endsWith('.txt')) files.push(join(topic.name, f)); }
files.sort();
const documents: CorpusDocument[] = [];
for (let copy = 0; copy < copies; copy++) for (const f of files) { const built = buildDocument(`${copy}/${f}`, Buffer.concat([Buffer.from(copy === 0 ? '' : `Edition ${copy}\n`), readFileSync(join(bbcDir, f))])); if (built.ok) documents.push(built.document); }
let t = performance.now();
const index = SearchIndex.build(documents);
console.log('build', (performance.now() - t).toFixed(0), 'ms', index.size);
let seed = 42; const random = () => { seed = (seed * 1664525 + 1013904223) >>> 0; return seed / 2 ** 32; };
const pick = <T,>(a: readonly T[]): T => a[Math.floor(random() * a.length)]!;
const vw: string[] = [];
for (let i = 0; i < 3000; i++) { const p = pick(index.passages); const w = tokenizeForSearch(documents[p.docIndex]!.text.slice(p.start, p.end)).filter((x) => processTerm(x) && x.length >= 4); if (w.length) vw.push(pick(w)); }
const typo = (w: string) => { const i = 1 + Math.floor(random() * (w.length - 2)); return random() < 0.5 ? w.slice(0, i) + w.slice(i + 1) : w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2); };
const queries: string[] = [];
for (let i = 0; i < 400; i++) { const n = 1 + Math.floor(random() * 3); const ws = Array.from({ length: n }, () => pick(vw)); const k = random(); if (k < 0.25) ws[n - 1] = typo(ws[n - 1]!); else if (k < 0.45) ws[n - 1] = ws[n - 1]!.slice(0, Math.max(3, ws[n - 1]!.length - 2)); queries.push(ws.join(' ')); }
for (const q of queries) index.search(q, 5);
const times: [number, string][] = [];
for (let r = 0; r < 3; r++) { const rt: number[] = []; for (const q of queries) { const t0 = performance.now(); index.search(q, 5); const d = performance.now() - t0; rt.push(d); times.push([d, q]); } rt.sort((a, b) => a - b); console.log('round p50', rt[200]!.toFixed(3), 'p99', rt[396]!.toFixed(3)); }
times.sort((a, b) => b[0] - a[0]);
console.log(times.slice(0, 12).map(([ms, q]) => `${ms.toFixed(2)} ${q}`).join('\n'));
const checkExact = process.argv[3] === 'check';
if (checkExact) { let bad = 0; for (const q of queries) { const a = index.search(q, 5); const b = index.search(q, 5, { exhaustive: true }); if (JSON.stringify(a) !== JSON.stringify(b)) { bad++; console.log('DIFF', q); } } console.log('diffs', bad); }
