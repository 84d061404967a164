/**
 * Turning the words that name a speaker into the name the document gives:
 * "Hayashi" → "Yoshimasa Hayashi", "he" → the person it points to,
 * "the Chinese diplomat" → the person described that way.
 */
import type { EntitySpan } from '../../types.js';
import { ANONYMOUS_HEADS, DETERMINERS, ORG_WORDS, PLACES, ROLE_FAMILIES, TITLES } from './lexicon.js';
import { tokenize, type Token } from './tokens.js';

export type SpeakerKind = 'person' | 'organization' | 'pronoun' | 'nominal' | 'anonymous';

interface Person {
  start: number;
  end: number;
  /** Mentioned inside a quotation (then not an antecedent). */
  quoted: boolean;
  /** Words of the name as written (titles removed). */
  words: string[];
  /** The name as the text writes it, from its first word after any title ("Ronald R. Fieldstone"). */
  display: string;
  /** Lower-case words describing the person near this mention. */
  description: Set<string>;
}

const family = new Map<string, number[]>();
ROLE_FAMILIES.forEach((f, k) => {
  for (const w of f) family.set(w, [...(family.get(w) ?? []), k]);
});

function firstTokenAtOrAfter(tokens: Token[], pos: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.start < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function stem(w: string): string {
  return w.replace(/(ies)$/, 'y').replace(/([^s])s$/, '$1');
}

export class SpeakerResolver {
  private readonly persons: Person[] = [];
  private readonly orgs: EntitySpan[];
  private readonly tokens: Token[];

  constructor(
    private readonly text: string,
    entities: EntitySpan[],
    /** Ranges inside quotation marks: mentions there are not antecedents. */
    private readonly quoted: { start: number; end: number }[],
  ) {
    this.tokens = tokenize(text);
    this.orgs = entities.filter((e) => e.kind === 'organization');
    for (const e of entities) {
      if (e.kind !== 'person') continue;
      const toks = tokenize(e.text).filter((t) => t.word && !TITLES.has(t.lower));
      const words = toks.map((t) => (t.possessive ? t.text.slice(0, -2) : t.text));
      const first = toks[0];
      if (!first || words.length === 0) continue;
      const display = e.text.slice(first.start).replace(/[’']s$/, '').trim();
      this.persons.push({ start: e.start, end: e.end, quoted: this.isQuoted(e.start), words, display, description: this.describe(e) });
    }
    this.persons.sort((a, b) => a.start - b.start);
  }

  /** Words before the name in its phrase and in an appositive after it. */
  private describe(e: EntitySpan): Set<string> {
    const out = new Set<string>();
    const idx = firstTokenAtOrAfter(this.tokens, e.start);
    if (idx >= this.tokens.length) return out;
    for (let k = idx - 1, n = 0; k >= 0 && n < 7; k--, n++) {
      const t = this.tokens[k]!;
      if (!t.word) break;
      out.add(stem(t.lower));
    }
    let j = idx;
    while (j < this.tokens.length && this.tokens[j]!.end <= e.end) j++;
    if (this.tokens[j]?.text === ',') {
      for (let k = j + 1, n = 0; k < this.tokens.length && n < 14; k++, n++) {
        const t = this.tokens[k]!;
        if (!t.word) break;
        out.add(stem(t.lower));
      }
    }
    for (const w of [...out]) if (DETERMINERS.has(w)) out.delete(w);
    return out;
  }

  private isQuoted(pos: number): boolean {
    // Quotations are sorted by start: binary search for the last one starting at or before pos.
    let lo = 0;
    let hi = this.quoted.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.quoted[mid]!.start <= pos) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // Pieces do not overlap, but check a few before in case of nesting.
    for (let k = found; k >= 0 && k > found - 3; k--) {
      const q = this.quoted[k]!;
      if (pos >= q.start && pos < q.end) return true;
    }
    return false;
  }

  /** Full name for a person mention: the longest name in the document containing its words. */
  fullName(words: string[], display = words.join(' ')): string {
    const want = words.map((w) => w.toLowerCase());
    let best = display;
    let bestLen = words.length;
    for (const p of this.persons) {
      const have = p.words.map((w) => w.toLowerCase());
      if (have.length <= bestLen) continue;
      if (want.every((w) => have.includes(w))) {
        best = p.display;
        bestLen = have.length;
      }
    }
    return best;
  }

  /** Nearest person mentioned before `pos` outside quotations, as a full name. */
  private nearestPerson(pos: number, minScore = 0, cue?: Set<string>): string | null {
    let best: { person: Person; score: number } | null = null;
    for (const p of this.persons) {
      if (p.end > pos) break;
      if (p.quoted) continue;
      let score = 0;
      if (cue) {
        const pf = new Set<number>();
        for (const w of p.description) for (const f of family.get(w) ?? []) pf.add(f);
        for (const w of cue) {
          if (p.description.has(w)) score += 2;
          else if ((family.get(w) ?? []).some((f) => pf.has(f))) score += 1;
        }
      }
      if (score < minScore) continue;
      if (!best || score >= best.score) best = { person: p, score };
    }
    return best ? this.fullName(best.person.words, best.person.display) : null;
  }

  private personWithin(start: number, end: number): Person | null {
    return this.persons.find((p) => p.start >= start && p.end <= end) ?? null;
  }

  private orgWithin(start: number, end: number): EntitySpan | null {
    return this.orgs.find((o) => o.start >= start && o.end <= end) ?? null;
  }

  /**
   * Resolves a speaker phrase. Returns the mention span to report (it may
   * drop a leading possessive, "Japan’s Kyodo News" → "Kyodo News"), its
   * kind and the resolved name.
   */
  resolve(start: number, end: number): { start: number; end: number; name: string; kind: SpeakerKind } {
    const words = tokenize(this.text, start, end).filter((t) => t.word);
    const first = words[0];
    const last = words[words.length - 1];
    if (!first || !last) return { start, end, name: this.text.slice(start, end), kind: 'anonymous' };
    const lower = words.map((w) => w.lower);
    if (words.length === 1 && ['he', 'she', 'him', 'her'].includes(first.lower)) {
      return { start, end, name: this.nearestPerson(start) ?? first.text, kind: 'pronoun' };
    }
    if (words.length === 1 && ['they', 'we', 'it', 'i', 'you'].includes(first.lower)) {
      const org = [...this.orgs].reverse().find((o) => o.end <= start && !this.isQuoted(o.start));
      const name = first.lower === 'i' ? (this.nearestPerson(start) ?? first.text) : org && start - org.end < 600 ? org.text : first.text;
      return { start, end, name, kind: 'pronoun' };
    }
    // A possessive in front of a proper name is not part of it: "Japan’s Kyodo News".
    const possIdx = words.findIndex((w) => w.possessive);
    let s = start;
    if (possIdx >= 0 && possIdx < words.length - 1 && words[possIdx + 1]!.capitalized && last.capitalized) {
      s = words[possIdx + 1]!.start;
    }
    const person = this.personWithin(s, end);
    if (person) return { start: s, end, name: this.fullName(person.words, person.display), kind: 'person' };
    const org = this.orgWithin(s, end);
    const headCap = last.capitalized;
    if (org && headCap) return { start: s, end, name: org.text, kind: 'organization' };
    if (headCap) {
      // Capitalised words that no recogniser knows: a name if they look like one.
      const nameWords = words.filter((w) => w.capitalized && !TITLES.has(w.lower) && !PLACES.has(w.lower));
      if (lower.some((w) => ORG_WORDS.has(w)) || /^\p{Lu}{2,}$/u.test(last.text)) {
        return { start: s, end, name: this.text.slice(s, end), kind: 'organization' };
      }
      if (nameWords.length === 0 && words.every((w) => !w.capitalized || PLACES.has(w.lower) || TITLES.has(w.lower))) {
        // A country or city speaking: its government.
        return { start: s, end, name: this.text.slice(s, end), kind: 'organization' };
      }
      if (nameWords.length) {
        return { start: s, end, name: this.fullName(nameWords.map((w) => w.text.replace(/[’']s$/, ''))), kind: 'person' };
      }
    }
    // A description: "the Chinese diplomat", "a source", "insiders".
    const head = stem(last.lower);
    const definite = ['the', 'this', 'that'].includes(first.lower);
    const cueWords = new Set(lower.filter((w) => !DETERMINERS.has(w)).map(stem));
    if (!definite || ANONYMOUS_HEADS.has(last.lower) && /^(source|insider|person|people|someone|somebody)/.test(head)) {
      return { start, end, name: this.text.slice(start, end), kind: 'anonymous' };
    }
    const orgHead = ['newspaper', 'paper', 'agency', 'ministry', 'outlet', 'company', 'campaign', 'group', 'committee', 'department', 'network', 'government', 'daily', 'site', 'website'].includes(head);
    if (orgHead) {
      const o = [...this.orgs].reverse().find((x) => x.end <= start && !this.isQuoted(x.start));
      return { start, end, name: o?.text ?? this.text.slice(start, end), kind: 'nominal' };
    }
    const personal = family.has(head) || TITLES.has(head) || ANONYMOUS_HEADS.has(last.lower) || /(er|or|ist|ian|man|woman|ess|ant|ent)$/.test(head);
    const described = personal ? this.nearestPerson(start, 1, cueWords) : null;
    if (described) return { start, end, name: described, kind: 'nominal' };
    if (ANONYMOUS_HEADS.has(last.lower)) return { start, end, name: this.text.slice(start, end), kind: 'anonymous' };
    const near = personal ? this.nearestPerson(start) : null;
    return { start, end, name: near ?? this.text.slice(start, end), kind: near ? 'nominal' : 'anonymous' };
  }
}
