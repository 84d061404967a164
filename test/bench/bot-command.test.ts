import { test } from 'node:test';
import assert from 'node:assert/strict';
import { botCommand, parseStartScript } from '../../bench/bot-command.js';

test('the start script is read as environment, then node flags', () => {
  assert.deepEqual(parseStartScript('A=1 B_2=x exec node --one --two=3 --enable-source-maps dist/src/main.js'), {
    env: { A: '1', B_2: 'x' },
    flags: ['--one', '--two=3', '--enable-source-maps'],
  });
  assert.deepEqual(parseStartScript('node main.js'), { env: {}, flags: [] });
  assert.throws(() => parseStartScript('tsx src/main.ts'), /does not run node/);
});

test("the bench runs its bot processes with npm start's glibc threshold and young-generation size", () => {
  const { env, flags } = botCommand();
  assert.equal(env.MALLOC_MMAP_THRESHOLD_, '131072');
  assert.ok(flags.includes('--max-semi-space-size=4'), flags.join(' '));
  assert.ok(flags.includes('--max-old-space-size=2000'), flags.join(' '));
});
