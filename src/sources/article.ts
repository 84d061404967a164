/**
 * The one place live sources get their HTML → article extraction from: the
 * extract module (`extractArticle(html, { url })`, synchronous, never throws),
 * and its `decodeHtml` (bytes → markup in the encoding the page declares).
 */
export { extractArticle, type ExtractedArticle } from './extract/index.js';
export { decodeHtml } from './extract/decode.js';
