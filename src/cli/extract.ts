import { readFile } from 'node:fs/promises';
import { decodeHtml } from '../sources/extract/decode.js';
import { extractArticle, type ExtractedArticle } from '../sources/extract/index.js';
import type { CliIO } from './run.js';

/** One line of `sitrep extract --json` (CLI-CONTRACT.md). */
export interface ExtractLine {
  file: string;
  title: string | null;
  outlet: string | null;
  published: string | null;
  author: string | null;
  url: string | null;
  canonical: string | null;
  language: string | null;
  text: string;
  error: string | null;
}

/** Files bigger than this are not read (a page is never this large). */
const MAX_FILE_BYTES = 20 * 1024 * 1024;

async function extractFile(file: string): Promise<ExtractLine> {
  const empty = { title: null, outlet: null, published: null, author: null, url: null, canonical: null, language: null, text: '' };
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a file' : code === 'EACCES' ? 'permission denied' : (code ?? (error as Error).message);
    return { file, ...empty, error: `cannot read the file: ${reason}` };
  }
  if (bytes.length > MAX_FILE_BYTES) return { file, ...empty, error: `file too large: ${bytes.length} bytes (at most ${MAX_FILE_BYTES})` };
  const article: ExtractedArticle = extractArticle(decodeHtml(bytes));
  return {
    file,
    title: article.title,
    outlet: article.outlet,
    published: article.published,
    author: article.author,
    url: null,
    canonical: article.canonical,
    language: article.language,
    text: article.text,
    error: article.error,
  };
}

function formatLine(line: ExtractLine): string {
  const head = `== ${line.file}`;
  const facts = [
    ['title', line.title],
    ['outlet', line.outlet],
    ['published', line.published],
    ['author', line.author],
    ['canonical', line.canonical],
    ['language', line.language],
  ]
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}: ${v}`);
  const body = line.error ? `(no text: ${line.error})` : line.text;
  return [head, ...facts, '', body, ''].join('\n');
}

/**
 * `sitrep extract FILE.html... [--json]`: one result per file, in order, also
 * for files that cannot be read (their `error` says why). Nothing is stored.
 * Always exits 0: a page without an article is an answer, not a failure.
 */
export async function extractFiles(files: readonly string[], json: boolean, io: CliIO): Promise<number> {
  for (const file of files) {
    const line = await extractFile(file);
    io.stdout(json ? `${JSON.stringify(line)}\n` : `${formatLine(line)}\n`);
  }
  return 0;
}
