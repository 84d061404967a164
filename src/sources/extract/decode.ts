/**
 * A fetched or stored page's bytes → its markup as text, in the encoding the
 * page declares: a byte-order mark, else the HTTP Content-Type charset, else a
 * <meta charset> / http-equiv in the first bytes, else UTF-8 when the bytes are
 * valid UTF-8, else windows-1252 (what browsers assume for legacy pages).
 */

/** How far into the page a <meta charset> is looked for (the HTML standard says 1024 bytes; pages go further). */
const META_SNIFF_BYTES = 4096;

function decoderFor(label: string): InstanceType<typeof TextDecoder> | null {
  try {
    return new TextDecoder(label.trim().toLowerCase());
  } catch {
    return null;
  }
}

function declaredCharset(bytes: Uint8Array): string | null {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, META_SNIFF_BYTES));
  const meta = /<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)/i.exec(head);
  return meta ? meta[1]! : null;
}

function charsetOfContentType(contentType: string | null | undefined): string | null {
  const m = /charset\s*=\s*["']?([\w:.-]+)/i.exec(contentType ?? '');
  return m ? m[1]! : null;
}

/** Decodes page bytes; `contentType` is the HTTP header when the page was fetched. */
export function decodeHtml(bytes: Uint8Array, contentType?: string | null): string {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  for (const label of [charsetOfContentType(contentType), declaredCharset(bytes)]) {
    if (!label) continue;
    // A page that says UTF-16 in ASCII markup is not UTF-16 (the HTML standard reads it as UTF-8).
    const normalised = /^utf-?16/i.test(label) ? 'utf-8' : label;
    const decoder = decoderFor(normalised);
    if (decoder) {
      // Pages often declare UTF-8 and are Latin-1, or the reverse; trust the bytes when they disagree.
      if (decoder.encoding === 'utf-8') break;
      if (decoder.encoding === 'windows-1252' && isUtf8(bytes)) break;
      return decoder.decode(bytes);
    }
  }
  const utf8 = new TextDecoder('utf-8').decode(bytes);
  return mostlyUtf8(bytes, utf8) ? utf8 : new TextDecoder('windows-1252').decode(bytes);
}

/** Share of a page's non-ASCII bytes that may be broken UTF-8 (a stray byte in a UTF-8 page) before it is read as windows-1252. */
const MAX_BROKEN_UTF8_SHARE = 0.02;

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** UTF-8 with at most a few broken sequences (as browsers read it: the broken bytes become U+FFFD). Latin-1 read as UTF-8 breaks at nearly every non-ASCII byte. */
function mostlyUtf8(bytes: Uint8Array, decoded: string): boolean {
  let broken = 0;
  for (let i = decoded.indexOf('\ufffd'); i !== -1; i = decoded.indexOf('\ufffd', i + 1)) broken++;
  if (broken === 0) return true;
  let nonAscii = 0;
  for (const b of bytes) if (b >= 0x80) nonAscii++;
  return broken <= MAX_BROKEN_UTF8_SHARE * nonAscii;
}
