import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Citation, Excerpt, Quote, TimelineEvent } from '../../src/types.js';
import {
  dateLabel,
  DISCORD_LIMITS,
  NO_MENTIONS,
  PAGE_BUDGET,
  blockQuote,
  citationLine,
  escapeAndFit,
  escapeText,
  fitMessage,
  length,
  renderPageBlocks,
  renderQuote,
  renderChoices,
  renderExcerpt,
  renderQuotes,
  renderSearch,
  renderSources,
  renderTimeline,
  renderWho,
  safeUrl,
  truncate,
  type BotMessage,
} from '../../src/bot/render.js';
import { discordErrors } from './messages.js';

const source: Citation & { paragraph: number } = {
  doc: '003_7dea33602c708158.txt',
  title: 'US, Japan plan missile units',
  outlet: 'Kyodo',
  published: '2024-03-24',
  url: 'https://example.org/news/missiles',
  start: 120,
  end: 300,
  paragraph: 3,
};

/** The fake Discord's validator, on the message as discord.js would send it. */
describe('escaping corpus text', () => {
  const cases: [string, string, RegExp][] = [
    ['@everyone', 'cannot look like a ping', /^@\u200beveryone$/],
    ['@here now', 'cannot look like a ping', /^@\u200bhere now$/],
    ['<@123456789012345678>', 'is no user mention', /^\\<@123456789012345678\\>$/],
    ['<@&123456789012345678>', 'is no role mention', /^\\<@&123456789012345678\\>$/],
    ['<#123456789012345678>', 'is no channel mention', /^\\<\\#123456789012345678\\>$/],
    ['[click](https://evil.example)', 'is no masked link', /^\\\[click\\\]\\\(https\\:\/\/evil\.example\\\)$/],
    ['see https://evil.example/x', 'is no bare link', /^see https\\:\/\/evil\.example\/x$/],
    ['**bold** _it_ ~~s~~ `code` ||spoiler||', 'formats nothing', /^\\\*\\\*bold\\\*\\\* \\_it\\_ \\~\\~s\\~\\~ \\`code\\` \\\|\\\|spoiler\\\|\\\|$/],
    ['# Heading\n- item\n1. first\n> quote', 'makes no heading, list or quote', /^\\# Heading\n\\- item\n1\\. first\n\\> quote$/],
  ];
  for (const [input, what, expected] of cases) {
    test(`${JSON.stringify(input)} ${what}`, () => {
      assert.match(escapeText(input), expected);
    });
  }

  test('escapeAndFit never ends on a lone backslash and fits the budget after escaping', () => {
    for (let max = 5; max < 60; max++) {
      const out = escapeAndFit('*'.repeat(100), max);
      assert.ok(length(out) <= max, `${max}: ${out}`);
      const trailing = /\\*…?$/.exec(out)?.[0].replace('…', '').length ?? 0;
      assert.equal(trailing % 2, 0, `dangling escape at ${max}: ${out}`);
    }
  });

  test('truncate counts code points and keeps short text unchanged', () => {
    assert.equal(truncate('abc', 3), 'abc');
    assert.equal(truncate('abcd', 3), 'ab…');
    assert.equal(length(truncate('😀'.repeat(10), 5)), 5);
  });

  test('only http and https URLs become links, with brackets and spaces encoded', () => {
    assert.equal(safeUrl('javascript:alert(1)'), null);
    assert.equal(safeUrl('not a url'), null);
    assert.equal(safeUrl('https://example.org/a (b)'), 'https://example.org/a%20%28b%29');
  });
});

describe('citations and excerpts', () => {
  test('a citation line names the outlet, date, linked title and paragraph', () => {
    assert.equal(citationLine(source), '— *Kyodo*, 2024-03-24, [US, Japan plan missile units](<https://example.org/news/missiles>), ¶3');
  });

  test('a citation without URL or outlet quotes the title and leaves out what is unknown', () => {
    assert.equal(citationLine({ ...source, url: null, outlet: null, published: null, paragraph: 1 }), '— “US, Japan plan missile units”, ¶1');
  });

  test('a title with markdown and a javascript URL is escaped and not linked', () => {
    const line = citationLine({ ...source, title: '[x](https://evil.example) @everyone', url: 'javascript:alert(1)' });
    assert.ok(!line.includes('](<'), line);
    assert.ok(line.includes('\\[x\\]\\(https\\://evil.example\\)'), line);
  });

  test('an excerpt renders as a block quote on every line followed by its citation', () => {
    const out = renderExcerpt({ text: 'First line\nsecond line', source });
    const lines = out.split('\n');
    assert.equal(lines[0], '> First line second line');
    assert.ok(lines.at(-1)!.startsWith('— *Kyodo*'));
    assert.equal(blockQuote('a\nb'), '> a\n> b');
  });

  test('a long excerpt is cut with an ellipsis within the excerpt budget', () => {
    const out = renderExcerpt({ text: 'word '.repeat(1000), source });
    assert.ok(length(out) <= 1000, String(length(out)));
    assert.match(out, /…\n— /);
  });
});

function excerpts(n: number, size: number): Excerpt[] {
  return Array.from({ length: n }, (_, i) => ({ text: `${i} ${'x'.repeat(size)}`, source: { ...source, start: i, end: i + size } }));
}

describe('messages stay within Discord limits', () => {
  test('search results are paged within the page budget, with buttons only when there is more than one page', () => {
    const one = renderSearch({ query: 'q', results: excerpts(2, 50) }, { q: 'q' }, 0);
    assert.deepEqual(one.components, []);
    const many = renderSearch({ query: 'q', results: excerpts(20, 900) }, { q: 'q' }, 2);
    assert.equal(many.components.length, 1);
    assert.match(many.embeds[0]!.footer!.text, /^Page 3 of \d+ · 20 passages$/);
    assert.ok(length(many.embeds[0]!.description!) <= PAGE_BUDGET + 100);
    assert.deepEqual(discordErrors(many), []);
    assert.equal(many.allowedMentions, NO_MENTIONS);
  });

  test('a page number past the end shows the last page instead of nothing', () => {
    const results = excerpts(9, 10);
    const message = renderSearch({ query: 'q', results }, { q: 'q' }, 99);
    assert.match(message.embeds[0]!.footer!.text, /^Page 3 of 3/);
    assert.deepEqual(message.embeds[0]!.description, renderSearch({ query: 'q', results }, { q: 'q' }, 2).embeds[0]!.description);
    assert.ok(message.embeds[0]!.description!.includes(escapeText(results[8]!.text)), 'the last page shows the last passage');
  });

  test('a page never holds more than the budget, even with oversized blocks; blocks that fit stay whole', () => {
    const raw = ['a'.repeat(10_000), 'b', 'c'.repeat(3000), 'd'.repeat(3000)];
    const cut = renderPageBlocks(raw, (block, budget) => block.slice(0, Math.max(budget, 1000)), 3500);
    assert.equal(cut.length, 4);
    assert.ok(cut.reduce((n, b) => n + length(b) + 2, 0) <= 3500);
    assert.equal(cut[1], 'b');
    const small = ['x'.repeat(800), 'y'.repeat(800), 'z'];
    assert.deepEqual(renderPageBlocks(small, (block) => block, 3500), small);
    assert.equal(renderPageBlocks(['1', '2', '3', '4', '5', '6'], (block) => block).length, 4, 'a page shows at most four items');
  });

  test('a quotation over its share of the page keeps its speaker and citation whole; only the quoted words are shortened', () => {
    const quote: Quote = { text: 'word '.repeat(400), speaker: { name: 'Jane Doe', description: 'a minister', mention: 'Doe' }, source };
    const block = renderQuote(quote, 600);
    assert.ok(length(block) <= 600, String(length(block)));
    assert.match(block, /\*\*Jane Doe\*\*, a minister\n— /);
    assert.ok(block.endsWith(citationLine(source)));
  });

  test('fitMessage clamps every embed part and the 6000-character total', () => {
    const huge: BotMessage = {
      content: 'c'.repeat(5000),
      embeds: Array.from({ length: 12 }, () => ({
        title: 't'.repeat(400),
        description: 'd'.repeat(5000),
        footer: { text: 'f'.repeat(3000) },
        author: { name: 'a'.repeat(300) },
        fields: Array.from({ length: 30 }, () => ({ name: 'n'.repeat(300), value: 'v'.repeat(2000) })),
      })),
      components: [],
      allowedMentions: NO_MENTIONS,
    };
    const fitted = fitMessage(huge);
    assert.deepEqual(discordErrors(fitted), []);
    assert.ok(fitted.embeds.length >= 1);
  });

  test('quotes, timeline, sources and who with oversized corpus strings are accepted by Discord', () => {
    const long = 'L'.repeat(3000);
    const quotes: Quote[] = Array.from({ length: 12 }, () => ({ text: long, speaker: { name: long, description: long, mention: long }, source: { ...source, title: long, outlet: long } }));
    const events: TimelineEvent[] = Array.from({ length: 12 }, () => ({ date: { value: '2024-03-24', precision: 'day', approximate: true }, text: long, source, alsoReportedBy: [{ ...source, outlet: long }] }));
    const messages = [
      renderQuotes({ quotes: quotes.slice(0, 4), total: quotes.length }, { topic: long.slice(0, 100), speaker: long.slice(0, 100) }, 0),
      renderTimeline({ events: events.slice(4, 8), total: events.length }, { topic: long.slice(0, 100), from: '2020', to: '2030' }, 1),
      renderSources({ documents: Array.from({ length: 40 }, (_, i) => ({ doc: `${i}.txt`, title: long, outlet: long, published: '2024-01-01', url: 'https://e.org', passages: 3 })).slice(0, 4), total: 40 }, 0),
      renderWho({ query: long, match: { name: long, kind: 'person', aliases: [long, long], descriptions: excerpts(3, 3000), mentions: 9, documents: ['a'], excerpts: excerpts(9, 3000) }, suggestions: [long] }),
      renderWho({ query: long, match: null, suggestions: Array.from({ length: 30 }, () => long) }),
    ];
    for (const m of messages) assert.deepEqual(discordErrors(m), []);
  });

  test('autocomplete choices: at most 25, names and values within 100 characters, duplicates and blanks dropped', () => {
    const choices = renderChoices(['', 'Lin Jian', 'Lin Jian', 'x'.repeat(150), ...Array.from({ length: 40 }, (_, i) => `Name ${i}`)]);
    assert.equal(choices.length, 25);
    assert.deepEqual(choices.slice(0, 1), [{ name: 'Lin Jian', value: 'Lin Jian' }]);
    assert.equal(length(choices[1]!.name), 100);
    assert.equal(length(choices[1]!.value), 100);
  });
});

describe('timeline date labels', () => {
  const label = (value: string, precision: 'day' | 'month' | 'quarter' | 'year' | 'decade', approximate = false): string =>
    dateLabel({ date: { value, precision, approximate }, text: '', source: { doc: 'd', title: 't', outlet: null, published: null, url: null, start: 0, end: 0 } });
  test('each precision reads as a reader says it and states the precision', () => {
    assert.equal(label('2024-03-24', 'day'), '24 March 2024 · day');
    assert.equal(label('2021-12', 'month'), 'December 2021 · month');
    assert.equal(label('2024-Q1', 'quarter'), 'Q1 2024 · quarter');
    assert.equal(label('1960', 'year'), '1960 · year');
    assert.equal(label('203X', 'decade', true), '≈ the 2030s · decade, approximate');
  });
});
