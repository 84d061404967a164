import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSavedEntity, savedEntityJson } from '../../src/engine/entity-codec.js';
import { analyseDocument } from '../../src/analysis/document-analysis.js';
import type { DocumentEntity } from '../../src/analysis/people.js';
import { loadCorpus } from '../../src/corpus/load.js';
import { CORPUS } from '../helpers.js';

test('entity codec: every entity of the seed corpus reads back equal, fields in the same order, in under half the JSON', async () => {
  const { documents } = await loadCorpus(CORPUS);
  let plain = 0;
  let saved = 0;
  let entities = 0;
  for (const document of documents) {
    for (const entity of analyseDocument(document).entities) {
      const json = savedEntityJson(entity, document.text);
      const back = readSavedEntity(json, document.text);
      assert.deepEqual(back, entity);
      assert.deepEqual(Object.keys(back), Object.keys(entity));
      plain += JSON.stringify(entity).length;
      saved += json.length;
      entities++;
    }
  }
  assert.ok(entities > 50);
  assert.ok(saved * 2 < plain, `${saved} of ${plain} characters`);
});

test('entity codec: spans that are not the document’s own text, spans with more fields and other entity fields are kept as they are', () => {
  const text = 'Ms Aiko Tanaka, the defence minister, said so. Reporting by Ken Sato.';
  const entity = {
    name: 'Aiko Tanaka',
    kind: 'person',
    aliases: ['Tanaka'],
    mentions: [
      { start: 3, end: 14, text: 'Aiko Tanaka' },
      { start: 8, end: 14, text: 'TANAKA' },
    ],
    descriptions: [{ start: 20, end: 36, text: 'defence minister', role: 'minister' }],
    extra: { note: 1 },
  } as unknown as DocumentEntity;
  const back = readSavedEntity(savedEntityJson(entity, text), text);
  assert.deepEqual(back, entity);
  const plainSpans: DocumentEntity = { name: 'Ken Sato', kind: 'person', aliases: [], mentions: [{ start: 60, end: 68, text: 'Ken Sato' }], descriptions: [] };
  assert.equal(savedEntityJson(plainSpans, text), '["Ken Sato","person",[],[60,8],[]]');
  assert.throws(() => readSavedEntity('{"name":"x"}', text), /saved form/);
});
