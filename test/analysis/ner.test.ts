import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { EntityKind, EntitySpan } from '../../src/types.js';
import { loadNerModel, recognizeEntities, splitSentences, tokenize } from '../../src/analysis/ner/index.js';
import { findModelFile, loadModelFile } from '../../src/analysis/ner/model-file.js';

const corpusDir = new URL('../../corpus/', import.meta.url).pathname;
const seedFiles = readdirSync(corpusDir).filter((f) => f.endsWith('.txt')).sort();
const seed = (prefix: string): string => {
  const name = seedFiles.find((f) => f.startsWith(prefix));
  assert.ok(name, `seed article ${prefix} is missing`);
  return readFileSync(join(corpusDir, name), 'utf8');
};

/** The sentence of `text` that contains `needle` (line-level is enough for these articles). */
function sentenceWith(text: string, needle: string): string {
  const line = text.split('\n').find((l) => l.includes(needle));
  assert.ok(line, `no line contains ${needle}`);
  return line;
}

function spansOf(text: string, kind: EntityKind): string[] {
  return recognizeEntities(text)
    .filter((e) => e.kind === kind)
    .map((e) => e.text);
}

describe('tokenize', () => {
  it('keeps offsets exact and splits curly possessives off the name', () => {
    const text = 'Prime Minister Fumio Kishida’s administration said “no”.';
    const tokens = tokenize(text);
    for (const t of tokens) assert.equal(text.slice(t.start, t.end), t.text);
    assert.deepEqual(
      tokens.map((t) => t.text),
      ['Prime', 'Minister', 'Fumio', 'Kishida', '’s', 'administration', 'said', '“', 'no', '”', '.'],
    );
  });

  it('keeps abbreviations, hyphenated words and numbers whole', () => {
    const tokens = tokenize('The U.S.-led Asia-Pacific plan costs $1,000.5 and Mr. Smith’s don’t.').map((t) => t.text);
    assert.deepEqual(tokens, ['The', 'U.S.-led', 'Asia-Pacific', 'plan', 'costs', '$', '1,000.5', 'and', 'Mr.', 'Smith', '’s', 'do', 'n’t', '.']);
  });

  it('reads CoNLL-style space-separated tokens back as the same tokens', () => {
    const line = "Germany 's representative to the European Union 's veterinary committee , Werner Zwingmann , said on Wednesday .";
    assert.deepEqual(
      tokenize(line).map((t) => t.text),
      line.split(' '),
    );
  });

  it('splits sentences at final marks and line breaks but not after an abbreviation', () => {
    const text = 'Mr. Hayashi spoke. “This causes concern,” he said.\nA new line';
    const tokens = tokenize(text);
    const sentences = splitSentences(text, tokens).map((s) => tokens.slice(s.first, s.last).map((t) => t.text).join(' '));
    assert.deepEqual(sentences, ['Mr. Hayashi spoke .', '“ This causes concern , ” he said .', 'A new line']);
  });
});

describe('recognizeEntities on the seed articles', () => {
  it('keeps text === input.slice(start, end) for every span of every seed file', () => {
    for (const file of seedFiles) {
      const text = readFileSync(join(corpusDir, file), 'utf8');
      const spans = recognizeEntities(text);
      assert.ok(spans.length > 0, `${file}: no entities`);
      let previousEnd = 0;
      for (const span of spans) {
        assert.equal(text.slice(span.start, span.end), span.text, `${file}: ${JSON.stringify(span)}`);
        assert.ok(span.start >= previousEnd && span.end > span.start, `${file}: spans overlap or are empty`);
        assert.ok(['person', 'organization', 'place', 'other'].includes(span.kind));
        previousEnd = span.end;
      }
    }
  });

  it('finds Song Zhongping and the surname-only "Song warned" in the Global Times article', () => {
    const text = seed('000_');
    const people = spansOf(text, 'person');
    assert.ok(people.includes('Song Zhongping'));
    const warned = text.indexOf('Song warned');
    assert.ok(recognizeEntities(text).some((e) => e.kind === 'person' && e.start === warned && e.text === 'Song'));
  });

  it('finds Kishida in "Prime Minister Fumio Kishida’s administration" without the possessive', () => {
    const sentence = sentenceWith(seed('000_'), 'Kishida’s administration');
    assert.ok(spansOf(sentence, 'person').includes('Fumio Kishida'));
  });

  it('finds Lin Jian after "Chinese Foreign Ministry spokesman" and keeps "Chinese" as other', () => {
    const sentence = sentenceWith(seed('001_'), 'spokesman Lin Jian');
    const spans = recognizeEntities(sentence);
    assert.ok(spans.some((e) => e.kind === 'person' && e.text === 'Lin Jian'));
    assert.ok(!spans.some((e) => e.kind === 'person' && /Chinese|Ministry/.test(e.text)));
    assert.ok(spans.some((e) => e.kind === 'other' && e.text === 'Chinese'));
  });

  it('finds Kim Jong Un and Kyodo News in the Kyodo report', () => {
    const sentence = sentenceWith(seed('001_'), 'leader Kim Jong Un');
    assert.ok(spansOf(sentence, 'person').includes('Kim Jong Un'));
    assert.ok(spansOf(sentence, 'organization').includes('Kyodo News'));
  });

  it('finds Yoshimasa Hayashi and the later surname-only "Hayashi said"', () => {
    const text = seed('001_');
    const people = spansOf(text, 'person');
    assert.ok(people.includes('Yoshimasa Hayashi'));
    assert.ok(people.includes('Hayashi'));
  });

  it('returns only "Lloyd Austin" as the person in "US Secretary of Defense Lloyd Austin"', () => {
    const sentence = sentenceWith(seed('004_'), 'US Secretary of Defense Lloyd Austin');
    const people = spansOf(sentence, 'person');
    assert.ok(people.includes('Lloyd Austin'));
    assert.ok(!people.some((p) => p.includes('Secretary') || p.includes('Defense')));
  });

  it('finds the Yomiuri Shimbun (without "the") and Kyodo News Agency as organisations', () => {
    const sentence = sentenceWith(seed('003_'), 'the Yomiuri Shimbun and other media');
    const orgs = spansOf(sentence, 'organization');
    assert.ok(orgs.includes('Yomiuri Shimbun'));
    assert.ok(orgs.some((o) => o.startsWith('Kyodo News')));
  });

  it('finds the Global Times and the Pentagon as organisations', () => {
    assert.ok(spansOf(sentenceWith(seed('000_'), 'told the Global Times on Thursday'), 'organization').includes('Global Times'));
    assert.ok(spansOf(sentenceWith(seed('004_'), 'The Pentagon master'), 'organization').includes('Pentagon'));
  });

  it('does not take nationality adjectives for people', () => {
    const people = seedFiles.flatMap((f) => spansOf(readFileSync(join(corpusDir, f), 'utf8'), 'person'));
    for (const word of ['Chinese', 'Japanese', 'Russian', 'American']) assert.ok(!people.includes(word), word);
  });
});

describe('recognizeEntities on small inputs', () => {
  it('returns nothing for empty or entity-free text', () => {
    assert.deepEqual(recognizeEntities(''), []);
    assert.deepEqual(recognizeEntities('   \n\n '), []);
    assert.deepEqual(
      recognizeEntities('the missiles were moved south toward the ocean.').filter((e: EntitySpan) => e.kind === 'person'),
      [],
    );
  });

  it('keeps only the name as the person after a long capitalised title', () => {
    const spans = recognizeEntities('White House National Security Advisor Jake Sullivan said in December that the policy will help.');
    const people = spans.filter((e) => e.kind === 'person').map((e) => e.text);
    assert.deepEqual(people, ['Jake Sullivan']);
  });

  it('leaves a courtesy title out of the person span', () => {
    const text = 'The games designer Peter Molyneux was honoured. Mr Molyneux said he was delighted.';
    const people = recognizeEntities(text).filter((e) => e.kind === 'person').map((e) => e.text);
    assert.deepEqual(people, ['Peter Molyneux', 'Molyneux']);
  });

  it('reads CoNLL-style space-separated tokens', () => {
    const spans = recognizeEntities('Japan \'s Prime Minister Fumio Kishida met Joe Biden in Washington on Friday .');
    assert.ok(spans.some((e) => e.kind === 'person' && e.text === 'Fumio Kishida'));
    assert.ok(spans.some((e) => e.kind === 'person' && e.text === 'Joe Biden'));
    assert.ok(spans.some((e) => e.kind === 'place' && e.text === 'Washington'));
  });
});

describe('the NER model', () => {
  it('loads from models/ in well under a second and has two trained stages', () => {
    const started = performance.now();
    const model = loadModelFile(findModelFile());
    const ms = performance.now() - started;
    assert.ok(ms < 1000, `loading took ${ms.toFixed(0)} ms`);
    assert.equal(model.stages.length, 2);
    for (const stage of model.stages) assert.ok(stage.featureIndex.size > 10_000);
    assert.ok(model.lexicons.gazetteer.size > 1000);
  });

  it('is loaded once and reused', () => {
    assert.equal(loadNerModel(), loadNerModel());
  });
});
