/**
 * Quotations for /quote: each quotation the analysis found in article text,
 * with its speaker resolved to the corpus's entity where the name is known
 * (so "Hayashi" and "Takeo Kishida" read as the people the corpus knows), the
 * speaker's best description, and the words in the text that name them.
 */
import type { CorpusDocument, Quote, SpeakerFilter } from '../types.js';
import { nameKey } from '../analysis/people.js';
import { citationFor } from '../corpus/document.js';
import type { QuoteMention } from '../analysis/quotes/index.js';
import type { EntityIndex, EntityRef } from './who.js';
import { runSteps } from '../steps.js';
import { termsOf } from '../index/terms.js';
import { MAX_NAME_CHARS } from './limits.js';

/**
 * /quote offers quotations a reader can paste. A quoted fragment of fewer
 * words than this is kept only when a person the corpus knows by name is its
 * speaker ("serious concern", said by Hiroshi Moriya); otherwise it is a term
 * ("integrated deterrence", "China threat"), even with a reporting verb nearby.
 * `sitrep analyze` still reports every quote.
 */
export const MIN_QUOTE_WORDS = 4;

function wordCount(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

export interface QuoteEntry {
  docIndex: number;
  mention: QuoteMention;
  /**
   * The corpus entity the speaker's name stands for, if any: a record id of the
   * entity index, mapped to the entity answering for it (`EntityIndex.canonical`)
   * when shown, so a surname attached later to its person reads as that person.
   */
  speakerEntity: EntityRef | null;
  /** The speaker's name as the document gives it (used when no entity is known). */
  speakerName: string | null;
}

/**
 * Quotation entries of documents `firstDocIndex`, `firstDocIndex + 1`, … (an
 * incremental update passes the new documents' quotations and their first index).
 */
export function buildQuotes(quotesByDoc: readonly (readonly QuoteMention[])[], entities: EntityIndex, firstDocIndex = 0): QuoteEntry[] {
  return runSteps(buildQuotesSteps(quotesByDoc, entities, firstDocIndex));
}

/** `buildQuotes` in steps (a generator pausing every few hundred documents: each speaker is looked up). */
export function* buildQuotesSteps(quotesByDoc: readonly (readonly QuoteMention[])[], entities: EntityIndex, firstDocIndex = 0): Generator<void, QuoteEntry[]> {
  const out: QuoteEntry[] = [];
  for (let i = 0; i < quotesByDoc.length; i++) {
    if (i % 200 === 199) yield;
    const mentions = quotesByDoc[i] ?? [];
    const docIndex = firstDocIndex + i;
    for (const mention of mentions) {
      const speakerName = mention.speaker ? fullerOrganizationName(mention) : null;
      const id = speakerName && mention.speakerKind !== 'anonymous' ? entities.recordOf(speakerName) : null;
      const entity = id === null ? null : entities.canonical(id);
      const named = entity && id !== null ? { id, name: entity.name } : null;
      const byKnownPerson = named !== null && (mention.speakerKind === 'person' || mention.speakerKind === 'pronoun' || mention.speakerKind === 'nominal');
      if (wordCount(mention.text) < MIN_QUOTE_WORDS && !byKnownPerson) continue;
      out.push({ docIndex, mention, speakerEntity: named, speakerName });
    }
  }
  return out;
}

/**
 * An organisation named by capitalised words the recogniser only partly took
 * ("the Russian News" read as "News") keeps the whole name as written.
 */
function fullerOrganizationName(mention: QuoteMention): string {
  const speaker = mention.speaker!;
  if (mention.speakerKind !== 'organization') return speaker.name;
  const written = speaker.text.replace(/^(?:the|a|an)\s+/i, '');
  const capitalised = written.split(/\s+/).every((w) => /^[\p{Lu}\d]/u.test(w) || /^(?:of|for|and|&|the)$/.test(w));
  return capitalised && written.endsWith(speaker.name) && written.length > speaker.name.length ? written : speaker.name;
}

export function toQuote(entry: QuoteEntry, documents: readonly CorpusDocument[], entities: EntityIndex): Quote {
  const document = documents[entry.docIndex]!;
  const { mention } = entry;
  const quote: Quote = {
    text: mention.text,
    speaker: null,
    source: citationFor(document, mention.start, mention.end),
  };
  if (mention.speaker) {
    const entity = entry.speakerEntity ? entities.canonical(entry.speakerEntity.id) : null;
    quote.speaker = {
      name: entity?.name ?? entry.speakerName ?? mention.speaker.name,
      description: entity ? entities.describe(entity.id) : null,
      mention: mention.speaker.text,
    };
  }
  return quote;
}

/**
 * The quotations of one speaker, by the /who rules: the entity a name or alias
 * answers for (with the surnames attached to it); else a speaker the text
 * names exactly so without being an entity ("the source"); else none, with the
 * names the query is near. Never another person's quotations.
 */
export function quotesBySpeaker(speakers: SpeakerTable, speaker: string, entities: EntityIndex): { entries: QuoteEntry[]; filter: SpeakerFilter } {
  const { entries } = speakers;
  const found = entities.lookup(speaker);
  if (found.match) {
    const positions = entities.memberIds(found.match.id).flatMap((id) => speakers.byEntity.get(id) ?? []);
    return {
      entries: positions.sort((a, b) => a - b).map((k) => entries[k]!),
      filter: { query: speaker, match: found.match.name, suggestions: [] },
    };
  }
  const key = nameKey(speaker.slice(0, MAX_NAME_CHARS));
  const named = (key ? speakers.byName.get(key) ?? [] : []).map((k) => entries[k]!);
  if (named.length > 0) return { entries: named, filter: { query: speaker, match: named[0]!.speakerName, suggestions: [] } };
  return { entries: [], filter: { query: speaker, match: null, suggestions: found.suggestions } };
}

/**
 * The quotation entries by speaker, as positions in `entries` (ascending): by the entity
 * record a speaker resolved to, and, for speakers that are no entity, by the key of the name
 * the text gives. Made once per entry list, so /quote with a speaker reads only that
 * speaker's quotations.
 */
export interface SpeakerTable {
  entries: readonly QuoteEntry[];
  byEntity: Map<number, number[]>;
  byName: Map<string, number[]>;
}

export function speakerTable(entries: readonly QuoteEntry[]): SpeakerTable {
  const byEntity = new Map<number, number[]>();
  const byName = new Map<string, number[]>();
  const add = <K>(map: Map<K, number[]>, key: K, k: number): void => {
    const list = map.get(key);
    if (list) list.push(k);
    else map.set(key, [k]);
  };
  entries.forEach((e, k) => {
    if (e.speakerEntity !== null) add(byEntity, e.speakerEntity.id, k);
    else if (e.speakerName !== null) {
      const key = nameKey(e.speakerName);
      if (key) add(byName, key, k);
    }
  });
  return { entries, byEntity, byName };
}

/**
 * The quotations' own words: for each search term, the positions (ascending) in the quotation
 * table of the quotations whose words hold it. /quote with a topic reads the topic's terms here
 * instead of reading candidate quotations word by word. Built in steps (a bot builds it in the
 * background with the other name tables); a table whose entries extend another's (documents
 * appended) indexes only the new ones, sharing the lists, and each table reads only positions
 * below its own length.
 */
export class QuoteTerms {
  private constructor(
    readonly entries: readonly QuoteEntry[],
    private readonly byTerm: Map<string, number[]>,
    private readonly shared: { indexed: number },
  ) {}

  static over(entries: readonly QuoteEntry[]): QuoteTerms {
    return new QuoteTerms(entries, new Map(), { indexed: 0 });
  }

  /** True once every entry is indexed. */
  get ready(): boolean {
    return this.shared.indexed >= this.entries.length;
  }

  /** Indexes the entries not indexed yet, pausing every few hundred. */
  *steps(): Generator<void, QuoteTerms> {
    const { entries, byTerm, shared } = this;
    while (shared.indexed < entries.length) {
      const k = shared.indexed;
      if (k % 500 === 499) yield;
      for (const term of termsOf(entries[k]!.mention.text)) {
        const list = byTerm.get(term);
        if (list) list.push(k);
        else byTerm.set(term, [k]);
      }
      shared.indexed = k + 1;
    }
    return this;
  }

  /**
   * The table over `entries` when they begin with this table's entries (the same objects, in
   * order): it shares this one's lists and indexes only the rest. Otherwise a new table.
   */
  extendedTo(entries: readonly QuoteEntry[]): QuoteTerms {
    const n = this.entries.length;
    const continues = entries.length >= n && this.shared.indexed === n && (n === 0 || (entries[0] === this.entries[0] && entries[n - 1] === this.entries[n - 1]));
    return continues ? new QuoteTerms(entries, this.byTerm, this.shared) : QuoteTerms.over(entries);
  }

  /** Positions of the quotations whose words hold `term`, ascending (indexes what is left first). */
  with(term: string): readonly number[] {
    if (!this.ready) runSteps(this.steps());
    const list = this.byTerm.get(term);
    if (!list) return [];
    // A table derived from this one may have appended positions past this table's entries.
    let end = list.length;
    while (end > 0 && list[end - 1]! >= this.entries.length) end--;
    return end === list.length ? list : list.slice(0, end);
  }
}
