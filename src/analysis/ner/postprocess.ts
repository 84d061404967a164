/**
 * Span-level corrections after tagging: names inside titled runs, and one
 * reading per name within a document.
 */
import { EVIDENCE_WINDOW } from './features.js';
import type { Lexicons, PreparedDocument } from './features.js';
import type { TaggedSpan } from './tagger.js';
import type { Token } from './tokenize.js';
import { MULTIWORD_PLACES, NATIONALITIES } from '../entity-lexicon.js';

/**
 * Role nouns that stand before a person's name. Inside a longer capitalised run
 * tagged as one entity ("White House National Security Advisor Jake Sullivan",
 * "US Secretary of Defense Lloyd Austin"), a role noun, optionally followed by
 * its "of ..." complement, marks the last one to three capitalised words as
 * the person's name. Name words are words the case lexicon does not know as
 * usually lower-case ("Defense" is, "Lloyd" and "Austin" are not).
 */
const ROLE_NOUNS = new Set([
  'advisor', 'adviser', 'secretary', 'minister', 'president', 'spokesman', 'spokeswoman', 'spokesperson',
  'ambassador', 'director', 'chairman', 'chairwoman', 'commander', 'governor', 'senator', 'editor',
  'correspondent', 'envoy', 'premier', 'chancellor', 'mayor', 'professor', 'analyst', 'researcher', 'expert',
]);
const COMPLEMENT_WORDS = new Set(['of', 'for', 'the', 'and', '&']);

function isNameWord(token: Token, lexicons: Lexicons): boolean {
  if (!/^\p{Lu}\p{Ll}+(?:-\p{L}+)?$/u.test(token.text)) return false;
  const lower = token.text.toLowerCase();
  if (ROLE_NOUNS.has(lower)) return false;
  const usual = lexicons.caseLexicon.get(lower) ?? '';
  return !usual.startsWith('l') && !usual.startsWith('ml');
}

export function splitRoleRuns(tokens: readonly Token[], spans: TaggedSpan[], lexicons: Lexicons): TaggedSpan[] {
  const out: TaggedSpan[] = [];
  for (const span of spans) {
    if (span.last - span.first < 2) {
      out.push(span);
      continue;
    }
    let role = -1;
    for (let k = span.last - 2; k >= span.first; k--) {
      if (ROLE_NOUNS.has(tokens[k]!.text.toLowerCase())) {
        role = k;
        break;
      }
    }
    if (role < 0) {
      out.push(span);
      continue;
    }
    // the name: the longest run of name words (at most three) ending the span
    let nameStart = span.last;
    while (nameStart > role + 1 && span.last - nameStart < 3 && isNameWord(tokens[nameStart - 1]!, lexicons)) nameStart--;
    // between the role noun and the name: nothing, or an "of ..." complement
    const between = tokens.slice(role + 1, nameStart);
    const complement =
      between.length === 0 ||
      (COMPLEMENT_WORDS.has(between[0]!.text.toLowerCase()) &&
        between.every((t) => COMPLEMENT_WORDS.has(t.text.toLowerCase()) || /^\p{Lu}/u.test(t.text)));
    if (nameStart < span.last && complement && (span.type !== 'PER' || nameStart > span.first)) {
      out.push({ first: nameStart, last: span.last, type: 'PER' });
    } else {
      out.push(span);
    }
  }
  return out;
}

/**
 * One name, one reading per document (Mikheev et al. 1998): a word that is part
 * of a longer person name ("Song Zhongping", "Yoshimasa Hayashi") and appears
 * on its own nearby, capitalised mid-sentence and outside any entity, is the
 * same person ("Song warned"). Words the case lexicon says are usually
 * lower-case are only taken when not sentence-initial; words that training
 * shows capitalised but outside entities (months, "Mr") are never taken.
 */
export function propagateNames(doc: PreparedDocument, spans: TaggedSpan[], lexicons: Lexicons): TaggedSpan[] {
  const nameWords = new Map<string, number[]>();
  for (const span of spans) {
    if (span.type !== 'PER' || span.last - span.first < 2) continue;
    for (let k = span.first; k < span.last; k++) {
      const form = doc.forms[k]!;
      if (!/^\p{Lu}\p{Ll}+$/u.test(form) || lexicons.capitalisedNonEntities.has(form.toLowerCase())) continue;
      const positions = nameWords.get(form) ?? [];
      positions.push(k);
      nameWords.set(form, positions);
    }
  }
  if (nameWords.size === 0) return spans;
  const covered = new Uint8Array(doc.forms.length);
  for (const span of spans) covered.fill(1, span.first, span.last);
  const sentenceStart = new Uint8Array(doc.forms.length);
  for (const s of doc.sentences) {
    sentenceStart[s.first] = 1;
    if (s.first + 1 < s.last && /^["'(]$/.test(doc.forms[s.first]!)) sentenceStart[s.first + 1] = 1;
  }
  const added: TaggedSpan[] = [];
  const titleCase = (k: number): boolean => k >= 0 && k < doc.forms.length && /^\p{Lu}/u.test(doc.forms[k]!);
  for (let i = 0; i < doc.forms.length; i++) {
    if (covered[i]) continue;
    const positions = nameWords.get(doc.forms[i]!);
    if (!positions || !positions.some((p) => Math.abs(p - i) <= EVIDENCE_WINDOW)) continue;
    // Part of a longer capitalised run (another name), not a lone mention.
    if ((titleCase(i - 1) && !sentenceStart[i]) || titleCase(i + 1)) continue;
    const usual = lexicons.caseLexicon.get(doc.forms[i]!.toLowerCase()) ?? '';
    if (sentenceStart[i] && usual.startsWith('l')) continue;
    added.push({ first: i, last: i + 1, type: 'PER' });
  }
  return added.length === 0 ? spans : [...spans, ...added].sort((a, b) => a.first - b.first);
}

/** Courtesy titles that precede a name but are not part of it ("Mr Molyneux" → "Molyneux"). */
const HONORIFICS = new Set(['mr', 'mr.', 'mrs', 'mrs.', 'ms', 'ms.', 'dr', 'dr.', 'prof', 'prof.', 'sir', 'dame', 'lord', 'lady']);

export function stripHonorifics(tokens: readonly Token[], spans: TaggedSpan[]): TaggedSpan[] {
  return spans.map((span) => {
    if (span.type !== 'PER') return span;
    let first = span.first;
    while (first < span.last - 1 && HONORIFICS.has(tokens[first]!.text.toLowerCase())) first++;
    return first === span.first ? span : { ...span, first };
  });
}

/** A letter-digit designation ("F-35", "DF-26", "Su-57", "MQ-9"): hardware, never a person. */
const DESIGNATION = /^(?:\p{L}{1,4}-?\d+[\p{L}\d-]*)$/u;

/**
 * General evidence over the tagger's type for a name it calls a person: a
 * several-word country or region ("North Korea") is a place, a nationality
 * and a letter-digit designation ("F-35") are MISC. One-word countries are
 * left to the entity analysis (people.ts), since some are also names
 * ("Jordan", "Chad").
 */
export function retypeByName(tokens: readonly Token[], spans: TaggedSpan[]): TaggedSpan[] {
  return spans.map((span) => {
    if (span.type !== 'PER') return span;
    const words = tokens.slice(span.first, span.last).map((t) => t.text);
    const key = words.join(' ').toLowerCase().replace(/\./g, '').replace(/[’']s$/, '').replace(/-/g, ' ');
    if (words.length > 1 && MULTIWORD_PLACES.has(key)) return { ...span, type: 'LOC' };
    if (NATIONALITIES.has(key)) return { ...span, type: 'MISC' };
    if (words.length === 1 && DESIGNATION.test(words[0]!)) return { ...span, type: 'MISC' };
    return span;
  });
}
