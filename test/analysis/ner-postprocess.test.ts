import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tokenize } from '../../src/analysis/ner/index.js';
import { retypeByName } from '../../src/analysis/ner/postprocess.js';

describe('retypeByName (made-up text)', () => {
  const tokens = tokenize('Officials from North Korea met Bolivian envoys and inspected the XR-17 while Jordan Pell watched.');
  const at = (word: string): number => tokens.findIndex((t) => t.text === word);

  it('a several-word country read as a person is a place; a nationality and a designation are MISC', () => {
    const spans = retypeByName(tokens, [
      { first: at('North'), last: at('Korea') + 1, type: 'PER' },
      { first: at('Bolivian'), last: at('Bolivian') + 1, type: 'PER' },
      { first: at('XR-17'), last: at('XR-17') + 1, type: 'PER' },
    ]);
    assert.deepEqual(spans.map((s) => s.type), ['LOC', 'MISC', 'MISC']);
  });

  it('a person whose first name is also a country stays a person, and other types are untouched', () => {
    const spans = retypeByName(tokens, [
      { first: at('Jordan'), last: at('Pell') + 1, type: 'PER' },
      { first: at('Jordan'), last: at('Jordan') + 1, type: 'PER' },
      { first: at('North'), last: at('Korea') + 1, type: 'ORG' },
    ]);
    assert.deepEqual(spans.map((s) => s.type), ['PER', 'PER', 'ORG']);
  });
});
