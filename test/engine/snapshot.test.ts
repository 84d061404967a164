import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LiveBriefing } from '../../src/engine/live.js';
import { Briefing } from '../../src/engine/briefing.js';
import { ANALYSIS_VERSION } from '../../src/engine/analysis-cache.js';
import { CHUNK_BYTES, readSnapshot, releaseHeldTexts, SectionSink, SNAPSHOT_FILE, SnapshotSuperseded, writeSnapshot } from '../../src/engine/snapshot.js';
import { CORPUS, tempCorpus } from '../helpers.js';
import type { CorpusDocument } from '../../src/types.js';

const QUERIES = ['Tomahwk', 'joint headquarters command in Japan', 'Kish', 'North Korea missile test', 'Lin Jian', 'treaty'];

/** The seed corpus built and saved by a LiveBriefing, then opened and read in full. */
async function savedSeedSnapshot() {
  const cacheDir = mkdtempSync(join(tmpdir(), 'sitrep-snapshot-'));
  await new LiveBriefing(CORPUS, { cacheDir }).refresh();
  const expected = { corpusDir: resolve(CORPUS), analysisVersion: ANALYSIS_VERSION, loadOptions: JSON.stringify({ maxFileBytes: null }) };
  const opened = await readSnapshot(join(cacheDir, SNAPSHOT_FILE), expected);
  assert.ok(opened);
  await opened.loadRest();
  return { opened, expected };
}

/** How many of a snapshot Briefing's entities are kept parsed (`fresh`: the same documents built, for the counts). */
function keptEntities(saved: Briefing, fresh: Briefing): number {
  type Kept = { isKept(i: number): boolean } & unknown[];
  const lists = saved.entitiesByDoc as unknown as Kept;
  let kept = 0;
  for (let i = 0; i < saved.documents.length; i++) {
    if (!lists.isKept(i)) continue;
    const items = lists[i] as unknown as Kept;
    for (let k = 0; k < fresh.entitiesByDoc[i]!.length; k++) if (items.isKept(k)) kept++;
  }
  return kept;
}

test('a saved snapshot answers every command exactly as the fresh build it was saved from', async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'sitrep-snapshot-'));
  const fresh = new LiveBriefing(CORPUS, { cacheDir, keepBuilt: true });
  await fresh.refresh();
  assert.equal(fresh.source, 'built');
  assert.ok(existsSync(join(cacheDir, SNAPSHOT_FILE)));

  const saved = await readSnapshot(join(cacheDir, SNAPSHOT_FILE), { corpusDir: resolve(CORPUS), analysisVersion: ANALYSIS_VERSION, loadOptions: JSON.stringify({ maxFileBytes: null }) });
  assert.ok(saved);
  const loaded = saved.briefing;
  // Before the background reads: exact and prefix lookups answer from the saved order of the vocabulary.
  for (const q of ['Kish', 'Tomah', 'joint headquarters command in Japan', 'treaty', 'North Korea missile test']) assert.deepEqual(loaded.search(q), fresh.briefing.search(q), q);
  await saved.loadRest();
  // Saved documents decode their text and structure when read: compared field by field.
  const fields = (d: CorpusDocument) => ({ doc: d.doc, paths: d.paths, text: d.text, encoding: d.encoding, meta: d.meta, bodyStart: d.bodyStart, hash: d.hash, mtimeMs: d.mtimeMs, blocks: d.blocks, paragraphs: d.paragraphs, sentences: d.sentences });
  assert.deepEqual(loaded.documents.map(fields), fresh.briefing.documents.map(fields));
  assert.deepEqual([...loaded.entitiesByDoc], [...fresh.briefing.entitiesByDoc]);
  assert.deepEqual([...loaded.quotesByDoc], [...fresh.briefing.quotesByDoc]);
  const plain = (entries: { terms: unknown }[]) => entries.map((e) => ({ ...e, terms: null }));
  assert.deepEqual(plain(loaded.timelineTable.flat()), plain(fresh.briefing.timelineTable.flat()));
  assert.deepEqual(loaded.index.toBinary(), fresh.briefing.index.toBinary());

  const restarted = new LiveBriefing(CORPUS, { cacheDir });
  await restarted.start();
  assert.equal(restarted.source, 'saved');
  const a = restarted.briefing;
  const b: Briefing = fresh.briefing;
  for (const q of QUERIES) assert.deepEqual(a.search(q), b.search(q), q);
  assert.deepEqual(a.related('Japan wants to buy 500 Tomahawks by 2027'), b.related('Japan wants to buy 500 Tomahawks by 2027'));
  assert.deepEqual(a.sources(), b.sources());
  assert.deepEqual(a.who('Lin Jian'), b.who('Lin Jian'));
  assert.deepEqual(a.timeline(), b.timeline());
  assert.deepEqual(a.quote({ topic: 'missiles' }), b.quote({ topic: 'missiles' }));
  assert.deepEqual(restarted.warnings(), fresh.warnings());

  // The background verification finds nothing to change.
  const verified = await restarted.refresh();
  assert.equal(verified.changed, false);
  assert.equal(restarted.source, 'saved');
});

const article = (place: string): string =>
  `Talks in ${place}\n\nOfficials from Japan and the United States met in ${place} to discuss missile deployments, the ministry said.\n`;

test('a stale snapshot (a file changed since) answers at once but is verified and replaced, not used blindly', async () => {
  const dir = tempCorpus({ 'a.txt': article('Tokyo'), 'b.txt': article('Seoul') });
  const cacheDir = mkdtempSync(join(tmpdir(), 'sitrep-snapshot-'));
  await new LiveBriefing(dir, { cacheDir }).refresh();

  writeFileSync(join(dir, 'a.txt'), article('Osaka'));
  utimesSync(join(dir, 'a.txt'), new Date(), new Date(Date.now() + 5000));
  writeFileSync(join(dir, 'c.txt'), article('Manila'));

  // A bot answers from the saved snapshot at once, then the verification swaps in the new state.
  const bot = new LiveBriefing(dir, { cacheDir });
  await bot.start();
  assert.equal(bot.source, 'saved');
  const verified = await bot.refresh();
  assert.deepEqual(verified.updated, ['a.txt']);
  assert.deepEqual(verified.added, ['c.txt']);
  assert.equal(bot.source, 'built');
  assert.ok(bot.briefing.search('Osaka').results.length > 0);
  assert.ok(bot.briefing.search('Manila').results.length > 0);
  assert.deepEqual(bot.briefing.search('Tokyo').results, []);

  // A one-off command (refresh) verifies before answering; the rebuilt snapshot was saved again.
  writeFileSync(join(dir, 'b.txt'), article('Hanoi'));
  utimesSync(join(dir, 'b.txt'), new Date(), new Date(Date.now() + 10000));
  const cli = new LiveBriefing(dir, { cacheDir });
  const outcome = await cli.refresh();
  assert.deepEqual(outcome.updated, ['b.txt']);
  assert.deepEqual(cli.briefing.search('Seoul').results, []);
  assert.ok(cli.briefing.search('Hanoi').results.length > 0);
  assert.ok(cli.briefing.search('Osaka').results.length > 0);
});

test('a snapshot is ignored when damaged, or written for another analysis version or corpus folder', async () => {
  const dir = tempCorpus({ 'a.txt': article('Tokyo') });
  const cacheDir = mkdtempSync(join(tmpdir(), 'sitrep-snapshot-'));
  await new LiveBriefing(dir, { cacheDir }).refresh();
  const path = join(cacheDir, SNAPSHOT_FILE);
  const expected = { corpusDir: resolve(dir), analysisVersion: ANALYSIS_VERSION, loadOptions: JSON.stringify({ maxFileBytes: null }) };
  assert.ok(await readSnapshot(path, expected));
  assert.equal(await readSnapshot(path, { ...expected, analysisVersion: 'other' }), null);
  assert.equal(await readSnapshot(path, { ...expected, corpusDir: '/elsewhere' }), null);
  assert.equal(await readSnapshot(path, { ...expected, loadOptions: JSON.stringify({ maxFileBytes: 10 }) }), null);

  const bytes = readFileSync(path);
  writeFileSync(path, bytes.subarray(0, bytes.byteLength - 100));
  assert.equal(await readSnapshot(path, expected), null);
  const live = new LiveBriefing(dir, { cacheDir });
  await live.start();
  assert.equal(live.source, 'built');
  assert.ok(live.briefing.search('Tokyo').results.length > 0);
});

test('a section found damaged after the start (its bounds were fine) drops the snapshot: the corpus is built again while search keeps answering', async () => {
  const dir = tempCorpus({ 'a.txt': article('Tokyo'), 'b.txt': 'Port visit\n\nOn 3 May 2024 the destroyer visited Manila, the navy said.\n' });
  const cacheDir = mkdtempSync(join(tmpdir(), 'sitrep-snapshot-'));
  await new LiveBriefing(dir, { cacheDir }).refresh();
  // Make the timeline's group counts disagree with its entries (same length, so the file still opens).
  const path = join(cacheDir, SNAPSHOT_FILE);
  const bytes = readFileSync(path);
  const headerLength = bytes.readUInt32LE(8);
  const header = JSON.parse(bytes.toString('utf8', 12, 12 + headerLength)) as { sections: Record<string, { offset: number; byteLength: number }> };
  const others = header.sections['timeline.others']!;
  assert.ok(others.byteLength >= 4, 'the corpus has a dated event');
  bytes.writeUInt32LE(1000, Math.ceil((12 + headerLength) / 8) * 8 + others.offset);
  writeFileSync(path, bytes);

  const errors: string[] = [];
  const log = { info() {}, warn() {}, debug() {}, error: (message: string) => errors.push(message), child() { return log; } };
  const live = new LiveBriefing(dir, { cacheDir, log: log as never });
  await live.start();
  assert.equal(live.source, 'saved');
  assert.ok(live.briefing.search('Tokyo').results.length > 0, 'search answers before the damage is found');
  const source = (): string | null => live.source;
  for (let n = 0; n < 200 && source() !== 'built'; n++) await new Promise((resolve) => setTimeout(resolve, 25));
  assert.equal(source(), 'built', 'built again from the files');
  assert.match(errors.join('\n'), /damaged/);
  assert.equal(live.briefing.timeline().events.length > 0, true);
  await live.close();
});

test('saving a snapshot started from another reads its analyses without keeping them parsed, and saves them unchanged', async () => {
  const { opened: first, expected } = await savedSeedSnapshot();
  type Kept = { isKept(i: number): boolean };
  const kept = first.briefing.entitiesByDoc as unknown as Kept & unknown[];
  // An answer read one entity of the first document (as a /who citing it does): only that one is parsed.
  void (kept[0] as unknown[])[0];
  const partly = kept[0] as unknown as Kept & unknown[];
  assert.ok(partly.length > 1);
  const copyDir = mkdtempSync(join(tmpdir(), 'sitrep-snapshot-'));
  await writeSnapshot(join(copyDir, SNAPSHOT_FILE), { ...expected, files: first.files, briefing: first.briefing });
  const count = first.briefing.documents.length;
  for (let i = 1; i < count; i++) assert.equal(kept.isKept(i), false, `document ${i}'s entities were kept parsed by the save`);
  for (let k = 1; k < partly.length; k++) assert.equal(partly.isKept(k), false, `entity ${k} of the document read in part was kept parsed by the save`);
  const second = await readSnapshot(join(copyDir, SNAPSHOT_FILE), expected);
  assert.ok(second);
  assert.deepEqual([...second.briefing.entitiesByDoc], [...first.briefing.entitiesByDoc]);
  assert.deepEqual([...second.briefing.quotesByDoc], [...first.briefing.quotesByDoc]);
  await second.loadRest();
});

/** A snapshot file's sections, by name, as bytes (read as the format lays them out: magic, header length, header, data). */
function sectionsOf(path: string): Map<string, Buffer> {
  const file = readFileSync(path);
  const headerLength = file.readUInt32LE(8);
  const header = JSON.parse(file.subarray(12, 12 + headerLength).toString('utf8')) as { sections: Record<string, { offset: number; byteLength: number }> };
  const dataStart = Math.ceil((12 + headerLength) / 8) * 8;
  return new Map(Object.entries(header.sections).map(([name, { offset, byteLength }]) => [name, file.subarray(dataStart + offset, dataStart + offset + byteLength)]));
}

test('a snapshot saved from another after removals and additions holds, section for section, what one saved from a fresh build of its documents holds', async () => {
  const { documents } = await (await import('../../src/corpus/load.js')).loadCorpus(CORPUS);
  const { analyseDocument } = await import('../../src/analysis/document-analysis.js');
  const analyses = documents.map(analyseDocument);
  const n = documents.length;
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-snapshot-'));
  const expected = { corpusDir: resolve(CORPUS), analysisVersion: ANALYSIS_VERSION, loadOptions: JSON.stringify({ maxFileBytes: null }) };
  await writeSnapshot(join(dir, 'first.bin'), { ...expected, files: [], briefing: new Briefing(documents.slice(0, n - 1), undefined, analyses.slice(0, n - 1)) });
  const opened = await readSnapshot(join(dir, 'first.bin'), expected);
  assert.ok(opened);
  await opened.loadRest();
  // Document 1 removed, the last one added: the saved documents' texts, structure and entities are copied from the first file.
  const saved = opened.briefing;
  const keep = Int32Array.from({ length: n - 1 }, (_, i) => (i === 1 ? -1 : i < 1 ? i : i - 1));
  const kept = saved.documents.filter((_, i) => i !== 1);
  const changed = await saved.withChanges([...kept, documents[n - 1]!], keep, [{ docIndex: n - 2, analysis: analyses[n - 1]! }]);
  await writeSnapshot(join(dir, 'second.bin'), { ...expected, files: [], briefing: changed.withIndex(await changed.index.merged(changed.documents)) });
  const same = documents.map((_, i) => i).filter((i) => i !== 1);
  const fresh = new Briefing(same.map((i) => documents[i]!), undefined, same.map((i) => analyses[i]!));
  await writeSnapshot(join(dir, 'fresh.bin'), { ...expected, files: [], briefing: fresh });
  const second = sectionsOf(join(dir, 'second.bin'));
  const built = sectionsOf(join(dir, 'fresh.bin'));
  assert.deepEqual([...second.keys()].sort(), [...built.keys()].sort());
  for (const [name, bytes] of built) assert.ok(bytes.equals(second.get(name)!), `section ${name} differs`);
});

test('a snapshot written while a change hands the entity table over is given up, without building the table again, and the previous one stays', async () => {
  const { documents } = await (await import('../../src/corpus/load.js')).loadCorpus(CORPUS);
  const { analyseDocument } = await import('../../src/analysis/document-analysis.js');
  const analyses = documents.map(analyseDocument);
  const n = documents.length - 1;
  const base = new Briefing(documents.slice(0, n), undefined, analyses.slice(0, n));
  void base.entities;
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-snapshot-'));
  const path = join(dir, SNAPSHOT_FILE);
  const expected = { corpusDir: resolve(CORPUS), analysisVersion: ANALYSIS_VERSION, loadOptions: JSON.stringify({ maxFileBytes: null }) };
  await writeSnapshot(path, { ...expected, files: [], briefing: base });
  const before = readFileSync(path);
  const writing = writeSnapshot(path, { ...expected, files: [], briefing: base });
  // A new article arrives while the snapshot is written: the next Briefing takes the entity table over and extends it.
  const next = await base.withChanges(documents, Int32Array.from({ length: n }, (_, i) => i), [{ docIndex: n, analysis: analyses[n]! }], { handOver: true });
  assert.ok(next.entitiesReady);
  await assert.rejects(writing, SnapshotSuperseded, 'a table of another state is not saved with this one');
  assert.equal(base.entitiesReady, false, 'the saved Briefing did not build a second entity table for the snapshot');
  assert.deepEqual(readFileSync(path), before, 'the previous snapshot stays as it was');
  const saved = await readSnapshot(path, expected);
  assert.ok(saved);
  await saved.loadRest();
  const fresh = new Briefing(documents.slice(0, n), undefined, analyses.slice(0, n));
  for (const name of ['Lin Jian', 'Kishida', 'Hegseth', 'Japan', 'Nobody Here']) assert.deepEqual(saved.briefing.who(name), fresh.who(name), name);
  // The next state's save goes through (once its index is merged, as the live engine saves).
  await writeSnapshot(path, { ...expected, files: [], briefing: next.withIndex(await next.index.merged(next.documents)) });
  const after = await readSnapshot(path, expected);
  assert.ok(after);
  await after.loadRest();
  assert.deepEqual(after.briefing.who('Lin Jian'), next.who('Lin Jian'));
});

test('a whole-corpus brief from a snapshot reads every document’s entities without keeping them all parsed', async () => {
  const { opened } = await savedSeedSnapshot();
  const fresh = new Briefing(opened.briefing.documents);
  assert.deepEqual(opened.briefing.brief(), fresh.brief());
  type Kept = { isKept(i: number): boolean } & unknown[];
  const lists = opened.briefing.entitiesByDoc as unknown as Kept;
  let kept = 0;
  let total = 0;
  for (let i = 0; i < opened.briefing.documents.length; i++) {
    const n = fresh.entitiesByDoc[i]!.length;
    total += n;
    if (!lists.isKept(i)) continue;
    const items = lists[i] as unknown as Kept;
    for (let k = 0; k < n; k++) if (items.isKept(k)) kept++;
  }
  // Only the entities an answer cites (a speaker's description) stay parsed, not every document's every entity.
  assert.ok(kept < total / 2, `${kept} of ${total} entities kept parsed`);
});

test('/who answers from a snapshot read the entities they fold without keeping them parsed, and equal a fresh build’s', async () => {
  const { opened } = await savedSeedSnapshot();
  const fresh = new Briefing(opened.briefing.documents);
  const names = fresh.entities.names();
  for (const name of names) assert.deepEqual(opened.briefing.who(name), fresh.who(name), name);
  const kept = keptEntities(opened.briefing, fresh);
  assert.ok(names.length > 20);
  assert.equal(kept, 0, 'answering every name kept no entity parsed');
});

test('the saved entity table is handed to the first table revived from it; a second table over the same documents, asked for once the file is closed, merges again and answers the same', async () => {
  const { opened } = await savedSeedSnapshot();
  const fresh = new Briefing(opened.briefing.documents);
  const twin = opened.briefing.withIndex(opened.briefing.index);
  const names = fresh.entities.names();
  assert.ok(names.length > 20);
  for (const briefing of [opened.briefing, twin]) {
    assert.deepEqual(briefing.entities.names(), names);
    for (const name of names) assert.deepEqual(briefing.who(name), fresh.who(name), name);
  }
  // The second table was merged again from the snapshot's entities: read without keeping them parsed (as after a removal).
  assert.equal(keptEntities(opened.briefing, fresh), 0, 'merging the table again kept no entity parsed');
});

test('sections are written through one buffer of about a megabyte, byte for byte what their strings encode to one by one, each at an 8-byte boundary', async () => {
  const strings = Array.from({ length: 3000 }, (_, i) => `${i}: Ōtsu – “missile” ${'é'.repeat(i % 700)} 🚀 ${'x'.repeat(i % 1300)}`);
  // A lone surrogate at the end of one string and its pair opening the next: joined, they would make one character.
  strings.splice(1500, 0, 'ends high \uD83D', '\uDE80 starts low');
  const raw = Buffer.from('bytes copied as they are, €');
  const big = Buffer.alloc(CHUNK_BYTES * 2 + 3, 7);
  // Over half the buffer: written as it is, after what the buffer holds.
  const medium = Buffer.alloc(Math.ceil(CHUNK_BYTES * 0.6), 9);
  const typed = Float64Array.from({ length: 1001 }, (_, i) => i / 3);
  const file = Buffer.alloc(8 * CHUNK_BYTES);
  const writes: number[] = [];
  const handle = {
    async write(bytes: Uint8Array, offset: number, length: number, position: number) {
      file.set(bytes.subarray(offset, offset + length), position);
      writes.push(length);
      return { bytesWritten: length, buffer: bytes };
    },
  };
  const sink = new SectionSink(handle as never, 40);
  await sink.begin('strings', 'utf8');
  const lengths = [];
  for (const value of strings) lengths.push(await sink.string(value));
  await sink.whole('raw', 'utf8', raw);
  await sink.whole('big', 'u8', big);
  await sink.whole('small', 'utf8', raw);
  await sink.whole('medium', 'u8', medium);
  await sink.typed('typed', typed);
  const size = await sink.end();
  const expected = strings.map((value) => Buffer.from(value, 'utf8'));
  assert.deepEqual(lengths, expected.map((b) => b.byteLength));
  const section = (name: string): Buffer => {
    const entry = sink.table[name]!;
    assert.equal(entry.offset % 8, 0, `${name} starts at an 8-byte boundary`);
    return file.subarray(40 + entry.offset, 40 + entry.offset + entry.byteLength);
  };
  assert.deepEqual(section('strings'), Buffer.concat(expected));
  assert.deepEqual(section('raw'), raw);
  assert.deepEqual(section('big'), big);
  assert.deepEqual(section('small'), raw);
  assert.deepEqual(section('medium'), medium);
  assert.deepEqual(new Float64Array(section('typed').buffer.slice(section('typed').byteOffset, section('typed').byteOffset + typed.byteLength)), typed);
  assert.equal(size, sink.table.typed!.offset + typed.byteLength);
  assert.equal(file.subarray(0, 40).every((b) => b === 0), true, 'nothing written before the data start');
  // Gathered: a few writes of about a megabyte (and the large section written as it is), not one per string.
  const small = writes.filter((n) => n < CHUNK_BYTES / 2).length;
  assert.ok(writes.length < 14 && small <= 3, `writes: ${writes.join(', ')}`);
});

test('a snapshot whose sections span several buffers reads back every document, entity and quotation', async () => {
  const { documents } = await (await import('../../src/corpus/load.js')).loadCorpus(CORPUS);
  const { analyseDocument } = await import('../../src/analysis/document-analysis.js');
  const analyses = documents.map(analyseDocument);
  // Copies enough for several megabytes of text, each with a line of its own after the analysed text.
  const copies: CorpusDocument[] = [];
  const copyAnalyses = [];
  for (let copy = 0; copy < 150; copy++) {
    for (let i = 0; i < documents.length; i++) {
      const d = documents[i]!;
      copies.push({ ...d, doc: `${copy}/${d.doc}`, paths: [`${copy}/${d.doc}`], hash: `${copy}:${d.hash}`, text: `${d.text}\nCopy ${copy} – “${'é'.repeat(copy)}”\n` });
      copyAnalyses.push(analyses[i]!);
    }
  }
  const briefing = new Briefing(copies, undefined, copyAnalyses);
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-snapshot-'));
  const path = join(dir, SNAPSHOT_FILE);
  const expected = { corpusDir: resolve(CORPUS), analysisVersion: ANALYSIS_VERSION, loadOptions: JSON.stringify({ maxFileBytes: null }) };
  await writeSnapshot(path, { ...expected, files: [], briefing });
  const textBytes = copies.reduce((n, d) => n + Buffer.byteLength(d.text), 0);
  assert.ok(textBytes > 3 * CHUNK_BYTES, `${textBytes} bytes of text`);
  const saved = await readSnapshot(path, expected);
  assert.ok(saved);
  await saved.loadRest();
  const loaded = saved.briefing;
  assert.deepEqual(loaded.documents.map((d) => [d.doc, d.hash, d.text, d.meta]), copies.map((d) => [d.doc, d.hash, d.text, d.meta]));
  assert.deepEqual([...loaded.entitiesByDoc], [...briefing.entitiesByDoc]);
  assert.deepEqual([...loaded.quotesByDoc], [...briefing.quotesByDoc]);
  assert.deepEqual(loaded.who('Lin Jian'), briefing.who('Lin Jian'));
});

test('a save lets the event loop turn while it reads every document’s structure', async () => {
  const { documents } = await (await import('../../src/corpus/load.js')).loadCorpus(CORPUS);
  const { analyseDocument } = await import('../../src/analysis/document-analysis.js');
  const analyses = documents.map(analyseDocument);
  // Documents whose structure takes a moment to read, as a snapshot's documents decode it on each read.
  let watching = false;
  let ticks = 0;
  const reads: number[] = [];
  const copies: CorpusDocument[] = [];
  const copyAnalyses = [];
  for (let copy = 0; copy < 160; copy++) {
    for (let i = 0; i < documents.length; i++) {
      const d = documents[i]!;
      const copied: CorpusDocument = { ...d, doc: `${copy}/${d.doc}`, paths: [`${copy}/${d.doc}`], hash: `${copy}:${d.hash}` };
      Object.defineProperty(copied, 'blocks', {
        get() {
          if (watching) {
            const until = performance.now() + 0.2;
            while (performance.now() < until);
            reads.push(ticks);
          }
          return d.blocks;
        },
      });
      copies.push(copied);
      copyAnalyses.push(analyses[i]!);
    }
  }
  const briefing = new Briefing(copies, undefined, copyAnalyses);
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-snapshot-'));
  const expected = { corpusDir: resolve(CORPUS), analysisVersion: ANALYSIS_VERSION, loadOptions: JSON.stringify({ maxFileBytes: null }) };
  let running = true;
  const tick = (): void => {
    ticks++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  watching = true;
  try {
    await writeSnapshot(join(dir, SNAPSHOT_FILE), { ...expected, files: [], briefing });
  } finally {
    watching = false;
    running = false;
  }
  // Every pass over the documents' structure (the counts, then the copy) let the loop turn on the way.
  for (let pass = 0; pass * copies.length < reads.length; pass++) {
    const seen = reads.slice(pass * copies.length, (pass + 1) * copies.length);
    assert.ok(seen[seen.length - 1]! > seen[0]!, `pass ${pass + 1} over ${copies.length} documents (${(copies.length * 0.2).toFixed(0)} ms of reading) never yielded`);
  }
  assert.ok(reads.length >= 2 * copies.length, 'the structure was read twice (counts, then copy)');
});

test('documents of a snapshot read their texts from its file, also once a newer snapshot replaced it, and the file is closed when they are let go', async () => {
  const { setFlagsFromString } = await import('node:v8');
  const { runInNewContext } = await import('node:vm');
  const { readdirSync, readlinkSync, renameSync } = await import('node:fs');
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const openOn = (path: string): number => readdirSync('/proc/self/fd').filter((fd) => { try { return readlinkSync(`/proc/self/fd/${fd}`).startsWith(path); } catch { return false; } }).length;

  const cacheDir = mkdtempSync(join(tmpdir(), 'sitrep-snapshot-'));
  const fresh = new LiveBriefing(CORPUS, { cacheDir, keepBuilt: true });
  await fresh.refresh();
  const path = join(cacheDir, SNAPSHOT_FILE);
  const expected = { corpusDir: resolve(CORPUS), analysisVersion: ANALYSIS_VERSION, loadOptions: JSON.stringify({ maxFileBytes: null }) };
  const texts = fresh.briefing.documents.map((d) => d.text);
  await (async () => {
    const opened = await readSnapshot(path, expected);
    assert.ok(opened);
    await opened.loadRest();
    assert.deepEqual(opened.briefing.documents.map((d) => d.text), texts, 'the texts held for the start');
    // The start's work done, the texts are read from the file when asked.
    releaseHeldTexts(opened.briefing.documents);
    assert.equal(openOn(path), 1, 'the file stays open for the texts');
    // A newer snapshot (here a copy of a different briefing's) renamed over the file: the documents still read their own.
    const other = join(cacheDir, 'other.bin');
    const partial = new Briefing(fresh.briefing.documents.slice(1), undefined, fresh.briefing.documents.slice(1).map((_, i) => ({ dates: [], entities: [...fresh.briefing.entitiesByDoc[i + 1]!], quotes: [] })));
    await writeSnapshot(other, { ...expected, files: [], briefing: partial });
    renameSync(other, path);
    assert.deepEqual(opened.briefing.documents.map((d) => d.text), texts);
    // A new save of these documents (the save reads every text) is theirs.
    await writeSnapshot(path, { ...expected, files: opened.files, briefing: opened.briefing });
  })();
  const again = await readSnapshot(path, expected);
  assert.ok(again);
  assert.deepEqual(again.briefing.documents.map((d) => d.text), texts);
  await again.loadRest();
  // The first snapshot's documents are unreachable now: its file (replaced, so no longer under its path) is closed once collected.
  const deletedOpen = (): number => readdirSync('/proc/self/fd').filter((fd) => { try { return readlinkSync(`/proc/self/fd/${fd}`) === `${path} (deleted)`; } catch { return false; } }).length;
  for (let i = 0; i < 20 && deletedOpen() > 0; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.equal(deletedOpen(), 0, 'the replaced file was closed');
  assert.equal(openOn(path), 1, 'the open snapshot keeps its own file open');
  await fresh.close();
});

test('the start holds a snapshot’s texts until its work is done; after that a text is read from the file', async () => {
  const { truncateSync } = await import('node:fs');
  const cacheDir = mkdtempSync(join(tmpdir(), 'sitrep-snapshot-'));
  const fresh = new LiveBriefing(CORPUS, { cacheDir, keepBuilt: true });
  await fresh.refresh();
  const path = join(cacheDir, SNAPSHOT_FILE);
  const expected = { corpusDir: resolve(CORPUS), analysisVersion: ANALYSIS_VERSION, loadOptions: JSON.stringify({ maxFileBytes: null }) };
  const opened = await readSnapshot(path, expected);
  assert.ok(opened);
  await opened.loadRest();
  // The file cut short in place: the held texts do not need it.
  truncateSync(path, 64);
  const { documents } = opened.briefing;
  assert.deepEqual(documents.map((d) => d.text), fresh.briefing.documents.map((d) => d.text));
  releaseHeldTexts(documents);
  assert.throws(() => documents[documents.length - 1]!.text, /truncated/);
  await fresh.close();
});
