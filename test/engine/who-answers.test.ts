/**
 * /who answers are kept once made, made ahead in the background for the most
 * mentioned names (EntityIndex.answerSteps), and made again only for the
 * entities a change touches. Each test compares the kept answers with those of
 * a table built from scratch over the same documents.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseDocument } from '../../src/analysis/document-analysis.js';
import { Briefing } from '../../src/engine/briefing.js';
import { EntityIndex } from '../../src/engine/who.js';
import { runSteps } from '../../src/steps.js';
import type { CorpusDocument } from '../../src/types.js';
import { documentOf } from '../helpers.js';

// Made-up articles: each names two of five people, so every change touches some entities and not others.
const PEOPLE = ['Maria Okafor', 'Tomas Lindqvist', 'Aiko Brandt', 'Rafael Moreno', 'Helen Achebe'];

function article(n: number): string {
  const who = PEOPLE[n % PEOPLE.length]!;
  const other = PEOPLE[(n + 2) % PEOPLE.length]!;
  return [
    `---\ntitle: Port talks (${n})\noutlet: Test Wire\npublished: 2024-03-${String((n % 27) + 1).padStart(2, '0')}\n---`,
    `Port talks, round ${n}`,
    `${who}, the trade minister of the coastal alliance, met delegates on the shipping agreement.`,
    // From the sixth article on, the surname alone: a new one-word record joins the person in a later change.
    `${other}, a veteran negotiator, said the ports would reopen. ${n >= 5 ? who.split(' ')[1]! : who} agreed.`,
  ].join('\n\n');
}

const documents = Array.from({ length: 10 }, (_, i) => documentOf(`doc${i}.txt`, article(i)));
const analyses = documents.map(analyseDocument);
const QUERIES = [...PEOPLE, 'Okafor', 'Brandt', 'Lindqvst'];
const whoAll = (b: Briefing): unknown => QUERIES.map((q) => b.who(q));

test('answers kept across handed-over changes (asked, and made ahead) are those of a table built from scratch', async () => {
  let current = new Briefing(documents.slice(0, 5), undefined, analyses.slice(0, 5));
  for (let i = 5; i < documents.length; i++) {
    whoAll(current); // every answer made and kept
    runSteps(current.entities.answerSteps(1)); // and the background pass, as after a start or a change
    const keep = Int32Array.from({ length: i }, (_, k) => k);
    current = await current.withChanges(documents.slice(0, i + 1), keep, [{ docIndex: i, analysis: analyses[i]! }], { handOver: true });
    assert.ok(current.entitiesReady, 'the entity table (and its kept answers) was handed over');
    assert.deepEqual(whoAll(current), whoAll(new Briefing(documents.slice(0, i + 1), undefined, analyses.slice(0, i + 1))), `after doc${i}`);
  }
});

test('a document now under another path: the kept answers that cite it cite the new path, the others are kept', async () => {
  const base = new Briefing(documents.slice(0, 6), undefined, analyses.slice(0, 6));
  whoAll(base);
  const moved = documents.slice(0, 6);
  moved[1] = { ...documents[1]!, doc: 'a-copy.txt', paths: ['a-copy.txt', 'doc1.txt'] };
  const keep = Int32Array.from({ length: 6 }, (_, k) => k);
  const next = await base.withChanges(moved, keep, [], { handOver: true });
  assert.ok(next.entitiesReady);
  const answers = whoAll(next);
  assert.deepEqual(answers, whoAll(new Briefing(moved, undefined, analyses.slice(0, 6))));
  assert.ok(JSON.stringify(answers).includes('a-copy.txt'), 'the moved document is cited under its new path');
});

test('an answer made in steps while a document is added (and someone asks meanwhile) is not kept stale', () => {
  // One person in 80 documents: making their answer pauses several times (every 64 occurrences read).
  const text = (n: number): string => `---\ntitle: Brief ${n}\npublished: 2024-01-02\n---\n\nMaria Okafor, the trade minister, spoke on the port plan ${n}.`;
  const many = Array.from({ length: 80 }, (_, i) => documentOf(`m${i}.txt`, text(i)));
  const entities = many.map((d) => analyseDocument(d).entities);
  assert.ok(entities.every((list) => list.some((e) => e.name === 'Maria Okafor')), 'each document names her');
  const index = new EntityIndex(many.slice(0, 79), entities.slice(0, 79));
  const steps = index.answerSteps(1);
  steps.next(); // part-way through her occurrences
  index.add(79, many[79]!, entities[79]!);
  assert.equal(index.who('Maria Okafor').match?.documents.length, 80, 'asked meanwhile: the answer counts the new document');
  runSteps(steps);
  const fresh = new EntityIndex(many, entities);
  assert.deepEqual(index.who('Maria Okafor'), fresh.who('Maria Okafor'));
});

test('the background pass makes answers for the most mentioned names only, the same as asking', () => {
  const index = new EntityIndex(documents, analyses.map((a) => a.entities));
  const fresh = new EntityIndex(documents, analyses.map((a) => a.entities));
  // Each person is named in several documents; a threshold above everyone's mentions makes nothing.
  runSteps(index.answerSteps(1_000_000));
  assert.equal((index as unknown as { matchCache: Map<number, unknown> }).matchCache.size, 0);
  runSteps(index.answerSteps(1));
  assert.ok((index as unknown as { matchCache: Map<number, unknown> }).matchCache.size >= PEOPLE.length);
  for (const q of QUERIES) assert.deepEqual(index.who(q), fresh.who(q), q);
});

test('suggestions: the best few, kept as they come, are the first of the full order', () => {
  // 400 organisations whose names share beginnings, with uneven mentions (ties included), one document each.
  let seed = 11;
  const random = (): number => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const letters = 'aeilmnorstu';
  const docs: CorpusDocument[] = [];
  const lists: { name: string; kind: 'organization'; aliases: string[]; mentions: { start: number; end: number; text: string }[]; descriptions: [] }[][] = [];
  for (let i = 0; i < 400; i++) {
    const word = `Sa${Array.from({ length: 3 }, () => letters[Math.floor(random() * letters.length)]).join('')}`;
    const name = `${word} ${random() < 0.5 ? 'Holdings' : 'Trust'}`;
    const times = 1 + Math.floor(random() * 4);
    const body = Array.from({ length: times }, () => `${name} said the harbour plan would go ahead next spring.`).join(' ');
    const header = `---\ntitle: Note ${i}\npublished: 2024-01-02\n---\n\n`;
    const document = documentOf(`s${i}.txt`, header + body);
    const mentions: { start: number; end: number; text: string }[] = [];
    for (let at = document.text.indexOf(name); at >= 0; at = document.text.indexOf(name, at + 1)) mentions.push({ start: at, end: at + name.length, text: name });
    assert.ok(mentions.length >= times, name);
    docs.push(document);
    lists.push([{ name, kind: 'organization', aliases: [], mentions, descriptions: [] }]);
  }
  const index = new EntityIndex(docs, lists);
  const near = (key: string, limit?: number): number[] =>
    (index as unknown as { near(k: string, p: boolean, l?: number): { id: number }[] }).near(key, true, limit).map((r) => r.id);
  for (const key of ['sa', 'sam', 'sal', 'saeio', 'sa trust', 'samn holdings', 'sx']) {
    const all = near(key);
    for (const limit of [1, 5, 32]) assert.deepEqual(near(key, limit), all.slice(0, limit), `${key} / ${limit}`);
  }
  assert.ok(near('sa').length > 32, 'a short prefix reaches more names than a suggestion keeps');
});

test('a much-mentioned entity: after documents are appended its answer folds in only their occurrences, and equals a fresh build', () => {
  const texts = [
    ...Array.from({ length: 40 }, (_, i) => `Maria Okafor, the trade minister, spoke on the port plan ${i}.`),
    // Appended later: another description that comes to outnumber the first, and the surname alone.
    ...Array.from({ length: 45 }, (_, i) => `Maria Okafor, a veteran negotiator, met dockers ${i}. Okafor said the talks went well.`),
  ];
  const docs = texts.map((body, i) => documentOf(`t${String(i).padStart(2, '0')}.txt`, `---\ntitle: Note ${i}\npublished: 2024-01-02\n---\n\n${body}`));
  const entities = docs.map((d) => analyseDocument(d).entities);
  const index = new EntityIndex(docs.slice(0, 40), entities.slice(0, 40));
  const folds = { count: 0 };
  const table = index as unknown as { fold(...args: unknown[]): void };
  const fold = table.fold.bind(index);
  table.fold = (...args: unknown[]) => {
    folds.count++;
    fold(...args);
  };
  const before = index.who('Maria Okafor').match!;
  assert.equal(before.documents.length, 40);
  assert.equal(folds.count, 40);
  for (let i = 40; i < docs.length; i += 15) {
    for (let k = i; k < Math.min(i + 15, docs.length); k++) index.add(k, docs[k]!, entities[k]!);
    folds.count = 0;
    const answer = index.who('Maria Okafor');
    assert.ok(folds.count <= 30, `only the new documents' occurrences are folded (${folds.count})`);
    const upTo = Math.min(i + 15, docs.length);
    assert.deepEqual(answer, new EntityIndex(docs.slice(0, upTo), entities.slice(0, upTo)).who('Maria Okafor'), `after ${upTo} documents`);
  }
  assert.equal(index.who('Maria Okafor').match!.descriptions[0]!.text, 'a veteran negotiator', 'the ranking of descriptions moved with the new documents');
  // A removal is no append, even when a document added with it leaves as many occurrences: folded again from every one.
  const last = documentOf('u.txt', '---\ntitle: Late note\npublished: 2024-01-03\n---\n\nMaria Okafor, a veteran negotiator, left early.');
  const lastEntities = analyseDocument(last).entities;
  index.remove(3);
  index.add(docs.length, last, lastEntities);
  const all = [...docs, last];
  const fresh = new EntityIndex(all, all.map((_, i) => (i === 3 ? [] : i === docs.length ? lastEntities : entities[i]!)));
  assert.deepEqual(index.who('Maria Okafor'), fresh.who('Maria Okafor'));
  assert.ok(!index.who('Maria Okafor').match!.documents.includes('t03.txt'), 'the removed document is no longer cited');
});
