import type { DateSpan } from '../../types.js';

/** TimeML TIMEX3 types. */
export type TimexType = 'DATE' | 'TIME' | 'DURATION' | 'SET';

/**
 * Granularity of a mention's value. The first five are the timeline's
 * `DatePrecision`; the rest never go on a timeline as they are.
 */
export type MentionPrecision = DateSpan['precision'] | 'week' | 'season' | 'century' | 'other';

/** A temporal expression found in a text, with its TimeML-style value. */
export interface DateMention extends Omit<DateSpan, 'precision'> {
  /**
   * ISO/TimeML value at its true precision: "2024-03-24", "2021-12", "2024-Q1",
   * "1960", "203X" (decade), "19" (century), "2024-W12", "2024-SU",
   * "PRESENT_REF"/"PAST_REF"/"FUTURE_REF", "P3Y" (durations), "2024-03-24TNI"
   * (times). When the year needs a reference date and none was given it keeps
   * "XXXX": "XXXX-03-24".
   */
  value: string;
  precision: MentionPrecision;
  type: TimexType;
  /** False when the expression needs a reference date that was not given. */
  resolved: boolean;
  /** 'absolute' when the text states the year; 'relative' when it was computed from the reference date or context. */
  anchor: 'absolute' | 'relative';
  /** Name of the rule that found it (for debugging and benches). */
  rule?: string;
}

export interface ExtractDatesOptions {
  /** Publication date (YYYY-MM-DD) used as reference for relative expressions, or null. */
  published: string | null;
}
