/**
 * Per-file analysis: people, dates and quotes with their spans. The extractors
 * are plugged in here as they land (src/analysis/{ner,dates,quotes}).
 */
import type { FileAnalysis } from '../types.js';

export interface AnalyzeOptions {
  /** Reference date (YYYY-MM-DD) for relative dates when the text states none. */
  published: string | null;
}

export function analyzeText(file: string, _text: string, _options: AnalyzeOptions): FileAnalysis {
  return { file, people: [], dates: [], quotes: [] };
}
