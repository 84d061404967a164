/**
 * Speed of `recognizeEntities` on the BBC corpus (2,225 articles, one call per
 * article, one core): `npx tsx bench/nlp/ner-speed.ts ../shared/benchmarks/bbc`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadNerModel, recognizeEntities, tokenize } from '../../src/analysis/ner/index.js';

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = join(dir, name);
      return statSync(full).isDirectory() ? walk(full) : name.endsWith('.txt') ? [full] : [];
    });
}

const dir = resolve(process.argv[2] ?? '../shared/benchmarks/bbc');
const files = walk(dir).map((f) => readFileSync(f, 'utf8'));
const loadStart = performance.now();
loadNerModel();
const loadMs = performance.now() - loadStart;
const started = performance.now();
let entities = 0;
let tokens = 0;
for (const text of files) {
  entities += recognizeEntities(text).length;
  tokens += tokenize(text).length;
}
const seconds = (performance.now() - started) / 1000;
console.log(
  `ner-speed: ${files.length} articles, ${tokens} tokens, ${entities} entities in ${seconds.toFixed(1)}s ` +
    `(${Math.round(tokens / seconds)} tokens/s incl. a second tokenize pass for counting); model load ${loadMs.toFixed(0)} ms`,
);
