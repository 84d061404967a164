/**
 * `.html` / `.htm` pages dropped into the corpus folder by hand are indexed
 * through their extracted text, never as markup: each is extracted once into
 * `FETCHED_DIR/local/<its path in the corpus>.md` (front matter `source:`
 * names the page), re-extracted when the page changes, and the text file is
 * deleted when the page is. A page whose text is already stored (the same
 * article added with `sitrep add` or /article) is not stored a second time.
 */
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { normalizePublishedDate } from '../corpus/dates.js';
import { loadExtractor } from './article.js';
import { ArticleStore, articleFileText, countWords, MIN_ARTICLE_WORDS } from './store.js';

export const LOCAL_FOLDER = 'local';
const PAGE_EXTENSIONS = /\.html?$/i;
/** A page larger than this is skipped (as /article and `add` refuse it). */
const MAX_PAGE_BYTES = 5 * 1024 * 1024;

export interface LocalPageWarning {
  doc: string;
  message: string;
}

/** Warned once per page version in this process (the folder is rescanned every minute). */
const warned = new Set<string>();

function inside(child: string, parent: string): boolean {
  const rel = relative(resolve(parent), resolve(child));
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[a-z]:/i.test(rel));
}

async function listPages(root: string, skip: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    if (inside(dir, skip)) return;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && PAGE_EXTENSIONS.test(entry.name)) found.push(relative(root, full).split(sep).join('/'));
    }
  };
  await walk(root);
  return found.sort();
}

/**
 * Brings `FETCHED_DIR/local/` in line with the pages in the corpus folder.
 * Never throws: what cannot be done is a warning (a read-only fetched folder,
 * a page with no article text).
 */
export async function syncLocalPages(corpusDir: string, fetchedDir: string): Promise<LocalPageWarning[]> {
  const warnings: LocalPageWarning[] = [];
  const warn = (doc: string, key: string, message: string): void => {
    if (warned.has(key)) return;
    warned.add(key);
    warnings.push({ doc, message });
  };
  const pages = await listPages(corpusDir, fetchedDir);
  const localDir = join(fetchedDir, LOCAL_FOLDER);
  const wanted = new Set(pages.map((p) => `${p}.md`));
  // Text files whose page is gone go too.
  const existing: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && entry.name.endsWith('.md')) existing.push(relative(localDir, full).split(sep).join('/'));
    }
  };
  await walk(localDir);
  for (const path of existing) if (!wanted.has(path)) await unlink(join(localDir, path)).catch(() => undefined);
  if (pages.length === 0) return warnings;

  let store: ArticleStore | null = null;
  const { decodeHtml, extractArticle } = await loadExtractor();
  for (const page of pages) {
    const source = join(corpusDir, page);
    const target = join(localDir, `${page}.md`);
    const [pageInfo, targetInfo] = await Promise.all([stat(source).catch(() => null), stat(target).catch(() => null)]);
    if (!pageInfo) continue;
    if (targetInfo && targetInfo.mtimeMs >= pageInfo.mtimeMs) continue;
    const key = `${page}:${pageInfo.mtimeMs}`;
    if (pageInfo.size > MAX_PAGE_BYTES) {
      warn(page, key, `skipped: ${(pageInfo.size / 1024 / 1024).toFixed(1)} MB is over the 5 MB limit for one page`);
      continue;
    }
    let html: string;
    try {
      html = decodeHtml(await readFile(source));
    } catch (error) {
      warn(page, key, `skipped: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      continue;
    }
    const article = extractArticle(html, { url: null });
    const paragraphs = (article.paragraphs.length > 0 ? article.paragraphs : article.text.split(/\n\s*\n/)).map((p) => p.replace(/\n{2,}/g, '\n').trim()).filter(Boolean);
    const body = paragraphs.join('\n\n');
    const words = countWords(body);
    if (words < MIN_ARTICLE_WORDS) {
      warn(page, key, `skipped: not an article (${words} words of text${article.error ? `; ${article.error}` : ''})`);
      if (targetInfo) await unlink(target).catch(() => undefined);
      continue;
    }
    store ??= new ArticleStore(fetchedDir, corpusDir);
    const twin = await store.findByText(body);
    if (twin && twin.path !== `${LOCAL_FOLDER}/${page}.md`) {
      warn(page, key, `not indexed a second time: the same text is already in the sources as ${twin.doc}`);
      continue;
    }
    const front = {
      title: article.title,
      outlet: article.outlet,
      published: article.published ? normalizePublishedDate(article.published) : null,
      author: article.author,
      url: null,
      canonical: article.canonical,
      fetched: new Date().toISOString(),
      language: article.language,
      source: page,
    };
    try {
      await mkdir(dirname(target), { recursive: true });
      const temp = `${target}.${process.pid}.tmp`;
      await writeFile(temp, articleFileText(front, body), 'utf8');
      await rename(temp, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      warn(page, key, `the page's text cannot be stored in ${localDir} (${code ?? (error as Error).message}); set FETCHED_DIR to a writable folder`);
    }
  }
  return warnings;
}
