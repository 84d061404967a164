/**
 * People, organisations and places in one document: the NER's mentions
 * grouped into the entities they name, with their kind, aliases and the words
 * the page uses to say who or what each one is.
 *
 * Within a document, a one-word mention ("Austin", "Song", "Kishida") is the
 * person whose full name in the same document ends or begins with that word
 * (surname-last and surname-first names alike); a name with a middle initial
 * ("John F. Kerry") and without it are one person; a title glued to a name
 * ("Senator Lee") is split into the title (a description) and the name.
 *
 * Kinds come from the tagger's votes, corrected by general evidence: a
 * country or major region is a place, a nationality 'other', a letter-digit
 * designation ("F-35") or a name followed by a weapon noun ("Tomahawk cruise
 * missiles") 'other', and a description's head noun says person,
 * organisation or place. A name seen only in the headline is not an entity
 * (headlines are title-cased fragments).
 *
 * Descriptions are noun phrases whose head is a role noun of the entity's
 * kind (see entity-lexicon.ts), read by these patterns: an appositive after
 * the name ("Song Zhongping, a Chinese military expert,"), one before it
 * ("his British counterpart, Rishi Sunak,"), a title run before it
 * ("Chinese Foreign Ministry spokesperson Lin Jian", "Sen.", "former first
 * lady"), a copula ("X is a swing state"), a head noun after an organisation
 * or place ("the Gannett newspaper chain"), a definite reference resolved to
 * the nearest entity that already carries the same role noun ("the mayor",
 * "the fund"), and credits ("Reporting by …", "Edited by …", a byline, the
 * front matter's author). A clause, a poll figure or a judgement ("a good
 * prime minister") is never a description; abbreviations ("Mrs.", "U.S.")
 * never end one.
 */
import type { CorpusDocument, EntityKind, EntitySpan } from '../types.js';
import { STOP_WORDS } from '../index/terms.js';
import {
  ABBREVIATIONS,
  COUNTRIES,
  EVALUATIVE,
  MULTIWORD_PLACES,
  NATIONALITIES,
  ORG_HEADS,
  PERSON_HEADS,
  PLACE_HEADS,
  TITLE_ABBREVIATIONS,
  TITLE_PARTICIPLES,
  WEAPON_HEADS,
} from './entity-lexicon.js';

export interface DescriptionSpan {
  start: number;
  end: number;
  text: string;
  /** For credits: the role the credit gives ("reporter", "editor", "author"). */
  role?: string;
}

export interface DocumentEntity {
  /** The fullest name the document gives. */
  name: string;
  kind: EntityKind;
  /** Other forms used in this document (surname alone, acronym, a name with a middle initial). */
  aliases: string[];
  mentions: { start: number; end: number; text: string }[];
  descriptions: DescriptionSpan[];
}

/** Head words of roles, of any kind (lower case). */
export const ROLE_WORDS = new Set([...PERSON_HEADS, ...ORG_HEADS, ...PLACE_HEADS, ...TITLE_ABBREVIATIONS]);

const HEADS_OF: Record<EntityKind, Set<string>> = {
  person: new Set([...PERSON_HEADS, ...TITLE_ABBREVIATIONS]),
  organization: ORG_HEADS,
  place: PLACE_HEADS,
  other: new Set(),
};

/** Descriptions longer than this many words are not kept (they are clauses, not roles). */
const MAX_DESCRIPTION_WORDS = 16;

/** Words that may stand inside a title run before a name ("Secretary of Defense", "Defence & Aerospace"). */
const TITLE_JOINERS = new Set(['of', 'for', '&', 'the', 'on', 'at', 'and']);
/** Adverbs that open sentences and may precede a title run. */
const SENTENCE_ADVERBS = new Set(
  ('meanwhile however also but and yet still now today yesterday tomorrow earlier later then instead indeed separately elsewhere recently previously last next even only just so thus perhaps maybe finally first second ' +
    'since after before when while as if although though because until unless despite during following among with without from for under like unlike').split(' '),
);
/** Adverbs that may open a predicate or appositive but are not part of the role ("now a consultant"). */
const LEADING_ADVERBS = /^(?:(?:now|also|currently|still|once|then|previously|formerly|later)\s+)+/i;

/** Joiners that may stand inside a title run between capitalised words ("Secretary of State"); not "and". */
const RUN_JOINERS = new Set(['of', 'for', '&', 'the', 'on', 'at']);
/** Lower-case words that may open a title run before capitalised words ("former U.N. secretary general", "longtime Democratic pollster"). */
const TITLE_MODIFIERS = new Set(
  'former then retired acting longtime long-time top senior chief deputy veteran outgoing incoming interim current late future presumptive'.split(' '),
);

/** Determiners that open a description. */
const OPENERS = /^(?:a|an|the|his|her|its|their|our|former|then|now|currently|vice|senior|acting|assistant|deputy|executive|retired|chief|longtime|long-time|top)$/i;

/** Words that make a phrase a clause rather than a noun phrase. */
const VERB_WORDS = new Set(
  (
    'is are was were be been being am will would shall should can could may might must has have had do does did ' +
    'said says say told tells announced released signed met called added noted warned expected set due accepted ' +
    'agreed disagreed thought think believe believed wants want wanted made make makes took take takes gave give gives ' +
    'meet meets join joins visit visits thank thanks urge urges ask asks invite invites elect elects hire hires fire fires ' +
    'name names appoint appoints replace replaces succeed succeeds accuse accuses blame blames criticize criticise praise ' +
    'support supports oppose opposes back backs endorse endorses defeat defeats beat beats face faces challenge challenges ' +
    'see sees saw watch watches hear hears heard let lets help helps get gets got become became'
  ).split(/\s+/),
);
/** Words after which a noun phrase cannot go on (a relative clause or a new clause begins). */
const PHRASE_BREAKERS = /\s+(?:who|whom|whose|which|that|where|when|while|because|although|though|after|before|since|if|as|despite|amid|following|until|unless|whereas)\b/i;

function words(text: string): string[] {
  return text.match(/[\p{L}\p{N}][\p{L}\p{N}'’.&-]*/gu) ?? [];
}

/** A word as looked up in the lexicons: lower case, without a possessive or a final dot. */
function bare(word: string): string {
  return word.toLowerCase().replace(/[’']s$/, '').replace(/\.$/, '');
}

export function hasRoleWord(text: string): boolean {
  return words(text).some((w) => ROLE_WORDS.has(bare(w)));
}

/** Whether the dot at `dot` ends an abbreviation ("Mrs.", "U.S.", "J.") rather than a sentence. */
export function isAbbreviationDot(text: string, dot: number): boolean {
  let i = dot;
  while (i > 0 && /[\p{L}.]/u.test(text[i - 1]!)) i--;
  const word = text.slice(i, dot);
  if (word.length === 0) return false;
  if (/^\p{L}$/u.test(word)) return /^\p{Lu}$/u.test(word); // an initial
  if (word.includes('.')) return true; // "U.S", "D.C"
  return ABBREVIATIONS.has(word.toLowerCase());
}

/** Name keys compare names across spelling of punctuation and case ("U.S." = "US"). */
export function nameKey(name: string): string {
  let key = nameKeys.get(name);
  if (key === undefined) {
    key = computeNameKey(name);
    if (nameKeys.size > MAX_REMEMBERED_NAMES) nameKeys.clear();
    nameKeys.set(name, key);
  }
  return key;
}

/** Names repeat across mentions and documents; their keys are remembered (up to this many). */
const MAX_REMEMBERED_NAMES = 200_000;
const nameKeys = new Map<string, string>();

function computeNameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[’']s$/u, '')
    .replace(/\./g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .toLowerCase()
    .replace(/^the /, '')
    .replace(HONORIFICS, '');
}

/** Courtesy titles are not part of a name: "Mr Blair" is Blair. */
const HONORIFICS = /^(?:(?:mr|mrs|ms|miss|mx|dr|sir|dame|lord|lady|prof|professor|mme|mlle|herr|frau|madam|madame|monsieur)\s+)+(?=\S)/;

const nameTokens = new Map<string, readonly string[]>();

/** The words of a name's key (remembered like the keys: sorting and matching ask for them again and again). */
function tokensOf(name: string): readonly string[] {
  let tokens = nameTokens.get(name);
  if (tokens === undefined) {
    tokens = nameKey(name).split(' ').filter(Boolean);
    if (nameTokens.size > MAX_REMEMBERED_NAMES) nameTokens.clear();
    nameTokens.set(name, tokens);
  }
  return tokens;
}

/** A person's key without middle initials: "john f kerry" → "john kerry". */
function withoutInitials(key: string): string {
  const ts = key.split(' ');
  return ts.length > 2 ? ts.filter((t, i) => i === 0 || i === ts.length - 1 || t.length > 1).join(' ') : key;
}

/** Titles that, glued to the front of a person's name ("Senator Lee", "Chair Ortiz"), are split off. */
const GLUED_TITLES = new Set([
  'president', 'senator', 'sen', 'rep', 'representative', 'gov', 'governor', 'chair', 'chairman', 'chairwoman', 'speaker',
  'mayor', 'judge', 'justice', 'secretary', 'minister', 'ambassador', 'commissioner', 'general', 'gen', 'admiral', 'adm',
  'colonel', 'col', 'lt', 'capt', 'captain', 'sgt', 'sergeant', 'congressman', 'congresswoman', 'premier', 'chancellor',
  'sheriff', 'director', 'attorney', 'detective', 'officer', 'pope', 'bishop', 'rev', 'reverend', 'lieutenant', 'maj', 'major',
  'mp', 'mep', 'msp', 'spokesman', 'spokeswoman', 'spokesperson', 'leader', 'candidate', 'nominee', 'chief',
]);

/** Strips a possessive, a leading "the" and a glued title from a mention, keeping the span exact. */
function cleanMention(text: string, span: EntitySpan): { start: number; end: number; text: string } {
  let { start, end } = span;
  const m = /[’']s?$/u.exec(text.slice(start, end));
  if (m && end - m[0].length > start) end -= m[0].length;
  if (/^the\s/i.test(text.slice(start, end))) start += 4;
  if (span.kind === 'person') {
    // "Senator Lee", "Tory MP Ann Lee": the name starts after the last title word inside the span.
    const ts = [...text.slice(start, end).matchAll(/[\p{L}][\p{L}’'-]*\.?/gu)];
    for (let k = ts.length - 2; k >= 0; k--) {
      if (GLUED_TITLES.has(bare(ts[k]![0])) && /^\p{Lu}/u.test(ts[k + 1]![0])) {
        start += ts[k + 1]!.index!;
        break;
      }
    }
  }
  return { start, end, text: text.slice(start, end) };
}

/** The clause boundary before `offset` (sentence start, colon, semicolon, or an opening quote) within `floor`. */
function clauseStart(text: string, offset: number, floor: number): number {
  for (let i = offset - 1; i >= floor; i--) {
    const ch = text[i]!;
    if (ch === '\n' || ch === ';' || ch === ':' || ch === '“' || ch === '"') return i + 1;
    if ((ch === '!' || ch === '?') && /\s/.test(text[i + 1] ?? '')) return i + 1;
    if (ch === '.' && /\s/.test(text[i + 1] ?? '') && !isAbbreviationDot(text, i)) return i + 1;
  }
  return floor;
}

/** Where a phrase starting at `from` ends: a comma, semicolon, colon, bracket, quote, or a sentence's dot. */
function phraseEnd(text: string, from: number, limit: number): number {
  for (let i = from; i < limit; i++) {
    const ch = text[i]!;
    if (',;:()“”"\n'.includes(ch)) return i;
    if (ch === '.' && (i + 1 >= limit || /\s/.test(text[i + 1]!)) && !isAbbreviationDot(text, i)) return i;
  }
  return limit;
}

/**
 * The noun phrase a description holds, or null: trimmed, cut before a
 * relative clause, split at "and a …" into separate roles, and accepted only
 * with a head noun of `kind` before its first preposition (or a title run of
 * capitalised words after it), no verbs, no figures and no judgements.
 */
function describe(text: string, start: number, end: number, kind: EntityKind): DescriptionSpan[] {
  while (start < end && /[\s,—–-]/.test(text[start]!)) start++;
  const lead = LEADING_ADVERBS.exec(text.slice(start, end));
  if (lead) start += lead[0].length;
  const breaker = PHRASE_BREAKERS.exec(text.slice(start, end));
  if (breaker) end = start + breaker.index;
  while (end > start && /[\s,;:]/.test(text[end - 1]!)) end--;
  while (end > start && text[end - 1] === '.' && !isAbbreviationDot(text, end - 1)) end--;
  if (end <= start) return [];
  // "director of X and a professor at Y": two roles.
  const parts: [number, number][] = [];
  const contrast = /\s+but\s/i.exec(text.slice(start, end));
  if (contrast) end = start + contrast.index;
  const re = /\s+(?:and|as well as)\s+(?=(?:a|an|the|his|her|its|their|also)\s)/gi;
  let from = start;
  const slice = text.slice(start, end);
  for (const m of slice.matchAll(re)) {
    parts.push([from, start + m.index]);
    from = start + m.index + m[0].length;
  }
  parts.push([from, end]);
  const out: DescriptionSpan[] = [];
  for (const [a0, b] of parts) {
    const a = a0 + (LEADING_ADVERBS.exec(text.slice(a0, b))?.[0].length ?? 0);
    const d = nounPhrase(text, a, b, kind);
    if (d) out.push(d);
    else if (out.length === 0) return []; // the first part must be a description for the rest to count
  }
  return out;
}

const PREPOSITIONS = new Set(['of', 'for', 'to', 'at', 'in', 'on', 'with', 'from', 'under', 'over', 'about', 'within', 'across', 'between', 'against', 'since', 'during', 'by']);

function nounPhrase(text: string, start: number, end: number, kind: EntityKind): DescriptionSpan | null {
  // "and 38% disagreed": an "and" followed by a figure or a verb ends the phrase.
  const tail = /\s+(?:and|but)\s+(?=[\d$€£%]|\S+\s+(?:is|are|was|were|said|says|has|have|had|disagreed|agreed)\b)/i.exec(text.slice(start, end));
  if (tail) end = start + tail.index;
  while (end > start && /[\s,;:]/.test(text[end - 1]!)) end--;
  if (end <= start) return null;
  const phrase = text.slice(start, end);
  const ws = words(phrase);
  if (ws.length === 0 || ws.length > MAX_DESCRIPTION_WORDS) return null;
  const lower = ws.map(bare);
  if (lower.some((w) => VERB_WORDS.has(w) || EVALUATIVE.has(w))) return null;
  if (/\d\s*(?:%|percent|per cent)/i.test(phrase)) return null;
  if (/\b\d+(?:st|nd|rd|th)\s+(?:most\s+)?\p{L}+est\b/iu.test(phrase)) return null; // a ranking, not a role
  const heads = HEADS_OF[kind];
  const prep = lower.findIndex((w, i) => i > 0 && PREPOSITIONS.has(w));
  const core = prep < 0 ? lower : lower.slice(0, prep);
  let head = -1;
  for (let i = core.length - 1; i >= 0; i--) {
    if (heads.has(core[i]!)) {
      head = i;
      break;
    }
  }
  if (head < 0) return null;
  // A determiner inside the phrase before its head means a verb and its object ("formally crowned the nominee");
  // a hedge opening it, an opinion ("perhaps the most vulnerable …").
  for (let i = 1; i < head; i++) if (/^(?:a|an|the)$/.test(core[i]!)) return null;
  if (/^(?:perhaps|probably|arguably|possibly|certainly)$/.test(lower[0]!)) return null;
  if (PREPOSITIONS.has(lower.at(-1)!) || TITLE_JOINERS.has(lower.at(-1)!) || /^(?:a|an|his|her|its|their)$/.test(lower.at(-1)!)) return null;
  // After the head, only a title's capitalised words ("Consulting Editor Industry and Defense").
  // or a participle opening a reduced relative clause ("an advocacy group based in Ohio").
  for (let i = head + 1; i < core.length; i++) {
    if (/^\p{Lu}/u.test(ws[i]!) || TITLE_JOINERS.has(core[i]!)) continue;
    if (i === head + 1 && /^\p{Ll}+(?:ed|ing)$/u.test(ws[i]!) && i + 1 < lower.length) break;
    return null;
  }
  return { start, end, text: phrase };
}

/** "NAME, a Chinese military expert," → the words up to the next comma (or the end of the sentence). */
function appositiveAfter(text: string, mentionEnd: number, limit: number, kind: EntityKind): DescriptionSpan[] {
  // "NAME, 58, a security guard," — an age before the appositive is stepped over.
  const age = /^,\s+\d{1,3}(?=,)/.exec(text.slice(mentionEnd, Math.min(limit, mentionEnd + 8)));
  if (age) mentionEnd += age[0].length;
  // "NAME, who was press secretary to …" — a copula in a relative clause.
  const who = /^,\s+who(?=\s+(?:is|was|has been|had been|served as|serves as|became|remains)\s)/.exec(text.slice(mentionEnd, Math.min(limit, mentionEnd + 12)));
  if (who) return copulaAfter(text, mentionEnd + who[0].length, limit, kind);
  const m = /^,\s+/.exec(text.slice(mentionEnd, Math.min(limit, mentionEnd + 4)));
  if (!m) return [];
  const start = mentionEnd + m[0].length;
  let end = phraseEnd(text, start, limit);
  const phrase = text.slice(start, end);
  const speech = /\s+(?:said|says|told|added|warned|stated|noted|claimed|stressed|emphasi[sz]ed|wrote|argued|explained)\b/.exec(phrase);
  if (speech) end = start + speech.index;
  const first = words(text.slice(start, end))[0] ?? '';
  if (/^(?:who|which|that|and|but|according|saying|stating|adding|while)\b/i.test(phrase)) return [];
  // Opens with a determiner, a role word, a possessive ("Japan’s Cabinet Secretary") or a capitalised title.
  if (!OPENERS.test(first) && !ROLE_WORDS.has(bare(first)) && !/^\p{Lu}/u.test(first)) return [];
  if (!OPENERS.test(first) && !ROLE_WORDS.has(bare(first)) && !isTitleShaped(text.slice(start, end))) return [];
  return describe(text, start, end, kind);
}

/** Every word a capitalised word, a role word, a joiner or a possessive: "Japan’s Cabinet Secretary". */
function isTitleShaped(phrase: string): boolean {
  return words(phrase).every((w) => /^\p{Lu}/u.test(w) || ROLE_WORDS.has(bare(w)) || TITLE_JOINERS.has(w.toLowerCase()) || PREPOSITIONS.has(w.toLowerCase()));
}

/** "his British counterpart, Rishi Sunak," → the phrase before the comma that precedes the name. */
function appositiveBefore(text: string, mentionStart: number, floor: number): DescriptionSpan[] {
  const from = clauseStart(text, mentionStart, floor);
  const before = text.slice(from, mentionStart);
  const comma = /,\s*$/.exec(before);
  if (!comma) return [];
  const phraseEnd = comma.index;
  // The leftmost determiner whose phrase up to the comma is a description ("the father of a slain soldier").
  for (const d of before.slice(0, phraseEnd).matchAll(/(?:^|[\s(])((?:a|an|the|his|her|its|their)\s)/giu)) {
    const start = d.index! + d[0].length - d[1]!.length;
    const phrase = before.slice(start, phraseEnd);
    if (/[,;:“”"()]/.test(phrase) || phrase.length > 120) continue;
    // "… comment to a Jewish reporter, NAME said": the object of a preposition, not an appositive.
    if (/\b(?:to|for|of|by|from|at|on|in|about|against|toward|towards|into|over|than)\s*$/i.test(before.slice(0, start))) continue;
    const found = describe(text, from + start, from + phraseEnd, 'person');
    if (found.length > 0) return found;
  }
  return [];
}

/** Day and month names: capitalised, but never part of a title ("Monday Lib Dem … chairman"). */
const CALENDAR_WORDS = new Set(
  'monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december'.split(' '),
);

/** Adverb particles of phrasal verbs ("blow away", "back down"): never inside a title. */
const PARTICLES = new Set(['away', 'up', 'down', 'out', 'off', 'over', 'back', 'around', 'along', 'aside', 'ahead', 'apart']);

function isLowerModifier(w: string): boolean {
  const l = w.toLowerCase();
  if (!/^\p{Ll}[\p{Ll}-]*$/u.test(w)) return false;
  if (STOP_WORDS.has(l) || VERB_WORDS.has(l) || PREPOSITIONS.has(l) || EVALUATIVE.has(l)) return false;
  if (/(?:ed|ing)$/.test(l) && !TITLE_PARTICIPLES.has(l)) return false;
  if (/ly$/.test(l) || PARTICLES.has(l)) return false;
  return true;
}

/**
 * "Chinese Foreign Ministry spokesperson Lin Jian", "Retired Lt. Gen. X",
 * "former U.N. secretary general X", "billionaire environmentalist X" → the
 * title run before the name. The word next to the name is a head noun of the
 * entity's kind; the run goes back over capitalised words, role words,
 * joiners between capitalised words, and up to three lower-case modifiers.
 * For organisations and places only lower-case runs count ("the advocacy group X").
 */
function titleBefore(text: string, mentionStart: number, floor: number, kind: EntityKind): DescriptionSpan[] {
  const heads = HEADS_OF[kind];
  const from = clauseStart(text, mentionStart, floor);
  const before = text.slice(from, mentionStart);
  const tokens = [...before.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'’.&-]*|&/gu)];
  if (tokens.length === 0) return [];
  const last = tokens[tokens.length - 1]!;
  if (before.slice(last.index! + last[0].length).trim() !== '') return [];
  const lastBare = bare(last[0]);
  if (!heads.has(lastBare)) return [];
  if (kind !== 'person' && !/^\p{Ll}/u.test(last[0])) return [];
  let first = tokens.length - 1;
  let lowers = 0;
  for (let i = tokens.length - 2; i >= 0; i--) {
    const w = tokens[i]![0];
    const gap = before.slice(tokens[i]!.index! + w.length, tokens[i + 1]!.index!);
    if (gap.trim() !== '') break; // a comma, a dash or a quote ends the run
    const lower = bare(w);
    const isCapital = /^\p{Lu}/u.test(w);
    if (kind !== 'person' && isCapital) break;
    if (heads.has(lower) || (isCapital && !STOP_WORDS.has(w.toLowerCase()) && !SENTENCE_ADVERBS.has(w.toLowerCase()) && !CALENDAR_WORDS.has(w.toLowerCase()))) {
      first = i;
      continue;
    }
    if (RUN_JOINERS.has(w.toLowerCase()) && i > 0 && /^\p{Lu}/u.test(tokens[i - 1]![0]) && /^\p{Lu}/u.test(tokens[i + 1]![0])) {
      first = i;
      continue;
    }
    // Lower-case modifiers: in an all-lower-case run ("billionaire casino magnate"), or a title modifier ("former").
    const runIsLower = tokens.slice(i + 1).every((t) => /^\p{Ll}/u.test(t[0]));
    // (An organisation's or place's run takes two: "to buy | anti-virus software maker X".)
    if ((TITLE_MODIFIERS.has(w.toLowerCase()) || (runIsLower && isLowerModifier(w))) && lowers < (kind === 'person' ? 3 : 2)) {
      lowers++;
      first = i;
      continue;
    }
    break;
  }
  // A joiner cannot open the run.
  while (first < tokens.length - 1 && TITLE_JOINERS.has(tokens[first]![0].toLowerCase())) first++;

  const start = from + tokens[first]!.index!;
  const end = from + last.index! + last[0].length;
  const d = nounPhrase(text, start, end, kind);
  return d ? [d] : [];
}

/** "NAME is a Defence & Aerospace analyst and is the Director of …" → each predicate. */
function copulaAfter(text: string, mentionEnd: number, limit: number, kind: EntityKind): DescriptionSpan[] {
  const out: DescriptionSpan[] = [];
  let at = mentionEnd;
  for (let guard = 0; guard < 3; guard++) {
    const m = /^(?:,?\s+and)?\s+(?:is|was|has been|serves as|served as|remains|became|becomes)\s+(?=[\p{L}])/u.exec(text.slice(at, limit));
    if (!m) break;
    const start = at + m[0].length;
    let end = phraseEnd(text, start, limit);
    const next = /\s+and\s+(?:is|was|has)\b/.exec(text.slice(start, end));
    if (next) end = start + next.index;
    const phrase = text.slice(start, end).replace(LEADING_ADVERBS, '');
    if (/^\p{Lu}/u.test(phrase) && !/^(?:A|An|The|His|Her|Its|Their)\s/.test(phrase) && !isTitleShaped(phrase)) break;
    out.push(...describe(text, start, end, kind));
    at = end;
  }
  return out;
}

/** "He is Consulting Editor …" right after a person's own sentence → a copula about them. */
function pronounCopulas(text: string, personEnd: number, limit: number): DescriptionSpan[] {
  const rest = text.slice(personEnd, limit);
  const m = /[.!?]["”’)]*\s+(He|She)\b/.exec(rest);
  if (!m) return [];
  const dot = personEnd + m.index;
  if (text[dot] === '.' && isAbbreviationDot(text, dot)) return [];
  if (rest.slice(0, m.index).search(/[!?]\s/) !== -1) return [];
  for (let i = personEnd; i < dot; i++) if (text[i] === '.' && /\s/.test(text[i + 1] ?? '') && !isAbbreviationDot(text, i)) return [];
  return copulaAfter(text, personEnd + m.index + m[0].length, limit, 'person');
}

/** Nouns after a name that say whose it is, not what it is ("the Clinton administration", "the Ruiz campaign"). */
const OWNED_HEADS = new Set('administration campaign government team cabinet regime family era presidency camp office'.split(' '));

/** "the Gannett newspaper chain", "the Chelsea neighborhood" → the head noun run after an organisation or place. */
function headAfter(text: string, mention: { start: number; end: number }, limit: number, kind: EntityKind): DescriptionSpan[] {
  if (!/\bthe\s+$/i.test(text.slice(Math.max(0, mention.start - 4), mention.start))) return [];
  const m = /^\s+((?:[\p{Ll}-]+\s+){0,2}[\p{Ll}-]+)/u.exec(text.slice(mention.end, limit));
  if (!m) return [];
  const ws = m[1]!.split(/\s+/);
  let head = -1;
  for (let i = 0; i < ws.length; i++) {
    if (!isLowerModifier(ws[i]!) && !HEADS_OF[kind].has(ws[i]!)) break;
    if (HEADS_OF[kind].has(ws[i]!) && !OWNED_HEADS.has(ws[i]!)) head = i;
  }
  if (head < 0) return [];
  const start = mention.end + m[0].indexOf(m[1]!);
  const end = start + ws.slice(0, head + 1).join(' ').length;
  const d = nounPhrase(text, start, end, kind);
  return d ? [d] : [];
}

interface Limits {
  floor: number;
  limit: number;
  role: string;
}

/** The block (paragraph, headline or bio) holding an offset, as bounds for the patterns. */
function blockBounds(document: CorpusDocument, offset: number): Limits | null {
  for (const b of document.blocks) if (offset >= b.start && offset < b.end) return { floor: b.start, limit: b.end, role: b.role };
  return null;
}

const ANALYSED_ROLES = new Set(['content', 'headline', 'bio']);

/** A letter-digit designation ("F-35", "DF-26", "Su-57", "B-52"): hardware, not a person. */
const DESIGNATION = /^(?:\p{L}{1,4}-?\d+[\p{L}\d-]*|\d+\p{L}+)$/u;

/** Last words of names of laws, treaties, events and awards ("Patriot Act", "Cold War", "Nobel Peace Prize"). */
const OTHER_LAST = new Set('act acts treaty accord accords agreement convention protocol pact doctrine amendment war prize award awards cup olympics games summit championship festival bill'.split(' '));
/** First words of such names ("Treaty of Versailles", "Battle of Britain"). */
const OTHER_FIRST = new Set('treaty battle protocol convention siege'.split(' '));

/** Last words of organisation names ("Indo-Pacific Command", "Defense Ministry", "Washington Post"). */
const ORG_NAME_LAST = new Set(
  ('ministry department agency command fleet corps forces committee commission council party university institute ' +
    'bank fund association federation foundation company corporation corp inc ltd llc plc group times news post journal ' +
    'network bureau court army navy police board authority parliament assembly senate congress administration').split(' '),
);
/** Last words of place names ("Nagasaki Prefecture", "East China Sea"). */
const PLACE_NAME_LAST = new Set(
  'city county province prefecture island islands sea ocean river mountains strait peninsula region valley bay gulf lake desert'.split(' '),
);

/** The kind general evidence gives a name, if any: countries and regions are places, nationalities and designations 'other'. */
export function kindFromName(name: string): EntityKind | null {
  const key = nameKey(name);
  if (!key) return null;
  if (COUNTRIES.has(key) || MULTIWORD_PLACES.has(key.replace(/-/g, ' '))) return 'place';
  if (NATIONALITIES.has(key) || (key.endsWith('s') && NATIONALITIES.has(key.slice(0, -1)))) return 'other';
  if (!name.includes(' ') && DESIGNATION.test(name.replace(/[’']s$/, ''))) return 'other';
  const ws = key.split(' ');
  if (ws.length > 1 && (OTHER_LAST.has(ws.at(-1)!) || OTHER_FIRST.has(ws[0]!))) return 'other';
  if (ws.length > 1 && ORG_NAME_LAST.has(ws.at(-1)!)) return 'organization';
  if (ws.length > 1 && PLACE_NAME_LAST.has(ws.at(-1)!)) return 'place';
  return null;
}

/** Whether a weapon noun follows a mention within two words ("Tomahawk cruise missiles"). */
function weaponAfter(text: string, end: number): boolean {
  const m = /^\s+[\p{L}-]+(?:\s+[\p{L}-]+){0,2}/u.exec(text.slice(end, end + 60));
  if (!m) return false;
  return m[0].trim().split(/\s+/).some((w) => WEAPON_HEADS.has(w.toLowerCase()));
}

/** Credit cues: "Reporting by", "additional reporting from", "Edited by", "Writing by". */
const CREDIT = /\b((?:(?:additional|further)\s+reporting\s+(?:by|from))|(?:reporting|written|writing|compiled|research|edited|editing)\s+by)\s+/gi;
/** A credited name: two to four capitalised words or initials. */
const CREDIT_NAME = /^(?!The\s)(?:\p{Lu}\.|\p{Lu}[\p{L}’'-]+)(?:\s+(?:\p{Lu}\.|\p{Lu}[\p{L}’'-]+|de|van|von|da|del|bin|al))+/u;

interface Credit {
  mention: { start: number; end: number; text: string };
  description: DescriptionSpan;
}

/** People credited with a piece: credit cues anywhere, bylines, and the front matter's author. */
function credits(document: CorpusDocument): Credit[] {
  const { text } = document;
  const out: Credit[] = [];
  const addName = (at: number, limit: number, cue: { start: number; end: number }, role: string): void => {
    let pos = at;
    for (let guard = 0; guard < 4; guard++) {
      const m = CREDIT_NAME.exec(text.slice(pos, limit));
      if (!m) return;
      const name = m[0].replace(/\.$/, '');
      const start = pos;
      const end = pos + name.length;
      out.push({ mention: { start, end, text: name }, description: { start: cue.start, end: cue.end, text: text.slice(cue.start, cue.end), role } });
      const sep = /^\s*(?:,|and|&)\s*/.exec(text.slice(end, limit));
      if (!sep) return;
      pos = end + sep[0].length;
    }
  };
  for (const block of document.blocks) {
    if (!['content', 'credit', 'byline', 'bio'].includes(block.role)) continue;
    const slice = text.slice(block.start, block.end);
    for (const m of slice.matchAll(CREDIT)) {
      const cueStart = block.start + m.index!;
      // A credit stands at the start of its block or after a dash, bracket, semicolon or full stop, not inside a sentence.
      if (!/(?:^|[-—–(\[;.|]|\n)\s*$/.test(slice.slice(0, m.index!))) continue;
      const role = /edit/i.test(m[1]!) ? 'editor' : 'reporter';
      addName(cueStart + m[0].length, block.end, { start: cueStart, end: cueStart + m[1]!.length }, role);
    }
    if (block.role === 'byline') {
      const by = /^\s*(By)\s+/i.exec(slice);
      if (by) addName(block.start + by[0].length, block.end, { start: block.start + by.index + by[0].indexOf(by[1]!), end: block.start + by.index + by[0].indexOf(by[1]!) + 2 }, 'reporter');
    }
  }
  if (document.bodyStart > 0) {
    const fm = /^(author|byline):[ \t]*["']?([^\n"']+?)["']?[ \t]*$/m.exec(text.slice(0, document.bodyStart));
    if (fm) {
      const valueStart = fm.index + fm[0].indexOf(fm[2]!, fm[1]!.length + 1);
      const names = fm[2]!.split(/\s*(?:,|\band\b|&)\s*/);
      let pos = valueStart;
      for (const n of names) {
        const at = text.indexOf(n, pos);
        if (at < 0 || !/^\p{Lu}/u.test(n)) continue;
        out.push({ mention: { start: at, end: at + n.length, text: n }, description: { start: fm.index, end: fm.index + fm[1]!.length, text: fm[1]!, role: 'author' } });
        pos = at + n.length;
      }
    }
  }
  return out;
}

/** A determiner opening a definite reference ("the mayor", "his firm"). */
const DEFINITE = /\b(?:the|his|her|its|their)\s+/giu;

/** The reference after a determiner: up to two modifiers and a role noun ("California congressman"), or null. */
function referenceAt(text: string, from: number, limit: number): { start: number; end: number; head: string } | null {
  // The first three words (or marks) after the determiner.
  const ws: RegExpExecArray[] = [];
  for (const m of text.slice(from, Math.min(limit, from + 80)).matchAll(/[\p{L}-]+|[^\s\p{L}-]/gu)) {
    ws.push(m);
    if (ws.length === 3) break;
  }
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i]![0];
    if (!/^[\p{L}-]+$/u.test(w)) return null;
    if (i > 0 && text.slice(from + ws[i - 1]!.index! + ws[i - 1]![0].length, from + ws[i]!.index!).trim() !== '') return null;
    if (/^\p{Ll}/u.test(w) && ROLE_WORDS.has(w)) return { start: from, end: from + ws[i]!.index! + w.length, head: w };
    if (VERB_WORDS.has(w.toLowerCase()) || STOP_WORDS.has(w.toLowerCase())) return null;
  }
  return null;
}

/**
 * Definite references in the article text resolved to an entity: the nearest
 * entity mentioned before (in the same or the previous paragraph) whose
 * descriptions or name already hold the reference's head noun. A reference
 * followed by a capitalised word is a title before a name, not a reference.
 */
function definiteReferences(document: CorpusDocument, entities: DocumentEntity[]): Map<DocumentEntity, DescriptionSpan[]> {
  const { text } = document;
  const out = new Map<DocumentEntity, DescriptionSpan[]>();
  const mentions = entities
    .flatMap((e) => e.mentions.map((m) => ({ e, start: m.start, end: m.end })))
    .sort((a, b) => a.start - b.start);
  const headsOf = new Map<DocumentEntity, Set<string>>();
  for (const e of entities) {
    const hs = new Set<string>();
    for (const d of e.descriptions) {
      const h = headOf(d.text, HEADS_OF[e.kind]);
      if (h) hs.add(h);
    }
    if (e.kind === 'organization') for (const w of tokensOf(e.name)) if (ORG_HEADS.has(w)) hs.add(w);
    headsOf.set(e, hs);
  }
  const paragraphs = document.blocks.filter((b) => b.role === 'content');
  paragraphs.forEach((p, pi) => {
    const floor = pi > 0 ? paragraphs[pi - 1]!.start : p.start;
    const slice = text.slice(p.start, p.end);
    for (const m of slice.matchAll(DEFINITE)) {
      const ref = referenceAt(text, p.start + m.index! + m[0].length, p.end);
      if (!ref) continue;
      const { start, end, head } = ref;
      if (/^\s+\p{Lu}/u.test(text.slice(end, end + 3))) continue; // "the mayor Bill …" is a title
      if (/^(?:’s|'s)/.test(text.slice(end, end + 2))) continue;
      if (/^\s+of\b/.test(text.slice(end, end + 4))) continue; // "the daughter of …" heads a longer phrase
      if (entities.some((e) => e.descriptions.some((x) => x.start < end && start < x.end))) continue; // already read
      // The nearest earlier mention (not inside the phrase itself).
      let target: DocumentEntity | null = null;
      for (let i = mentions.length - 1; i >= 0; i--) {
        const mm = mentions[i]!;
        if (mm.end > start) continue;
        if (mm.start < floor) break;
        const hs = headsOf.get(mm.e)!;
        const kindHeads = HEADS_OF[mm.e.kind];
        if (!kindHeads.has(head)) continue;
        if (hs.has(head)) target = mm.e;
        break;
      }
      if (!target) continue;
      // "the trade secretary" is not "foreign secretary": a lower-case modifier must already describe the target.
      const known = new Set([...target.descriptions.flatMap((x) => words(x.text).map(bare)), ...tokensOf(target.name)]);
      const modifiers = words(text.slice(start, end)).slice(0, -1);
      if (modifiers.some((w) => /^\p{Ll}/u.test(w) && !known.has(bare(w)) && !TITLE_MODIFIERS.has(w))) continue;
      const d = nounPhrase(text, p.start + m.index!, end, target.kind);
      if (!d) continue;
      const list = out.get(target) ?? [];
      list.push(d);
      out.set(target, list);
    }
  });
  return out;
}

/**
 * Groups a document's entity mentions into entities with aliases and
 * descriptions. `spans` are the NER's mentions over the whole text; those in
 * page furniture (other than the headline and an author's bio) are dropped,
 * and so are names seen only in the headline.
 */
export function documentEntities(document: CorpusDocument, spans: readonly EntitySpan[]): DocumentEntity[] {
  const { text } = document;
  const roleAt = (offset: number): string | undefined => document.blocks.find((b) => offset >= b.start && offset < b.end)?.role;
  const kept = spans.filter((s) => {
    const role = roleAt(s.start);
    return role !== undefined && ANALYSED_ROLES.has(role);
  });

  // Full names first (most tokens first), then one-word mentions attach to them.
  const byKey = new Map<string, DocumentEntity>();
  const kindVotes = new Map<DocumentEntity, Map<EntityKind, number>>();
  const ordered = kept.map((s) => ({ span: s, clean: cleanMention(text, s) })).filter((m) => m.clean.text.length > 1);
  ordered.sort((a, b) => tokensOf(b.clean.text).length - tokensOf(a.clean.text).length || a.span.start - b.span.start);
  for (const { span, clean } of ordered) {
    const key = nameKey(clean.text);
    if (!key) continue;
    let entity = byKey.get(key);
    if (!entity && span.kind === 'person' && key.includes(' ')) {
      // "John F. Kerry" and "John Kerry" are one person.
      const bareKey = withoutInitials(key);
      entity = [...byKey.values()].find((e) => e.kind === 'person' && withoutInitials(nameKey(e.name)) === bareKey);
      if (entity && !entity.aliases.includes(clean.text)) entity.aliases.push(clean.text);
    }
    if (!entity && span.kind === 'person' && !key.includes(' ')) {
      // A lone word: the person in this document whose full name begins or ends with it.
      const candidates = [...new Set(byKey.values())].filter((e) => e.kind === 'person' && tokensOf(e.name).length > 1 && (tokensOf(e.name).at(-1) === key || tokensOf(e.name)[0] === key));
      if (candidates.length === 1) {
        entity = candidates[0]!;
        if (!entity.aliases.includes(clean.text)) entity.aliases.push(clean.text);
      }
    }
    if (!entity && span.kind === 'organization' && kindFromName(clean.text) === null) {
      // "Kyodo News" within "Kyodo News Agency", or an acronym of a longer name (never a country: "US" is not "US … Center").
      entity = [...byKey.values()].find((e) => e.kind === 'organization' && (nameKey(e.name).startsWith(`${key} `) || acronymOf(e.name) === key));
      if (entity && !entity.aliases.includes(clean.text)) entity.aliases.push(clean.text);
    }
    if (!entity) {
      entity = { name: clean.text, kind: span.kind, aliases: [], mentions: [], descriptions: [] };
      byKey.set(key, entity);
    }
    entity.mentions.push(clean);
    const votes = kindVotes.get(entity) ?? new Map<EntityKind, number>();
    votes.set(span.kind, (votes.get(span.kind) ?? 0) + 1);
    kindVotes.set(entity, votes);
  }

  // Parenthesised acronyms after a name whose initials they are: "Korean Central News Agency (KCNA)".
  for (const entity of new Set(byKey.values())) {
    for (const mention of entity.mentions) {
      const m = /^\s*\(([A-Z][A-Z0-9&.-]{1,9})\)/.exec(text.slice(mention.end, mention.end + 14));
      if (!m || entity.aliases.includes(m[1]!) || nameKey(m[1]!) === nameKey(entity.name)) continue;
      if (isInitialsOf(m[1]!, entity.name)) entity.aliases.push(m[1]!);
    }
  }

  const allSpans = kept.map((s) => cleanMention(text, s));
  const personSpans = kept.filter((s) => s.kind === 'person').map((s) => cleanMention(text, s));
  // Names seen only in the headline are fragments of a title-cased line, not entities.
  const entities = [...new Set(byKey.values())].filter((e) => e.mentions.some((m) => roleAt(m.start) !== 'headline') && !isTitleName(e));
  for (const entity of entities) {
    entity.kind = decideKind(text, entity, kindVotes.get(entity)!);
    entity.mentions.sort((a, b) => a.start - b.start);
    const others = personSpans.filter((p) => !entity.mentions.some((m) => m.start === p.start));
    const names = allSpans.filter((p) => !entity.mentions.some((m) => m.start === p.start));
    collectDescriptions(document, entity, others, names);
    // A description's head says what the entity is, unless the name itself does (a country is never a person).
    if (kindFromName(entity.name) === null) {
      const kinds = new Set(entity.descriptions.map((d) => headKind(d.text)).filter((k): k is EntityKind => k !== null));
      if (kinds.size === 1) {
        const k = [...kinds][0]!;
        if (k !== entity.kind && (entity.kind !== 'person' || k !== 'organization')) {
          entity.kind = k;
          entity.descriptions = [];
          collectDescriptions(document, entity, others, names);
        }
      }
    }
  }
  // Credited reporters, editors and authors.
  for (const credit of credits(document)) {
    const key = nameKey(credit.mention.text);
    if (!key) continue;
    let entity = entities.find((e) => nameKey(e.name) === key || e.aliases.some((a) => nameKey(a) === key));
    if (entity && entity.kind !== 'person') {
      // "reporting from Ann Lee": the tagger may read a place; the credit says a person.
      entity.kind = 'person';
      entity.descriptions = [];
    }
    if (!entity) {
      entity = { name: credit.mention.text, kind: 'person', aliases: [], mentions: [], descriptions: [] };
      entities.push(entity);
    }
    if (!entity.mentions.some((m) => m.start === credit.mention.start)) entity.mentions.push(credit.mention);
    entity.mentions.sort((a, b) => a.start - b.start);
    if (!entity.descriptions.some((d) => d.start === credit.description.start && d.end === credit.description.end)) entity.descriptions.push(credit.description);
  }
  // Definite references ("the mayor", "the fund") to entities that already carry their head noun.
  for (const [entity, refs] of definiteReferences(document, entities)) {
    for (const d of refs) if (!entity.descriptions.some((x) => x.start === d.start && x.end === d.end)) entity.descriptions.push(d);
  }
  return entities.sort((a, b) => a.mentions[0]!.start - b.mentions[0]!.start);
}

/** Where a description's core (the words before its first preposition) ends: "press secretary | to President X". */
function coreEnd(d: DescriptionSpan): number {
  for (const w of d.text.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'’.&-]*/gu)) if (w.index! > 0 && PREPOSITIONS.has(w[0].toLowerCase())) return d.start + w.index!;
  return d.end;
}

/** Whether a description's head noun lies inside the span `o` (the head is part of another name). */
function headInside(text: string, d: DescriptionSpan, kind: EntityKind, o: { start: number; end: number }): boolean {
  const ws = [...d.text.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'’.&-]*/gu)];
  const prep = ws.findIndex((w, i) => i > 0 && PREPOSITIONS.has(bare(w[0])));
  const core = prep < 0 ? ws : ws.slice(0, prep);
  for (let i = core.length - 1; i >= 0; i--) {
    if (!HEADS_OF[kind].has(bare(core[i]![0]))) continue;
    const at = d.start + core[i]!.index!;
    return at >= o.start && at < o.end;
  }
  return false;
}

/** A description's head noun among `heads`: the last one before its first preposition. */
function headOf(description: string, heads: Set<string>): string | null {
  const ws = words(description).map(bare);
  const prep = ws.findIndex((w, i) => i > 0 && PREPOSITIONS.has(w));
  const core = prep < 0 ? ws : ws.slice(0, prep);
  for (let i = core.length - 1; i >= 0; i--) if (heads.has(core[i]!)) return core[i]!;
  return null;
}

/** A non-person name that ends in a person's role noun is a title ("National Security Advisor"), not an entity. */
function isTitleName(entity: DocumentEntity): boolean {
  if (entity.kind === 'person') return false;
  const last = /[\p{L}-]+$/u.exec(entity.name)?.[0]?.toLowerCase() ?? '';
  return PERSON_HEADS.has(last) && !ORG_HEADS.has(last) && !PLACE_HEADS.has(last) && entity.name.includes(' ');
}

/** The kind of a description's head noun (the last head word before a preposition), if it is of one kind only. */
function headKind(description: string): EntityKind | null {
  const ws = words(description).map(bare);
  const prep = ws.findIndex((w, i) => i > 0 && PREPOSITIONS.has(w));
  const core = prep < 0 ? ws : ws.slice(0, prep);
  for (let i = core.length - 1; i >= 0; i--) {
    const w = core[i]!;
    const kinds: EntityKind[] = [];
    if (PERSON_HEADS.has(w) || TITLE_ABBREVIATIONS.has(w)) kinds.push('person');
    if (ORG_HEADS.has(w)) kinds.push('organization');
    if (PLACE_HEADS.has(w)) kinds.push('place');
    if (kinds.length === 1) return kinds[0]!;
    if (kinds.length > 1) return null;
  }
  return null;
}

function decideKind(text: string, entity: DocumentEntity, votes: Map<EntityKind, number>): EntityKind {
  const named = kindFromName(entity.name);
  if (named) return named;
  const weapons = entity.mentions.filter((m) => weaponAfter(text, m.end)).length;
  if (weapons * 2 > entity.mentions.length) return 'other';
  // "the Dalworth newspaper chain": an organisation's head noun after most mentions.
  const organised = entity.mentions.filter((m) => headAfter(text, m, Math.min(text.length, m.end + 60), 'organization').length > 0).length;
  if (organised * 2 > entity.mentions.length && !votes.has('person')) return 'organization';
  // Ties go to the more specific reading: organisation, place, person, other.
  const order: EntityKind[] = ['organization', 'place', 'person', 'other'];
  return [...votes.entries()].sort((a, b) => b[1] - a[1] || order.indexOf(a[0]) - order.indexOf(b[0]))[0]![0];
}

/** Reads the descriptions of an entity around each of its mentions (article text and bios, not headlines). */
function collectDescriptions(
  document: CorpusDocument,
  entity: DocumentEntity,
  others: readonly { start: number; end: number }[],
  names: readonly { start: number; end: number }[],
): void {
  const { text } = document;
  const seen = new Set(entity.descriptions.map((d) => `${d.start}:${d.end}`));
  if (entity.kind === 'other') return;
  for (const mention of entity.mentions) {
    const bounds = blockBounds(document, mention.start);
    if (!bounds || bounds.role === 'headline') continue;
    const kind = entity.kind;
    const found = [
      ...appositiveAfter(text, mention.end, bounds.limit, kind),
      ...(kind === 'person' ? appositiveBefore(text, mention.start, bounds.floor) : []),
      ...titleBefore(text, mention.start, bounds.floor, kind),
      ...copulaAfter(text, mention.end, bounds.limit, kind),
      ...(kind === 'person' ? pronounCopulas(text, mention.end, bounds.limit) : kind === 'organization' ? headAfter(text, mention, bounds.limit, kind) : []),
    ];
    for (const d of found) {
      if (seen.has(`${d.start}:${d.end}`)) continue;
      // "chief investigative reporter Ken Vogel" is another person's title, not this one's description.
      if (others.some((o) => o.start > d.start && o.start < coreEnd(d) && HEADS_OF.person.has(bare(text.slice(d.start, o.start).trim().split(/\s+/).at(-1) ?? '')))) continue;
      // "Lotus Club, The Harbor Club of Dunmore, …": a list of names, not a description of an organisation or place.
      if (entity.kind !== 'person' && names.some((o) => o.start >= d.start && o.end <= d.end && headInside(text, d, entity.kind, o))) continue;
      // A description never holds the entity's own mention.
      if (d.start < mention.end && mention.start < d.end) continue;
      seen.add(`${d.start}:${d.end}`);
      entity.descriptions.push(d);
    }
  }
}

/** Whether an acronym's letters are the initials of a name's words, in order ("KCNA", "IMF"). */
function isInitialsOf(acronym: string, name: string): boolean {
  const letters = acronym.replace(/[^A-Za-z]/g, '').toLowerCase();
  const initials = tokensOf(name)
    .filter((t) => !TITLE_JOINERS.has(t))
    .map((t) => t[0])
    .join('');
  return letters.length >= 2 && letters === initials;
}

function acronymOf(name: string): string {
  return tokensOf(name)
    .filter((t) => !TITLE_JOINERS.has(t))
    .map((t) => t[0])
    .join('');
}

/**
 * The name each person mention refers to within one text: a one-word mention
 * is the full name in the same text that ends or begins with it, when exactly
 * one does; otherwise the mention's own words.
 */
export function personNames(spans: readonly EntitySpan[]): { start: number; end: number; text: string; name: string }[] {
  // A country, a nationality or a designation is never a person, whatever the tagger read.
  const people = spans.filter((s) => s.kind === 'person' && kindFromName(s.text) === null);
  const full = new Map<string, string>();
  for (const p of people) if (tokensOf(p.text).length > 1) full.set(nameKey(p.text), p.text);
  return people.map((p) => {
    const key = nameKey(p.text);
    let name = p.text;
    if (!key.includes(' ')) {
      const candidates = [...full.entries()].filter(([k]) => k.split(' ').at(-1) === key || k.split(' ')[0] === key);
      if (candidates.length === 1) name = candidates[0]![1];
    }
    return { start: p.start, end: p.end, text: p.text, name };
  });
}
