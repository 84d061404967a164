/**
 * The saved state a bot starts from: one file in CACHE_DIR holding
 * everything needed to answer — the files it was built from (path, size,
 * modification time), the documents (metadata as JSON; texts as one UTF-8
 * section; blocks, paragraphs and sentences as typed arrays), the
 * per-document analyses, and the search index's typed arrays — written as
 * raw buffers, so loading reads one file and wraps its bytes instead of
 * parsing numbers out of JSON.
 *
 * Layout: 8-byte magic, u32 header length, header JSON (versions, corpus
 * folder, section table), then each section at an 8-byte aligned offset.
 * A snapshot is used only when its format, analysis version and corpus
 * folder match; whether the files are still the same is for the caller to
 * verify (LiveBriefing compares path, size and modification time).
 */
import { open, readFile, rename, rm } from 'node:fs/promises';
import type { Block, BlockRole, CorpusDocument } from '../types.js';
import type { DocumentAnalysis } from '../analysis/document-analysis.js';
import { SearchIndex, type IndexBinary } from '../index/search-index.js';

const MAGIC = 'SRSNAP02';
export const SNAPSHOT_FILE = 'snapshot.bin';

const ROLES: readonly BlockRole[] = ['site', 'breadcrumb', 'headline', 'dateline', 'byline', 'bio', 'navigation', 'related', 'credit', 'heading', 'content'];
const ROLE_CODES = new Map(ROLES.map((r, i) => [r, i]));

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
  documents: CorpusDocument[];
  analyses: readonly DocumentAnalysis[];
  index: SearchIndex;
}

export interface SnapshotExpectation {
  corpusDir: string;
  analysisVersion: string;
  loadOptions: string;
}

type SectionType = 'u8' | 'u32' | 'f32' | 'f64' | 'utf8';
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
function pacer(budgetMs = 20): () => Promise<void> {
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

/** Writes a snapshot (to a temporary file, then renamed into place). Returns its size in bytes. */
export async function writeSnapshot(path: string, contents: SnapshotContents): Promise<number> {
  const pause = pacer();
  const { documents } = contents;
  const sections: { name: string; type: SectionType; chunks: Uint8Array[] }[] = [];
  const add = (name: string, type: SectionType, chunks: Uint8Array[]): void => {
    sections.push({ name, type, chunks });
  };
  const typed = (name: string, array: Uint8Array | Uint32Array | Float32Array | Float64Array): void => {
    const type: SectionType = array instanceof Uint8Array ? 'u8' : array instanceof Uint32Array ? 'u32' : array instanceof Float32Array ? 'f32' : 'f64';
    add(name, type, [new Uint8Array(array.buffer, array.byteOffset, array.byteLength)]);
  };

  const files = contents.files;
  add('files', 'utf8', [Buffer.from(JSON.stringify(files))]);
  const meta = documents.map((d) => ({ doc: d.doc, paths: d.paths, encoding: d.encoding, meta: d.meta, bodyStart: d.bodyStart, hash: d.hash, mtimeMs: d.mtimeMs }));
  add('documents', 'utf8', await jsonArrayChunks(meta, pause));
  await pause();

  // Texts: one UTF-8 section; offsets in UTF-16 units of the joined string.
  const textOffsets = new Float64Array(documents.length + 1);
  const textChunks: Uint8Array[] = [];
  for (let i = 0; i < documents.length; i++) {
    const d = documents[i]!;
    textOffsets[i + 1] = textOffsets[i]! + d.text.length;
    textChunks.push(Buffer.from(d.text, 'utf8'));
    if (i % 256 === 255) await pause();
  }
  add('text', 'utf8', textChunks);
  typed('textOffsets', textOffsets);
  await pause();

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

  add('analyses', 'utf8', await jsonArrayChunks(contents.analyses, pause));

  const index = contents.index.toBinary();
  add('index.terms', 'utf8', [Buffer.from(index.terms, 'utf8')]);
  for (const name of ['offsets', 'docs', 'impacts', 'maxImpact', 'passageDoc', 'passageParagraph', 'passageStart', 'passageEnd'] as const) {
    typed(`index.${name}`, index[name]);
  }

  // Lay out the sections after the header; offsets count from the first 8-byte boundary after it.
  const table: Record<string, SectionEntry> = {};
  let offset = 0;
  for (const section of sections) {
    const byteLength = section.chunks.reduce((n, c) => n + c.byteLength, 0);
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
  const handle = await open(temporary, 'w');
  let size = 0;
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
  } finally {
    await handle.close();
  }
  await rename(temporary, path).catch(async (error: unknown) => {
    await rm(temporary, { force: true });
    throw error;
  });
  return size;
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
    return decodeSnapshot(bytes, expected);
  } catch {
    return null;
  }
}

function decodeSnapshot(bytes: Buffer, expected: SnapshotExpectation): SnapshotContents | null {
  if (bytes.byteLength < 12 || bytes.toString('latin1', 0, 8) !== MAGIC) return null;
  const headerLength = bytes.readUInt32LE(8);
  const header = JSON.parse(bytes.toString('utf8', 12, 12 + headerLength)) as Header;
  if (header.analysisVersion !== expected.analysisVersion || header.corpusDir !== expected.corpusDir || header.loadOptions !== expected.loadOptions) return null;
  const dataStart = Math.ceil((12 + headerLength) / 8) * 8;
  const section = (name: string): SectionEntry => {
    const entry = header.sections[name];
    if (!entry || dataStart + entry.offset + entry.byteLength > bytes.byteLength) throw new Error(`snapshot: section ${name} missing or truncated`);
    return { type: entry.type, offset: dataStart + entry.offset, byteLength: entry.byteLength };
  };
  const utf8 = (name: string): string => {
    const { offset, byteLength } = section(name);
    return bytes.toString('utf8', offset, offset + byteLength);
  };
  // Typed arrays are copied out, so the file's bytes can be freed once read.
  const copy = (name: string): ArrayBuffer => {
    const { offset, byteLength } = section(name);
    return new Uint8Array(bytes.buffer, bytes.byteOffset + offset, byteLength).slice().buffer;
  };
  const u32 = (name: string): Uint32Array => new Uint32Array(copy(name));
  const u8 = (name: string): Uint8Array => new Uint8Array(copy(name));
  const f32 = (name: string): Float32Array => new Float32Array(copy(name));
  const f64 = (name: string): Float64Array => new Float64Array(copy(name));

  const files = JSON.parse(utf8('files')) as SnapshotFile[];
  const meta = JSON.parse(utf8('documents')) as Omit<CorpusDocument, 'text' | 'blocks' | 'paragraphs' | 'sentences'>[];
  const text = utf8('text');
  const textOffsets = f64('textOffsets');
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
  if (textOffsets[meta.length] !== text.length) throw new Error('snapshot: text length mismatch');

  const documents: CorpusDocument[] = meta.map((m, i) => {
    const blocks: Block[] = [];
    for (let k = blockOffsets[i]!; k < blockOffsets[i + 1]!; k++) blocks.push({ start: blockStart[k]!, end: blockEnd[k]!, role: ROLES[blockRole[k]!]! });
    const paragraphs = [];
    const base = paragraphOffsets[i]!;
    for (let k = base; k < paragraphOffsets[i + 1]!; k++) paragraphs.push({ index: k - base, start: paragraphStart[k]!, end: paragraphEnd[k]! });
    const sentences = [];
    for (let k = sentenceOffsets[i]!; k < sentenceOffsets[i + 1]!; k++) sentences.push({ start: sentenceStart[k]!, end: sentenceEnd[k]!, paragraph: sentenceParagraph[k]! });
    return {
      doc: m.doc,
      paths: m.paths,
      text: text.slice(textOffsets[i]!, textOffsets[i + 1]!),
      encoding: m.encoding,
      meta: m.meta,
      bodyStart: m.bodyStart,
      blocks,
      paragraphs,
      sentences,
      hash: m.hash,
      mtimeMs: m.mtimeMs,
    };
  });
  const analyses = JSON.parse(utf8('analyses')) as DocumentAnalysis[];
  if (analyses.length !== documents.length) throw new Error('snapshot: analyses do not match documents');

  const binary: IndexBinary = {
    version: 2,
    terms: utf8('index.terms'),
    offsets: u32('index.offsets'),
    docs: u32('index.docs'),
    impacts: f32('index.impacts'),
    maxImpact: f32('index.maxImpact'),
    passageDoc: u32('index.passageDoc'),
    passageParagraph: u32('index.passageParagraph'),
    passageStart: u32('index.passageStart'),
    passageEnd: u32('index.passageEnd'),
  };
  const index = SearchIndex.fromBinary(binary);
  return { corpusDir: header.corpusDir, analysisVersion: header.analysisVersion, loadOptions: header.loadOptions, files, documents, analyses, index };
}
