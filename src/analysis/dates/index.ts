/**
 * Temporal expression recognition and normalisation (TimeML TIMEX3 style).
 *
 * `extractDates(text, { published })` finds dates, times, durations and sets
 * in English text and normalises them against the publication date:
 * pattern rules (./rules.ts) propose candidate spans, the longest
 * non-overlapping ones are kept, then each is normalised in text order so that
 * anaphoric expressions ("a year earlier", "the following day") can refer to
 * the last date mentioned. Underspecified expressions ("Thursday", "in June")
 * are resolved backward or forward according to the tense of their sentence.
 */
import type { TimelineDate } from '../../types.js';
import { parseYmd } from './calendar.js';
import type { Env, LastDate, Out } from './resolve.js';
import { RULES, type Groups, type Rule } from './rules.js';
import { tenseAt, type Tense } from './tense.js';
import type { DateMention, ExtractDatesOptions } from './types.js';

export type { DateMention, ExtractDatesOptions, MentionPrecision, TimexType } from './types.js';

interface Candidate {
  start: number;
  end: number;
  rule: Rule;
  order: number;
  groups: Groups;
}

function candidates(text: string): Candidate[] {
  const out: Candidate[] = [];
  RULES.forEach((rule, order) => {
    const re = rule.re;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      const start = m.index;
      const end = start + m[0].length;
      const groups: Groups = m.groups ?? {};
      if (rule.accept && !rule.accept(groups, text, start, end)) continue;
      out.push({ start, end, rule, order, groups });
    }
  });
  return out;
}

/** Longest candidates first (earlier rules win ties); no two kept candidates overlap. */
function select(cands: Candidate[]): Candidate[] {
  const sorted = [...cands].sort((a, b) => b.end - b.start - (a.end - a.start) || a.order - b.order || a.start - b.start);
  const kept: Candidate[] = [];
  const taken: [number, number][] = [];
  for (const c of sorted) {
    if (taken.some(([s, e]) => c.start < e && c.end > s)) continue;
    kept.push(c);
    taken.push([c.start, c.end]);
  }
  return kept.sort((a, b) => a.start - b.start);
}

function lastDateOf(value: string, precision: DateMention['precision'], pos: number): LastDate | null {
  const m = /^(\d{4})(?:-(?:(\d{2})(?:-(\d{2}))?|Q(\d)|H(\d)))?(?:$|T|-)/.exec(value);
  if (!m) return null;
  const l: LastDate = { y: Number(m[1]), precision, pos };
  if (m[2]) l.m = Number(m[2]);
  if (m[3]) l.d = Number(m[3]);
  if (m[4]) l.q = Number(m[4]);
  if (m[5]) l.h = Number(m[5]);
  return l;
}

/** Trims spaces and a leading "the " the rules may include, keeping the span exact. */
function trimSpan(text: string, start: number, end: number): [number, number] {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /[\s,]/.test(text[end - 1]!)) end--;
  return [start, end];
}

export function extractDates(text: string, options: ExtractDatesOptions): DateMention[] {
  const refDate = parseYmd(options.published);
  const tenseCache = new Map<string, Tense>();
  const env: Env = {
    text,
    ref: refDate,
    last: null,
    tense(start: number, end: number): Tense {
      const key = `${start}:${end}`;
      let t = tenseCache.get(key);
      if (!t) {
        t = tenseAt(text, start, end);
        tenseCache.set(key, t);
      }
      return t;
    },
  };
  const mentions: DateMention[] = [];
  for (const c of select(candidates(text))) {
    const made = c.rule.make(c.groups, env, c.start, c.end);
    if (!made) continue;
    const outs: Out[] = Array.isArray(made) ? made : [made];
    for (const o of outs) {
      const [start, end] = trimSpan(text, o.start ?? c.start, o.end ?? c.end);
      if (end <= start) continue;
      // Unresolved: the year (or decade, or century) had to come from a reference date that was not given.
      const resolved = o.type === 'DURATION' || o.type === 'SET' || !o.value.startsWith('X');
      const mention: DateMention = {
        start,
        end,
        text: text.slice(start, end),
        value: o.value,
        precision: o.precision,
        approximate: o.approximate ?? false,
        type: o.type,
        resolved,
        anchor: o.anchor,
        rule: c.rule.name,
      };
      mentions.push(mention);
      if ((o.type === 'DATE' || o.type === 'TIME') && !o.noAnchor) {
        const l = lastDateOf(o.value, o.precision, start);
        if (l) env.last = l;
      }
    }
  }
  return mentions;
}

const TIMELINE_PRECISIONS = new Set(['day', 'month', 'quarter', 'year', 'decade']);

/**
 * The timeline date of a mention, or null when it cannot go on a timeline:
 * not a DATE, unresolved (no year), or at a precision the timeline has no
 * place for (weeks, seasons, centuries, PRESENT_REF…).
 */
export function toTimelineDate(m: DateMention): TimelineDate | null {
  if (m.type !== 'DATE' || !m.resolved || !TIMELINE_PRECISIONS.has(m.precision)) return null;
  // A year the text did not give ("XXXX-03", an undated "the 90s" as "XXX") has no place on a timeline.
  if (!/^\d{4}/.test(m.value) && !(m.precision === 'decade' && /^\d{3}X$/.test(m.value))) return null;
  if (m.value.includes('XX') && m.precision !== 'decade') return null;
  return { value: m.value, precision: m.precision as TimelineDate['precision'], approximate: m.approximate };
}
