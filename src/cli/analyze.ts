import { readFile } from 'node:fs/promises';
import { analyzeText } from '../analysis/analyze.js';
import { buildDocument } from '../corpus/document.js';
import type { CliIO } from './run.js';

/**
 * `sitrep analyze FILE... [--published DATE]`: one JSON line per file. The
 * reference date is the one the file states (front matter or a dateline), else
 * --published. A file that cannot be read is reported on standard error and
 * the others still run; the exit code is 2 when any file failed.
 */
export async function analyzeFiles(files: readonly string[], published: string | null, io: CliIO): Promise<number> {
  let failed = 0;
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      io.stderr(`sitrep: ${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})\n`);
      failed++;
      continue;
    }
    const text = bytes.toString('utf8');
    const built = buildDocument(file, bytes);
    const stated = built.ok ? built.document.meta.published : null;
    io.stdout(`${JSON.stringify(analyzeText(file, text, { published: stated ?? published }))}\n`);
  }
  return failed > 0 ? 2 : 0;
}
