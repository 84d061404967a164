import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers.js';
import { RedisHarness } from './redis-harness.js';

let redis: RedisHarness;
const cacheDir = mkdtempSync(join(tmpdir(), 'sitrep-worker-main-'));

before(async () => {
  redis = await RedisHarness.start();
});
after(async () => {
  await redis.stop();
  rmSync(cacheDir, { recursive: true, force: true });
});

function run(env: Record<string, string>, onStderr?: (text: string, kill: () => void) => void): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/digest/worker-main.ts')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', CORPUS_DIR: join(ROOT, 'corpus'), CACHE_DIR: cacheDir, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
      onStderr?.(stderr, () => child.kill('SIGTERM'));
    });
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

test('npm run worker without REDIS_URL says digests need it and exits 2', async () => {
  const { code, stderr } = await run({ DISCORD_TOKEN: 'x' });
  assert.equal(code, 2);
  assert.match(stderr, /digests need REDIS_URL/);
});

test('npm run worker starts, warns about Redis persistence, and stops cleanly on SIGTERM', async () => {
  let sent = false;
  const { code, stderr } = await run({ REDIS_URL: redis.url, DISCORD_TOKEN: 'x', DISCORD_API_URL: 'http://127.0.0.1:9/api' }, (text, kill) => {
    if (!sent && text.includes('digest worker started')) {
      sent = true;
      kill();
    }
  });
  assert.ok(sent, stderr);
  assert.equal(code, 0, stderr);
  assert.match(stderr, /persistence is off/);
  assert.match(stderr, /digest worker stopped/);
});
