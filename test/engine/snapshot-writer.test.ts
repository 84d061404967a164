import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PREAMBLE_BYTES, readPreamble, SnapshotWriter } from '../../src/engine/snapshot-writer.js';

/** Writes with `write`, then reads the file back: its header and each section's bytes. */
async function roundTrip(write: (writer: SnapshotWriter) => Promise<void>): Promise<{ bytes: Buffer; header: { sections: Record<string, { type: string; offset: number; byteLength: number }> }; section(name: string): Buffer }> {
  const path = join(mkdtempSync(join(tmpdir(), 'sitrep-writer-')), 'snap.bin');
  const handle = await open(path, 'w');
  const writer = new SnapshotWriter(handle);
  await write(writer);
  const size = await writer.finish('TESTMAGC', (sections) => ({ sections }));
  await handle.close();
  const bytes = readFileSync(path);
  assert.equal(bytes.byteLength, size);
  assert.equal(bytes.toString('latin1', 0, 8), 'TESTMAGC');
  const where = readPreamble(bytes.subarray(0, PREAMBLE_BYTES), bytes.byteLength);
  assert.ok(where);
  const header = JSON.parse(bytes.toString('utf8', where.headerAt, where.headerAt + where.headerLength)) as Awaited<ReturnType<typeof roundTrip>>['header'];
  return {
    bytes,
    header,
    section(name) {
      const entry = header.sections[name]!;
      assert.ok(entry, `section ${name}`);
      assert.ok(PREAMBLE_BYTES + entry.offset + entry.byteLength <= where.headerAt, `${name} lies before the header`);
      return bytes.subarray(PREAMBLE_BYTES + entry.offset, PREAMBLE_BYTES + entry.offset + entry.byteLength);
    },
  };
}

test('sections round-trip: strings (small, multi-byte, larger than a buffer), small and large typed arrays, each at an 8-byte boundary', async () => {
  const words = Array.from({ length: 30_000 }, (_, i) => `wörd ${i} — 東京 ${'x'.repeat(i % 50)}`);
  const big = 'Ü'.repeat(600_000); // 1.2 MB of UTF-8: goes out in a buffer of its own
  const small = Float64Array.from({ length: 7 }, (_, i) => i / 3);
  const large = Uint32Array.from({ length: 300_000 }, (_, i) => (i * 2654435761) >>> 0); // 1.2 MB: written from its own memory
  let drains = 0;
  const read = await roundTrip(async (w) => {
    w.begin('words', 'utf8');
    const lengths: number[] = [];
    for (let i = 0; i < words.length; i++) {
      lengths.push(w.string(words[i]!));
      if (i % 1000 === 999) {
        await w.drain();
        drains++;
      }
    }
    w.end();
    assert.deepEqual(lengths, words.map((s) => Buffer.byteLength(s)));
    w.typed('odd', Uint8Array.of(1, 2, 3));
    w.begin('big', 'utf8');
    w.string('<');
    w.string(big);
    w.string('>');
    w.end();
    w.typed('small', small);
    w.typed('large', large);
    await w.drain();
    // Written after the large array went out: the writer's buffers are used again, the caller's array is not.
    w.begin('after', 'utf8');
    for (let i = 0; i < 3000; i++) w.string(words[i]!);
    w.end();
    w.begin('empty', 'utf8');
    w.end();
  });
  assert.ok(drains > 10);
  assert.equal(read.section('words').toString('utf8'), words.join(''));
  assert.deepEqual([...read.section('odd')], [1, 2, 3]);
  assert.equal(read.section('big').toString('utf8'), `<${big}>`);
  const s = read.section('small');
  assert.deepEqual(new Float64Array(s.buffer.slice(s.byteOffset, s.byteOffset + s.byteLength)), small);
  const l = read.section('large');
  assert.deepEqual(new Uint32Array(l.buffer.slice(l.byteOffset, l.byteOffset + l.byteLength)), large);
  assert.ok(large.every((v, i) => v === (i * 2654435761) >>> 0), 'the caller’s array is as it was');
  assert.equal(read.section('after').toString('utf8'), words.slice(0, 3000).join(''));
  assert.equal(read.section('empty').byteLength, 0);
  for (const [name, entry] of Object.entries(read.header.sections)) assert.equal(entry.offset % 8, 0, `${name} is aligned`);
  assert.equal(read.header.sections['large']!.type, 'u32');
  assert.equal(read.header.sections['small']!.type, 'f64');
});

test('a writer that drains as it goes holds a few buffers, not its output', async () => {
  const item = 'y'.repeat(3000);
  let peak = 0;
  const base = process.memoryUsage().arrayBuffers;
  const read = await roundTrip(async (w) => {
    w.begin('many', 'utf8');
    // 30 MB in 10,000 strings, drained every 100 (300 kB), as the snapshot writer drains at its pauses.
    for (let i = 0; i < 10_000; i++) {
      w.string(item);
      if (i % 100 === 99) {
        await w.drain();
        peak = Math.max(peak, process.memoryUsage().arrayBuffers - base);
      }
    }
    w.end();
  });
  assert.equal(read.section('many').byteLength, 30_000_000);
  assert.ok(read.section('many').every((b) => b === 0x79));
  assert.ok(peak < 8 * (1 << 20), `array buffers grew by ${(peak / (1 << 20)).toFixed(1)} MB while writing 30 MB`);
});

test('a preamble that points outside the file is refused', () => {
  const preamble = Buffer.alloc(PREAMBLE_BYTES);
  preamble.writeUInt32LE(100, 8);
  preamble.writeDoubleLE(1000, 16);
  assert.equal(readPreamble(preamble, 1099), null);
  assert.deepEqual(readPreamble(preamble, 1100), { headerAt: 1000, headerLength: 100 });
  preamble.writeDoubleLE(10, 16);
  assert.equal(readPreamble(preamble, 1100), null, 'a header inside the preamble');
  preamble.writeDoubleLE(1000.5, 16);
  assert.equal(readPreamble(preamble, 1100), null);
});

test('sections cannot overlap or repeat', async () => {
  await roundTrip(async (w) => {
    w.begin('a', 'utf8');
    assert.throws(() => w.begin('b', 'utf8'), /still open/);
    w.end();
    assert.throws(() => w.end(), /no section/);
    assert.throws(() => w.begin('a', 'utf8'), /twice/);
  });
});

test('a large array given to the writer is written from its memory and never used as one of its buffers', async () => {
  const large = Uint32Array.from({ length: 300_000 }, (_, i) => i);
  const read = await roundTrip(async (w) => {
    w.typed('large', large);
    await w.drain();
    w.begin('text', 'utf8');
    for (let i = 0; i < 1000; i++) w.string('z'.repeat(1000));
    w.end();
    await w.drain();
  });
  assert.ok(large.every((v, i) => v === i), 'the caller’s array is as it was');
  assert.equal(read.section('text').toString('latin1'), 'z'.repeat(1_000_000));
});
