/** Word tokens with offsets, and a light capitalised-name recogniser used when no NER spans are given. */
import type { EntityKind, EntitySpan } from '../../types.js';
import { startsWithCapital, startsWithLetterOrNumber } from '../chars.js';
import { CAPITAL_FUNCTION_WORDS, ORG_WORDS, PLACES, SPEECH_VERBS, TITLES } from './lexicon.js';

export interface Token {
  text: string;
  /** Lower case, with a possessive ’s / 's removed. */
  lower: string;
  start: number;
  end: number;
  word: boolean;
  capitalized: boolean;
  possessive: boolean;
}

const TOKEN_RE = /[\p{L}\p{N}]+(?:[’'\-.&][\p{L}\p{N}]+)*|[^\s]/gu;

export function tokenize(text: string, from = 0, to = text.length): Token[] {
  const out: Token[] = [];
  TOKEN_RE.lastIndex = 0;
  const slice = text.slice(from, to);
  for (let m = TOKEN_RE.exec(slice); m; m = TOKEN_RE.exec(slice)) {
    const t = m[0];
    const word = startsWithLetterOrNumber(t);
    const possessive = word && /[’']s$/i.test(t);
    const base = possessive ? t.slice(0, -2) : t;
    out.push({
      text: t,
      lower: base.toLowerCase(),
      start: from + m.index,
      end: from + m.index + t.length,
      word,
      capitalized: word && startsWithCapital(t),
      possessive,
    });
  }
  return out;
}

const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'sen', 'rep', 'gov', 'gen', 'lt', 'col', 'sgt', 'capt', 'adm', 'st', 'jr',
  'sr', 'inc', 'co', 'corp', 'ltd', 'u.s', 'u.k', 'u.n', 'no', 'vs', 'etc', 'jan', 'feb', 'mar', 'apr', 'aug',
  'sept', 'sep', 'oct', 'nov', 'dec', 'rev', 'ft', 'mt', 'gop', 'd.c', 'a.m', 'p.m', 'e.g', 'i.e', 'pres',
]);

/** True when a "." right after this token belongs to it (Mr., U.S., J.). */
export function isAbbreviation(token: Token | undefined): boolean {
  if (!token || !token.word) return false;
  return ABBREVIATIONS.has(token.lower) || /^\p{Lu}$/u.test(token.text) || /^(\p{L}\.)+\p{L}$/u.test(token.text);
}

const DEMONYMS = new Set([
  'chinese', 'japanese', 'american', 'americans', 'russian', 'korean', 'british', 'french', 'german',
  'indian', 'israeli', 'iranian', 'european', 'asian', 'african', 'taiwanese', 'ukrainian', 'syrian',
  'mexican', 'canadian', 'republican', 'republicans', 'democratic', 'democrat', 'democrats', 'english',
  'muslim', 'muslims', 'christian', 'christians', 'jewish', 'latino', 'latinos', 'hispanic', 'black',
  'conservative', 'conservatives', 'liberal', 'liberals', 'federal', 'national', 'international', 'north',
  'south', 'east', 'west', 'northern', 'southern', 'eastern', 'western', 'central', 'global', 'foreign',
]);

/** Capitalised words that make a name an event, a document or a period rather than a person. */
const EVENT_WORDS = new Set([
  'war', 'treaty', 'act', 'law', 'bill', 'strategy', 'summit', 'conference', 'games', 'olympics', 'day',
  'week', 'month', 'year', 'crisis', 'agreement', 'accord', 'doctrine', 'plan', 'program', 'programme',
  'initiative', 'operation', 'election', 'primary', 'caucus', 'debate', 'convention', 'constitution',
  'amendment', 'revolution', 'era', 'age', 'cup', 'prize', 'award', 'festival', 'show', 'book',
]);

/** Words in TITLES that qualify an office rather than name one ("Homeland Security Investigations"). */
const TITLE_MODIFIERS = new Set(['state', 'security', 'national', 'press', 'campaign', 'foreign', 'defense', 'defence', 'cabinet', 'vice', 'prime', 'former', 'deputy', 'chief', 'head']);

const CONNECTORS = new Set(['de', 'van', 'von', 'bin', 'al', 'da', 'du', 'la', 'le', 'der', 'del', 'dos', 'di']);

function isNameToken(t: Token): boolean {
  return t.capitalized && !/^\p{N}/u.test(t.text);
}

/**
 * Finds capitalised names and sorts them into people, organisations and
 * places. Deliberately simple; a real recogniser's spans can be passed to
 * extractQuotes instead.
 */
export function recognizeNames(text: string): EntitySpan[] {
  const tokens = tokenize(text);
  const runs: Token[][] = [];
  let run: Token[] = [];
  const flush = (): void => {
    if (run.length) runs.push(run);
    run = [];
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isNameToken(t)) {
      run.push(t);
      if (t.possessive) flush();
      continue;
    }
    if (t.text === '.' && run.length && isAbbreviation(tokens[i - 1]) && tokens[i - 1]!.end === t.start) {
      // "Mr." / "J." stay inside the name; the dot is not a token of its own in the span.
      continue;
    }
    if (run.length && t.word && CONNECTORS.has(t.text) && tokens[i + 1] && isNameToken(tokens[i + 1]!)) {
      run.push(t);
      continue;
    }
    flush();
  }
  flush();

  const raw: { tokens: Token[]; kind: EntityKind }[] = [];
  for (const r of runs) {
    let toks = r;
    // Drop capitalised function words at the front ("However", "The", "According").
    while (toks.length && CAPITAL_FUNCTION_WORDS.has(toks[0]!.lower)) toks = toks.slice(1);
    if (!toks.length) continue;
    const lowers = toks.map((t) => t.lower);
    if (lowers.some((w) => EVENT_WORDS.has(w))) {
      raw.push({ tokens: toks, kind: 'other' });
      continue;
    }
    if (lowers.some((w) => ORG_WORDS.has(w)) || (toks.length <= 2 && toks.some((t) => /^\p{Lu}{2,}$/u.test(t.text) && !PLACES.has(t.lower)))) {
      raw.push({ tokens: toks, kind: 'organization' });
      continue;
    }
    // The person is what follows the last title, place or demonym ("US Secretary of State Anthony Blinken").
    let cut = -1;
    lowers.forEach((w, k) => {
      if (TITLES.has(w) || PLACES.has(w) || DEMONYMS.has(w)) cut = k;
    });
    const rest = toks.slice(cut + 1);
    const titled = cut >= 0 && TITLES.has(lowers[cut]!) && !TITLE_MODIFIERS.has(lowers[cut]!);
    if (rest.length === 0) {
      raw.push({ tokens: toks, kind: lowers.every((w) => PLACES.has(w) || DEMONYMS.has(w)) ? 'place' : 'other' });
      continue;
    }
    if (cut >= 0 && !titled) raw.push({ tokens: toks.slice(0, cut + 1), kind: 'place' });
    raw.push({ tokens: rest, kind: rest.length >= 2 || titled ? 'person' : 'other' });
  }
  // A lone capitalised word that says something is someone ("Calderon told CNBC").
  const nextToken = new Map<number, Token>();
  tokens.forEach((t, k) => {
    const n = tokens[k + 1];
    if (n) nextToken.set(t.end, n);
  });
  for (const r of raw) {
    if (r.kind !== 'other' || r.tokens.length !== 1) continue;
    const next = nextToken.get(r.tokens[0]!.end);
    if (next && next.word && !next.capitalized && SPEECH_VERBS.has(next.lower) && next.lower !== SPEECH_VERBS.get(next.lower)) r.kind = 'person';
  }
  // Single words that repeat part of a known person's name are that person ("Hayashi", "Song").
  const personWords = new Set<string>();
  for (const r of raw) if (r.kind === 'person') for (const t of r.tokens) if (t.lower.length > 1) personWords.add(t.lower);
  const out: EntitySpan[] = [];
  for (const r of raw) {
    let kind = r.kind;
    if (kind === 'other' && r.tokens.length === 1 && personWords.has(r.tokens[0]!.lower)) kind = 'person';
    const first = r.tokens[0]!;
    const last = r.tokens[r.tokens.length - 1]!;
    const end = last.possessive ? last.end - 2 : last.end;
    out.push({ start: first.start, end, text: text.slice(first.start, end), kind });
  }
  return out;
}
