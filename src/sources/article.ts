/**
 * The one place live sources get their HTML → article extraction from: the
 * extract module (`extractArticle(html, { url })`, synchronous, never throws).
 */
export { extractArticle, type ExtractedArticle } from './extract/index.js';
