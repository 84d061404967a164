/**
 * Quotation detection and speaker attribution.
 *
 * `extractQuotes(text)` finds the passages inside quotation marks, drops
 * short scare-quoted terms that nobody is reported as saying, and attributes
 * each quotation to the phrase naming its speaker (with the name that phrase
 * resolves to in the document). Person and organisation spans from a named
 * entity recogniser can be passed in; without them a capitalised-name
 * heuristic stands in.
 */
import type { EntitySpan, QuoteSpan, Span } from '../../types.js';
import { cueAfter, cueBefore, type Cue } from './attribution.js';
import { findQuotedPassages, paragraphsOf, type Paragraph, type RawQuote } from './marks.js';
import { SpeakerResolver, type SpeakerKind } from './resolve.js';
import { isAbbreviation, recognizeNames, tokenize, type Token } from './tokens.js';

export type { SpeakerKind } from './resolve.js';

export interface QuoteMention extends QuoteSpan {
  /** The words naming the speaker where the quote is attributed, with the name they resolve to. */
  speaker: (Span & { name: string }) | null;
  speakerKind: SpeakerKind | null;
  /** The speech verb ("said", "warned") or phrase ("according to"), or null. */
  cue: Span | null;
  /** True when the speaker is carried over from the previous quotation in the paragraph. */
  continued: boolean;
  /**
   * Index (in the returned list) of the first quotation of the same attribution: the pieces of one
   * speaker's statement ("“A,” she said. “B.”", "called it “X” and “Y”", a quote running over
   * paragraphs) share it. Equal to the quotation's own index for the first piece.
   */
  attribution: number;
  /** The kind of marks around it: 'double' (" “ ” « » „ and '') or 'single' (‘ ’ ').  */
  marks: 'double' | 'single';
}

export interface ExtractQuotesOptions {
  /** Person and organisation spans from a recogniser; a capitalised-name heuristic is used without them. */
  entities?: EntitySpan[];
  /** Keep short scare-quoted terms ("paper tiger") that no one is reported as saying. Default false. */
  keepScareQuotes?: boolean;
}

/** A quotation this short, with no speech cue and no sentence of its own, is taken for a term. */
const SCARE_MAX_WORDS = 4;
const PREVIOUS_PARAGRAPH = true;
const AFTER_FIRST = true;
const FULL_BEFORE = false;

interface Working {
  raw: RawQuote;
  np: [number, number] | null;
  tokens: Token[];
  cue: Cue | null;
  speaker: { start: number; end: number } | null;
  continued: boolean;
  sentenceInitial: boolean;
  /** Sentence bounds in the text. */
  sentStart: number;
  sentEnd: number;
  /** Index of the quotation the speaker was carried from, or -1. */
  from: number;
}

/** Sentence ends in a paragraph, ignoring full stops inside quotations. */
function sentenceEnds(text: string, para: Paragraph, quotes: RawQuote[]): number[] {
  const ends: number[] = [];
  // A full stop inside a quotation ends no sentence, except one just before the closing mark.
  const inside = (p: number, len: number): boolean => quotes.some((q) => p > q.open && p + len < q.close);
  const re = /[.!?]+["”’')\]]*(?=\s+["“‘'(]{0,2}[\p{Lu}\p{N}])/gu;
  const slice = text.slice(para.start, para.end);
  for (let m = re.exec(slice); m; m = re.exec(slice)) {
    const p = para.start + m.index;
    if (inside(p, m[0].length)) continue;
    if (text[p] === '.') {
      const before = tokenize(text, Math.max(para.start, p - 12), p);
      const last = before[before.length - 1];
      if (last && last.end === p && isAbbreviation(last)) continue;
    }
    ends.push(p + m[0].length);
  }
  return ends;
}

const TITLE_MAX_WORDS = 6;
const SMALL_WORDS = new Set(['a', 'an', 'the', 'and', 'or', 'of', 'in', 'on', 'at', 'to', 'for', 'with', 'by', 'from', 'is', 'as', 'vs']);

/** Every word capitalised except small function words: "Meet the Press", "Make America Great Again". */
function isTitleCase(s: string): boolean {
  const words = s.replace(/[.,!?;:]+$/, '').split(/\s+/).filter((w) => /\p{L}/u.test(w));
  if (words.length === 0) return false;
  return words.every((w, i) => /^[\p{Lu}\p{N}#@]/u.test(w) || (i > 0 && SMALL_WORDS.has(w.toLowerCase())));
}

function wordCount(s: string): number {
  return s.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

export function extractQuotes(text: string, options: ExtractQuotesOptions = {}): QuoteMention[] {
  const paragraphs = paragraphsOf(text);
  const raws = findQuotedPassages(text, paragraphs);
  const entities = options.entities ?? recognizeNames(text);
  const resolver = new SpeakerResolver(text, entities, raws.map((q) => ({ start: q.start, end: q.end })));
  const endsByPara = new Map<number, number[]>();
  const work: Working[] = [];

  raws.forEach((q, idx) => {
    const para = paragraphs[q.paragraph]!;
    let ends = endsByPara.get(q.paragraph);
    if (!ends) {
      ends = sentenceEnds(text, para, raws.filter((r) => r.paragraph === q.paragraph));
      endsByPara.set(q.paragraph, ends);
    }
    const sentStart = Math.max(para.start, ...ends.filter((e) => e <= q.open));
    // A quotation whose own last sentence ends it ("… no chance.” His campaign …") is followed by a new sentence.
    const endsAtClose = ends.includes(q.close);
    const sentEnd = Math.min(para.end, ...ends.filter((e) => e > q.close));
    const prev = raws[idx - 1];
    const next = raws[idx + 1];
    const prevClose = prev && prev.paragraph === q.paragraph && prev.close <= q.open ? prev.close : para.start;
    const nextOpen = next && next.paragraph === q.paragraph && next.open >= q.close ? next.open : para.end;
    const tightStart = Math.max(sentStart, prevClose);
    const afterEnd = Math.min(sentEnd, nextOpen);

    // Words inside other quotations say nothing about who speaks this one.
    const quotedElsewhere = (t: Token): boolean => t.word && raws.some((r) => r !== q && t.start > r.open && t.start < r.close);
    const tight = tokenize(text, tightStart, q.open).filter((t) => !quotedElsewhere(t));
    const full = tokenize(text, sentStart, q.open).filter((t) => !quotedElsewhere(t));
    const after = tokenize(text, q.close, afterEnd);
    const afterSentence = tokenize(text, q.close, sentEnd);
    const sentenceInitial = !tight.some((t) => t.word) && tightStart === sentStart;

    let cue: Cue | null = null;
    let tokens: Token[] = [];
    const tryCue = (c: Cue | null, toks: Token[]): boolean => {
      if (c && c.np && !cue) {
        cue = c;
        tokens = toks;
        return true;
      }
      return false;
    };
    // After a quotation that ends its sentence, only a short sentence of attribution follows it ("?” Hannity pressed.").
    const afterCue = (): Cue | null => {
      const c = cueAfter(after);
      if (!c || !endsAtClose) return c;
      const lastTok = after[c.np?.[1] ?? 0];
      const verbEnd = Math.max(c.verb?.end ?? 0, lastTok?.end ?? 0);
      const rest = after.filter((t) => t.start >= verbEnd && t.word);
      return afterEnd === sentEnd && rest.length <= 8 && !rest.some((t) => t.lower === 'that') ? c : null;
    };
    const before = FULL_BEFORE ? full : tight;
    if (sentenceInitial || !tight.some((t) => t.word)) {
      tryCue(afterCue(), after);
    } else {
      // A cue right after the quotation ("…,” she said") is closer than one before it.
      const closing = /[,?!]$/.test(text.slice(q.start, q.end)) || /^\s*[,—–]/.test(text.slice(q.close, afterEnd));
      if (AFTER_FIRST && closing) tryCue(afterCue(), after) || tryCue(cueBefore(before), before);
      else tryCue(cueBefore(before), before) || tryCue(afterCue(), after);
    }
    if (!cue && tightStart !== sentStart) tryCue(cueBefore(full, 6), full);
    if (!cue) {
      // ", Smith said." later in the sentence.
      for (let k = 0; k < afterSentence.length && !cue; k++) {
        if (afterSentence[k]!.text === ',' && afterSentence[k]!.start >= q.close) {
          const c = cueAfter(afterSentence, k);
          if (c && c.np) {
            const lastTok = afterSentence[c.np[1]]!;
            // Only when the cue closes the sentence.
            const rest = afterSentence.filter((t) => t.start > lastTok.end && t.word);
            const inverted = c.verb !== null && c.verb.start < lastTok.start;
            if (rest.length <= 6 || inverted) tryCue({ ...c, distance: 99 }, afterSentence);
          }
        }
      }
    }
    // A paragraph of quotation after one that ended "X said:".
    if (!cue && q.open === para.start && q.paragraph > 0) {
      const prevPara = paragraphs[q.paragraph - 1]!;
      if (/:\s*$/.test(text.slice(prevPara.start, prevPara.end))) {
        const pEnds = sentenceEnds(text, prevPara, raws.filter((r) => r.paragraph === q.paragraph - 1));
        const s = Math.max(prevPara.start, ...pEnds.filter((e) => e < prevPara.end));
        const toks = tokenize(text, s, prevPara.end);
        tryCue(cueBefore(toks), toks);
      }
    }
    // A quotation opening its sentence, after a sentence reporting someone's speech ("Valastro praised X. “We need …”").
    if (!cue && sentenceInitial) {
      const prevEnds = ends.filter((e) => e < sentStart);
      const s = Math.max(para.start, ...prevEnds);
      const quoteInPrevious = raws.some((r) => r.paragraph === q.paragraph && r.open >= s && r.open < sentStart);
      if (sentStart > para.start && !quoteInPrevious) {
        const toks = tokenize(text, s, sentStart);
        const c0 = cueBefore(toks);
        if (c0 && c0.verb) tryCue({ ...c0, distance: 99 }, toks);
      } else if (PREVIOUS_PARAGRAPH && sentStart === para.start && q.paragraph > 0) {
        const prevPara = paragraphs[q.paragraph - 1]!;
        const pEnds = sentenceEnds(text, prevPara, raws.filter((r) => r.paragraph === q.paragraph - 1));
        const s0 = Math.max(prevPara.start, ...pEnds.filter((e) => e < prevPara.end));
        const toks = tokenize(text, s0, prevPara.end);
        const c0 = cueBefore(toks);
        if (c0 && c0.verb && !raws.some((r) => r.paragraph === q.paragraph - 1 && r.open >= s0)) tryCue({ ...c0, distance: 99 }, toks);
      }
    }
    const c = cue as Cue | null;
    let speaker = c && c.np ? { start: tokens[c.np[0]]!.start, end: tokens[c.np[1]]!.end } : null;
    // "China News cited Lin Jian, stating that “…”": the words are the cited person's, not the outlet's.
    if (speaker) {
      const between = text.slice(speaker.end, q.open);
      const cited = /^\s+(?:cited|quoted)\s+((?:\p{Lu}[\p{L}'’.-]*\s+){0,3}\p{Lu}[\p{L}'’.-]*)\s*,?\s+(?:stating|saying|as saying)\b/u.exec(between);
      if (cited) {
        const start = speaker.end + cited[0].indexOf(cited[1]!, cited[0].search(/cited|quoted/) + 6);
        speaker = { start, end: start + cited[1]!.length };
      }
    }
    // A speaker found in an earlier sentence is carried over, not cued here.
    const carried = speaker !== null && speaker.end <= sentStart;
    work.push({ raw: q, np: c?.np ?? null, tokens, cue: c, speaker, continued: carried, sentenceInitial, sentStart, sentEnd, from: -1 });
  });

  // Carry speakers: a piece of a multi-paragraph quote, or a quotation standing as its own sentence after another in the paragraph.
  work.forEach((w, idx) => {
    if (w.speaker) return;
    const linked = w.raw.previousPiece >= 0 ? work[w.raw.previousPiece] : undefined;
    let source: Working | undefined = linked;
    if (!source && w.sentenceInitial) {
      for (let k = idx - 1; k >= 0; k--) {
        const p = work[k]!;
        if (p.raw.paragraph !== w.raw.paragraph) break;
        if (p.speaker) {
          source = p;
          break;
        }
      }
    }
    // A paragraph opening with an unattributed quotation, after a paragraph whose last quotation was attributed.
    if (!source && w.raw.open === paragraphs[w.raw.paragraph]!.start) {
      const p = work[idx - 1];
      if (p && p.raw.paragraph === w.raw.paragraph - 1 && p.speaker) source = p;
    }
    if (source?.speaker) {
      w.speaker = source.speaker;
      w.cue = source.cue;
      w.tokens = source.tokens;
      w.continued = true;
      w.from = work.indexOf(source);
    }
  });
  // An unattributed quotation between two quotations of one speaker in the same paragraph is theirs
  // ("He claimed … “attempts …”. Japan “faces …”. Kishida said that “…”").
  work.forEach((w, idx) => {
    if (w.speaker) return;
    const before = work[idx - 1];
    const after = work[idx + 1];
    if (!before?.speaker || !after?.speaker) return;
    if (before.raw.paragraph !== w.raw.paragraph || after.raw.paragraph !== w.raw.paragraph) return;
    const name = (x: Working): string => resolver.resolve(x.speaker!.start, x.speaker!.end).name;
    if (name(before) !== name(after)) return;
    w.speaker = before.speaker;
    w.cue = before.cue;
    w.tokens = before.tokens;
    w.continued = true;
  });
  // A run-on first piece whose attribution came in a later piece.
  for (let idx = work.length - 1; idx >= 0; idx--) {
    const w = work[idx]!;
    const prevIdx = w.raw.previousPiece;
    const p = prevIdx >= 0 ? work[prevIdx] : undefined;
    if (p && !p.speaker && w.speaker) {
      p.speaker = w.speaker;
      p.cue = w.cue;
      p.tokens = w.tokens;
      p.continued = true;
    }
  }

  const out: QuoteMention[] = [];
  /** Work index → output index of each kept quotation. */
  const kept = new Map<number, number>();
  work.forEach((w, wi) => {
    const q = w.raw;
    const quoted = text.slice(q.start, q.end);
    const words = wordCount(quoted);
    // A short quoted term counts as speech when its sentence reports someone saying it
    // ("Barkley said CNN has done an “awful” job"); alone ("call Russia a “paper tiger”") it is a term.
    const hasOwnCue = w.cue !== null && !w.continued;
    const isTerm =
      !hasOwnCue && !q.runsOn && q.previousPiece < 0 && words <= SCARE_MAX_WORDS && !(w.sentenceInitial && words >= 3);
    // Titles of shows, books and campaigns ("Fox News Sunday", ''Make Your Kid a Millionaire'') are names, not speech.
    const isTitle = TITLE_MAX_WORDS > 0 && words <= TITLE_MAX_WORDS && !q.runsOn && q.previousPiece < 0 && isTitleCase(quoted) && !(w.cue && !w.continued && w.cue.distance <= 1);
    if ((isTerm || isTitle) && !options.keepScareQuotes) return;
    let speaker: QuoteMention['speaker'] = null;
    let kind: SpeakerKind | null = null;
    if (w.speaker) {
      const r = resolver.resolve(w.speaker.start, w.speaker.end);
      speaker = { start: r.start, end: r.end, text: text.slice(r.start, r.end), name: r.name };
      kind = r.kind;
    }
    const verb = w.cue?.verb ?? null;
    const cue: Span | null = verb
      ? { start: verb.start, end: verb.end, text: verb.text }
      : w.cue?.where === 'according' && w.np
        ? cueSpan(text, w.tokens, w.np)
        : null;
    const attribution = sameAttributionAs(work, wi, kept, out);
    kept.set(wi, out.length);
    out.push({ start: q.start, end: q.end, text: quoted, speaker, speakerKind: kind, cue, continued: w.continued, attribution: attribution ?? out.length, marks: q.marks });
  });
  return out;
}

/**
 * The attribution a quotation continues, as an output index, or null when it starts its own: the next
 * piece of a quote running over paragraphs, a quotation with no cue of its own after another in the
 * same paragraph ("“A,” she said. “B.”", "called it “X” and “Y”"), and another quoted fragment of the
 * same sentence with the same speaker and cue.
 */
function sameAttributionAs(work: Working[], wi: number, kept: Map<number, number>, out: QuoteMention[]): number | null {
  const w = work[wi]!;
  let pi = wi - 1;
  while (pi >= 0 && !kept.has(pi)) pi--;
  if (pi < 0) return null;
  const p = work[pi]!;
  const prevOut = out[kept.get(pi)!]!;
  if (w.raw.previousPiece === pi) return prevOut.attribution;
  if (p.raw.paragraph !== w.raw.paragraph) return null;
  // Within a paragraph, a quotation with no cue of its own goes on with the statement before it.
  if (w.continued || !w.speaker) return prevOut.attribution;
  if (w.sentStart === p.sentStart && w.speaker && p.speaker && w.speaker.start === p.speaker.start && w.cue?.verb?.start === p.cue?.verb?.start) {
    return prevOut.attribution;
  }
  return null;
}

/** One listed quotation per attribution: its pieces, the range from the first to the last, and its speaker. */
export interface AttributedQuote extends QuoteSpan {
  /** The quoted pieces (the words inside each pair of marks), in order. */
  parts: Span[];
}

export interface GroupOptions {
  /**
   * Leave out statements whose speaker the text does not name, and quotations in single marks in a text
   * that quotes people in double marks (there single marks set off headlines' phrases and titles).
   */
  attributedOnly?: boolean;
}

/**
 * Groups quotations by attribution, as `sitrep analyze` lists them: one entry per statement, its range
 * from the first piece to the last (`text` is the file's text over that range), its pieces in `parts`.
 */
export function groupByAttribution(text: string, mentions: readonly QuoteMention[], options: GroupOptions = {}): AttributedQuote[] {
  if (options.attributedOnly) {
    const doubleUsed = mentions.some((m) => m.marks === 'double');
    return groupByAttribution(text, mentions)
      .filter((q) => q.speaker !== null && !(doubleUsed && firstMarks(mentions, q) === 'single'));
  }
  const out: AttributedQuote[] = [];
  const byFirst = new Map<number, AttributedQuote>();
  mentions.forEach((m, i) => {
    const part = { start: m.start, end: m.end, text: m.text };
    const group = byFirst.get(m.attribution);
    if (group && m.attribution !== i) {
      group.end = m.end;
      group.text = text.slice(group.start, group.end);
      group.parts.push(part);
      if (!group.speaker && m.speaker) group.speaker = { ...m.speaker };
      return;
    }
    const entry: AttributedQuote = {
      start: m.start,
      end: m.end,
      text: m.text,
      speaker: m.speaker ? { start: m.speaker.start, end: m.speaker.end, text: m.speaker.text, name: m.speaker.name } : null,
      parts: [part],
    };
    byFirst.set(i, entry);
    out.push(entry);
  });
  return out;
}

function firstMarks(mentions: readonly QuoteMention[], q: AttributedQuote): 'double' | 'single' {
  return mentions.find((m) => m.start === q.start)?.marks ?? 'double';
}

/** The words "according to" before a noun phrase. */
function cueSpan(text: string, tokens: Token[], np: [number, number]): Span | null {
  const to = tokens[np[0] - 1];
  const acc = tokens[np[0] - 2];
  if (!to || !acc) return null;
  return { start: acc.start, end: to.end, text: text.slice(acc.start, to.end) };
}
