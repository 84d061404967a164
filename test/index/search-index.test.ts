import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { loadCorpus } from '../../src/corpus/load.js';
import { buildDocument } from '../../src/corpus/document.js';
import { SearchIndex, type PassageHit } from '../../src/index/search-index.js';
import { processTerm, tokenizeForSearch } from '../../src/index/terms.js';
import type { CorpusDocument } from '../../src/types.js';
import { CORPUS } from '../helpers.js';

// A small deterministic random generator, so every run asks the same questions.
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function typo(word: string, random: () => number): string {
  if (word.length < 4) return word;
  const i = 1 + Math.floor(random() * (word.length - 2));
  return random() < 0.5 ? word.slice(0, i) + word.slice(i + 1) : word.slice(0, i) + word[i + 1]! + word[i]! + word.slice(i + 2);
}

/** Queries of one to five words drawn from `words`, some misspelt, some cut short. */
function queriesFrom(words: readonly string[], count: number, random: () => number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = 1 + Math.floor(random() * 5);
    const picked = Array.from({ length: n }, () => words[Math.floor(random() * words.length)]!);
    const kind = random();
    const last = picked[n - 1]!;
    if (kind < 0.25) picked[n - 1] = typo(last, random);
    else if (kind < 0.45) picked[n - 1] = last.slice(0, Math.max(3, last.length - 2));
    out.push(picked.join(' '));
  }
  return out;
}

const brief = (hits: PassageHit[]) => hits.map((h) => ({ id: h.passage.id, score: h.score, coverage: h.coverage, own: h.ownCoverage, terms: h.matchedTerms }));

/** Compares every query both ways; returns how many comparisons had results and how many stopped admitting passages early. */
function assertSameAsExhaustive(index: SearchIndex, queries: readonly string[], filter?: (id: number) => boolean): { compared: number; early: number } {
  let compared = 0;
  let early = 0;
  for (const query of queries) {
    for (const limit of [1, 3, 5, 20]) {
      for (const prefixLast of [true, false]) {
        const options = { prefixLast, ...(filter ? { filter: (p: { id: number }) => filter(p.id) } : {}) };
        const fast = index.search(query, limit, options);
        if (index.lastSearchStats.closedAtList >= 0) early++;
        const full = index.search(query, limit, { ...options, exhaustive: true });
        assert.deepEqual(brief(fast), brief(full), `"${query}" limit ${limit} prefixLast ${prefixLast}`);
        if (full.length > 0) compared++;
      }
    }
  }
  return { compared, early };
}

describe('top-k with early termination', () => {
  test('returns the same top results as scoring every passage, on the seed corpus', async () => {
    const { documents } = await loadCorpus(CORPUS);
    const index = SearchIndex.build(documents);
    const words = documents.flatMap((d) => tokenizeForSearch(d.text)).filter((w) => w.length >= 3);
    const queries = queriesFrom(words, 150, generator(7));
    queries.push('Tomahwk', 'Kish', 'US Japan alliance missile deployment Tomahawk 2027', 'the of Japan');
    const { compared, early } = assertSameAsExhaustive(index, queries);
    assert.ok(compared > 500, `only ${compared} comparisons had results`);
    assert.ok(early > 100, `only ${early} searches stopped early`);
  });

  test('returns the same top results as scoring every passage, on a synthetic Zipf-distributed corpus, with and without a filter', () => {
    const random = generator(11);
    // 2,000 made-up words; word i is drawn with weight 1/(i+1), so a few are in most passages.
    const vocabulary = Array.from({ length: 2000 }, (_, i) => {
      let w = '';
      let n = i + 7;
      while (n > 0) {
        w += 'bcdfghjklmnprstvz'[n % 17]! + 'aeiou'[Math.floor(n / 17) % 5]!;
        n = Math.floor(n / 85);
      }
      return `${w}x`;
    });
    const weights = vocabulary.map((_, i) => 1 / (i + 1));
    const total = weights.reduce((a, b) => a + b, 0);
    const cumulative: number[] = [];
    weights.reduce((sum, w, i) => (cumulative[i] = sum + w / total), 0);
    const draw = (): string => {
      const r = random();
      let lo = 0;
      let hi = cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid]! < r) lo = mid + 1;
        else hi = mid;
      }
      return vocabulary[lo]!;
    };
    const documents: CorpusDocument[] = [];
    for (let d = 0; d < 300; d++) {
      const title = Array.from({ length: 3 + Math.floor(random() * 5) }, draw).join(' ');
      const paragraphs = Array.from({ length: 2 + Math.floor(random() * 6) }, () => {
        const sentences = Array.from({ length: 1 + Math.floor(random() * 5) }, () => {
          const words = Array.from({ length: 6 + Math.floor(random() * 20) }, draw).join(' ');
          return `${words[0]!.toUpperCase()}${words.slice(1)}.`;
        });
        return sentences.join(' ');
      });
      const built = buildDocument(`synthetic/${d}.md`, Buffer.from(`---\ntitle: ${title}\n---\n\n${paragraphs.join('\n\n')}\n`));
      assert.ok(built.ok);
      documents.push(built.document);
    }
    const index = SearchIndex.build(documents);
    assert.ok(index.size > 1000, `${index.size} passages`);
    const queries = queriesFrom(
      Array.from({ length: 3000 }, draw),
      200,
      random,
    );
    const all = assertSameAsExhaustive(index, queries);
    assert.ok(all.compared > 1000 && all.early > 300, JSON.stringify(all));
    const filtered = assertSameAsExhaustive(index, queries.slice(0, 60), (id) => id % 3 !== 0);
    assert.ok(filtered.compared > 200 && filtered.early > 50, JSON.stringify(filtered));
  });
});

describe('the binary index', () => {
  test('an index restored from its typed arrays answers exactly as the one it was saved from', async () => {
    const { documents } = await loadCorpus(CORPUS);
    const index = SearchIndex.build(documents);
    const restored = SearchIndex.fromBinary(index.toBinary());
    for (const q of ['Tomahwk', 'joint headquarters command in Japan', 'Kish', 'North Korea missile test', 'xylophonist']) {
      assert.deepEqual(restored.search(q, 10), index.search(q, 10), q);
    }
  });

  test('building in a worker thread gives the same index as building here', async () => {
    const { documents } = await loadCorpus(CORPUS);
    const here = SearchIndex.build(documents);
    const inWorker = await SearchIndex.buildAsync(documents, { worker: true });
    const sliced = await SearchIndex.buildAsync(documents, { worker: false, chunkSize: 3 });
    assert.deepEqual(inWorker.toBinary(), here.toBinary());
    assert.deepEqual(sliced.toBinary(), here.toBinary());
  });
});

describe('own text', () => {
  /** How many of the query's words (groups of alternatives) the passage's own text holds: its words read and stemmed again. */
  function ownByReading(index: SearchIndex, documents: readonly CorpusDocument[], query: string, hit: PassageHit): number {
    const { docIndex, start, end } = hit.passage;
    const own = new Set(tokenizeForSearch(documents[docIndex]!.text.slice(start, end)).map(processTerm).filter((t): t is string => Boolean(t)));
    return index.queryGroups(query).filter((alternatives) => alternatives.some((t) => own.has(t))).length;
  }

  test("a hit's ownCoverage is what reading its own text finds, in a built, a restored and a two-segment index", async () => {
    const { documents } = await loadCorpus(CORPUS);
    const half = Math.floor(documents.length / 2);
    const built = SearchIndex.build(documents);
    const restored = SearchIndex.fromBinary(built.toBinary());
    const keep = Int32Array.from({ length: half }, (_, i) => i);
    const segmented = await SearchIndex.build(documents.slice(0, half)).withChanges(documents, keep, documents.slice(half).map((_, i) => half + i));
    assert.ok(segmented.segmented);
    const words = documents.flatMap((d) => tokenizeForSearch(d.text)).filter((w) => w.length >= 3);
    // Words of the corpus, not misspelt or cut short, matched without prefixes.
    const queries = queriesFrom(words, 120, generator(5)).map((q) => q.split(' ').filter((w) => words.includes(w)).join(' ')).filter(Boolean);
    queries.push('Japan alliance', 'missile Tomahawk', 'headquarters');
    let headlineOnly = 0;
    let checked = 0;
    for (const index of [built, restored, segmented]) {
      for (const query of queries) {
        const alternatives = new Set(index.queryGroups(query).flat());
        for (const hit of index.search(query, 30, { prefixLast: false })) {
          // A word the vocabulary lacks is matched by spelling; which word a respelling stands for is not said, so such hits are left out.
          if (!hit.matchedTerms.every((t) => alternatives.has(t))) continue;
          assert.equal(hit.ownCoverage, ownByReading(index, documents, query, hit), `"${query}" passage ${hit.passage.id}`);
          if (hit.ownCoverage < hit.coverage) headlineOnly++;
          checked++;
        }
      }
    }
    assert.ok(checked > 1000, `only ${checked} hits checked`);
    assert.ok(headlineOnly > 0, 'no hit matched a word through its headline only: the check would not tell the fields apart');
  });
});
