/**
 * What the analysis layer finds in one document, restricted to its article
 * text (page furniture such as a dateline or an editor credit is not a
 * source of events, people or quotes). Computed once per document and kept
 * with the snapshot.
 */
import type { CorpusDocument } from '../types.js';
import { paragraphAt } from '../corpus/document.js';
import { extractDates, type DateMention } from './dates/index.js';
import { recognizeEntities } from './ner/index.js';
import { documentEntities, type DocumentEntity } from './people.js';
import { extractQuotes, type QuoteMention } from './quotes/index.js';

export interface DocumentAnalysis {
  dates: DateMention[];
  entities: DocumentEntity[];
  quotes: QuoteMention[];
}

export function analyseDocument(document: CorpusDocument): DocumentAnalysis {
  const dates = extractDates(document.text, { published: document.meta.published }).filter((m) => paragraphAt(document, m.start) !== undefined);
  const spans = recognizeEntities(document.text);
  const entities = documentEntities(document, spans);
  const quotes = extractQuotes(document.text, { entities: spans }).filter((q) => paragraphAt(document, q.start) !== undefined);
  return { dates, entities, quotes };
}
