import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run.js';
import { answerConsoleLine } from '../../src/cli/console.js';
import { openBriefing } from '../../src/engine/open.js';
import { createLogger } from '../../src/log.js';
import { CORPUS } from '../helpers.js';

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { CORPUS_DIR: CORPUS } });
  return { code, stdout, stderr };
}

describe('sitrep brief', () => {
  test('--json prints the contract fields, every excerpt verbatim', async () => {
    const { code, stdout, stderr } = await cli('brief', '--json');
    assert.equal(code, 0, stderr);
    const json = JSON.parse(stdout) as Record<string, unknown>;
    for (const key of ['topic', 'since', 'until', 'documents', 'people', 'events', 'quotes', 'outlets', 'window', 'suggestions']) assert.ok(key in json, key);
    assert.equal(json.window, null);
    const cited: { text: string; source: { doc: string; start: number; end: number } }[] = [
      ...(json.events as never[]),
      ...(json.quotes as never[]),
      ...(json.people as { description: never }[]).flatMap((p) => (p.description ? [p.description] : [])),
    ];
    assert.ok(cited.length > 5);
    for (const c of cited) assert.equal(readFileSync(join(CORPUS, c.source.doc), 'utf8').slice(c.source.start, c.source.end), c.text);
  });

  test('--since a date compares publication dates and says so', async () => {
    const { stdout } = await cli('brief', '--since', '2024-03-27', '--json');
    const json = JSON.parse(stdout) as { window: string; since: string; documents: { published: string }[] };
    assert.equal(json.window, 'published');
    assert.equal(json.since, '2024-03-27T00:00:00.000Z');
    assert.ok(json.documents.every((d) => d.published >= '2024-03-27'));
  });

  test('a bad --since is a usage error (exit 2) showing the value', async () => {
    const { code, stderr } = await cli('brief', '--since', 'last fortnight');
    assert.equal(code, 2);
    assert.match(stderr, /since "last fortnight"/);
  });

  test('a topic found nowhere says so, with the newest document, exit 0', async () => {
    const { code, stdout } = await cli('brief', 'zzqx');
    assert.equal(code, 0);
    assert.match(stdout, /Nothing about “zzqx”/);
    assert.match(stdout, /newest document/);
  });

  test('the console answers /brief with options as in Discord', async () => {
    const log = createLogger({ format: 'pretty', level: 'error', write: () => {} });
    const { briefing } = await openBriefing(CORPUS, log, { cacheDir: null });
    const reply = answerConsoleLine(briefing, '/brief treaty since:2024-03-01') ?? '';
    assert.match(reply, /Brief about “treaty” since 2024-03-01/);
    assert.match(answerConsoleLine(briefing, '/brief since:whenever') ?? '', /is not a time/);
  });
});
