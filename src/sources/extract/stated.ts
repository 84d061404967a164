/**
 * The page's own statement of its body (JSON-LD `articleBody`) as a check on
 * the chosen body. The text kept is always the DOM's (paragraphs, headings and
 * lists survive); the statement only says which parts of the page are the
 * article. When the chosen body holds little of the stated one, the page's
 * paragraphs that the statement contains become the body; when the page shows
 * none of it (a body drawn by scripts), the statement itself is the body.
 */
import { countWords, type TextBlock } from './text.js';

/** A stated body shorter than this (words) says too little to judge by (a teaser or summary). */
export const MIN_STATED_WORDS = 80;
/** The chosen body is trusted when it holds at least this share of the stated body's word triples. */
const TRUSTED_COVERAGE = 0.7;
/** A page block belongs to the stated body when at least this share of its word triples are in it. */
const BLOCK_MATCH = 0.6;
/** The page blocks that match must hold this share of the stated body to replace the chosen one. */
const MATCHED_COVERAGE = 0.7;
/** The statement itself replaces a chosen body holding less than this share of it. */
const STATED_ALONE_BELOW = 0.2;

function words(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
}

function triples(ws: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 3 <= ws.length; i++) out.push(`${ws[i]} ${ws[i + 1]} ${ws[i + 2]}`);
  return out;
}

/** Share of the stated body's word triples that the blocks hold. */
export function coverage(stated: Set<string>, blocks: TextBlock[]): number {
  if (stated.size === 0) return 0;
  const held = new Set<string>();
  for (const b of blocks) for (const t of triples(words(b.text))) if (stated.has(t)) held.add(t);
  return held.size / stated.size;
}

export interface StatedCheck {
  blocks: TextBlock[];
  /** What decided: the chosen body stood, page paragraphs matching the statement, or the statement itself. */
  by: 'chosen' | 'matched' | 'stated';
}

/**
 * Checks the chosen body against the stated one. `pageBlocks` gives the whole page's paragraphs (in
 * order) and is only asked for when the chosen body fails the check.
 */
export function checkAgainstStated(chosen: TextBlock[], statedBody: string | null, pageBlocks: () => TextBlock[]): StatedCheck {
  if (!statedBody || countWords(statedBody) < MIN_STATED_WORDS) return { blocks: chosen, by: 'chosen' };
  const stated = new Set(triples(words(statedBody)));
  const chosenCoverage = coverage(stated, chosen);
  if (chosenCoverage >= TRUSTED_COVERAGE) return { blocks: chosen, by: 'chosen' };
  const page = pageBlocks();
  const matches = page.map((b) => {
    const ts = triples(words(b.text));
    if (ts.length === 0) return false;
    return ts.filter((t) => stated.has(t)).length / ts.length >= BLOCK_MATCH;
  });
  const first = matches.indexOf(true);
  const last = matches.lastIndexOf(true);
  const normalisedStatement = words(statedBody).join(' ');
  // Short blocks (headings, one-line paragraphs) between matching ones belong when the statement holds them.
  const matched = page.filter((b, i) => matches[i] || (i > first && i < last && triples(words(b.text)).length === 0 && words(b.text).length > 0 && normalisedStatement.includes(words(b.text).join(' '))));
  if (matched.length > 0 && coverage(stated, matched) >= MATCHED_COVERAGE && coverage(stated, matched) > chosenCoverage) return { blocks: dedupe(matched), by: 'matched' };
  if (chosenCoverage < STATED_ALONE_BELOW) return { blocks: statedBody.split('\n').map((text) => ({ text, linkChars: 0 })), by: 'stated' };
  return { blocks: chosen, by: 'chosen' };
}

/** A page often shows the same paragraph twice (a print copy, a teaser): keep the first. */
function dedupe(blocks: TextBlock[]): TextBlock[] {
  const seen = new Set<string>();
  return blocks.filter((b) => {
    const key = words(b.text).join(' ');
    if (key.split(' ').length >= 8 && seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
