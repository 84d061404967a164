/**
 * The saved state a bot starts from: one file in CACHE_DIR holding
 * everything needed to answer, in forms that need (almost) no parsing:
 *
 * - the files it was built from (path, size, modification time; JSON);
 * - the documents: metadata (JSON), texts (UTF-8 with per-document byte
 *   offsets, decoded document by document), blocks, paragraphs and
 *   sentences (typed arrays, turned into objects only when a document's are
 *   first read);
 * - each document's entities and quotation mentions (JSON per document with
 *   every span's text left out where it is the document's own text at that
 *   range, parsed when first needed);
 * - the timeline table, grouped (typed arrays and a table of date values);
 * - the entity table as merged (src/engine/who.ts `toSnapshot`: typed arrays
 *   and string lists), revived without merging again;
 * - the search index's typed arrays.
 *
 * Layout: 8-byte magic, u32 header length, header JSON (versions, corpus
 * folder, section table; padded with spaces to the room the writer left for
 * it), then each section at an 8-byte aligned offset.
 * Reading is asynchronous and sliced: the file is read off the event loop
 * and decoded in steps that yield whenever a few milliseconds have passed,
 * so a bot answering from an older state (or its gateway) is never held up.
 *
 * Writing streams each section into a temporary file as it is made (a
 * document read from a snapshot has its text, structure and entities copied
 * from that file as bytes), then writes the header before them; the file is
 * flushed to disk (fsync) and then renamed over the old one, and the folder
 * is synced: a process stopped at any moment leaves either the previous
 * snapshot or the new one, never a mix. A snapshot is used only when its format, analysis version and corpus
 * folder match; whether the files are still the same is for the caller to
 * verify (LiveBriefing compares path, size and modification time).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Block, BlockRole, CorpusDocument, Paragraph, Sentence, TimelineDate } from '../types.js';
import type { DocumentEntity } from '../analysis/people.js';
import type { QuoteMention } from '../analysis/quotes/index.js';
import { BINARY_ARRAYS, SearchIndex, type IndexBinary } from '../index/search-index.js';
import { Briefing } from './briefing.js';
import { TimelineTable, type TimelineEntry } from './timeline.js';
import type { EntityIndex, EntityIndexSnapshot } from './who.js';
import { peekItem, registerPeek, registerSaved, savedItem } from './peek.js';
import { readSavedEntity, savedEntityJson } from './entity-codec.js';
import { detached } from '../corpus/detach.js';
import { runStepsAsync } from '../steps.js';

/** The entity table's sections: typed arrays, and string lists joined by NUL. */
const ENTITY_ARRAYS = ['kinds', 'lone', 'live', 'occurrenceStart', 'occurrenceDoc', 'occurrenceEntity', 'occurrenceKind', 'occurrenceMentions', 'keyStart', 'wordAliasStart', 'roleStart'] as const;
const ENTITY_STRINGS = ['occurrenceName', 'keys', 'wordAliases', 'roles'] as const;

const MAGIC = 'SRSNAP08';
export const SNAPSHOT_FILE = 'snapshot.bin';

const ROLES: readonly BlockRole[] = ['site', 'breadcrumb', 'headline', 'dateline', 'byline', 'bio', 'navigation', 'related', 'credit', 'heading', 'content'];
const ROLE_CODES = new Map(ROLES.map((r, i) => [r, i]));
/** Decoding yields to the event loop when a step has run this long. */
const STEP_BUDGET_MS = 8;

/** One file of the corpus folder as the snapshot saw it; `document` indexes `documents` (-1: skipped). */
export interface SnapshotFile {
  path: string;
  size: number;
  mtimeMs: number;
  document: number;
  warnings: string[];
}

export interface SnapshotContents {
  /** Absolute corpus folder the snapshot describes. */
  corpusDir: string;
  analysisVersion: string;
  /** Options that change what is read (the file size limit). */
  loadOptions: string;
  files: SnapshotFile[];
  /** The engine (documents, index and tables); its index must be in one segment. */
  briefing: Briefing;
}

export interface SnapshotExpectation {
  corpusDir: string;
  analysisVersion: string;
  loadOptions: string;
}

type SectionType = 'u8' | 'i32' | 'u32' | 'f32' | 'f64' | 'utf8';
interface SectionEntry {
  type: SectionType;
  offset: number;
  byteLength: number;
}
interface Header {
  corpusDir: string;
  analysisVersion: string;
  loadOptions: string;
  created: string;
  sections: Record<string, SectionEntry>;
}

/** Yields to the event loop when `budgetMs` has passed since the last yield. */
function pacer(budgetMs = STEP_BUDGET_MS): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < budgetMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    last = performance.now();
  };
}

/**
 * The writer's buffer: section bytes are gathered into it and written a megabyte at a time. One
 * buffer per article (a few kB) would come from the C heap's arena, and glibc keeps such an arena's
 * freed middle resident: one save at BBC x10 left the process 120 MB larger. A buffer this size is
 * mapped on its own (see MALLOC_MMAP_THRESHOLD_ in package.json) and given back when freed.
 */
export const CHUNK_BYTES = 1 << 20;

/**
 * JSON of a value with the text of every span `{start, end, text}` whose text
 * is the document's own at that range replaced by 0: the reader slices it
 * back. Key order is kept.
 */
function withoutSpanTexts(value: unknown, text: string): string {
  return JSON.stringify(value, function (this: unknown, key: string, v: unknown) {
    if (key === 'text' && typeof v === 'string' && this && typeof this === 'object') {
      const span = this as { start?: unknown; end?: unknown };
      if (typeof span.start === 'number' && typeof span.end === 'number' && text.slice(span.start, span.end) === v) return 0;
    }
    return v;
  });
}

/** Puts back the span texts `withoutSpanTexts` left out. */
function restoreSpanTexts(value: unknown, text: string): void {
  if (Array.isArray(value)) {
    for (const item of value) restoreSpanTexts(item, text);
    return;
  }
  if (!value || typeof value !== 'object') return;
  const span = value as Record<string, unknown>;
  if (span.text === 0 && typeof span.start === 'number' && typeof span.end === 'number') span.text = detached(text.slice(span.start, span.end));
  for (const key in span) {
    const inner = span[key];
    if (inner && typeof inner === 'object') restoreSpanTexts(inner, text);
  }
}

/** A snapshot given up because the engine changed while it was taken (the next state's save replaces it). */
export class SnapshotSuperseded extends Error {
  constructor() {
    super('the engine changed while the snapshot was taken');
    this.name = 'SnapshotSuperseded';
  }
}

/** The flat structure arrays of a snapshot (blocks, paragraphs, sentences of every document, in order). */
interface FlatStructure {
  blockStart: Uint32Array; blockEnd: Uint32Array; blockRole: Uint8Array;
  paragraphStart: Uint32Array; paragraphEnd: Uint32Array;
  sentenceStart: Uint32Array; sentenceEnd: Uint32Array; sentenceParagraph: Uint32Array;
}

/** Sections a header has room for (see HEADER_ROOM_PER_SECTION). */
const MAX_SECTIONS = 128;
/** Room in the header per section: its name (at most 48 bytes) and an entry of type, offset and length (75 bytes at most). */
const HEADER_ROOM_PER_SECTION = 128;
const MAX_SECTION_NAME = 48;

/**
 * Writes the sections of a snapshot one after the other into its open temporary file, as they are
 * made, after room left for the header (written last, padded with spaces, which JSON allows). Bytes
 * go through one buffer of CHUNK_BYTES, written when full: the writer holds about a section's
 * arrays at a time, not the whole file (at BBC ×10 the file is 150 MB, and holding it all took the
 * process from 440 to 800 MB during each save).
 */
export class SectionSink {
  readonly table: Record<string, SectionEntry> = {};
  private readonly buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  /** Bytes of the buffer not written yet. */
  private used = 0;
  /** Bytes of sections written to the file. */
  private written = 0;
  private current: SectionEntry | null = null;

  constructor(
    private readonly handle: Pick<FileHandle, 'write'>,
    /** Where the sections start: after the magic, the header's length and the room for the header. */
    readonly dataStart: number,
  ) {}

  /** Where the next byte goes, counted from `dataStart`. */
  private get position(): number {
    return this.written + this.used;
  }

  /** Starts a section at the next 8-byte boundary: the bytes given until the next `begin` are its content. */
  async begin(name: string, type: SectionType): Promise<void> {
    if (name in this.table || Buffer.byteLength(name) > MAX_SECTION_NAME || Object.keys(this.table).length >= MAX_SECTIONS) {
      throw new Error(`snapshot: section ${name} cannot be added to the header`);
    }
    const padding = Math.ceil(this.position / 8) * 8 - this.position;
    if (this.used + padding > this.buffer.byteLength) await this.flush();
    this.buffer.fill(0, this.used, (this.used += padding));
    this.current = this.table[name] = { type, offset: this.position, byteLength: 0 };
  }

  /** Writes what the buffer holds. */
  async flush(): Promise<void> {
    await this.put(this.buffer.subarray(0, this.used));
    this.written += this.used;
    this.used = 0;
  }

  private async put(bytes: Uint8Array): Promise<void> {
    let done = 0;
    while (done < bytes.byteLength) {
      const { bytesWritten } = await this.handle.write(bytes, done, bytes.byteLength - done, this.dataStart + this.written + done);
      done += bytesWritten;
    }
  }

  private section(): SectionEntry {
    if (!this.current) throw new Error('snapshot: bytes written outside a section');
    return this.current;
  }

  /** Appends bytes to the current section (copied into the buffer, or written as they are when large). */
  async bytes(bytes: Uint8Array): Promise<void> {
    const section = this.section();
    const large = bytes.byteLength > this.buffer.byteLength / 2;
    if (large || this.used + bytes.byteLength > this.buffer.byteLength) await this.flush();
    if (large) {
      await this.put(bytes);
      this.written += bytes.byteLength;
    } else {
      this.buffer.set(bytes, this.used);
      this.used += bytes.byteLength;
    }
    section.byteLength += bytes.byteLength;
  }

  /** Appends a string as UTF-8 to the current section; returns its length in bytes. */
  async string(value: string): Promise<number> {
    const section = this.section();
    const length = Buffer.byteLength(value, 'utf8');
    if (this.used + length > this.buffer.byteLength) await this.flush();
    if (length > this.buffer.byteLength) {
      await this.put(Buffer.from(value, 'utf8'));
      this.written += length;
    } else {
      this.used += this.buffer.write(value, this.used, 'utf8');
    }
    section.byteLength += length;
    return length;
  }

  async whole(name: string, type: SectionType, bytes: Uint8Array): Promise<void> {
    await this.begin(name, type);
    await this.bytes(bytes);
  }

  async typed(name: string, array: Uint8Array | Int32Array | Uint32Array | Float32Array | Float64Array): Promise<void> {
    const type: SectionType =
      array instanceof Uint8Array ? 'u8' : array instanceof Int32Array ? 'i32' : array instanceof Uint32Array ? 'u32' : array instanceof Float32Array ? 'f32' : 'f64';
    await this.whole(name, type, new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  }

  /** Writes what is left; returns the size of the data (from `dataStart`). */
  async end(): Promise<number> {
    await this.flush();
    return this.written;
  }
}

/** Where a document's saved form can be copied from: the snapshot it was read from (null: a document built here). */
function savedAt(document: CorpusDocument): { store: DocumentStore; i: number } | null {
  return document instanceof SnapshotDocument ? document.savedAt : null;
}

/** A document's text to encode saved items against (read once from its snapshot, not kept there). */
function textOnce(document: CorpusDocument): string {
  const at = savedAt(document);
  return at ? at.store.textOnce(at.i) : document.text;
}

/** Writes a snapshot (temporary file, fsync, rename, folder fsync). Returns its size in bytes; throws SnapshotSuperseded (nothing written) when the engine changed meanwhile. */
export async function writeSnapshot(path: string, contents: SnapshotContents): Promise<number> {
  // The entity table as it is now, held before the first pause: a change made while this snapshot is written may hand
  // the table over to the next Briefing (and extend it), and this one would then build a whole table again just to save it.
  const { briefing } = contents;
  const tableNow = briefing.entitiesReady ? briefing.entities : null;
  const table = { now: tableNow, changes: tableNow?.changeCount ?? 0 };
  const temporary = `${path}.${process.pid}.tmp`;
  let size = 0;
  try {
    const handle = await open(temporary, 'w');
    try {
      size = await writeSections(handle, contents, table);
      // On disk before it replaces the previous snapshot: a power cut cannot leave a renamed, empty file.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncFolder(dirname(path));
  return size;
}

/** Writes every section, then the header before them; returns the file's size. `table`: the entity table when the save began. */
async function writeSections(handle: FileHandle, contents: SnapshotContents, table: { now: EntityIndex | null; changes: number }): Promise<number> {
  const pause = pacer(20);
  const { briefing } = contents;
  const { documents } = briefing;

  const created = new Date().toISOString();
  const fixed = Buffer.byteLength(JSON.stringify({ corpusDir: contents.corpusDir, analysisVersion: contents.analysisVersion, loadOptions: contents.loadOptions, created, sections: {} }));
  const sink = new SectionSink(handle, Math.ceil((12 + fixed + MAX_SECTIONS * HEADER_ROOM_PER_SECTION) / 8) * 8);

  /** One UTF-8 section of per-document strings, with their byte offsets. */
  const perDocument = async (name: string, value: (d: CorpusDocument, i: number) => string): Promise<void> => {
    const offsets = new Float64Array(documents.length + 1);
    await sink.begin(name, 'utf8');
    for (let i = 0; i < documents.length; i++) {
      offsets[i + 1] = offsets[i]! + (await sink.string(value(documents[i]!, i)));
      if (i % 256 === 255) await pause();
    }
    await sink.typed(`${name}.offsets`, offsets);
  };
  /**
   * One UTF-8 section of per-document lists, a string per item: each item's byte offsets, and each
   * document's first item (a reader parses one item without the rest of its document's). `saved`
   * gives a document's items as the snapshot it was read from saved them, when they are held.
   */
  const perItem = async (name: string, items: (d: CorpusDocument, i: number) => string[], saved: (i: number) => readonly Uint8Array[] | null): Promise<void> => {
    const docStart = new Int32Array(documents.length + 1);
    const offsets: number[] = [0];
    await sink.begin(name, 'utf8');
    for (let i = 0; i < documents.length; i++) {
      const bytes = saved(i);
      if (bytes) {
        for (const item of bytes) {
          await sink.bytes(item);
          offsets.push(offsets[offsets.length - 1]! + item.byteLength);
        }
        docStart[i + 1] = docStart[i]! + bytes.length;
      } else {
        const strings = items(documents[i]!, i);
        for (const value of strings) offsets.push(offsets[offsets.length - 1]! + (await sink.string(value)));
        docStart[i + 1] = docStart[i]! + strings.length;
      }
      if (i % 256 === 255) await pause();
    }
    await sink.typed(`${name}.offsets`, Float64Array.from(offsets));
    await sink.typed(`${name}.docStart`, docStart);
  };

  await sink.whole('files', 'utf8', Buffer.from(JSON.stringify(contents.files)));
  await sink.begin('documents', 'utf8');
  await sink.string('[');
  for (let i = 0; i < documents.length; i++) {
    const d = documents[i]!;
    const meta = { doc: d.doc, paths: d.paths, encoding: d.encoding, meta: d.meta, bodyStart: d.bodyStart, hash: d.hash, mtimeMs: d.mtimeMs };
    await sink.string((i > 0 ? ',' : '') + JSON.stringify(meta));
    if (i % 200 === 199) await pause();
  }
  await sink.string(']');

  // The texts: a run of documents read from one snapshot, in its order, is copied from it as bytes (no text decoded).
  {
    const offsets = new Float64Array(documents.length + 1);
    const buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES);
    await sink.begin('text', 'utf8');
    let i = 0;
    while (i < documents.length) {
      const at = savedAt(documents[i]!);
      if (!at) {
        offsets[i + 1] = offsets[i]! + (await sink.string(documents[i]!.text));
        i++;
      } else {
        let j = i;
        let bytes = 0;
        for (;;) {
          const length = at.store.textByteLength(at.i + j - i);
          offsets[j + 1] = offsets[j]! + length;
          bytes += length;
          j++;
          const next = j < documents.length ? savedAt(documents[j]!) : null;
          if (!next || next.store !== at.store || next.i !== at.i + j - i || bytes + next.store.textByteLength(next.i) > buffer.byteLength) break;
        }
        await sink.bytes(at.store.textBytes(at.i, at.i + j - i, buffer));
        i = j;
      }
      await pause();
    }
    await sink.typed('text.offsets', offsets);
  }

  // Blocks, paragraphs, sentences: flat typed arrays with per-document offsets; a snapshot's documents copy theirs.
  // Counted first, with pauses: a document built here holds its structure as objects.
  const blockOffsets = new Uint32Array(documents.length + 1);
  const paragraphOffsets = new Uint32Array(documents.length + 1);
  const sentenceOffsets = new Uint32Array(documents.length + 1);
  for (let i = 0; i < documents.length; i++) {
    const d = documents[i]!;
    const at = savedAt(d);
    const [blocks, paragraphs, sentences] = at ? at.store.structureCounts(at.i) : [d.blocks.length, d.paragraphs.length, d.sentences.length];
    blockOffsets[i + 1] = blockOffsets[i]! + blocks;
    paragraphOffsets[i + 1] = paragraphOffsets[i]! + paragraphs;
    sentenceOffsets[i + 1] = sentenceOffsets[i]! + sentences;
    if (i % 256 === 255) await pause();
  }
  const nBlocks = blockOffsets[documents.length]!;
  const nParagraphs = paragraphOffsets[documents.length]!;
  const nSentences = sentenceOffsets[documents.length]!;
  const flat: FlatStructure = {
    blockStart: new Uint32Array(nBlocks), blockEnd: new Uint32Array(nBlocks), blockRole: new Uint8Array(nBlocks),
    paragraphStart: new Uint32Array(nParagraphs), paragraphEnd: new Uint32Array(nParagraphs),
    sentenceStart: new Uint32Array(nSentences), sentenceEnd: new Uint32Array(nSentences), sentenceParagraph: new Uint32Array(nSentences),
  };
  const cursor = { b: 0, p: 0, s: 0 };
  for (let i = 0; i < documents.length; i++) {
    const d = documents[i]!;
    if (i % 256 === 255) await pause();
    const at = savedAt(d);
    if (at) {
      at.store.copyStructure(at.i, flat, cursor);
      continue;
    }
    for (const block of d.blocks) {
      flat.blockStart[cursor.b] = block.start;
      flat.blockEnd[cursor.b] = block.end;
      flat.blockRole[cursor.b++] = ROLE_CODES.get(block.role)!;
    }
    for (const paragraph of d.paragraphs) {
      flat.paragraphStart[cursor.p] = paragraph.start;
      flat.paragraphEnd[cursor.p++] = paragraph.end;
    }
    for (const sentence of d.sentences) {
      flat.sentenceStart[cursor.s] = sentence.start;
      flat.sentenceEnd[cursor.s] = sentence.end;
      flat.sentenceParagraph[cursor.s++] = sentence.paragraph;
    }
  }
  if (cursor.b !== nBlocks || cursor.p !== nParagraphs || cursor.s !== nSentences) throw new Error('snapshot: the documents changed while their structure was written');
  for (const [name, array] of Object.entries({
    blockOffsets, blockStart: flat.blockStart, blockEnd: flat.blockEnd, blockRole: flat.blockRole, paragraphOffsets, paragraphStart: flat.paragraphStart,
    paragraphEnd: flat.paragraphEnd, sentenceOffsets, sentenceStart: flat.sentenceStart, sentenceEnd: flat.sentenceEnd, sentenceParagraph: flat.sentenceParagraph,
  })) await sink.typed(name, array);
  await pause();

  const { entitiesByDoc, quotesByDoc } = briefing;
  // Entities one by one: describing a speaker reads one entity in each of their documents, not the documents' every entity.
  // Those still held as saved are copied; the others are encoded against their document's text.
  await perItem(
    'entities',
    (d, i) => {
      const text = textOnce(d);
      return (peekItem(entitiesByDoc, i) ?? []).map((entity) => savedEntityJson(entity, text));
    },
    (i) => savedItem(entitiesByDoc, i),
  );
  await perDocument('quotes', (d, i) => withoutSpanTexts(peekItem(quotesByDoc, i) ?? [], textOnce(d)));

  // The timeline, grouped: each head followed by the entries grouped under it.
  const heads = briefing.timelineTable.entries;
  const entries = briefing.timelineTable.flat();
  const dateIds = new Map<string, number>();
  const n = entries.length;
  const t = {
    date: new Uint32Array(n), first: new Float64Array(n), last: new Float64Array(n), doc: new Uint32Array(n),
    mentionStart: new Uint32Array(n), mentionEnd: new Uint32Array(n), start: new Uint32Array(n), end: new Uint32Array(n),
  };
  const others = Uint32Array.from(heads, (h) => h.others.length);
  entries.forEach((e, i) => {
    const key = JSON.stringify(e.date);
    let id = dateIds.get(key);
    if (id === undefined) dateIds.set(key, (id = dateIds.size));
    t.date[i] = id;
    t.first[i] = e.interval.first;
    t.last[i] = e.interval.last;
    t.doc[i] = e.docIndex;
    t.mentionStart[i] = e.mentionStart;
    t.mentionEnd[i] = e.mentionEnd;
    t.start[i] = e.start;
    t.end[i] = e.end;
  });
  await sink.whole('timeline.dates', 'utf8', Buffer.from(`[${[...dateIds.keys()].join(',')}]`));
  for (const [name, array] of Object.entries(t)) await sink.typed(`timeline.${name}`, array);
  await sink.typed('timeline.others', others);
  await pause();

  // The entity table, merged once (built here, in slices, if no one asked for it yet), copied in slices. A change
  // meanwhile makes the copy another state than the rest of this snapshot: the save is given up (a newer one follows it).
  let entityTable = table.now;
  let changes = table.changes;
  if (!entityTable) {
    await briefing.prepareEntities();
    entityTable = briefing.entities;
    changes = entityTable.changeCount;
  }
  if (entityTable.changeCount !== changes) throw new SnapshotSuperseded();
  const entities = await runStepsAsync(entityTable.toSnapshotSteps());
  if (entityTable.changeCount !== changes) throw new SnapshotSuperseded();
  for (const name of ENTITY_ARRAYS) await sink.typed(`entities.${name}`, entities[name]);
  for (const name of ENTITY_STRINGS) await sink.whole(`entities.${name}`, 'utf8', Buffer.from(entities[name].join('\u0000'), 'utf8'));
  await pause();

  const index = briefing.index.toBinary();
  await sink.whole('index.terms', 'utf8', Buffer.from(index.terms, 'utf8'));
  await sink.typed('index.sorted', briefing.index.sortedTermOrder());
  for (const name of BINARY_ARRAYS) await sink.typed(`index.${name}`, index[name]);

  const size = sink.dataStart + (await sink.end());
  // The header, in the room left before the sections: padded with spaces to fill it.
  const header: Header = { corpusDir: contents.corpusDir, analysisVersion: contents.analysisVersion, loadOptions: contents.loadOptions, created, sections: sink.table };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  if (12 + headerBytes.byteLength > sink.dataStart) throw new Error('snapshot: the header does not fit in its room');
  const preamble = Buffer.alloc(sink.dataStart, 0x20);
  preamble.write(MAGIC, 0, 'latin1');
  preamble.writeUInt32LE(sink.dataStart - 12, 8);
  headerBytes.copy(preamble, 12);
  let done = 0;
  while (done < preamble.byteLength) done += (await handle.write(preamble, done, preamble.byteLength - done, done)).bytesWritten;
  return size;
}

/** Makes a rename in `dir` durable (where the platform allows opening a folder). */
async function syncFolder(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Not every platform can fsync a folder; the rename itself is still atomic.
  }
}

/** Removes temporary files left by a writer that was killed mid-write (another process's are left alone while it lives). */
export async function removeStaleTemporaries(path: string): Promise<void> {
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const match = name.startsWith(prefix) && /^(\d+)\.tmp$/.exec(name.slice(prefix.length));
    if (!match) continue;
    const pid = Number(match[1]);
    let alive = pid === process.pid;
    if (!alive) {
      try {
        process.kill(pid, 0);
        alive = true;
      } catch {
        alive = false;
      }
    }
    if (!alive) await rm(join(dir, name), { force: true });
  }
}

/**
 * A snapshot file open for reading: sections are read when first needed
 * (each into its own buffer, so nothing holds the whole file), and the rest
 * is read by `loadRest()` in the background, yielding to the event loop.
 * The descriptor stays open until every section has been read, so a newer
 * snapshot renamed over the file meanwhile does not mix with this one.
 */
class SectionFile {
  private fd: number | null;
  private readonly sections: Record<string, SectionEntry>;
  private readonly dataStart: number;
  private readonly done = new Set<string>();
  private onlyText = false;

  constructor(fd: number, header: Header, dataStart: number, size: number) {
    this.fd = fd;
    this.sections = header.sections;
    this.dataStart = dataStart;
    for (const [name, entry] of Object.entries(header.sections)) {
      if (dataStart + entry.offset + entry.byteLength > size) throw new Error(`snapshot: section ${name} is truncated`);
    }
  }

  has(name: string): boolean {
    return name in this.sections;
  }

  /** Whether sections other than the texts can still be read (after the background load, only the texts are). */
  get isOpen(): boolean {
    return this.fd !== null && !this.onlyText;
  }

  /** From now on only the text section is read (by the documents, until they are let go). */
  textOnly(): void {
    this.onlyText = true;
  }

  byteLength(name: string): number {
    const entry = this.sections[name];
    if (!entry) throw new Error(`snapshot: section ${name} missing`);
    return entry.byteLength;
  }

  /** The section's bytes, in a buffer of their own. */
  bytes(name: string): Buffer {
    const out = this.range(name, 0, this.byteLength(name));
    this.done.add(name);
    return out;
  }

  /** Bytes `start` to `end` of a section, in a buffer of their own (not zeroed first: every byte is read). */
  range(name: string, start: number, end: number): Buffer {
    return this.readInto(name, start, end, null);
  }

  /** Reads bytes `start` to `end` of a section into the start of `into`, or into a buffer of their own. */
  readInto(name: string, start: number, end: number, into: Buffer | null): Buffer {
    const entry = this.sections[name];
    if (!entry) throw new Error(`snapshot: section ${name} missing`);
    if (this.fd === null || (this.onlyText && name !== 'text')) throw new Error('snapshot: the file is closed');
    if (start < 0 || end > entry.byteLength || start > end) throw new Error(`snapshot: range outside section ${name}`);
    const length = end - start;
    const out = into ?? Buffer.allocUnsafeSlow(length);
    let read = 0;
    while (read < length) {
      const n = readSync(this.fd, out, read, length - read, this.dataStart + entry.offset + start + read);
      if (n === 0) throw new Error(`snapshot: section ${name} is truncated`);
      read += n;
    }
    return out;
  }

  utf8(name: string): string {
    return this.bytes(name).toString('utf8');
  }

  /** Bytes `start` to `end` of a section decoded as UTF-8, read through one reused buffer (a text per answer: no buffer made and freed each time). */
  utf8Range(name: string, start: number, end: number): string {
    const length = end - start;
    if (length > SCRATCH_MAX_BYTES) return this.range(name, start, end).toString('utf8');
    if (scratch.byteLength < length) scratch = Buffer.allocUnsafeSlow(Math.min(SCRATCH_MAX_BYTES, Math.max(length, scratch.byteLength * 2)));
    this.readInto(name, start, end, scratch);
    return scratch.toString('utf8', 0, length);
  }

  /** Names of the sections not read yet. */
  unread(): string[] {
    return Object.keys(this.sections).filter((name) => !this.done.has(name));
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/** A typed array over a section (its own buffer: no copy). */
function typedOf<T>(file: SectionFile, name: string, make: (buffer: ArrayBuffer, offset: number, length: number) => T, size: number): T {
  const bytes = file.bytes(name);
  return make(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength / size);
}
const u32Of = (f: SectionFile, name: string): Uint32Array => typedOf(f, name, (b, o, n) => new Uint32Array(b, o, n), 4);
const i32Of = (f: SectionFile, name: string): Int32Array => typedOf(f, name, (b, o, n) => new Int32Array(b, o, n), 4);
const u8Of = (f: SectionFile, name: string): Uint8Array => typedOf(f, name, (b, o, n) => new Uint8Array(b, o, n), 1);
const f32Of = (f: SectionFile, name: string): Float32Array => typedOf(f, name, (b, o, n) => new Float32Array(b, o, n), 4);
const f64Of = (f: SectionFile, name: string): Float64Array => typedOf(f, name, (b, o, n) => new Float64Array(b, o, n), 8);

/** A value made on first use. */
function once<T>(make: () => T): () => T {
  let made = false;
  let value: T;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value;
  };
}

/** Per-document strings of a section: its bytes kept, each string decoded when asked for. */
function perDocumentOf(file: SectionFile, name: string): (i: number) => string {
  const offsets = f64Of(file, `${name}.offsets`);
  const raw = file.bytes(name);
  if (offsets[offsets.length - 1] !== raw.byteLength) throw new Error(`snapshot: section ${name} is inconsistent`);
  return (i) => raw.toString('utf8', offsets[i]!, offsets[i + 1]!);
}

/** The buffer texts are read through (`SectionFile.utf8Range`), grown as needed up to SCRATCH_MAX_BYTES; one for the thread. */
let scratch = Buffer.allocUnsafeSlow(64 * 1024);
const SCRATCH_MAX_BYTES = 1 << 20;

/** The snapshot file a document store reads its texts from, closed once the store (every document of the snapshot) is let go. */
const fileOfStore = new FinalizationRegistry<SectionFile>((file) => file.close());

/** Texts a document store keeps decoded (the ones read last): answers and the background load read a document's text a few times in a row. */
const TEXTS_KEPT = 1024;
/** Texts read at once in a pass over the documents in order (the background load, a whole-corpus brief), in one read from the file. */
const READ_AHEAD = 64;
/** Texts decoded between two pauses while the start's texts are held. */
const HOLD_STEP = 512;

/** Recently decoded values of a per-document store, at most `cap` of them. */
class Recent<T> {
  private readonly map = new Map<number, T>();
  constructor(private readonly cap: number) {}
  /** The value of `i` if kept. */
  peek(i: number): T | undefined {
    return this.map.get(i);
  }

  /** Keeps `value` for `i` (the oldest goes when full). */
  put(i: number, value: T): void {
    if (this.map.size >= this.cap) this.map.delete(this.map.keys().next().value!);
    this.map.set(i, value);
  }

  get(i: number, make: (i: number) => T): T {
    let value = this.map.get(i);
    if (value === undefined) {
      value = make(i);
      this.put(i, value);
    }
    return value;
  }
}

/**
 * What the documents of a snapshot share: their texts and structure, decoded
 * per document when read. A text is read from the file when asked (a few
 * kilobytes), except while the start's background work holds them all.
 */
class DocumentStore {
  private readonly count: number;
  private readonly file: SectionFile;
  private readonly offsets: Float64Array;
  private readonly texts = new Recent<string>(TEXTS_KEPT);
  /** The document whose text was read from the file last: the next one read means a pass in order, which reads ahead. */
  private lastRead = -2;
  /** Every text, decoded, while the start's background work reads them all (`hold`, `release`). */
  private held: string[] | null = null;
  private released = false;
  private readonly structure: () => {
    blockOffsets: Uint32Array; blockStart: Uint32Array; blockEnd: Uint32Array; blockRole: Uint8Array;
    paragraphOffsets: Uint32Array; paragraphStart: Uint32Array; paragraphEnd: Uint32Array;
    sentenceOffsets: Uint32Array; sentenceStart: Uint32Array; sentenceEnd: Uint32Array; sentenceParagraph: Uint32Array;
  };
  private readonly blockLists = new Recent<Block[]>(4096);
  private readonly paragraphLists = new Recent<Paragraph[]>(4096);
  private readonly sentenceLists = new Recent<Sentence[]>(4096);

  constructor(file: SectionFile, count: number) {
    const offsets = f64Of(file, 'text.offsets');
    if (offsets.length !== count + 1 || offsets[count] !== file.byteLength('text')) throw new Error('snapshot: section text is inconsistent');
    // Read from the file when asked, not kept: at BBC ×10 the texts are 50 MB, and an answer reads a few.
    // (What is kept from a text for long is detached from it: src/corpus/detach.ts.)
    this.count = count;
    this.file = file;
    this.offsets = offsets;
    // The file stays open for the texts until the documents are let go.
    fileOfStore.register(this, file);
    for (const name of ['blockOffsets', 'paragraphOffsets', 'sentenceOffsets']) {
      if (file.byteLength(name) !== (count + 1) * 4) throw new Error('snapshot: documents and their structure do not match');
    }
    this.structure = once(() => ({
      blockOffsets: u32Of(file, 'blockOffsets'), blockStart: u32Of(file, 'blockStart'), blockEnd: u32Of(file, 'blockEnd'), blockRole: u8Of(file, 'blockRole'),
      paragraphOffsets: u32Of(file, 'paragraphOffsets'), paragraphStart: u32Of(file, 'paragraphStart'), paragraphEnd: u32Of(file, 'paragraphEnd'),
      sentenceOffsets: u32Of(file, 'sentenceOffsets'), sentenceStart: u32Of(file, 'sentenceStart'), sentenceEnd: u32Of(file, 'sentenceEnd'),
      sentenceParagraph: u32Of(file, 'sentenceParagraph'),
    }));
  }

  /** Reads the structure sections now (the background load). */
  load(): void {
    this.structure();
  }

  /**
   * Keeps every text decoded until `release`: the start's background work (the analyses, the name
   * tables, the answers it prepares) reads the entities of documents in no order, and each reads
   * its document's text (a read from the file each: 2.7 s more of a ×10 start).
   */
  async hold(pause: () => Promise<void>): Promise<void> {
    if (this.held || this.released) return;
    const decode = perDocumentOf(this.file, 'text');
    // Decoded in slices, pausing between them (at once, 50 MB held the event loop half a second at ×10).
    const held: string[] = new Array<string>(this.count);
    for (let i = 0; i < this.count; i++) {
      if (i % HOLD_STEP === HOLD_STEP - 1) {
        await pause();
        if (this.released) return;
      }
      held[i] = decode(i);
    }
    this.held = held;
  }

  /** One document's text, read from the file. */
  private textOf(i: number): string {
    return this.file.utf8Range('text', this.offsets[i]!, this.offsets[i + 1]!);
  }

  /** Texts `from` to `to` (exclusive), each decoded, read from the file at once. */
  private textsOf(from: number, to: number): string[] {
    const { offsets } = this;
    const bytes = this.file.range('text', offsets[from]!, offsets[to]!);
    const base = offsets[from]!;
    return Array.from({ length: to - from }, (_, k) => bytes.toString('utf8', offsets[from + k]! - base, offsets[from + k + 1]! - base));
  }

  /** Lets the held texts go: from now on a text is read from the file when asked. */
  release(): void {
    this.held = null;
    this.released = true;
  }

  text(i: number): string {
    if (this.held) return this.held[i]!;
    const kept = this.texts.peek(i);
    if (kept !== undefined) return kept;
    // A pass over the documents in order (the background load, a whole-corpus brief) reads the texts ahead, READ_AHEAD
    // at a time, in one read from the file each; an answer reads the one it cites.
    if (i === this.lastRead + 1) {
      const to = Math.min(this.count, i + READ_AHEAD);
      const texts = this.textsOf(i, to);
      texts.forEach((text, k) => this.texts.put(i + k, text));
      this.lastRead = to - 1;
      return texts[0]!;
    }
    const text = this.textOf(i);
    this.texts.put(i, text);
    this.lastRead = i;
    return text;
  }

  /** Document i's text read from the file, not kept (the held texts while there are). */
  textOnce(i: number): string {
    return this.held?.[i] ?? this.texts.peek(i) ?? this.textOf(i);
  }

  /** Bytes of texts `from` to `to` (exclusive) as saved, read into the start of `into` when they fit. */
  textBytes(from: number, to: number, into: Buffer): Buffer {
    const start = this.offsets[from]!;
    const end = this.offsets[to]!;
    return this.file.readInto('text', start, end, end - start <= into.byteLength ? into : null).subarray(0, end - start);
  }

  /** Length of document i's text as saved, in UTF-8 bytes. */
  textByteLength(i: number): number {
    return this.offsets[i + 1]! - this.offsets[i]!;
  }

  /** How many blocks, paragraphs and sentences document i has (read from the saved arrays: no objects made). */
  structureCounts(i: number): [number, number, number] {
    const { blockOffsets, paragraphOffsets, sentenceOffsets } = this.structure();
    return [blockOffsets[i + 1]! - blockOffsets[i]!, paragraphOffsets[i + 1]! - paragraphOffsets[i]!, sentenceOffsets[i + 1]! - sentenceOffsets[i]!];
  }

  /** Copies document i's structure into flat arrays at `at` (advanced past it), as the writer lays them out. */
  copyStructure(i: number, into: FlatStructure, at: { b: number; p: number; s: number }): void {
    const from = this.structure();
    for (let k = from.blockOffsets[i]!; k < from.blockOffsets[i + 1]!; k++) {
      into.blockStart[at.b] = from.blockStart[k]!;
      into.blockEnd[at.b] = from.blockEnd[k]!;
      into.blockRole[at.b++] = from.blockRole[k]!;
    }
    for (let k = from.paragraphOffsets[i]!; k < from.paragraphOffsets[i + 1]!; k++) {
      into.paragraphStart[at.p] = from.paragraphStart[k]!;
      into.paragraphEnd[at.p++] = from.paragraphEnd[k]!;
    }
    for (let k = from.sentenceOffsets[i]!; k < from.sentenceOffsets[i + 1]!; k++) {
      into.sentenceStart[at.s] = from.sentenceStart[k]!;
      into.sentenceEnd[at.s] = from.sentenceEnd[k]!;
      into.sentenceParagraph[at.s++] = from.sentenceParagraph[k]!;
    }
  }

  blocks(i: number): Block[] {
    return this.blockLists.get(i, () => {
      const { blockOffsets, blockStart, blockEnd, blockRole } = this.structure();
      const blocks: Block[] = [];
      for (let k = blockOffsets[i]!; k < blockOffsets[i + 1]!; k++) blocks.push({ start: blockStart[k]!, end: blockEnd[k]!, role: ROLES[blockRole[k]!]! });
      return blocks;
    });
  }

  paragraphs(i: number): Paragraph[] {
    return this.paragraphLists.get(i, () => {
      const { paragraphOffsets, paragraphStart, paragraphEnd } = this.structure();
      const paragraphs: Paragraph[] = [];
      const base = paragraphOffsets[i]!;
      for (let k = base; k < paragraphOffsets[i + 1]!; k++) paragraphs.push({ index: k - base, start: paragraphStart[k]!, end: paragraphEnd[k]! });
      return paragraphs;
    });
  }

  sentences(i: number): Sentence[] {
    return this.sentenceLists.get(i, () => {
      const { sentenceOffsets, sentenceStart, sentenceEnd, sentenceParagraph } = this.structure();
      const sentences: Sentence[] = [];
      for (let k = sentenceOffsets[i]!; k < sentenceOffsets[i + 1]!; k++) sentences.push({ start: sentenceStart[k]!, end: sentenceEnd[k]!, paragraph: sentenceParagraph[k]! });
      return sentences;
    });
  }
}

type DocumentMeta = Omit<CorpusDocument, 'text' | 'blocks' | 'paragraphs' | 'sentences'>;

/**
 * A document of a snapshot: its metadata as fields, its text and structure
 * decoded from the snapshot's buffers when read (recent ones are kept), so
 * starting makes one small object per document and holds each text once,
 * as bytes.
 */
export class SnapshotDocument implements CorpusDocument {
  doc: string;
  paths: string[];
  encoding: CorpusDocument['encoding'];
  meta: CorpusDocument['meta'];
  bodyStart: number;
  hash: string;
  mtimeMs: number;
  readonly #store: DocumentStore;
  readonly #i: number;

  constructor(store: DocumentStore, i: number, m: DocumentMeta) {
    this.doc = m.doc;
    this.paths = m.paths;
    this.encoding = m.encoding;
    this.meta = m.meta;
    this.bodyStart = m.bodyStart;
    this.hash = m.hash;
    this.mtimeMs = m.mtimeMs;
    this.#store = store;
    this.#i = i;
  }

  get text(): string {
    return this.#store.text(this.#i);
  }

  get blocks(): Block[] {
    return this.#store.blocks(this.#i);
  }

  get paragraphs(): Paragraph[] {
    return this.#store.paragraphs(this.#i);
  }

  get sentences(): Sentence[] {
    return this.#store.sentences(this.#i);
  }

  /** Where this document is saved: its snapshot's store and its position there (the next snapshot copies from it). */
  get savedAt(): { store: DocumentStore; i: number } {
    return { store: this.#store, i: this.#i };
  }

  /** Lets go of the texts its snapshot held for the start's background work (every document of the snapshot). */
  releaseHeldTexts(): void {
    this.#store.release();
  }

  /** The same document under other paths. */
  withPaths(paths: string[]): SnapshotDocument {
    return new SnapshotDocument(this.#store, this.#i, { ...this, doc: paths[0]!, paths });
  }
}

/**
 * Ends the start's hold on the texts of the snapshot `documents` come from (see DocumentStore.hold):
 * called once the tables and the prepared answers are made. Built documents hold their own texts.
 */
export function releaseHeldTexts(documents: readonly CorpusDocument[]): void {
  for (const document of documents) {
    if (document instanceof SnapshotDocument) {
      document.releaseHeldTexts();
      return;
    }
  }
}

/** A list whose items are computed on first read and kept (for the per-document analyses); `isKept(i)` says whether item i has been. */
function lazyList<T>(length: number, item: (i: number) => T): T[] & { isKept(i: number): boolean } {
  // Filled, not sparse: array methods (map, flatMap) skip holes.
  const cache: (T | undefined)[] = new Array<T | undefined>(length).fill(undefined);
  const isKept = (i: number): boolean => cache[i] !== undefined;
  return new Proxy(cache as T[], {
    get(target, key, receiver) {
      if (typeof key === 'string') {
        if (key === 'isKept') return isKept;
        const i = Number(key);
        if (Number.isInteger(i) && i >= 0 && i < length) return (target[i] ??= item(i));
      }
      return Reflect.get(target, key, receiver) as unknown;
    },
  }) as T[] & { isKept(i: number): boolean };
}

export interface OpenedSnapshot extends SnapshotContents {
  /** Reads every section not read yet, yielding to the event loop between them; then closes the file. */
  loadRest(): Promise<void>;
}

/**
 * Opens a snapshot; null when there is none, it is damaged (truncated,
 * inconsistent), or it was written for another format, analysis version,
 * corpus folder or load options. Only what answering a search needs is
 * read now (documents' metadata, texts as bytes, the search index); the
 * rest (structure, analyses, timeline, entity table) is read when first
 * used or by `loadRest()`.
 */
export async function readSnapshot(path: string, expected: SnapshotExpectation): Promise<OpenedSnapshot | null> {
  const opened = openSnapshotFile(path, expected);
  if (!opened) return null;
  const { file, header } = opened;
  try {
    const pause = pacer();
    const contents = await decode(file, header, pause);
    return {
      ...contents,
      async loadRest() {
        try {
          await pause();
          await contents.holdTexts(pause);
          for (const name of file.unread()) {
            if (name === 'text') continue;
            await pause();
            contents.load(name);
          }
        } catch (error) {
          file.close();
          throw error;
        }
        // Every section is read but the texts, which the documents read when asked.
        file.textOnly();
        // The vocabulary's Map and radix tree (exact and prefix lookups used the saved order until now; fuzzy ones need the tree).
        await contents.briefing.index.prepare();
      },
    };
  } catch {
    file.close();
    return null;
  }
}

/** A snapshot's documents and their entity lists, without its index or tables (see readSavedDocuments). */
export interface SavedDocuments {
  documents: CorpusDocument[];
  entitiesByDoc: readonly (readonly DocumentEntity[])[];
}

/**
 * A snapshot's documents (texts read from the file when asked) and their entities (held as bytes,
 * parsed when read), as a start from it holds them once its background reads are done; the search
 * index, timeline and tables are not read. For a Briefing built here that has just been saved: it
 * takes these in place of its own (Briefing.rebased). Null when there is no valid snapshot.
 */
export async function readSavedDocuments(path: string, expected: SnapshotExpectation): Promise<SavedDocuments | null> {
  const opened = openSnapshotFile(path, expected);
  if (!opened) return null;
  const { file } = opened;
  try {
    const pause = pacer();
    const { store, documents } = await snapshotDocuments(file, pause);
    store.load();
    await pause();
    const entitiesByDoc = documentLists(file, documents).entitiesByDoc();
    file.textOnly();
    return { documents, entitiesByDoc };
  } catch {
    file.close();
    return null;
  }
}

/** Opens a snapshot and reads its header; null when there is none, it is damaged, or it was written for another format, analysis version, corpus folder or load options. */
function openSnapshotFile(path: string, expected: SnapshotExpectation): { file: SectionFile; header: Header } | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(12);
    if (size < 12 || readSync(fd, head, 0, 12, 0) !== 12 || head.toString('latin1', 0, 8) !== MAGIC) throw new Error('not a snapshot');
    const headerLength = head.readUInt32LE(8);
    const headerBytes = Buffer.alloc(headerLength);
    if (12 + headerLength > size || readSync(fd, headerBytes, 0, headerLength, 12) !== headerLength) throw new Error('snapshot: header truncated');
    const header = JSON.parse(headerBytes.toString('utf8')) as Header;
    if (header.analysisVersion !== expected.analysisVersion || header.corpusDir !== expected.corpusDir || header.loadOptions !== expected.loadOptions) throw new Error('another snapshot');
    return { file: new SectionFile(fd, header, Math.ceil((12 + headerLength) / 8) * 8, size), header };
  } catch {
    closeSync(fd);
    return null;
  }
}

/** A snapshot's documents: their metadata parsed, their texts and structure read from the file when asked. */
async function snapshotDocuments(file: SectionFile, pause: () => Promise<void>): Promise<{ store: DocumentStore; documents: CorpusDocument[] }> {
  const meta = JSON.parse(file.utf8('documents')) as DocumentMeta[];
  await pause();
  const store = new DocumentStore(file, meta.length);
  const documents: CorpusDocument[] = meta.map((m, i) => new SnapshotDocument(store, i, m));
  await pause();
  return { store, documents };
}

/**
 * The per-document lists of a snapshot's documents: entities and quotation mentions, each read from
 * the file when first needed (a function), each document's parsed when first read.
 */
function documentLists(file: SectionFile, documents: readonly CorpusDocument[]): {
  quotesByDoc: () => QuoteMention[][];
  entitiesByDoc: () => DocumentEntity[][];
} {
  const count = documents.length;
  // Per-document entities and quotations: their JSON read when first needed, each document's parsed when first read.
  // Each is kept once parsed; the JSON is let go when every document's has been. The entity table does not read
  // them (it is saved with what it needs), so a document's entities are parsed only when an answer cites them.
  const parsed = <T>(name: string): (() => T[]) =>
    once(() => {
      // The JSON and the documents (whose texts the spans are cut from) are let go once every item is parsed.
      let from: { json: (i: number) => string; documents: readonly CorpusDocument[] } | null = { json: perDocumentOf(file, name), documents };
      let left = count;
      const parse = (i: number): T => {
        const value = JSON.parse(from!.json(i)) as T;
        restoreSpanTexts(value, from!.documents[i]!.text);
        return value;
      };
      const list = lazyList(count, (i: number): T => {
        const value = parse(i);
        if (--left === 0) from = null;
        return value;
      });
      // The snapshot writer reads every item: unparsed ones are parsed for it and not kept.
      registerPeek(list, (i) => (from === null || list.isKept(i) ? list[i]! : parse(i)));
      return list;
    });
  const quotesByDoc = parsed<QuoteMention[]>('quotes');
  // Per-document lists saved item by item (see perItem in writeSnapshot; entities in the form of entity-codec.ts): each
  // document's list is itself read item by item, so an answer that needs one entity of a document parses that entity
  // only. The bytes are let go once every item has been parsed.
  const parsedItems = <T>(name: string, read: (json: string, text: string) => T): (() => T[][]) =>
    once(() => {
      const offsets = f64Of(file, `${name}.offsets`);
      const docStart = i32Of(file, `${name}.docStart`);
      let raw: Buffer | null = file.bytes(name);
      if (offsets[offsets.length - 1] !== raw.byteLength || docStart.length !== count + 1 || docStart[count] !== offsets.length - 1) {
        throw new Error(`snapshot: section ${name} is inconsistent`);
      }
      let left = offsets.length - 1;
      // The documents (whose texts the spans are cut from) are let go with the bytes, once every item is parsed.
      let texts: readonly CorpusDocument[] | null = documents;
      const parse = (i: number, j: number): T => read(raw!.toString('utf8', offsets[j]!, offsets[j + 1]!), texts![i]!.text);
      const list = lazyList(count, (i: number): T[] => {
        const items = lazyList(docStart[i + 1]! - docStart[i]!, (k: number): T => {
          const value = parse(i, docStart[i]! + k);
          if (--left === 0) {
            raw = null;
            texts = null;
          }
          return value;
        });
        // One item read without keeping it (an answer folding every occurrence of a name: src/engine/who.ts).
        registerPeek(items, (k) => (raw === null || items.isKept(k) ? items[k]! : parse(i, docStart[i]! + k)));
        return items;
      });
      // The next snapshot copies the items' bytes while they are held (nothing parsed, nothing written anew).
      registerSaved(list, (i) => {
        const bytes = raw;
        if (bytes === null) return null;
        return Array.from({ length: docStart[i + 1]! - docStart[i]! }, (_, k) => bytes.subarray(offsets[docStart[i]! + k]!, offsets[docStart[i]! + k + 1]!));
      });
      // Otherwise the snapshot writer reads every item: an item not read yet is parsed for it and not kept (a document whose
      // list exists may hold only the one entity an answer needed; its other entities stay unparsed).
      registerPeek(list, (i) => {
        if (raw === null) return list[i]!;
        const inner = list.isKept(i) ? (list[i]! as T[] & { isKept(k: number): boolean }) : null;
        return Array.from({ length: docStart[i + 1]! - docStart[i]! }, (_, k) => (inner?.isKept(k) ? inner[k]! : parse(i, docStart[i]! + k)));
      });
      return list;
    });
  const entitiesByDoc = parsedItems<DocumentEntity>('entities', readSavedEntity);
  return { quotesByDoc, entitiesByDoc };
}

async function decode(file: SectionFile, header: Header, pause: () => Promise<void>): Promise<SnapshotContents & { load(name: string): void; holdTexts(pause: () => Promise<void>): Promise<void> }> {
  const files = JSON.parse(file.utf8('files')) as SnapshotFile[];
  const { store, documents } = await snapshotDocuments(file, pause);
  const { quotesByDoc, entitiesByDoc } = documentLists(file, documents);

  // The timeline, grouped as saved (read on first use).
  const timeline = once(() => {
    const dates = JSON.parse(file.utf8('timeline.dates')) as TimelineDate[];
    const t = {
      date: u32Of(file, 'timeline.date'), first: f64Of(file, 'timeline.first'), last: f64Of(file, 'timeline.last'), doc: u32Of(file, 'timeline.doc'),
      mentionStart: u32Of(file, 'timeline.mentionStart'), mentionEnd: u32Of(file, 'timeline.mentionEnd'), start: u32Of(file, 'timeline.start'), end: u32Of(file, 'timeline.end'),
    };
    const others = u32Of(file, 'timeline.others');
    const entry = (i: number): TimelineEntry => ({
      date: dates[t.date[i]!]!,
      interval: { first: t.first[i]!, last: t.last[i]! },
      docIndex: t.doc[i]!,
      mentionStart: t.mentionStart[i]!,
      mentionEnd: t.mentionEnd[i]!,
      start: t.start[i]!,
      end: t.end[i]!,
      terms: null,
      others: [],
    });
    const heads: TimelineEntry[] = [];
    let at = 0;
    for (let h = 0; h < others.length; h++) {
      const head = entry(at++);
      for (let k = 0; k < others[h]!; k++) head.others.push(entry(at++));
      heads.push(head);
    }
    if (at !== t.date.length) throw new Error('snapshot: the timeline is inconsistent');
    return TimelineTable.fromGrouped(heads, () => documents);
  });

  // The entity table as merged: read ahead by the background load (or when first asked for), handed to the table
  // revived from it, and let go then (the table holds what it needs; kept, the rows cost 10 MB at BBC ×10). Asked for
  // again once the file is closed (a second table over the same documents), there are none: that table merges again.
  const readEntityRows = (): EntityIndexSnapshot => {
    const strings = (name: string): string[] => {
      const text = file.utf8(name);
      return text.length > 0 ? text.split('\u0000') : [];
    };
    return {
      version: 1,
      kinds: u8Of(file, 'entities.kinds'),
      lone: u8Of(file, 'entities.lone'),
      live: u8Of(file, 'entities.live'),
      occurrenceStart: i32Of(file, 'entities.occurrenceStart'),
      occurrenceDoc: i32Of(file, 'entities.occurrenceDoc'),
      occurrenceEntity: i32Of(file, 'entities.occurrenceEntity'),
      occurrenceName: strings('entities.occurrenceName'),
      occurrenceKind: u8Of(file, 'entities.occurrenceKind'),
      occurrenceMentions: i32Of(file, 'entities.occurrenceMentions'),
      keyStart: i32Of(file, 'entities.keyStart'),
      keys: strings('entities.keys'),
      wordAliasStart: i32Of(file, 'entities.wordAliasStart'),
      wordAliases: strings('entities.wordAliases'),
      roleStart: i32Of(file, 'entities.roleStart'),
      roles: strings('entities.roles'),
    };
  };
  let entityRows: EntityIndexSnapshot | null = null;
  let entityRowsTaken = false;
  const entitiesSnapshot = (): EntityIndexSnapshot | null => {
    const rows = entityRows ?? (file.isOpen ? readEntityRows() : null);
    entityRows = null;
    entityRowsTaken = true;
    return rows;
  };

  // The search index: needed for the first answer, read now.
  const binary: IndexBinary = {
    version: 4,
    terms: file.utf8('index.terms'),
    offsets: u32Of(file, 'index.offsets'),
    docs: u32Of(file, 'index.docs'),
    impacts: f32Of(file, 'index.impacts'),
    maxImpact: f32Of(file, 'index.maxImpact'),
    ownText: u8Of(file, 'index.ownText'),
    passageDoc: u32Of(file, 'index.passageDoc'),
    passageParagraph: u32Of(file, 'index.passageParagraph'),
    passageStart: u32Of(file, 'index.passageStart'),
    passageEnd: u32Of(file, 'index.passageEnd'),
    fieldDf: u32Of(file, 'index.fieldDf'),
    stats: f64Of(file, 'index.stats'),
  };
  await pause();
  const steps = SearchIndex.restoreSteps(binary, { sortedTerms: u32Of(file, 'index.sorted') });
  let index: SearchIndex | null = null;
  while (!index) {
    const step = steps.next();
    if (step.done) index = step.value;
    else await pause();
  }

  const briefing = Briefing.fromParts({ documents, index, entitiesByDoc, quotesByDoc, timeline, entitiesSnapshot });
  /** Reads one section's data into the parts that use it (the background load). */
  const load = (name: string): void => {
    if (name === 'entities' || name === 'entities.offsets' || name === 'entities.docStart') entitiesByDoc();
    else if (name === 'quotes' || name === 'quotes.offsets') quotesByDoc();
    else if (name.startsWith('timeline.')) timeline();
    else if (name.startsWith('entities.')) {
      if (!entityRowsTaken) entityRows ??= readEntityRows();
    }
    else if (name !== 'text' && name !== 'text.offsets') store.load();
  };
  return { corpusDir: header.corpusDir, analysisVersion: header.analysisVersion, loadOptions: header.loadOptions, files, briefing, load, holdTexts: (pause: () => Promise<void>) => store.hold(pause) };
}
