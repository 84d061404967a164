/**
 * A deliberately simple BriefingEngine for the bot's tests, built from real
 * corpus files with real offsets (every excerpt is `text.slice(start, end)`).
 * It is not Sitrep's engine (src/engine is); it only gives the Discord glue
 * realistic results to render: keyword overlap for search, capitalised word
 * runs for names, four-digit years for the timeline, curly quotes for quotes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BriefOptions, BriefingEngine, QuoteOptions, ResultWindow, SearchOptions, TimelineOptions } from '../../src/engine/api.js';
import { SitrepError } from '../../src/engine/errors.js';
import type { BriefResult, Citation, EntityMatch, Excerpt, Quote, QuoteResult, SearchResult, SourcesResult, TimelineEvent, TimelineResult, WhoResult } from '../../src/types.js';

interface Doc {
  doc: string;
  text: string;
  title: string;
  url: string | null;
  outlet: string | null;
  published: string | null;
  paragraphs: { start: number; end: number }[];
}

const STOPWORDS = new Set(['the', 'and', 'for', 'with', 'that', 'this', 'from', 'are', 'was', 'were', 'has', 'have', 'had', 'its', 'not', 'but', 'who', 'what', 'about', 'into', 'than', 'then', 'they', 'their', 'there', 'will', 'would', 'said']);

function terms(text: string): string[] {
  return [...new Set((text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length >= 3 && !STOPWORDS.has(w)))];
}

/** The items a ResultWindow asks for. */
function windowed<T>(items: T[], window: ResultWindow): T[] {
  const offset = window.offset ?? 0;
  return items.slice(offset, window.limit === undefined ? undefined : offset + window.limit);
}

export interface SeedEngineOptions {
  /** Metadata to attach to documents by file name (the seed files have no front matter). */
  meta?: Record<string, { url?: string; outlet?: string; published?: string }>;
}

export class SeedEngine implements BriefingEngine {
  readonly docs: Doc[];

  constructor(dir: string, options: SeedEngineOptions = {}) {
    this.docs = readdirSync(dir)
      .filter((f) => f.endsWith('.txt'))
      .sort()
      .map((file) => {
        const text = readFileSync(join(dir, file), 'utf8');
        const paragraphs: { start: number; end: number }[] = [];
        const re = /[^\n]+(?:\n[^\n]+)*/g;
        for (let m = re.exec(text); m; m = re.exec(text)) paragraphs.push({ start: m.index, end: m.index + m[0].length });
        const first = paragraphs[0];
        const meta = options.meta?.[file] ?? {};
        return {
          doc: file,
          text,
          title: first ? text.slice(first.start, first.end).trim() : file,
          url: meta.url ?? null,
          outlet: meta.outlet ?? null,
          published: meta.published ?? null,
          paragraphs: paragraphs.slice(1),
        };
      });
  }

  private cite(d: Doc, start: number, end: number): Citation & { paragraph: number } {
    const index = d.paragraphs.findIndex((p) => p.start <= start && start < p.end);
    return { doc: d.doc, title: d.title, outlet: d.outlet, published: d.published, url: d.url, start, end, paragraph: index + 1 };
  }

  private excerpt(d: Doc, start: number, end: number): Excerpt {
    return { text: d.text.slice(start, end), source: this.cite(d, start, end) };
  }

  private sentences(): { d: Doc; start: number; end: number }[] {
    const out: { d: Doc; start: number; end: number }[] = [];
    for (const d of this.docs) {
      for (const p of d.paragraphs) {
        const re = /[^.!?]+[.!?]+[”"]?/g;
        const body = d.text.slice(p.start, p.end);
        for (let m = re.exec(body); m; m = re.exec(body)) {
          const lead = m[0].length - m[0].trimStart().length;
          out.push({ d, start: p.start + m.index + lead, end: p.start + m.index + m[0].trimEnd().length });
        }
      }
    }
    return out;
  }

  private rank(query: string, limit: number): SearchResult {
    const wanted = terms(query);
    if (wanted.length === 0) throw new SitrepError('NothingToSearch', 'nothing to search for', { query });
    const scored: { score: number; e: Excerpt }[] = [];
    for (const d of this.docs) {
      for (const p of d.paragraphs) {
        const have = new Set(terms(d.text.slice(p.start, p.end)));
        const score = wanted.filter((t) => have.has(t)).length;
        if (score > 0) scored.push({ score, e: this.excerpt(d, p.start, p.end) });
      }
    }
    scored.sort((a, b) => b.score - a.score);
    return { query, results: scored.slice(0, limit).map((s) => s.e) };
  }

  search(query: string, options: SearchOptions = {}): SearchResult {
    if (!query.trim()) throw new SitrepError('EmptyQuery', 'the search query is empty');
    return this.rank(query.trim(), options.limit ?? 5);
  }

  related(text: string, options: SearchOptions = {}): SearchResult {
    return this.rank(text.slice(0, 2000), options.limit ?? 5);
  }

  sources(window: ResultWindow = {}): SourcesResult {
    const documents = this.docs.map((d) => ({ doc: d.doc, title: d.title, outlet: d.outlet, published: d.published, url: d.url, passages: d.paragraphs.length }));
    return { documents: windowed(documents, window), total: documents.length };
  }

  private names(): string[] {
    const counts = new Map<string, number>();
    for (const d of this.docs) for (const m of d.text.matchAll(/\b\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+)+\b/gu)) counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([n]) => n);
  }

  completeNames(prefix: string, limit = 25): string[] {
    const p = prefix.trim().toLowerCase();
    const all = this.names();
    if (!p) return all.slice(0, limit);
    const starts = all.filter((n) => n.toLowerCase().startsWith(p) || n.toLowerCase().split(' ').some((w) => w.startsWith(p)));
    const contains = all.filter((n) => !starts.includes(n) && n.toLowerCase().includes(p));
    return [...starts, ...contains].slice(0, limit);
  }

  who(name: string): WhoResult {
    const query = name.trim();
    if (!query) throw new SitrepError('EmptyQuery', 'no name given');
    const full = this.completeNames(query, 1)[0];
    const needle = (full ?? query).toLowerCase();
    const excerpts: Excerpt[] = [];
    const documents = new Set<string>();
    let mentions = 0;
    for (const s of this.sentences()) {
      const sentence = s.d.text.slice(s.start, s.end).toLowerCase();
      const last = needle.split(' ').at(-1) ?? needle;
      if (sentence.includes(needle) || (needle.includes(' ') && sentence.includes(last))) {
        mentions++;
        documents.add(s.d.doc);
        excerpts.push(this.excerpt(s.d, s.start, s.end));
      }
    }
    if (excerpts.length === 0) return { query, match: null, suggestions: this.completeNames(query.slice(0, 2), 5) };
    const match: EntityMatch = { name: full ?? query, kind: 'person', aliases: [], descriptions: excerpts.slice(0, 1), mentions, documents: [...documents], excerpts: excerpts.slice(0, 6) };
    return { query, match, suggestions: [] };
  }

  timeline(options: TimelineOptions = {}): TimelineResult {
    const check = (value: string | undefined): string | undefined => {
      if (value === undefined) return undefined;
      if (!/^\d{4}(-\d{2}(-\d{2})?)?$/.test(value)) throw new SitrepError('InvalidDate', `not a date: ${value}`, { value });
      return value.slice(0, 4);
    };
    const from = check(options.from);
    const to = check(options.to);
    const events: TimelineEvent[] = [];
    for (const s of this.sentences()) {
      const sentence = s.d.text.slice(s.start, s.end);
      const year = /\b(19\d{2}|20\d{2})\b/.exec(sentence)?.[1];
      if (!year) continue;
      if ((from && year < from) || (to && year > to)) continue;
      if (options.topic && !terms(options.topic).some((t) => sentence.toLowerCase().includes(t))) continue;
      events.push({ date: { value: year, precision: 'year', approximate: false }, text: sentence, source: this.cite(s.d, s.start, s.end) });
    }
    events.sort((a, b) => a.date.value.localeCompare(b.date.value));
    return { events: windowed(events, options), total: events.length };
  }

  quote(options: QuoteOptions = {}): QuoteResult {
    const names = this.names();
    const quotes: Quote[] = [];
    for (const d of this.docs) {
      for (const p of d.paragraphs) {
        const para = d.text.slice(p.start, p.end);
        for (const m of para.matchAll(/“([^”]{12,})”/g)) {
          const start = p.start + m.index + 1;
          const end = start + m[1]!.length;
          const speakerName = names.find((n) => para.includes(n)) ?? null;
          const quote: Quote = {
            text: d.text.slice(start, end),
            speaker: speakerName ? { name: speakerName, description: null, mention: speakerName } : null,
            source: this.cite(d, start, end),
          };
          if (options.speaker && !(quote.speaker?.name.toLowerCase().includes(options.speaker.toLowerCase()) ?? false)) continue;
          if (options.topic && !terms(options.topic).some((t) => para.toLowerCase().includes(t))) continue;
          quotes.push(quote);
        }
      }
    }
    return { quotes: windowed(quotes, options), total: quotes.length };
  }

  /** The whole corpus (or a topic's part of it) as a brief: documents, capitalised names, year events, quotes. */
  brief(options: BriefOptions = {}): BriefResult {
    const topic = options.topic?.trim() || null;
    const docs = this.docs.filter((d) => !topic || terms(topic).some((t) => d.text.toLowerCase().includes(t)));
    const listed = docs.map((d) => ({ doc: d.doc, title: d.title, outlet: d.outlet, published: d.published, url: d.url }));
    const people = this.names()
      .slice(0, 8)
      .map((name) => ({ name, kind: 'person' as const, description: null, mentions: 1, documents: 1 }));
    const events = this.timeline(topic ? { topic } : {}).events.slice(0, 8);
    const quotes = this.quote(topic ? { topic } : {}).quotes.slice(0, 5);
    const outlets = [...new Set(docs.map((d) => d.outlet))].map((outlet) => ({ outlet, documents: docs.filter((d) => d.outlet === outlet).length }));
    return {
      topic, since: null, until: null, documents: listed, people, events, quotes, outlets, window: null,
      suggestions: [], totals: { documents: docs.length, people: people.length, events: events.length, quotes: quotes.length }, latest: listed[0] ?? null,
    };
  }
}
