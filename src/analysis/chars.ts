/**
 * Character classes of a word's first character (or any character), as the
 * Unicode regular expressions named beside each would answer, without running
 * a regular expression when the characters looked at are ASCII. The analysis
 * asks these of every token, often several times.
 */

/** /^\p{Lu}/u */
export function startsWithCapital(word: string): boolean {
  const c = word.charCodeAt(0);
  if (c < 128) return c >= 65 && c <= 90;
  return /^\p{Lu}/u.test(word);
}

/** /^\p{Ll}/u */
export function startsWithLower(word: string): boolean {
  const c = word.charCodeAt(0);
  if (c < 128) return c >= 97 && c <= 122;
  return /^\p{Ll}/u.test(word);
}

/** /^\p{L}/u */
export function startsWithLetter(word: string): boolean {
  const c = word.charCodeAt(0);
  if (c < 128) return (c | 32) >= 97 && (c | 32) <= 122;
  return /^\p{L}/u.test(word);
}

/** /^[\p{L}\p{N}]/u */
export function startsWithLetterOrNumber(word: string): boolean {
  const c = word.charCodeAt(0);
  if (c < 128) return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122);
  return /^[\p{L}\p{N}]/u.test(word);
}

/** /\p{L}/u: ASCII characters are checked one by one up to the first letter or the first non-ASCII character. */
export function hasLetter(word: string): boolean {
  for (let k = 0; k < word.length; k++) {
    const c = word.charCodeAt(k);
    if (c >= 128) return /\p{L}/u.test(word);
    const folded = c | 32;
    if (folded >= 97 && folded <= 122) return true;
  }
  return false;
}
