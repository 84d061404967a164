/**
 * Span-level corrections after tagging: names inside titled runs, and one
 * reading per name within a document.
 */
import { EVIDENCE_WINDOW } from './features.js';
import type { Lexicons, PreparedDocument } from './features.js';
import type { TaggedSpan } from './tagger.js';
import type { Token } from './tokenize.js';

/**
 * Role nouns that stand before a person's name. Inside a longer capitalised run
 * tagged as an organisation or place ("White House National Security Advisor
 * Jake Sullivan"), a role noun followed by one to three capitalised words
 * marks those words as the person's name.
 */
const ROLE_NOUNS = new Set([
  'advisor', 'adviser', 'secretary', 'minister', 'president', 'spokesman', 'spokeswoman', 'spokesperson',
  'ambassador', 'director', 'chairman', 'chairwoman', 'commander', 'governor', 'senator', 'editor',
  'correspondent', 'envoy', 'premier', 'chancellor', 'mayor', 'professor', 'analyst', 'researcher', 'expert',
]);

export function splitRoleRuns(tokens: readonly Token[], spans: TaggedSpan[]): TaggedSpan[] {
  const out: TaggedSpan[] = [];
  for (const span of spans) {
    if (span.type === 'PER' || span.last - span.first < 3) {
      out.push(span);
      continue;
    }
    let role = -1;
    for (let k = span.last - 2; k > span.first; k--) {
      if (ROLE_NOUNS.has(tokens[k]!.text.toLowerCase())) {
        role = k;
        break;
      }
    }
    const tail = role < 0 ? [] : tokens.slice(role + 1, span.last);
    if (tail.length >= 1 && tail.length <= 3 && tail.every((t) => /^\p{Lu}\p{Ll}+$/u.test(t.text) && !ROLE_NOUNS.has(t.text.toLowerCase()))) {
      out.push({ first: role + 1, last: span.last, type: 'PER' });
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
