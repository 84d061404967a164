/**
 * Per-file analysis for `sitrep analyze`: people, dates and quotes with their
 * spans, over the whole file's text (offsets into the file as decoded).
 * Dates are the DATE-type expressions (calendar dates at any precision);
 * durations, times of day and recurring sets are left out, as they are not
 * dates a timeline can hold.
 */
import type { FileAnalysis } from '../types.js';
import { extractDates } from './dates/index.js';
import { recognizeEntities } from './ner/index.js';
import { personNames } from './people.js';
import { extractQuotes, groupByAttribution, type AttributedQuote } from './quotes/index.js';
import type { EntitySpan } from '../types.js';

export interface AnalyzeOptions {
  /** Reference date (YYYY-MM-DD) for relative dates. */
  published: string | null;
}

export function analyzeText(file: string, text: string, options: AnalyzeOptions): FileAnalysis {
  const dates = extractDates(text, { published: options.published })
    .filter((m) => m.type === 'DATE')
    .map((m) => ({ start: m.start, end: m.end, text: m.text, value: m.value, precision: m.precision, approximate: m.approximate }));
  const entities = recognizeEntities(text);
  return { file, people: personNames(entities), dates, quotes: listedQuotes(text, entities) };
}

/**
 * The quotations `analyze` lists: one per attribution (a statement quoted in several pieces is one
 * entry, its pieces in `parts`), terms, titles and scare quotes left out, and so are quoted words whose
 * speaker the text does not name (a quotation listed here always has its speaker).
 */
export function listedQuotes(text: string, entities?: EntitySpan[]): AttributedQuote[] {
  return groupByAttribution(text, extractQuotes(text, { entities: entities ?? recognizeEntities(text) }), { attributedOnly: true });
}
