import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasLetter, startsWithCapital, startsWithLetter, startsWithLetterOrNumber, startsWithLower } from '../../src/analysis/chars.js';

const cases: [string, (w: string) => boolean, RegExp][] = [
  ['startsWithCapital', startsWithCapital, /^\p{Lu}/u],
  ['startsWithLower', startsWithLower, /^\p{Ll}/u],
  ['startsWithLetter', startsWithLetter, /^\p{L}/u],
  ['startsWithLetterOrNumber', startsWithLetterOrNumber, /^[\p{L}\p{N}]/u],
  ['hasLetter', hasLetter, /\p{L}/u],
];

// Every BMP character alone, after an ASCII digit and before one, and some astral and mixed words.
const words: string[] = ['', 'Kishida', 'kishida', '1,000', 'U.S.', '--', '’s', 'Émile', 'élan', '2030s', '😀x', '𝐀bc', '12ab', '!é', 'ǅemal'];
for (let c = 0; c < 0x10000; c++) {
  const ch = String.fromCharCode(c);
  words.push(ch, `1${ch}`, `${ch}1`);
}

describe('character classes without regular expressions (src/analysis/chars.ts)', () => {
  for (const [name, fn, re] of cases) {
    it(`${name} answers as ${re} does`, () => {
      for (const w of words) if (fn(w) !== re.test(w)) assert.fail(`${name}(${JSON.stringify(w)}) = ${fn(w)}, ${re} says ${re.test(w)}`);
    });
  }
});
