/**
 * Text is inert and within Discord's limits on the exact edges: invisible
 * formatting (direction controls, zero-width characters, tags) never reaches
 * Discord from corpus text or user input, what is needed to spell a word or
 * an emoji stays, citations keep their offsets, and every limit holds at N
 * and is enforced at N + 1.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Citation, Excerpt } from '../../src/types.js';
import {
  DISCORD_LIMITS,
  INPUT_LIMITS,
  NO_MENTIONS,
  echo,
  embedChars,
  escapeAndFit,
  escapeText,
  fitMessage,
  inert,
  length,
  renderChoices,
  renderDigest,
  renderExcerpt,
  renderQuotes,
  renderSearch,
  renderTimeline,
  renderWho,
  safeUrl,
  truncate,
  type BotMessage,
} from '../../src/bot/render.js';
import { loadCommands } from '../../src/bot/commands.js';
import { fakeDocument } from '../digest/fakes.js';
import { discordErrors } from './messages.js';

/** The characters the issue names: embeddings and overrides, isolates, marks and the Arabic letter mark. */
const DIRECTION_CONTROLS = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'];
/** Other invisible formatting: zero-width space, word joiner, BOM, soft hyphen, invisible times, Hangul filler, a tag letter, an interlinear annotation anchor. */
const OTHER_INVISIBLE = ['\u200b', '\u2060', '\ufeff', '\u00ad', '\u2062', '\u3164', '\u{e0041}', '\ufff9'];
const ANY_INVISIBLE = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2060\ufeff\u00ad\u2062\u3164\u{e0041}\ufff9]/u;

const source: Citation & { paragraph: number } = {
  doc: 'wire/2024-03-24.txt',
  title: 'Ministers meet',
  outlet: 'Test Wire',
  published: '2024-03-24',
  url: 'https://example.org/a',
  start: 120,
  end: 171,
  paragraph: 2,
};

function allText(message: BotMessage): string {
  return JSON.stringify([message.content ?? '', message.embeds, message.components]);
}

describe('inert: invisible formatting is removed, what spells words and emoji stays', () => {
  for (const ch of [...DIRECTION_CONTROLS, ...OTHER_INVISIBLE]) {
    const name = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    test(`${name} inside a word is removed`, () => {
      assert.equal(inert(`abc${ch}def`), 'abcdef');
      assert.equal(escapeText(`x${ch}*y`), 'x\\*y');
    });
  }

  test('a right-to-left override cannot reverse how a citation reads', () => {
    // What the attacker wants readers to see: "…said the minister (txt.exe" reversed.
    const excerpt: Excerpt = { text: 'The minister said \u202etneserp ton\u202c the plan was final.', source };
    const rendered = renderExcerpt(excerpt);
    assert.doesNotMatch(rendered, ANY_INVISIBLE);
    assert.match(rendered, /The minister said tneserp ton the plan was final\./);
    // The citation is data: its text and offsets are untouched (only what is shown changed).
    assert.equal(excerpt.text.includes('\u202e'), true);
    assert.deepEqual([excerpt.source.start, excerpt.source.end], [120, 171]);
  });

  test('a query with U+2066 is echoed without it in a search, a who and a quote title', () => {
    const query = 'missiles \u2066@everyone\u2069 treaty';
    const search = renderSearch({ query, results: [{ text: 'Missiles were moved.', source }] }, { q: query }, 0);
    const who = renderWho({ query, match: null, suggestions: ['Lin\u202eJian'] });
    const quotes = renderQuotes({ quotes: [], total: 0 }, { speaker: query, topic: query }, 0);
    for (const message of [search, who, quotes]) {
      assert.doesNotMatch(allText(message), ANY_INVISIBLE, allText(message));
      assert.doesNotMatch(allText(message), /@everyone/);
    }
    assert.match(search.embeds[0]!.title!, /^Search: missiles @\u200beveryone treaty$/);
  });

  test('names, titles, outlets and URLs of a timeline are inert too', () => {
    const hostile = { ...source, title: 'T\u200bitle\u202e', outlet: 'Out\u2067let', url: 'https://example.org/\u202epath' };
    const message = renderTimeline({ events: [{ date: { value: '2024-03-24', precision: 'day', approximate: false }, text: 'A\u200dB met.', source: hostile, alsoReportedBy: [hostile] }], total: 1 }, { topic: 'to\u2066pic' }, 0);
    assert.doesNotMatch(allText(message), ANY_INVISIBLE);
    assert.deepEqual(discordErrors(message), []);
    assert.equal(safeUrl('https://example.org/\u202epath'), 'https://example.org/%E2%80%AEpath');
  });

  test('ZWJ in an emoji sequence, ZWNJ and ZWJ in Persian and Hindi words, variation selectors and subdivision flags stay', () => {
    const family = '\u{1f468}\u200d\u{1f469}\u200d\u{1f467}';
    const persian = 'می\u200cخواهم';
    const hindi = 'क्\u200dष';
    const heart = '\u2764\ufe0f';
    const scotland = '\u{1f3f4}\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}';
    for (const kept of [family, persian, hindi, heart, scotland]) assert.equal(inert(kept), kept);
    assert.equal(inert('a\u200db\u200cc'), 'abc', 'joiners between Latin letters spell nothing and are removed');
    assert.equal(inert('\u{1f3f4}\u{e0041}\u{e0042}'), '\u{1f3f4}', 'tag characters outside a flag are removed');
  });

  test('line and paragraph separators become newlines and C0/C1 controls are dropped', () => {
    assert.equal(inert('a\u2028b\u2029c\u0085d\r\ne\x07f\x9bg'), 'a\nb\nc\nd\nefg');
  });

  test('a run of invisible characters cannot crowd the visible text out of a fitted echo', () => {
    assert.equal(escapeAndFit(`${'\u202e'.repeat(500)}visible`, 20), 'visible');
  });

  test('fitMessage removes invisible formatting even from text a renderer forgot to escape', () => {
    const message = fitMessage({ content: 'x\u202ey', embeds: [{ title: 'a\u2066b', description: 'c\u200bd', footer: { text: 'e\u200ff' }, fields: [{ name: 'g\u061ch', value: 'i\u2069j' }] }], components: [], allowedMentions: NO_MENTIONS });
    assert.doesNotMatch(allText(message), ANY_INVISIBLE);
    assert.equal(message.content, 'xy');
  });

  test('autocomplete choices are inert', () => {
    const [choice] = renderChoices(['Lin \u202eJian\u200b']);
    assert.deepEqual(choice, { name: 'Lin Jian', value: 'Lin Jian' });
  });

  test('a digest with a hostile title, lead and outlet posts no invisible formatting, and its citation keeps the offsets', () => {
    const digest = {
      channelId: '123456789012345678',
      topic: 'na\u2066vy',
      sinceMs: 1_700_000_000_000,
      untilMs: 1_700_086_400_000,
      documents: [
        fakeDocument('doc.txt', 1_700_000_000_001, {
          title: 'Title \u202eeliforp',
          outlet: 'Wire\u200b',
          lead: { text: 'Lead \u2067text\u2069 here.', source: { ...source, outlet: 'Wire\u200f', start: 7, end: 29 } },
        }),
      ],
    };
    const [message] = renderDigest(digest, { notes: ['Posted 12 minutes late.'] });
    const text = JSON.stringify(message);
    assert.doesNotMatch(text, ANY_INVISIBLE);
    assert.match(message!.embeds[0]!.description!, /\(chars 7–29\)/);
    assert.match(message!.content, /about “navy”/);
    assert.match(message!.content, /\n-# Posted 12 minutes late\./);
  });
});

describe('limits on their exact edges', () => {
  test('truncate and escapeAndFit keep text of exactly N code points and cut N + 1 to N', () => {
    for (const n of [1, 2, 100, 256]) {
      const exact = 'é'.repeat(n);
      assert.equal(truncate(exact, n), exact);
      assert.equal(escapeAndFit(exact, n), exact);
      const over = `${exact}é`;
      assert.equal(length(truncate(over, n)), n);
      assert.equal(length(escapeAndFit(over, n)), n);
      assert.ok(truncate(over, n).endsWith('…'));
    }
  });

  test('echo keeps a query of exactly 200 and a name of exactly 100 characters and cuts one more', () => {
    const query = 'q'.repeat(INPUT_LIMITS.query);
    const name = 'n'.repeat(INPUT_LIMITS.name);
    assert.equal(echo(query, 'query'), query);
    assert.equal(echo(name, 'name'), name);
    assert.equal(length(echo(`${query}q`, 'query')), INPUT_LIMITS.query);
    assert.equal(length(echo(`${name}n`, 'name')), INPUT_LIMITS.name);
    assert.ok(echo(`${name}n`, 'name').endsWith('…'));
  });

  test('a forged 6,000-character query is echoed at most 200 characters long', () => {
    const forged = 'w'.repeat(6000);
    const search = renderSearch({ query: forged, results: [] }, { q: forged }, 0);
    assert.equal(search.embeds[0]!.title, `Search: ${'w'.repeat(199)}…`);
    const who = renderWho({ query: forged, match: null, suggestions: [] });
    assert.ok(length(who.embeds[0]!.title!) <= INPUT_LIMITS.name + 20);
  });

  test('content of exactly 2000 code points is sent whole; 2001 is cut to 2000', () => {
    const exact = fitMessage({ content: '😀'.repeat(DISCORD_LIMITS.content), embeds: [], components: [], allowedMentions: NO_MENTIONS });
    assert.equal(length(exact.content!), 2000);
    assert.ok(!exact.content!.endsWith('…'));
    const over = fitMessage({ content: '😀'.repeat(DISCORD_LIMITS.content + 1), embeds: [], components: [], allowedMentions: NO_MENTIONS });
    assert.equal(length(over.content!), 2000);
    assert.ok(over.content!.endsWith('…'));
    assert.deepEqual(discordErrors(over), []);
  });

  test('embeds totalling exactly 6000 are sent whole; one more character is cut', () => {
    const embed = (description: number) => ({ title: 't'.repeat(256), description: 'd'.repeat(description), footer: { text: 'f'.repeat(44) } });
    // 2 × (256 + 44) + 4096 + 1304 = 6000
    const exact = fitMessage({ embeds: [embed(4096), embed(1304)], components: [], allowedMentions: NO_MENTIONS });
    assert.equal(exact.embeds.reduce((n, e) => n + embedChars(e), 0), 6000);
    assert.equal(exact.embeds[1]!.description, 'd'.repeat(1304));
    const over = fitMessage({ embeds: [embed(4096), embed(1305)], components: [], allowedMentions: NO_MENTIONS });
    assert.equal(over.embeds.reduce((n, e) => n + embedChars(e), 0), 6000);
    assert.deepEqual(discordErrors(over), []);
  });

  test('each embed part at its limit is kept, one over is cut', () => {
    const L = DISCORD_LIMITS;
    const at = fitMessage({ embeds: [{ title: 't'.repeat(L.embedTitle), description: 'd'.repeat(1000), fields: [{ name: 'n'.repeat(L.embedFieldName), value: 'v'.repeat(L.embedFieldValue) }], footer: { text: 'f'.repeat(100) } }], components: [], allowedMentions: NO_MENTIONS });
    assert.equal(length(at.embeds[0]!.title!), L.embedTitle);
    assert.equal(at.embeds[0]!.fields![0]!.value, 'v'.repeat(L.embedFieldValue));
    const over = fitMessage({ embeds: [{ title: 't'.repeat(L.embedTitle + 1), fields: [{ name: 'n', value: 'v'.repeat(L.embedFieldValue + 1) }] }], components: [], allowedMentions: NO_MENTIONS });
    assert.equal(length(over.embeds[0]!.title!), L.embedTitle);
    assert.equal(length(over.embeds[0]!.fields![0]!.value), L.embedFieldValue);
    assert.deepEqual(discordErrors(over), []);
  });

  test('autocomplete: a name of exactly 100 stays whole, 101 is cut, never more than 25 choices', () => {
    const choices = renderChoices(['x'.repeat(100), 'y'.repeat(101), ...Array.from({ length: 40 }, (_, i) => `name ${i}`)]);
    assert.equal(choices.length, DISCORD_LIMITS.choices);
    assert.equal(choices[0]!.name, 'x'.repeat(100));
    assert.equal(length(choices[1]!.name), 100);
    assert.equal(length(String(choices[1]!.value)), 100);
  });
});

describe('input caps in the command definitions', () => {
  test('every text option has a max_length: 100 for names and speakers, 200 for queries and topics, 2,000 for addresses', async () => {
    const caps: Record<string, number> = { name: INPUT_LIMITS.name, speaker: INPUT_LIMITS.name, query: INPUT_LIMITS.query, topic: INPUT_LIMITS.query, url: INPUT_LIMITS.url, link: INPUT_LIMITS.url };
    assert.deepEqual([INPUT_LIMITS.name, INPUT_LIMITS.query, INPUT_LIMITS.url], [100, 200, 2000]);
    const seen = new Set<string>();
    type Option = { name: string; type: number; max_length?: number; options?: Option[] };
    const walk = (command: string, options: Option[] = []): void => {
      for (const o of options) {
        if (o.options) walk(command, o.options);
        if (o.type !== 3) continue;
        assert.equal(typeof o.max_length, 'number', `/${command} ${o.name} has no max_length`);
        const cap = caps[o.name];
        if (cap !== undefined) assert.equal(o.max_length, cap, `/${command} ${o.name}: max_length ${o.max_length}, not ${cap}`);
        seen.add(`${command} ${o.name}`);
      }
    };
    const commands = await loadCommands();
    for (const command of commands.values()) {
      const json = command.data.toJSON() as { name: string; options?: Option[] };
      walk(json.name, json.options);
    }
    const search = commands.get('search')!.data.toJSON() as { options: Option[] };
    assert.equal(search.options.find((o) => o.name === 'query')?.max_length, 200);
    // The options the caps are about are all there (a renamed option would otherwise escape the check).
    for (const option of ['search query', 'who name', 'quote speaker', 'quote topic', 'timeline topic', 'brief topic', 'digest topic', 'feeds url', 'article link']) {
      assert.ok(seen.has(option), `/${option} not found`);
    }
  });
});
