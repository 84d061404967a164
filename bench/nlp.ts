/**
 * `npm run bench:nlp -- <data dir>`: scores Sitrep's extractors on the public
 * benchmark data (../shared/benchmarks by default) and prints one line per
 * measure. Each task lives in its own module under bench/nlp/ and exports
 * `run(dataDir)`; a task whose data folder is missing is reported and skipped.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export interface NlpBenchReport {
  task: string;
  /** Measure name → value in percent (F1, precision, recall) or plain numbers. */
  metrics: Record<string, number>;
  notes?: string[];
}

const dataDir = resolve(process.argv[2] ?? '../shared/benchmarks');
if (!existsSync(dataDir)) {
  console.error(`bench:nlp: data folder not found: ${dataDir}`);
  process.exit(2);
}
const only = process.argv.slice(3);
const tasks = ['ner', 'who', 'dates', 'quotes', 'cranfield', 'speed'].filter((t) => only.length === 0 || only.includes(t));

for (const task of tasks) {
  const modulePath = `./nlp/${task}.ts`;
  if (!existsSync(new URL(modulePath, import.meta.url))) {
    console.log(`${task}: not implemented yet`);
    continue;
  }
  const mod = (await import(modulePath)) as { run: (dir: string) => Promise<NlpBenchReport> };
  const started = performance.now();
  const report = await mod.run(dataDir);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const metrics = Object.entries(report.metrics)
    .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(1)}`)
    .join('  ');
  console.log(`${report.task}: ${metrics}  (${seconds}s)`);
  for (const note of report.notes ?? []) console.log(`  ${note}`);
}
