import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers.js';

/**
 * `npm start` is the Docker image's command, so SIGTERM sent to npm must reach
 * the program. npm forwards signals to its child, which is a shell unless the
 * script `exec`s the program. This runs Sitrep's own start script, with the
 * program swapped for a stand-in that reports the signal.
 */
test('npm start delivers SIGTERM to the program it runs (the script execs node)', { timeout: 30_000 }, async () => {
  const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  // Environment assignments may come first (they apply to the exec-ed program).
  assert.match(scripts.start!, /^(\w+=\S+ )*exec node /);
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-start-'));
  writeFileSync(join(dir, 'stand-in.js'), "process.on('SIGTERM', () => { console.log('stopped cleanly'); process.exit(0); }); console.log('ready'); setInterval(() => {}, 1000);");
  const start = scripts.start!.replace(/dist\/src\/main\.js$/, 'stand-in.js');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'stand-in', scripts: { start } }));
  const npm = spawn('npm', ['start', '--silent'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  npm.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  while (!out.includes('ready')) await new Promise((resolve) => setTimeout(resolve, 50));
  npm.kill('SIGTERM');
  const [code] = await once(npm, 'exit');
  assert.match(out, /stopped cleanly/);
  assert.equal(code, 0);
});
