/**
 * The one place live sources get their HTML → article extraction from: the
 * extract module (`extractArticle(html, { url })`, synchronous, never throws)
 * and its `decodeHtml` (bytes → markup in the encoding the page declares).
 * Loaded on first use: its HTML parsers are not needed to start the bot or to
 * load a corpus without pages.
 */
import type { decodeHtml } from './extract/decode.js';
import type { extractArticle, ExtractedArticle } from './extract/index.js';

export type { ExtractedArticle };

export interface Extractor {
  extractArticle: typeof extractArticle;
  decodeHtml: typeof decodeHtml;
}

let loading: Promise<Extractor> | null = null;

export function loadExtractor(): Promise<Extractor> {
  loading ??= Promise.all([import('./extract/index.js'), import('./extract/decode.js')]).then(([page, decode]) => ({
    extractArticle: page.extractArticle,
    decodeHtml: decode.decodeHtml,
  }));
  return loading;
}
