import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { loadCorpus } from '../../src/corpus/load.js';
import { Briefing } from '../../src/engine/briefing.js';
import { answerConsoleLine, parseConsoleOptions, runConsole } from '../../src/cli/console.js';
import { CORPUS } from '../helpers.js';

const briefing = new Briefing((await loadCorpus(CORPUS)).documents);

test('/search answers with cited passages, as in Discord', () => {
  const reply = answerConsoleLine(briefing, '/search Tomahwk');
  assert.match(reply ?? '', /Tomahawk/);
  assert.match(reply ?? '', /002_d068215216bcc9e3\.txt/);
});

test('/sources lists the documents', () => {
  assert.match(answerConsoleLine(briefing, '/sources') ?? '', /^5 documents:/);
});

test('user errors become a sentence, not a stack trace', () => {
  assert.equal(answerConsoleLine(briefing, '/search the'), 'nothing to search for: the query has only punctuation or common words');
  assert.match(answerConsoleLine(briefing, '/frobnicate') ?? '', /Unknown command "\/frobnicate"/);
  assert.equal(answerConsoleLine(briefing, '/who'), 'Usage: /who <name>');
});

test('/quit ends the console', () => {
  assert.equal(answerConsoleLine(briefing, '/quit'), null);
});

test('key:value options are read as Discord shows them', () => {
  assert.deepEqual(parseConsoleOptions('security treaty from:2020 to:2024-04', ['topic', 'from', 'to']), {
    text: 'security treaty',
    options: { from: '2020', to: '2024-04' },
  });
  assert.deepEqual(parseConsoleOptions('speaker:Lin Jian', ['topic', 'speaker']), { text: '', options: { speaker: 'Lin Jian' } });
});

test('the console reads lines until /quit and writes each answer', async () => {
  const input = new PassThrough();
  let out = '';
  const done = runConsole(briefing, { input, write: (t) => (out += t) });
  input.write('/sources\n/search Okinawa marines\n/quit\n/sources\n');
  await done;
  assert.match(out, /^Sitrep console: 5 documents loaded/);
  assert.equal(out.match(/5 documents:/g)?.length, 1);
  assert.match(out, /Okinawa/);
});
