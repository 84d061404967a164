/**
 * Readable text for a terminal: each excerpt, then a citation line
 * (outlet, date, title, file, paragraph). The JSON output needs no formatting:
 * the engine's results are the contract's shapes.
 */
import type { BriefResult, Citation, Excerpt, QuoteResult, SearchResult, SourcesResult, TimelineResult, WhoResult } from '../types.js';

const WRAP = 88;

function wrap(text: string, indent: string): string {
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + 1 + word.length > WRAP - indent.length) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => indent + l).join('\n');
}

export function citationLine(source: Citation): string {
  const parts = [source.outlet ?? 'outlet unknown', source.published ?? 'date unknown', `“${source.title}”`, source.doc];
  if (source.paragraph !== undefined) parts.push(`¶${source.paragraph}`);
  return `— ${parts.join(' · ')}`;
}

function excerptBlock(excerpt: Excerpt, indent = '   '): string {
  return `${wrap(excerpt.text, `${indent}│ `)}\n${indent}${citationLine(excerpt.source)}`;
}

export function formatSearch(result: SearchResult): string {
  const lines: string[] = [];
  for (const note of result.notes ?? []) lines.push(`(note: ${note})`);
  if (result.results.length === 0) {
    lines.push(`No passages match “${result.query}”.`);
    return lines.join('\n');
  }
  lines.push(`${result.results.length} passage${result.results.length === 1 ? '' : 's'} for “${result.query}”:\n`);
  result.results.forEach((excerpt, i) => lines.push(`${String(i + 1).padStart(2)}.\n${excerptBlock(excerpt)}\n`));
  return lines.join('\n').trimEnd();
}

export function formatSources(result: SourcesResult): string {
  if (result.documents.length === 0) return 'The corpus holds no documents.';
  const lines = [`${result.documents.length} document${result.documents.length === 1 ? '' : 's'}:\n`];
  for (const d of result.documents) {
    lines.push(`• ${d.title}`);
    lines.push(`  ${[d.outlet ?? 'outlet unknown', d.published ?? 'date unknown', d.doc, `${d.passages} passages`].join(' · ')}${d.url ? `\n  ${d.url}` : ''}`);
  }
  return lines.join('\n');
}

export function formatWho(result: WhoResult): string {
  const { match, suggestions } = result;
  if (!match) {
    const tail = suggestions.length > 0 ? ` Did you mean: ${suggestions.join(', ')}?` : '';
    return `No one called “${result.query}” appears in the sources.${tail}`;
  }
  const lines = [`${match.name} (${match.kind})`];
  if (match.aliases.length > 0) lines.push(`  also: ${match.aliases.join(', ')}`);
  lines.push(`  ${match.mentions} mention${match.mentions === 1 ? '' : 's'} in ${match.documents.length} document${match.documents.length === 1 ? '' : 's'}: ${match.documents.join(', ')}`);
  if (match.descriptions.length > 0) {
    lines.push('\nDescribed as:');
    for (const d of match.descriptions) lines.push(excerptBlock(d));
  }
  if (match.excerpts.length > 0) {
    lines.push('\nIn the sources:');
    for (const e of match.excerpts) lines.push(excerptBlock(e));
  }
  if (suggestions.length > 0) lines.push(`\nOther names: ${suggestions.join(', ')}`);
  return lines.join('\n');
}

export function formatTimeline(result: Pick<TimelineResult, 'events'>): string {
  if (result.events.length === 0) return 'No dated events found.';
  return result.events
    .map((e) => {
      const when = `${e.date.approximate ? '~' : ''}${e.date.value} (${e.date.precision})`;
      const others = e.alsoReportedBy?.length ? `\n   also reported by: ${e.alsoReportedBy.map((c) => c.doc).join(', ')}` : '';
      return `${when}\n${excerptBlock({ text: e.text, source: e.source })}${others}`;
    })
    .join('\n\n');
}

export function formatQuotes(result: Pick<QuoteResult, 'quotes' | 'speaker'>): string {
  if (result.speaker && result.speaker.match === null) {
    const near = result.speaker.suggestions;
    return `${result.speaker.query} is not in the sources${near.length > 0 ? ` — did you mean ${near.join(', ')}?` : '.'}`;
  }
  if (result.quotes.length === 0) return 'No quotations found.';
  return result.quotes
    .map((q) => {
      const who = q.speaker ? `${q.speaker.name}${q.speaker.description ? `, ${q.speaker.description}` : ''}` : 'speaker unknown';
      return `${wrap(`“${q.text}”`, '   ')}\n   — ${who}\n   ${citationLine(q.source)}`;
    })
    .join('\n\n');
}

function when(iso: string): string {
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('T', ' ').replace(/:\d{2}\.\d{3}Z$/, ' UTC');
}

/** The situation report: documents, people, events, quotations, outlets; or why the window is empty. */
export function formatBrief(result: BriefResult): string {
  const about = result.topic ? ` about “${result.topic}”` : '';
  const span = [result.since ? `since ${when(result.since)}` : '', result.until ? `until ${when(result.until)}` : ''].filter(Boolean).join(' ');
  const clock = result.window === 'first-seen' ? ' (by when Sitrep first saw each document)' : result.window === 'published' ? ' (by publication date)' : '';
  if (result.documents.length === 0) {
    const lines = [`Nothing${about} ${span || 'in the sources'}${clock}.`];
    if (result.latest) lines.push(`The newest document is “${result.latest.title}” (${result.latest.outlet ?? 'outlet unknown'}, ${result.latest.firstSeen ? `first seen ${when(result.latest.firstSeen)}` : (result.latest.published ?? 'date unknown')}).`);
    if (result.suggestions.length > 0) lines.push(`Did you mean: ${result.suggestions.join(', ')}?`);
    if (result.events.length > 0) lines.push('', `Dated ${span}:`, formatTimeline({ events: result.events }));
    return lines.join('\n');
  }
  const { totals } = result;
  const lines = [`Brief${about}${span ? ` ${span}` : ''}${clock}: ${totals.documents} document${totals.documents === 1 ? '' : 's'}.`, ''];
  lines.push('New documents:');
  for (const d of result.documents) lines.push(`  • ${d.title} — ${[d.outlet ?? 'outlet unknown', d.published ?? 'date unknown', d.doc].join(' · ')}`);
  if (totals.documents > result.documents.length) lines.push(`  … and ${totals.documents - result.documents.length} more`);
  if (result.people.length > 0) {
    lines.push('', 'Who matters:');
    for (const p of result.people) {
      lines.push(`  ${p.name} (${p.kind}) — ${p.mentions} mention${p.mentions === 1 ? '' : 's'} in ${p.documents} document${p.documents === 1 ? '' : 's'}`);
      if (p.description) lines.push(excerptBlock(p.description, '     '));
    }
  }
  if (result.events.length > 0) lines.push('', 'What happened:', formatTimeline({ events: result.events }));
  if (result.quotes.length > 0) lines.push('', 'Who said what:', formatQuotes({ quotes: result.quotes }));
  lines.push('', `Reporting: ${result.outlets.map((o) => `${o.outlet ?? 'outlet unknown'} (${o.documents})`).join(', ')}`);
  return lines.join('\n');
}
