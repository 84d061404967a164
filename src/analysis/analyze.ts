/**
 * Per-file analysis for `sitrep analyze`: people, dates and quotes with their
 * spans, over the whole file's text (offsets into the file as decoded).
 * Dates are the DATE-type expressions (calendar dates at any precision);
 * durations, times of day and recurring sets are left out, as they are not
 * dates a timeline can hold.
 */
import type { FileAnalysis } from '../types.js';
import { extractDates } from './dates/index.js';

export interface AnalyzeOptions {
  /** Reference date (YYYY-MM-DD) for relative dates. */
  published: string | null;
}

export function analyzeText(file: string, text: string, options: AnalyzeOptions): FileAnalysis {
  const dates = extractDates(text, { published: options.published })
    .filter((m) => m.type === 'DATE')
    .map((m) => ({ start: m.start, end: m.end, text: m.text, value: m.value, precision: m.precision, approximate: m.approximate }));
  return { file, people: [], dates, quotes: [] };
}
