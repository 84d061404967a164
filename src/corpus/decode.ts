/**
 * Turning a file's bytes into text, or saying why it cannot be read.
 * Offsets everywhere else are into the string this returns, which for UTF-8
 * is exactly what `fs.readFileSync(path, 'utf8')` gives (a BOM is kept).
 */

export type DecodeOutcome =
  | { ok: true; text: string; encoding: 'utf8' | 'latin1'; warning?: string }
  | { ok: false; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const latin1 = new TextDecoder('latin1');

/** How many bytes are sniffed for binary content. */
const SNIFF_BYTES = 8192;
/** Share of control characters (other than tab, newline, carriage return, form feed) above which a file is binary. */
const MAX_CONTROL_SHARE = 0.05;

export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, SNIFF_BYTES);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) return true;
    if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12) control++;
  }
  return n > 0 && control / n > MAX_CONTROL_SHARE;
}

export function decodeDocument(bytes: Uint8Array): DecodeOutcome {
  if (bytes.length === 0) return { ok: false, reason: 'empty file' };
  if (looksBinary(bytes)) return { ok: false, reason: 'binary content (not text)' };
  try {
    return { ok: true, text: utf8.decode(bytes), encoding: 'utf8' };
  } catch {
    return {
      ok: true,
      text: latin1.decode(bytes),
      encoding: 'latin1',
      warning: 'not valid UTF-8; read as Latin-1',
    };
  }
}
