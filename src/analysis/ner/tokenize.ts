/**
 * Tokenizer and sentence splitter for the entity recogniser.
 *
 * Tokens follow the CoNLL-2003 (Penn-like) conventions the tagger was trained
 * on, so that raw news text and space-separated CoNLL tokens come out the same:
 * possessive and clitic endings are split ("Kishida’s" → "Kishida" "’s",
 * "don't" → "do" "n't"), hyphenated words stay whole ("Asia-Pacific"),
 * abbreviations keep their periods ("U.S.", "Mr.", "J."), numbers keep their
 * inner punctuation ("1,000", "4.5", "1996-08-30"). Every token carries its
 * character offsets into the input: `text.slice(start, end) === token.text`.
 */

export interface Token {
  start: number;
  end: number;
  text: string;
}

/** A sentence as a half-open range of token indices. */
export interface SentenceRange {
  first: number;
  /** One past the last token. */
  last: number;
}

/** Words that keep a following period as part of the token (lower-cased, without the period). */
const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'st', 'jr', 'sr', 'gen', 'lt', 'col', 'sgt', 'capt', 'cmdr', 'adm',
  'maj', 'gov', 'sen', 'rep', 'rev', 'hon', 'pres', 'inc', 'corp', 'ltd', 'co', 'bros', 'plc', 'vs',
  'etc', 'no', 'nos', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov',
  'dec', 'mt', 'ft', 'ave', 'blvd', 'dept', 'est', 'approx', 'fig', 'al',
]);

// One regular expression, tried at each position inside a whitespace-free chunk.
// Order matters: the first alternative that matches at the position wins.
const TOKEN_PATTERN = new RegExp(
  [
    // URLs and e-mail addresses
    String.raw`(?:https?://|www\.)[^\s<>"“”]+[^\s<>"“”.,;:!?)\]'’]`,
    String.raw`[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}`,
    // dotted abbreviations: U.S., U.N., a.m., possibly with a hyphenated tail (U.S.-led)
    String.raw`(?:\p{L}\.){2,}(?:-[\p{L}\p{N}]+)*`,
    // numbers with inner punctuation and an optional unit or ordinal tail: 1,000 4.5 1996-08-30 2030s 18th
    String.raw`\p{N}+(?:[.,:/-]\p{N}+)*(?:\p{L}+)?(?:-[\p{L}\p{N}]+)*`,
    // words with inner hyphens, apostrophes and ampersands: Asia-Pacific O'Neill AT&T Kishida’s
    String.raw`[\p{L}\p{M}\p{N}]+(?:[-'’&·][\p{L}\p{M}\p{N}]+)*`,
    // clitics standing alone (CoNLL input): 's n't 're
    String.raw`['’](?:s|S|re|RE|ve|VE|ll|LL|d|D|m|M)(?![\p{L}\p{N}])`,
    // runs of the same punctuation mark: ... -- ---
    String.raw`\.{2,}|-{2,}|…|\*{2,}|={2,}|_{2,}`,
    // any other single character
    String.raw`[^\s]`,
  ].join('|'),
  'gu',
);

const CLITIC_END = /(?:n['’]t|['’](?:s|re|ve|ll|d|m))$/iu;

/** Splits `text` into tokens with character offsets. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN_PATTERN.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = TOKEN_PATTERN.exec(text)) !== null) {
    const start = match.index;
    let piece = match[0];
    let end = start + piece.length;
    if (/[\p{L}\p{N}]/u.test(piece[0] ?? '')) {
      // Split a possessive or clitic ending off a word: Kishida’s → Kishida ’s, don't → do n't.
      const clitic = CLITIC_END.exec(piece);
      if (clitic && clitic.index > 0 && !/\p{N}/u.test(piece[0] ?? '')) {
        const stemEnd = start + clitic.index;
        tokens.push({ start, end: stemEnd, text: text.slice(start, stemEnd) });
        tokens.push({ start: stemEnd, end, text: text.slice(stemEnd, end) });
        continue;
      }
      // Keep the period of a known abbreviation or a single-letter initial (J. Smith).
      if (text[end] === '.' && /^\p{L}+$/u.test(piece)) {
        const lower = piece.toLowerCase();
        const isInitial = piece.length === 1 && /\p{Lu}/u.test(piece);
        if (ABBREVIATIONS.has(lower) || isInitial) {
          // "No." only before a number, to keep "said no." a sentence end.
          const after = text.slice(end + 1, end + 4);
          if (lower !== 'no' || /^\s*\p{N}/u.test(after)) {
            end += 1;
            piece = text.slice(start, end);
            TOKEN_PATTERN.lastIndex = end;
          }
        }
      }
    }
    tokens.push({ start, end, text: piece });
  }
  return tokens;
}

const SENTENCE_FINAL = new Set(['.', '!', '?', '...', '…']);
const CLOSERS = new Set(['"', '”', '’', "'", ')', ']', '»']);

/**
 * Groups tokens into sentences: a line break always ends a sentence; so does a
 * final mark (. ! ?), possibly followed by closing quotes or brackets, when the
 * next token does not start in lower case.
 */
export function splitSentences(text: string, tokens: readonly Token[]): SentenceRange[] {
  const sentences: SentenceRange[] = [];
  let first = 0;
  const close = (last: number): void => {
    if (last > first) sentences.push({ first, last });
    first = last;
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const next = tokens[i + 1];
    if (next === undefined) break;
    // Line break between this token and the next?
    const gap = text.slice(token.end, next.start);
    if (gap.includes('\n')) {
      close(i + 1);
      continue;
    }
    if (SENTENCE_FINAL.has(token.text)) {
      let j = i + 1;
      while (j < tokens.length && CLOSERS.has(tokens[j]!.text) && !text.slice(tokens[j - 1]!.end, tokens[j]!.start).includes('\n')) {
        // A closing quote belongs to this sentence only when attached to the mark (no space before it).
        if (tokens[j]!.start !== tokens[j - 1]!.end) break;
        j++;
      }
      const after = tokens[j];
      if (after === undefined) break;
      if (!/^\p{Ll}/u.test(after.text)) {
        close(j);
        i = j - 1;
      }
    }
  }
  close(tokens.length);
  return sentences;
}
