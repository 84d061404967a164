import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readSnapshot, removeStaleTemporaries, SNAPSHOT_FILE } from '../../src/engine/snapshot.js';
import { CORPUS, ROOT } from '../helpers.js';

const FIXTURE = join(ROOT, 'test', 'engine', 'snapshot-writer.fixture.ts');
const expected = { corpusDir: resolve(CORPUS), analysisVersion: 'test', loadOptions: 'test' };

/** Starts the writer; resolves once it has written `rounds` snapshots and begun the next. */
async function writer(cacheDir: string, rounds: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, cacheDir, CORPUS], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  await new Promise<void>((resolveStarted, reject) => {
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (out.includes(`writing ${rounds}\n`)) resolveStarted();
    });
    child.once('exit', (code) => reject(new Error(`writer exited (${code}) early: ${out}`)));
  });
  return { child, output: () => out };
}

/** Waits until the writer's temporary file exists: the bytes are being written. */
async function midWrite(cacheDir: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!readdirSync(cacheDir).some((name) => name.endsWith('.tmp'))) {
    if (Date.now() > deadline) throw new Error('the writer never opened a temporary file');
    await new Promise((r) => setImmediate(r));
  }
}

test('SIGKILL in the middle of writing leaves the previous snapshot intact, and the stray temporary file is cleaned', async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'sitrep-kill-'));
  const { child } = await writer(cacheDir, 2);
  await midWrite(cacheDir);
  child.kill('SIGKILL');
  await once(child, 'exit');
  assert.ok(readdirSync(cacheDir).some((name) => name.endsWith('.tmp')), 'killed while the temporary file was open');
  const path = join(cacheDir, SNAPSHOT_FILE);
  const snapshot = await readSnapshot(path, expected);
  assert.ok(snapshot, 'the last complete snapshot still reads');
  assert.ok(snapshot.briefing.search('Tomahawk').results.length > 0);
  await removeStaleTemporaries(path);
  assert.deepEqual(readdirSync(cacheDir), [SNAPSHOT_FILE]);
});

test('SIGTERM in the middle of writing finishes the write, then exits 0 with a complete snapshot', async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'sitrep-term-'));
  const { child, output } = await writer(cacheDir, 1);
  await midWrite(cacheDir);
  child.kill('SIGTERM');
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 0);
  assert.match(output(), /stopped mid-write/);
  assert.ok(await readSnapshot(join(cacheDir, SNAPSHOT_FILE), expected));
  assert.deepEqual(readdirSync(cacheDir), [SNAPSHOT_FILE], 'no temporary file left');
});
