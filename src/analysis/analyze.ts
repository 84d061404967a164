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
import { extractQuotes } from './quotes/index.js';

export interface AnalyzeOptions {
  /** Reference date (YYYY-MM-DD) for relative dates. */
  published: string | null;
}

export function analyzeText(file: string, text: string, options: AnalyzeOptions): FileAnalysis {
  const dates = extractDates(text, { published: options.published })
    .filter((m) => m.type === 'DATE')
    .map((m) => ({ start: m.start, end: m.end, text: m.text, value: m.value, precision: m.precision, approximate: m.approximate }));
  const entities = recognizeEntities(text);
  const quotes = extractQuotes(text, { entities }).map((q) => ({
    start: q.start,
    end: q.end,
    text: q.text,
    speaker: q.speaker ? { start: q.speaker.start, end: q.speaker.end, text: q.speaker.text, name: q.speaker.name } : null,
  }));
  return { file, people: personNames(entities), dates, quotes };
}
