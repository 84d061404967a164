/**
 * Writes a snapshot's sections to its file as they are made, through a few
 * reused buffers: a save holds no more than a moment's output, not the whole
 * file (150 MB at BBC ×10) in thousands of small buffers. Those buffers,
 * freed at once when the save ended, left the process's allocator 140 MB
 * larger for good (freed memory between live allocations is not given back
 * to the system), after every save.
 *
 * Strings are encoded straight into the current buffer; typed arrays larger
 * than a buffer are written from their own memory (no copy). `drain()`
 * writes what is waiting, and is called where the writer pauses for the
 * event loop. The section table is known only at the end, so the header
 * goes after the sections and the fixed preamble at the file's start, which
 * says where it is, is written last.
 */
import type { FileHandle } from 'node:fs/promises';

/** Bytes at the start of the file: magic (8), header length (u32), zero (u32), header position (f64). */
export const PREAMBLE_BYTES = 24;
/** Each buffer's size; a string or array at least a quarter of it goes out in its own. */
const CHUNK_BYTES = 1 << 20;

export type SectionType = 'u8' | 'i32' | 'u32' | 'f32' | 'f64' | 'utf8';
export interface SectionEntry {
  type: SectionType;
  /** From the end of the preamble. */
  offset: number;
  byteLength: number;
}

export class SnapshotWriter {
  readonly table: Record<string, SectionEntry> = {};
  /** File position up to which everything is written or waiting in `pending`. */
  private flushedTo = PREAMBLE_BYTES;
  private readonly pending: Uint8Array[] = [];
  private readonly spare: Buffer[] = [];
  /** The memory of the writer's own buffers (a caller's arrays are never reused). */
  private readonly own = new WeakSet<ArrayBufferLike>();
  private current: Buffer | null = null;
  private used = 0;
  private open: { name: string; type: SectionType; offset: number } | null = null;

  constructor(private readonly handle: FileHandle) {}

  /** Bytes written so far, from the end of the preamble. */
  get offset(): number {
    let at = this.flushedTo + this.used - PREAMBLE_BYTES;
    for (const chunk of this.pending) at += chunk.byteLength;
    return at;
  }

  /** Starts a section at the next 8-byte boundary. */
  begin(name: string, type: SectionType): void {
    if (this.open) throw new Error(`snapshot writer: section ${this.open.name} is still open`);
    if (name in this.table) throw new Error(`snapshot writer: section ${name} written twice`);
    const padding = (8 - (this.offset % 8)) % 8;
    if (padding > 0) this.bytes(new Uint8Array(padding));
    this.open = { name, type, offset: this.offset };
  }

  end(): void {
    const open = this.open;
    if (!open) throw new Error('snapshot writer: no section is open');
    this.table[open.name] = { type: open.type, offset: open.offset, byteLength: this.offset - open.offset };
    this.open = null;
  }

  /** A section of one typed array. */
  typed(name: string, array: Uint8Array | Int32Array | Uint32Array | Float32Array | Float64Array): void {
    const type: SectionType =
      array instanceof Uint8Array ? 'u8' : array instanceof Int32Array ? 'i32' : array instanceof Uint32Array ? 'u32' : array instanceof Float32Array ? 'f32' : 'f64';
    this.begin(name, type);
    this.bytes(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
    this.end();
  }

  /** Appends `s` as UTF-8; returns its length in bytes. */
  string(s: string): number {
    const length = Buffer.byteLength(s, 'utf8');
    if (length >= CHUNK_BYTES / 4) {
      this.bytes(Buffer.from(s, 'utf8'));
      return length;
    }
    if (!this.current || this.used + length > CHUNK_BYTES) this.next();
    this.current!.write(s, this.used, 'utf8');
    this.used += length;
    return length;
  }

  /** Appends bytes: copied when small; a large array waits in its own memory (it must not change until drained). */
  bytes(data: Uint8Array): void {
    if (data.byteLength >= CHUNK_BYTES / 4) {
      this.retire();
      this.pending.push(data);
      return;
    }
    if (!this.current || this.used + data.byteLength > CHUNK_BYTES) this.next();
    this.current!.set(data, this.used);
    this.used += data.byteLength;
  }

  /** Writes everything waiting; the buffers are used again. */
  async drain(): Promise<void> {
    this.retire();
    while (this.pending.length > 0) {
      const chunk = this.pending.shift()!;
      let done = 0;
      while (done < chunk.byteLength) {
        const { bytesWritten } = await this.handle.write(chunk, done, chunk.byteLength - done, this.flushedTo + done);
        done += bytesWritten;
      }
      this.flushedTo += chunk.byteLength;
      // A buffer of ours (a full one or the last part of one) goes back to the spares; a caller's array does not.
      if (this.own.has(chunk.buffer) && this.spare.length < 2) this.spare.push(Buffer.from(chunk.buffer as ArrayBuffer, 0, CHUNK_BYTES));
    }
  }

  /**
   * Writes what is left, then the header (made from the section table) after the sections and the
   * preamble in front; returns the file's size.
   */
  async finish(magic: string, header: (table: Record<string, SectionEntry>) => object): Promise<number> {
    if (this.open) throw new Error(`snapshot writer: section ${this.open.name} is still open`);
    const padding = (8 - (this.offset % 8)) % 8;
    if (padding > 0) this.bytes(new Uint8Array(padding));
    await this.drain();
    const headerAt = this.flushedTo;
    const headerBytes = Buffer.from(JSON.stringify(header(this.table)), 'utf8');
    await this.handle.write(headerBytes, 0, headerBytes.byteLength, headerAt);
    const preamble = Buffer.alloc(PREAMBLE_BYTES);
    preamble.write(magic, 0, 'latin1');
    preamble.writeUInt32LE(headerBytes.byteLength, 8);
    preamble.writeDoubleLE(headerAt, 16);
    await this.handle.write(preamble, 0, PREAMBLE_BYTES, 0);
    return headerAt + headerBytes.byteLength;
  }

  /** The current buffer, as far as it is filled, joins the queue. */
  private retire(): void {
    if (this.current && this.used > 0) this.pending.push(this.current.subarray(0, this.used));
    this.current = null;
    this.used = 0;
  }

  private next(): void {
    this.retire();
    let buffer = this.spare.pop();
    if (!buffer) {
      buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES);
      this.own.add(buffer.buffer);
    }
    this.current = buffer;
  }
}

/** Where a file's header is and how long, from its preamble; null when the preamble does not fit the file. */
export function readPreamble(preamble: Buffer, size: number): { headerAt: number; headerLength: number } | null {
  if (preamble.byteLength < PREAMBLE_BYTES) return null;
  const headerLength = preamble.readUInt32LE(8);
  const headerAt = preamble.readDoubleLE(16);
  if (!Number.isInteger(headerAt) || headerAt < PREAMBLE_BYTES || headerAt + headerLength > size) return null;
  return { headerAt, headerLength };
}
