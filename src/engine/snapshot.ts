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
 * folder, section table), then each section at an 8-byte aligned offset.
 * Reading is asynchronous and sliced: the file is read off the event loop
 * and decoded in steps that yield whenever a few milliseconds have passed,
 * so a bot answering from an older state (or its gateway) is never held up.
 *
 * Writing goes to a temporary file that is flushed to disk (fsync) and then
 * renamed over the old one, and the folder is synced: a process stopped at
 * any moment leaves either the previous snapshot or the new one, never a
 * mix. A snapshot is used only when its format, analysis version and corpus
 * folder match; whether the files are still the same is for the caller to
 * verify (LiveBriefing compares path, size and modification time).
 */
import { open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Block, BlockRole, CorpusDocument, Paragraph, Sentence, TimelineDate } from '../types.js';
import type { DocumentEntity } from '../analysis/people.js';
import type { QuoteMention } from '../analysis/quotes/index.js';
import { SearchIndex, type IndexBinary } from '../index/search-index.js';
import { Briefing } from './briefing.js';
import { TimelineTable, type TimelineEntry } from './timeline.js';
import type { EntityIndexSnapshot } from './who.js';

/** The entity table's sections: typed arrays, and string lists joined by NUL. */
const ENTITY_ARRAYS = ['kinds', 'lone', 'live', 'occurrenceStart', 'occurrenceDoc', 'occurrenceEntity', 'occurrenceKind', 'keyStart', 'wordAliasStart', 'roleStart'] as const;
const ENTITY_STRINGS = ['occurrenceName', 'keys', 'wordAliases', 'roles'] as const;

const MAGIC = 'SRSNAP03';
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

/** JSON of an array as a list of buffers, stringified item by item with pauses for the event loop. */
async function jsonArrayChunks(items: readonly unknown[], pause: () => Promise<void>): Promise<Buffer[]> {
  const out: Buffer[] = [];
  let batch: string[] = [];
  for (const item of items) {
    batch.push(JSON.stringify(item));
    if (batch.length === 200) {
      out.push(Buffer.from((out.length > 0 ? ',' : '[') + batch.join(',')));
      batch = [];
      await pause();
    }
  }
  out.push(Buffer.from((out.length > 0 ? (batch.length > 0 ? ',' : '') : '[') + batch.join(',') + ']'));
  return out;
}

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
  if (span.text === 0 && typeof span.start === 'number' && typeof span.end === 'number') span.text = text.slice(span.start, span.end);
  for (const key in span) {
    const inner = span[key];
    if (inner && typeof inner === 'object') restoreSpanTexts(inner, text);
  }
}

/** Writes a snapshot (temporary file, fsync, rename, folder fsync). Returns its size in bytes. */
export async function writeSnapshot(path: string, contents: SnapshotContents): Promise<number> {
  const pause = pacer(20);
  const { briefing } = contents;
  const { documents } = briefing;
  const sections: { name: string; type: SectionType; chunks: Uint8Array[] }[] = [];
  const add = (name: string, type: SectionType, chunks: Uint8Array[]): void => {
    sections.push({ name, type, chunks });
  };
  const typed = (name: string, array: Uint8Array | Int32Array | Uint32Array | Float32Array | Float64Array): void => {
    const type: SectionType =
      array instanceof Uint8Array ? 'u8' : array instanceof Int32Array ? 'i32' : array instanceof Uint32Array ? 'u32' : array instanceof Float32Array ? 'f32' : 'f64';
    add(name, type, [new Uint8Array(array.buffer, array.byteOffset, array.byteLength)]);
  };
  /** One UTF-8 section of per-document strings, with their byte offsets. */
  const perDocument = async (name: string, value: (d: CorpusDocument, i: number) => string): Promise<void> => {
    const offsets = new Float64Array(documents.length + 1);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < documents.length; i++) {
      const bytes = Buffer.from(value(documents[i]!, i), 'utf8');
      chunks.push(bytes);
      offsets[i + 1] = offsets[i]! + bytes.byteLength;
      if (i % 256 === 255) await pause();
    }
    add(name, 'utf8', chunks);
    typed(`${name}.offsets`, offsets);
  };

  add('files', 'utf8', [Buffer.from(JSON.stringify(contents.files))]);
  const meta = documents.map((d) => ({ doc: d.doc, paths: d.paths, encoding: d.encoding, meta: d.meta, bodyStart: d.bodyStart, hash: d.hash, mtimeMs: d.mtimeMs }));
  add('documents', 'utf8', await jsonArrayChunks(meta, pause));
  await perDocument('text', (d) => d.text);

  // Blocks, paragraphs, sentences: flat typed arrays with per-document offsets.
  const count = (f: (d: CorpusDocument) => number): number => documents.reduce((n, d) => n + f(d), 0);
  const nBlocks = count((d) => d.blocks.length);
  const nParagraphs = count((d) => d.paragraphs.length);
  const nSentences = count((d) => d.sentences.length);
  const blockOffsets = new Uint32Array(documents.length + 1);
  const blockStart = new Uint32Array(nBlocks);
  const blockEnd = new Uint32Array(nBlocks);
  const blockRole = new Uint8Array(nBlocks);
  const paragraphOffsets = new Uint32Array(documents.length + 1);
  const paragraphStart = new Uint32Array(nParagraphs);
  const paragraphEnd = new Uint32Array(nParagraphs);
  const sentenceOffsets = new Uint32Array(documents.length + 1);
  const sentenceStart = new Uint32Array(nSentences);
  const sentenceEnd = new Uint32Array(nSentences);
  const sentenceParagraph = new Uint32Array(nSentences);
  let b = 0;
  let p = 0;
  let s = 0;
  for (let i = 0; i < documents.length; i++) {
    const d = documents[i]!;
    if (i % 256 === 255) await pause();
    for (const block of d.blocks) {
      blockStart[b] = block.start;
      blockEnd[b] = block.end;
      blockRole[b++] = ROLE_CODES.get(block.role)!;
    }
    for (const paragraph of d.paragraphs) {
      paragraphStart[p] = paragraph.start;
      paragraphEnd[p++] = paragraph.end;
    }
    for (const sentence of d.sentences) {
      sentenceStart[s] = sentence.start;
      sentenceEnd[s] = sentence.end;
      sentenceParagraph[s++] = sentence.paragraph;
    }
    blockOffsets[i + 1] = b;
    paragraphOffsets[i + 1] = p;
    sentenceOffsets[i + 1] = s;
  }
  for (const [name, array] of Object.entries({
    blockOffsets, blockStart, blockEnd, blockRole, paragraphOffsets, paragraphStart, paragraphEnd, sentenceOffsets, sentenceStart, sentenceEnd, sentenceParagraph,
  })) typed(name, array);
  await pause();

  await perDocument('entities', (d, i) => withoutSpanTexts(briefing.entitiesByDoc[i] ?? [], d.text));
  await perDocument('quotes', (d, i) => withoutSpanTexts(briefing.quotesByDoc[i] ?? [], d.text));

  // The timeline, grouped: each head followed by the entries grouped under it.
  const heads = briefing.timelineTable.entries;
  const flat = briefing.timelineTable.flat();
  const dateIds = new Map<string, number>();
  const n = flat.length;
  const t = {
    date: new Uint32Array(n), first: new Float64Array(n), last: new Float64Array(n), doc: new Uint32Array(n),
    mentionStart: new Uint32Array(n), mentionEnd: new Uint32Array(n), start: new Uint32Array(n), end: new Uint32Array(n),
  };
  const others = Uint32Array.from(heads, (h) => h.others.length);
  flat.forEach((e, i) => {
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
  add('timeline.dates', 'utf8', [Buffer.from(`[${[...dateIds.keys()].join(',')}]`)]);
  for (const [name, array] of Object.entries(t)) typed(`timeline.${name}`, array);
  typed('timeline.others', others);
  await pause();

  // The entity table, merged once (built here if no one asked for it yet).
  const entities = briefing.entities.toSnapshot();
  for (const name of ENTITY_ARRAYS) typed(`entities.${name}`, entities[name]);
  for (const name of ENTITY_STRINGS) add(`entities.${name}`, 'utf8', [Buffer.from(entities[name].join('\u0000'), 'utf8')]);
  await pause();

  const index = briefing.index.toBinary();
  add('index.terms', 'utf8', [Buffer.from(index.terms, 'utf8')]);
  for (const name of ['offsets', 'docs', 'impacts', 'maxImpact', 'passageDoc', 'passageParagraph', 'passageStart', 'passageEnd', 'fieldDf', 'stats'] as const) {
    typed(`index.${name}`, index[name]);
  }

  // Lay out the sections after the header; offsets count from the first 8-byte boundary after it.
  const table: Record<string, SectionEntry> = {};
  let offset = 0;
  for (const section of sections) {
    const byteLength = section.chunks.reduce((total, c) => total + c.byteLength, 0);
    offset = Math.ceil(offset / 8) * 8;
    table[section.name] = { type: section.type, offset, byteLength };
    offset += byteLength;
  }
  const header: Header = {
    corpusDir: contents.corpusDir,
    analysisVersion: contents.analysisVersion,
    loadOptions: contents.loadOptions,
    created: new Date().toISOString(),
    sections: table,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const dataStart = Math.ceil((12 + headerBytes.byteLength) / 8) * 8;
  const preamble = Buffer.alloc(dataStart, 0x20);
  preamble.write(MAGIC, 0, 'latin1');
  preamble.writeUInt32LE(headerBytes.byteLength, 8);
  headerBytes.copy(preamble, 12);

  const temporary = `${path}.${process.pid}.tmp`;
  let size = 0;
  try {
    const handle = await open(temporary, 'w');
    try {
      let position = 0;
      const write = async (chunk: Uint8Array): Promise<void> => {
        await handle.write(chunk, 0, chunk.byteLength, position);
        position += chunk.byteLength;
      };
      await write(preamble);
      for (const section of sections) {
        const at = dataStart + table[section.name]!.offset;
        if (at > position) await write(Buffer.alloc(at - position));
        for (const chunk of section.chunks) await write(chunk);
      }
      size = position;
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
 * Reads a snapshot; null when there is none, it is damaged, or it was written
 * for another format, analysis version, corpus folder or load options.
 */
export async function readSnapshot(path: string, expected: SnapshotExpectation): Promise<SnapshotContents | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    return null;
  }
  try {
    const steps = decodeSnapshot(bytes, expected);
    let last = performance.now();
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      if (performance.now() - last >= STEP_BUDGET_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        last = performance.now();
      }
    }
  } catch {
    return null;
  }
}

/** Defines `key` on `target` as a value computed on first read. */
function lazy<T extends object, K extends keyof T>(target: T, key: K, compute: () => T[K]): void {
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get() {
      const value = compute();
      Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
      return value;
    },
    set(value: T[K]) {
      Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
    },
  });
}

/** A list whose items are computed on first read, all at once (for the per-document analyses). */
function lazyList<T>(length: number, item: (i: number) => T): T[] {
  // Filled, not sparse: array methods (map, flatMap) skip holes.
  const cache: (T | undefined)[] = new Array<T | undefined>(length).fill(undefined);
  return new Proxy(cache as T[], {
    get(target, key, receiver) {
      if (typeof key === 'string') {
        const i = Number(key);
        if (Number.isInteger(i) && i >= 0 && i < length) return (target[i] ??= item(i));
      }
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}

function* decodeSnapshot(file: Buffer, expected: SnapshotExpectation): Generator<void, SnapshotContents | null> {
  // Closures made here (lazy document structure, the timeline's reader) share this scope: the file's
  // bytes are reached through `source`, emptied at the end, so they are not kept alive by them.
  const source: { bytes: Buffer | null } = { bytes: file };
  const bytes = (): Buffer => source.bytes!;
  if (file.byteLength < 12 || file.toString('latin1', 0, 8) !== MAGIC) return null;
  const headerLength = file.readUInt32LE(8);
  const header = JSON.parse(file.toString('utf8', 12, 12 + headerLength)) as Header;
  if (header.analysisVersion !== expected.analysisVersion || header.corpusDir !== expected.corpusDir || header.loadOptions !== expected.loadOptions) return null;
  const dataStart = Math.ceil((12 + headerLength) / 8) * 8;
  const section = (name: string): SectionEntry => {
    const entry = header.sections[name];
    if (!entry || dataStart + entry.offset + entry.byteLength > bytes().byteLength) throw new Error(`snapshot: section ${name} missing or truncated`);
    return { type: entry.type, offset: dataStart + entry.offset, byteLength: entry.byteLength };
  };
  const utf8 = (name: string): string => {
    const { offset, byteLength } = section(name);
    return bytes().toString('utf8', offset, offset + byteLength);
  };
  // Typed arrays are copied out (memcpy), so the file's bytes can be freed once read.
  const copy = (name: string): ArrayBuffer => {
    const { offset, byteLength } = section(name);
    return new Uint8Array(bytes().buffer, bytes().byteOffset + offset, byteLength).slice().buffer;
  };
  const u32 = (name: string): Uint32Array => new Uint32Array(copy(name));
  const i32 = (name: string): Int32Array => new Int32Array(copy(name));
  const u8 = (name: string): Uint8Array => new Uint8Array(copy(name));
  const f32 = (name: string): Float32Array => new Float32Array(copy(name));
  const f64 = (name: string): Float64Array => new Float64Array(copy(name));
  /** The i-th string of a per-document section, decoded from its bytes. */
  const perDocument = (name: string): ((i: number) => string) => {
    const offsets = f64(`${name}.offsets`);
    const { offset, byteLength } = section(name);
    if (offsets[offsets.length - 1] !== byteLength) throw new Error(`snapshot: section ${name} is inconsistent`);
    const raw = Buffer.from(new Uint8Array(bytes().buffer, bytes().byteOffset + offset, byteLength).slice().buffer);
    return (i) => raw.toString('utf8', offsets[i]!, offsets[i + 1]!);
  };

  const files = JSON.parse(utf8('files')) as SnapshotFile[];
  const meta = JSON.parse(utf8('documents')) as Omit<CorpusDocument, 'text' | 'blocks' | 'paragraphs' | 'sentences'>[];
  yield;
  const textOf = perDocument('text');
  const blockOffsets = u32('blockOffsets');
  const blockStart = u32('blockStart');
  const blockEnd = u32('blockEnd');
  const blockRole = u8('blockRole');
  const paragraphOffsets = u32('paragraphOffsets');
  const paragraphStart = u32('paragraphStart');
  const paragraphEnd = u32('paragraphEnd');
  const sentenceOffsets = u32('sentenceOffsets');
  const sentenceStart = u32('sentenceStart');
  const sentenceEnd = u32('sentenceEnd');
  const sentenceParagraph = u32('sentenceParagraph');
  if (blockOffsets.length !== meta.length + 1 || paragraphOffsets.length !== meta.length + 1 || sentenceOffsets.length !== meta.length + 1) {
    throw new Error('snapshot: documents and their structure do not match');
  }
  yield;

  // Documents: texts decoded now (a step every few hundred), structure turned into objects on first read.
  const documents: CorpusDocument[] = new Array<CorpusDocument>(meta.length);
  for (let i = 0; i < meta.length; i++) {
    if (i % 200 === 199) yield;
    const m = meta[i]!;
    const document = { doc: m.doc, paths: m.paths, text: textOf(i), encoding: m.encoding, meta: m.meta, bodyStart: m.bodyStart, hash: m.hash, mtimeMs: m.mtimeMs } as CorpusDocument;
    lazy(document, 'blocks', () => {
      const blocks: Block[] = [];
      for (let k = blockOffsets[i]!; k < blockOffsets[i + 1]!; k++) blocks.push({ start: blockStart[k]!, end: blockEnd[k]!, role: ROLES[blockRole[k]!]! });
      return blocks;
    });
    lazy(document, 'paragraphs', () => {
      const paragraphs: Paragraph[] = [];
      const base = paragraphOffsets[i]!;
      for (let k = base; k < paragraphOffsets[i + 1]!; k++) paragraphs.push({ index: k - base, start: paragraphStart[k]!, end: paragraphEnd[k]! });
      return paragraphs;
    });
    lazy(document, 'sentences', () => {
      const sentences: Sentence[] = [];
      for (let k = sentenceOffsets[i]!; k < sentenceOffsets[i + 1]!; k++) sentences.push({ start: sentenceStart[k]!, end: sentenceEnd[k]!, paragraph: sentenceParagraph[k]! });
      return sentences;
    });
    documents[i] = document;
  }
  yield;

  // Per-document entities and quotations: parsed when first read (the entity table, /quote).
  const entitiesJson = perDocument('entities');
  const quotesJson = perDocument('quotes');
  const parsed = <T>(json: (i: number) => string) => (i: number): T => {
    const value = JSON.parse(json(i)) as T;
    restoreSpanTexts(value, documents[i]!.text);
    return value;
  };
  const entitiesByDoc = lazyList(meta.length, parsed<DocumentEntity[]>(entitiesJson));
  const quotesByDoc = lazyList(meta.length, parsed<QuoteMention[]>(quotesJson));
  yield;

  // The timeline, grouped as saved.
  const dates = JSON.parse(utf8('timeline.dates')) as TimelineDate[];
  const t = {
    date: u32('timeline.date'), first: f64('timeline.first'), last: f64('timeline.last'), doc: u32('timeline.doc'),
    mentionStart: u32('timeline.mentionStart'), mentionEnd: u32('timeline.mentionEnd'), start: u32('timeline.start'), end: u32('timeline.end'),
  };
  const others = u32('timeline.others');
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
    if (h % 5000 === 4999) yield;
    const head = entry(at++);
    for (let k = 0; k < others[h]!; k++) head.others.push(entry(at++));
    heads.push(head);
  }
  if (at !== t.date.length) throw new Error('snapshot: the timeline is inconsistent');
  const timeline = TimelineTable.fromGrouped(heads, () => documents);
  yield;

  const binary: IndexBinary = {
    version: 3,
    terms: utf8('index.terms'),
    offsets: u32('index.offsets'),
    docs: u32('index.docs'),
    impacts: f32('index.impacts'),
    maxImpact: f32('index.maxImpact'),
    passageDoc: u32('index.passageDoc'),
    passageParagraph: u32('index.passageParagraph'),
    passageStart: u32('index.passageStart'),
    passageEnd: u32('index.passageEnd'),
    fieldDf: u32('index.fieldDf'),
    stats: f64('index.stats'),
  };
  yield;
  const index = yield* SearchIndex.restoreSteps(binary);
  const strings = (name: string): string[] => {
    const text = utf8(name);
    return text.length > 0 ? text.split('\u0000') : [];
  };
  const entitiesSnapshot: EntityIndexSnapshot = {
    version: 1,
    kinds: u8('entities.kinds'),
    lone: u8('entities.lone'),
    live: u8('entities.live'),
    occurrenceStart: i32('entities.occurrenceStart'),
    occurrenceDoc: i32('entities.occurrenceDoc'),
    occurrenceEntity: i32('entities.occurrenceEntity'),
    occurrenceName: strings('entities.occurrenceName'),
    occurrenceKind: u8('entities.occurrenceKind'),
    keyStart: i32('entities.keyStart'),
    keys: strings('entities.keys'),
    wordAliasStart: i32('entities.wordAliasStart'),
    wordAliases: strings('entities.wordAliases'),
    roleStart: i32('entities.roleStart'),
    roles: strings('entities.roles'),
  };
  source.bytes = null;
  const briefing = Briefing.fromParts({ documents, index, entitiesByDoc, quotesByDoc, timeline, entitiesSnapshot });
  return { corpusDir: header.corpusDir, analysisVersion: header.analysisVersion, loadOptions: header.loadOptions, files, briefing };
}
