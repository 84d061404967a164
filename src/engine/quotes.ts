/**
 * Quotations for /quote: each quotation the analysis found in article text,
 * with its speaker resolved to the corpus's entity where the name is known
 * (so "Hayashi" and "Takeo Kishida" read as the people the corpus knows), the
 * speaker's best description, and the words in the text that name them.
 */
import type { CorpusDocument, Quote } from '../types.js';
import { citationFor } from '../corpus/document.js';
import type { QuoteMention } from '../analysis/quotes/index.js';
import type { EntityIndex, EntityRef } from './who.js';

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
  /** The corpus entity the speaker resolves to, if any. */
  speakerEntity: EntityRef | null;
  /** The speaker's name as the document gives it (used when no entity is known). */
  speakerName: string | null;
}

export function buildQuotes(quotesByDoc: readonly (readonly QuoteMention[])[], entities: EntityIndex): QuoteEntry[] {
  const out: QuoteEntry[] = [];
  quotesByDoc.forEach((mentions, docIndex) => {
    for (const mention of mentions) {
      const speakerName = mention.speaker ? fullerOrganizationName(mention) : null;
      const named = speakerName && mention.speakerKind !== 'anonymous' ? entities.find(speakerName, { exactOnly: true }) : null;
      const byKnownPerson = named !== null && (mention.speakerKind === 'person' || mention.speakerKind === 'pronoun' || mention.speakerKind === 'nominal');
      if (wordCount(mention.text) < MIN_QUOTE_WORDS && !byKnownPerson) continue;
      out.push({ docIndex, mention, speakerEntity: named, speakerName });
    }
  });
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
    quote.speaker = {
      name: entry.speakerEntity?.name ?? entry.speakerName ?? mention.speaker.name,
      description: entry.speakerEntity ? entities.describe(entry.speakerEntity.id) : null,
      mention: mention.speaker.text,
    };
  }
  return quote;
}
