/**
 * The corpus's people and organisations, merged across documents, for /who,
 * autocomplete and speaker filters.
 *
 * Merging: the same full name in several documents is one entity. A name
 * used alone in a document ("Austin" under "US Defense Secretary Austin")
 * joins the one entity elsewhere whose full name ends (or, for surname-first
 * names, begins) with it. Two full names that share a surname and a role
 * ("Takeo Kishida" and "Fumio Kishida", both "Prime Minister") are one
 * person under the more frequent spelling, the other shown as an alias.
 *
 * Lookup: exact name or alias; then a name word ("Kishida", "Song"); then a
 * prefix ("Kish"); then spelling distance ("Blinkin"). A weak or missing
 * match comes with suggestions; nothing is made up.
 */
import type { CorpusDocument, EntityKind, EntityMatch, Excerpt, WhoResult } from '../types.js';
import { excerptOf } from '../corpus/document.js';
import { nameKey, ROLE_WORDS, type DocumentEntity } from '../analysis/people.js';
import { sentencesIn } from './excerpts.js';

/** A lone surname goes to the most mentioned full name with it when that one has this many times the next one's mentions. */
const DOMINANT_SHARE = 3;
/** At most this many descriptions and excerpts in an answer. */
const MAX_DESCRIPTIONS = 5;
const MAX_EXCERPTS = 3;
/** At most this many suggestions. */
const MAX_SUGGESTIONS = 5;
/** Autocomplete: Discord allows 25 choices of at most 100 characters. */
export const MAX_COMPLETIONS = 25;
export const MAX_COMPLETION_CHARS = 100;

interface EntityRecord {
  id: number;
  name: string;
  kind: EntityKind;
  keys: Set<string>;
  aliases: Set<string>;
  /** Per document: the document's entity and its index. */
  occurrences: { docIndex: number; entity: DocumentEntity }[];
  mentions: number;
}

export interface EntityRef {
  id: number;
  name: string;
}

/** Generic trailing words of organisation names: "Kyodo News Agency" is "Kyodo News". */
const ORGANIZATION_SUFFIXES = /(?: (?:agency|corporation|corp|inc|ltd|co|company|group|limited|llc|plc))+$/;

function organizationCore(key: string): string {
  return key.replace(ORGANIZATION_SUFFIXES, '');
}

function surname(key: string): string {
  return key.split(' ').at(-1)!;
}

function firstName(key: string): string {
  return key.split(' ')[0]!;
}

function roleWordsOf(entity: DocumentEntity, text: string): Set<string> {
  const out = new Set<string>();
  for (const d of entity.descriptions) {
    for (const w of text.slice(d.start, d.end).toLowerCase().split(/[^\p{L}]+/u)) if (ROLE_WORDS.has(w)) out.add(w);
  }
  return out;
}

/** Damerau–Levenshtein distance (optimal string alignment), bounded: returns max+1 when over. */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    let rowMin = Infinity;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = v;
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
  }
  return d[rows * cols - 1]!;
}

export class EntityIndex {
  private readonly records: EntityRecord[];
  private readonly byKey = new Map<string, EntityRecord>();
  private readonly documents: readonly CorpusDocument[];
  private readonly descriptionCache = new Map<number, string | null>();

  constructor(documents: readonly CorpusDocument[], entitiesByDoc: readonly (readonly DocumentEntity[])[]) {
    this.documents = documents;
    this.records = [];
    // Lookup tables for merging, so building grows with the corpus, not with its square.
    const bySurname = new Map<string, Set<EntityRecord>>(); // people with a full name, by its last word
    const byCore = new Map<string, EntityRecord>(); // organisations, by name without a generic suffix
    const byFirstWord = new Map<string, Set<EntityRecord>>(); // organisations with a several-word name, by its first word
    const roles = new Map<EntityRecord, Set<string>>();
    const addTo = <K, V>(map: Map<K, Set<V>>, key: K, value: V): void => {
      const set = map.get(key) ?? new Set<V>();
      set.add(value);
      map.set(key, set);
    };
    const index = (record: EntityRecord, key: string): void => {
      if (record.kind === 'person' && key.includes(' ')) addTo(bySurname, surname(key), record);
      if (record.kind === 'organization') {
        if (!byCore.has(organizationCore(key))) byCore.set(organizationCore(key), record);
        if (key.includes(' ')) addTo(byFirstWord, firstName(key), record);
      }
    };
    // Full names first, so lone words can join them.
    const all = entitiesByDoc.flatMap((list, docIndex) =>
      list.map((entity) => {
        const key = nameKey(entity.name);
        return { docIndex, entity, key, words: key.split(' ').length };
      }),
    );
    all.sort((a, b) => b.words - a.words || a.docIndex - b.docIndex);
    for (const { docIndex, entity, key } of all) {
      if (!key) continue;
      let record = this.byKey.get(key);
      if (!record && entity.kind === 'person' && !key.includes(' ')) {
        // A surname alone joins the full name carrying it elsewhere: the only one, or one mentioned far more than the others.
        const candidates = [...(bySurname.get(key) ?? [])].sort((a, b) => b.mentions - a.mentions);
        if (candidates.length === 1 || (candidates.length > 1 && candidates[0]!.mentions >= DOMINANT_SHARE * candidates[1]!.mentions)) record = candidates[0];
        // A lone word the tagger took for a person that begins exactly one organisation's name ("Kyodo said").
        if (!record && candidates.length === 0) {
          const organizations = byFirstWord.get(key);
          if (organizations?.size === 1) record = [...organizations][0];
        }
      }
      const entityRoles = entity.kind === 'person' ? roleWordsOf(entity, this.documents[docIndex]!.text) : new Set<string>();
      if (!record && entity.kind === 'person' && key.includes(' ')) {
        // A variant spelling: same surname, a shared role word.
        record = [...(bySurname.get(surname(key)) ?? [])].find((r) => [...(roles.get(r) ?? [])].some((w) => entityRoles.has(w)));
      }
      if (!record && entity.kind === 'organization') {
        // "Kyodo News" and "Kyodo News Agency"; "Kyodo" alone joins the one organisation it begins.
        record = byCore.get(organizationCore(key));
        if (!record && !key.includes(' ')) {
          const candidates = byFirstWord.get(key);
          if (candidates?.size === 1) record = [...candidates][0];
        }
      }
      if (!record) {
        record = { id: this.records.length, name: entity.name, kind: entity.kind, keys: new Set(), aliases: new Set(), occurrences: [], mentions: 0 };
        this.records.push(record);
      }
      const known = roles.get(record) ?? new Set<string>();
      for (const w of entityRoles) known.add(w);
      roles.set(record, known);
      record.keys.add(key);
      this.byKey.set(key, record);
      index(record, key);
      record.aliases.add(entity.name);
      for (const alias of entity.aliases) {
        record.aliases.add(alias);
        const aliasKey = nameKey(alias);
        if (aliasKey && !this.byKey.has(aliasKey)) {
          this.byKey.set(aliasKey, record);
          record.keys.add(aliasKey);
          index(record, aliasKey);
        }
      }
      record.occurrences.push({ docIndex, entity });
      record.mentions += entity.mentions.length;
    }
    for (const record of this.records) {
      // The canonical name: the fullest form with the most mentions.
      const counts = new Map<string, { mentions: number; words: number }>();
      for (const o of record.occurrences) {
        const seen = counts.get(o.entity.name);
        if (seen) seen.mentions += o.entity.mentions.length;
        else counts.set(o.entity.name, { mentions: o.entity.mentions.length, words: nameKey(o.entity.name).split(' ').length });
      }
      record.name = [...counts.entries()].sort((a, b) => b[1].words - a[1].words || b[1].mentions - a[1].mentions || a[0].localeCompare(b[0]))[0]![0];
      record.aliases.delete(record.name);
      for (const alias of [...record.aliases]) if (nameKey(alias) === nameKey(record.name)) record.aliases.delete(alias);
      record.occurrences.sort((a, b) => a.docIndex - b.docIndex);
    }
  }

  get size(): number {
    return this.records.length;
  }

  /** All names, most mentioned first. */
  names(): string[] {
    return [...this.records].sort((a, b) => b.mentions - a.mentions || a.name.localeCompare(b.name)).map((r) => r.name);
  }

  /** Resolves a name, alias, name word, prefix or misspelling to ranked candidates with a confidence. */
  resolve(query: string): { record: EntityRecord; strength: 'exact' | 'word' | 'prefix' | 'fuzzy' }[] {
    const key = nameKey(query);
    if (!key) return [];
    const exact = this.byKey.get(key);
    if (exact) return [{ record: exact, strength: 'exact' }];
    const byMentions = (a: EntityRecord, b: EntityRecord): number => b.mentions - a.mentions || a.id - b.id;
    const word = this.records.filter((r) => [...r.keys].some((k) => k.split(' ').includes(key))).sort(byMentions);
    if (word.length > 0) return word.map((record) => ({ record, strength: 'word' as const }));
    const prefix = this.records.filter((r) => [...r.keys].some((k) => k.startsWith(key) || k.split(' ').some((w) => w.startsWith(key)))).sort(byMentions);
    if (prefix.length > 0 && key.length >= 3) return prefix.map((record) => ({ record, strength: 'prefix' as const }));
    const maxDistance = key.length <= 4 ? 1 : key.length <= 8 ? 2 : 3;
    const fuzzy: { record: EntityRecord; distance: number }[] = [];
    for (const r of this.records) {
      let best = maxDistance + 1;
      for (const k of r.keys) {
        best = Math.min(best, editDistance(key, k, maxDistance));
        for (const w of k.split(' ')) if (w.length >= 3) best = Math.min(best, editDistance(key, w, maxDistance));
      }
      if (best <= maxDistance) fuzzy.push({ record: r, distance: best });
    }
    fuzzy.sort((a, b) => a.distance - b.distance || byMentions(a.record, b.record));
    return fuzzy.map(({ record }) => ({ record, strength: 'fuzzy' as const }));
  }

  /** The entity a name refers to, if any; `exactOnly` accepts only a known name or alias (for names read from text). */
  find(query: string, options: { exactOnly?: boolean } = {}): EntityRef | null {
    if (options.exactOnly) {
      const record = this.byKey.get(nameKey(query));
      return record ? { id: record.id, name: record.name } : null;
    }
    const best = this.resolve(query)[0];
    if (!best || (options.exactOnly && best.strength !== 'exact')) return null;
    return { id: best.record.id, name: best.record.name };
  }

  /** The entity's most frequent description (its text), or null. */
  describe(id: number): string | null {
    if (!this.descriptionCache.has(id)) {
      const record = this.records[id];
      this.descriptionCache.set(id, record ? (this.rankedDescriptions(record)[0]?.text ?? null) : null);
    }
    return this.descriptionCache.get(id) ?? null;
  }

  who(query: string): WhoResult {
    const candidates = this.resolve(query);
    const best = candidates[0];
    if (!best) return { query, match: null, suggestions: this.nearest(query) };
    const others = candidates.slice(1, 1 + MAX_SUGGESTIONS).map((c) => c.record.name);
    // A name word or prefix shared by several entities is ambiguous: answer with the most mentioned, suggest the rest.
    const suggestions = best.strength === 'exact' ? [] : others;
    return { query, match: this.toMatch(best.record), suggestions };
  }

  /** Names near a query that matched nothing: by spelling, then by shared letters. */
  private nearest(query: string): string[] {
    const key = nameKey(query);
    if (!key) return this.names().slice(0, MAX_SUGGESTIONS);
    const grams = (s: string): Set<string> => {
      const out = new Set<string>();
      const padded = ` ${s} `;
      for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
      return out;
    };
    const q = grams(key);
    const scored = this.records.map((r) => {
      let best = 0;
      for (const k of r.keys) {
        const g = grams(k);
        let shared = 0;
        for (const x of q) if (g.has(x)) shared++;
        best = Math.max(best, shared / Math.max(q.size, 1));
      }
      return { r, best };
    });
    return scored
      .filter((s) => s.best >= 0.25)
      .sort((a, b) => b.best - a.best || b.r.mentions - a.r.mentions)
      .slice(0, MAX_SUGGESTIONS)
      .map((s) => s.r.name);
  }

  /** Autocomplete: exact, then prefix of the name, then prefix of a name word, then spelling; by mentions. */
  complete(prefix: string, limit = MAX_COMPLETIONS): string[] {
    const n = Math.min(Math.max(limit, 0), MAX_COMPLETIONS);
    const key = nameKey(prefix);
    const cut = (s: string): string => (s.length > MAX_COMPLETION_CHARS ? `${s.slice(0, MAX_COMPLETION_CHARS - 1)}…` : s);
    if (!key) return this.names().slice(0, n).map(cut);
    const rank = (r: EntityRecord): number => {
      const k = nameKey(r.name);
      if (k === key || [...r.keys].includes(key)) return 0;
      if (k.startsWith(key)) return 1;
      if ([...r.keys].some((x) => x.startsWith(key) || x.split(' ').some((w) => w.startsWith(key)))) return 2;
      return 3;
    };
    const ranked = this.records
      .map((r) => ({ r, rank: rank(r) }))
      .filter((x) => x.rank < 3)
      .sort((a, b) => a.rank - b.rank || b.r.mentions - a.r.mentions || a.r.name.localeCompare(b.r.name));
    let names = ranked.map((x) => x.r.name);
    if (names.length < n && key.length >= 3) {
      for (const c of this.resolve(prefix)) if (!names.includes(c.record.name)) names.push(c.record.name);
    }
    names = names.slice(0, n);
    return names.map(cut);
  }

  /** Descriptions of an entity, de-duplicated (articles and possessives aside), most frequent first, then by order of appearance. */
  private rankedDescriptions(record: EntityRecord): Excerpt[] {
    const descriptions: { excerpt: Excerpt; norm: string; count: number; order: number }[] = [];
    let order = 0;
    for (const { docIndex, entity } of record.occurrences) {
      const document = this.documents[docIndex]!;
      for (const d of entity.descriptions) {
        const norm = d.text.toLowerCase().replace(/^(?:a|an|the|his|her|its|their)\s+/, '').replace(/[’']s\b/g, '').replace(/\s+/g, ' ');
        const same = descriptions.find((x) => x.norm === norm);
        if (same) same.count++;
        else descriptions.push({ excerpt: excerptOf(document, d.start, d.end), norm, count: 1, order: order++ });
      }
    }
    descriptions.sort((a, b) => b.count - a.count || a.order - b.order);
    return descriptions.map((d) => d.excerpt);
  }

  private toMatch(record: EntityRecord): EntityMatch {
    const excerpts: Excerpt[] = [];
    for (const { docIndex, entity } of record.occurrences) {
      if (excerpts.length >= MAX_EXCERPTS) break;
      const document = this.documents[docIndex]!;
      const first = entity.mentions[0]!;
      const sentence = sentencesIn(document, first.start, first.end)[0];
      if (sentence && sentence.start <= first.start) excerpts.push(excerptOf(document, sentence.start, sentence.end));
      else {
        const block = document.blocks.find((b) => first.start >= b.start && first.start < b.end);
        if (block) excerpts.push(excerptOf(document, block.start, block.end));
      }
    }
    return {
      name: record.name,
      kind: record.kind,
      aliases: [...record.aliases].sort(),
      descriptions: this.rankedDescriptions(record).slice(0, MAX_DESCRIPTIONS),
      mentions: record.mentions,
      documents: [...new Set(record.occurrences.map((o) => this.documents[o.docIndex]!.doc))],
      excerpts,
    };
  }
}
