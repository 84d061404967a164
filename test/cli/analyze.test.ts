import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run.js';
import { CORPUS, tempCorpus } from '../helpers.js';
import type { FileAnalysis } from '../../src/types.js';

async function analyze(...argv: string[]): Promise<{ code: number; lines: FileAnalysis[]; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['analyze', ...argv], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} });
  return { code, lines: stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as FileAnalysis), stderr };
}

const seedFiles = ['000_8cc834dffbc8bce4.txt', '001_46d1a654c57daf84.txt', '002_d068215216bcc9e3.txt', '003_7dea33602c708158.txt', '004_cf37cdb565ddf28d.txt'].map((f) => join(CORPUS, f));

test('analyze prints one JSON line per file with people, dates and quotes whose spans are verbatim', async () => {
  const { code, lines } = await analyze(...seedFiles);
  assert.equal(code, 0);
  assert.equal(lines.length, 5);
  for (const line of lines) {
    const text = readFileSync(line.file, 'utf8');
    assert.deepEqual(Object.keys(line).sort(), ['dates', 'file', 'people', 'quotes']);
    for (const span of [...line.people, ...line.dates, ...line.quotes]) assert.equal(text.slice(span.start, span.end), span.text);
    for (const q of line.quotes) if (q.speaker) assert.equal(text.slice(q.speaker.start, q.speaker.end), q.speaker.text);
  }
});

test('people carry the name they refer to in the file ("Song" → Song Zhongping)', async () => {
  const { lines } = await analyze(seedFiles[0]!);
  const song = lines[0]!.people.find((p) => p.text === 'Song');
  assert.equal(song?.name, 'Song Zhongping');
});

test('the page’s own date wins; --published serves a file that states none', async () => {
  const gt = (await analyze(seedFiles[3]!, '--published', '2000-01-01')).lines[0]!;
  assert.ok(gt.dates.some((d) => d.text === 'the 25th' && d.value === '2024-03-25'));
  const dir = tempCorpus({ 'plain.txt': 'The minister arrived on Thursday and left on the 25th.' });
  const plain = (await analyze(join(dir, 'plain.txt'), '--published', '2024-03-27')).lines[0]!;
  assert.deepEqual(plain.dates.map((d) => d.value), ['2024-03-21', '2024-03-25']);
  const undated = (await analyze(join(dir, 'plain.txt'))).lines[0]!;
  assert.ok(undated.dates.every((d) => d.value.startsWith('XXXX')));
});

test('durations are not dates', async () => {
  const dir = tempCorpus({});
  writeFileSync(join(dir, 'd.txt'), 'The talks lasted three years, the largest effort in more than 60 years.');
  const { lines } = await analyze(join(dir, 'd.txt'), '--published', '2024-03-27');
  assert.deepEqual(lines[0]!.dates, []);
});

test('quotes come with their speaker mention span', async () => {
  const { lines } = await analyze(seedFiles[1]!);
  const q = lines[0]!.quotes.find((x) => x.text.startsWith('We insist'));
  assert.equal(q?.speaker?.text, 'the Chinese diplomat');
  assert.equal(q?.speaker?.name, 'Lin Jian');
});

test('a missing file is reported and the others still run, exit code 2', async () => {
  const { code, lines, stderr } = await analyze('/no/such/file.txt', seedFiles[2]!);
  assert.equal(code, 2);
  assert.equal(lines.length, 1);
  assert.match(stderr, /\/no\/such\/file\.txt: cannot read \(ENOENT\)/);
});
