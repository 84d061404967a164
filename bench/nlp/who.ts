/**
 * Who-quality on unseen news: the PolNeAR dev articles
 * (<dataDir>/polnear/dev/text) are loaded as a corpus and every entity of the
 * hand-written key (bench/nlp/who-key.json, written by reading those articles)
 * is looked up with `who`, as a reader would.
 *
 * - found: an answer whose documents include every document the key names for
 *   the entity, and whose name or an alias shares the key name's last word;
 * - kind: found with the key's kind;
 * - description precision: returned descriptions (at most five per answer, as
 *   `who` shows them) that match one of the key's descriptions of that entity;
 * - description recall: key descriptions matched by a returned one;
 * - merges: `same` pairs answered by one entity, `different` pairs by two;
 * - absent: names not in the articles, which must get no answer.
 *
 * A returned description matches a key description when, lower-cased, without
 * punctuation and a leading determiner or possessive pronoun, one is a run of
 * the other's words and covers at least half of the longer one's words.
 *
 * The key was written once from the text; the extraction rules are tuned on
 * PolNeAR train and the BBC articles, not on this key.
 * Run directly for the per-entity listing:
 *   npx tsx bench/nlp/who.ts ../shared/benchmarks [--errors]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCorpus } from '../../src/corpus/load.js';
import { Briefing } from '../../src/engine/briefing.js';
import type { EntityKind, EntityMatch } from '../../src/types.js';
import type { NlpBenchReport } from '../nlp.js';

interface KeyEntity {
  name: string;
  kind: EntityKind;
  docs: string[];
  descriptions: string[];
}

interface WhoKey {
  split: string;
  entities: KeyEntity[];
  same: [string, string][];
  different: [string, string][];
  absent: string[];
}

const KEY_PATH = new URL('./who-key.json', import.meta.url);

function tokens(text: string): string[] {
  const ws = text
    .toLowerCase()
    .replace(/[’']s\b/g, '')
    .split(/[^\p{L}\p{N}-]+/u)
    .filter(Boolean);
  while (ws.length > 1 && /^(?:a|an|the|his|her|its|their)$/.test(ws[0]!)) ws.shift();
  return ws;
}

function containsRun(long: string[], short: string[]): boolean {
  for (let i = 0; i + short.length <= long.length; i++) if (short.every((w, j) => long[i + j] === w)) return true;
  return false;
}

/** Whether a returned description says what a key description says (see the header). */
export function descriptionMatches(returned: string, key: string): boolean {
  const r = tokens(returned);
  const k = tokens(key);
  if (r.length === 0 || k.length === 0) return false;
  const [long, short] = r.length >= k.length ? [r, k] : [k, r];
  return containsRun(long, short) && short.length * 2 >= long.length;
}

const lastWord = (name: string): string => tokens(name).at(-1) ?? '';

export interface EntityOutcome {
  entity: KeyEntity;
  match: EntityMatch | null;
  found: boolean;
  kindRight: boolean;
  returned: { text: string; true: boolean }[];
  recalled: string[];
}

export async function evaluate(dataDir: string): Promise<{ outcomes: EntityOutcome[]; key: WhoKey; briefing: Briefing; docs: number }> {
  const key = JSON.parse(readFileSync(KEY_PATH, 'utf8')) as WhoKey;
  const corpus = await loadCorpus(join(dataDir, 'polnear', 'dev', 'text'));
  const briefing = new Briefing(corpus.documents);
  const outcomes: EntityOutcome[] = key.entities.map((entity) => {
    const match = briefing.who(entity.name).match;
    const docs = new Set(match?.documents.map((d) => d.replace(/\.txt$/, '')) ?? []);
    const names = match ? [match.name, ...match.aliases] : [];
    const found = match !== null && entity.docs.every((d) => docs.has(d)) && names.some((n) => lastWord(n) === lastWord(entity.name));
    const returned = found ? match.descriptions.map((d) => ({ text: d.text, true: entity.descriptions.some((k) => descriptionMatches(d.text, k)) })) : [];
    const recalled = entity.descriptions.filter((k) => returned.some((r) => descriptionMatches(r.text, k)));
    return { entity, match, found, kindRight: found && match.kind === entity.kind, returned, recalled };
  });
  return { outcomes, key, briefing, docs: corpus.documents.length };
}

export async function run(dataDir: string): Promise<NlpBenchReport> {
  if (!existsSync(join(dataDir, 'polnear', 'dev', 'text'))) return { task: 'who (PolNeAR dev)', metrics: {}, notes: ['polnear/dev/text not found: skipped'] };
  const { outcomes, key, briefing, docs } = await evaluate(dataDir);
  const found = outcomes.filter((o) => o.found).length;
  const kind = outcomes.filter((o) => o.kindRight).length;
  const returned = outcomes.reduce((n, o) => n + o.returned.length, 0);
  const trueReturned = outcomes.reduce((n, o) => n + o.returned.filter((r) => r.true).length, 0);
  const written = outcomes.reduce((n, o) => n + o.entity.descriptions.length, 0);
  const recalled = outcomes.reduce((n, o) => n + o.recalled.length, 0);
  const answer = (name: string): string | null => briefing.who(name).match?.name ?? null;
  const same = key.same.filter(([a, b]) => answer(a) !== null && answer(a) === answer(b)).length;
  const different = key.different.filter(([a, b]) => answer(a) !== null && answer(b) !== null && answer(a) !== answer(b)).length;
  const absent = key.absent.filter((n) => briefing.who(n).match === null).length;
  const pct = (a: number, b: number): number => (b === 0 ? 0 : (100 * a) / b);
  return {
    task: 'who (PolNeAR dev, hand key)',
    metrics: {
      found,
      right_kind: kind,
      entities: outcomes.length,
      desc_P: pct(trueReturned, returned),
      desc_R: pct(recalled, written),
      same_merged: same,
      different_apart: different,
      absent_not_found: absent,
    },
    notes: [
      `${docs} documents; key: ${outcomes.length} entities, ${written} written descriptions; ${returned} descriptions returned (${trueReturned} true); ` +
        `same ${same}/${key.same.length}, different ${different}/${key.different.length}, absent ${absent}/${key.absent.length}`,
    ],
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/bench\//, '/bench/'))) {
  const dir = process.argv[2] ?? '../shared/benchmarks';
  const report = await run(dir);
  console.log(report.task, Object.entries(report.metrics).map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(1)}`).join('  '));
  for (const n of report.notes ?? []) console.log(' ', n);
  if (process.argv.includes('--errors')) {
    const { outcomes, key, briefing } = await evaluate(dir);
    for (const o of outcomes) {
      const m = o.match;
      console.log(`${o.found ? (o.kindRight ? 'ok  ' : 'KIND') : 'MISS'} ${o.entity.name} [${o.entity.kind}] → ${m ? `${m.name} [${m.kind}] aliases=${m.aliases.join('|')}` : 'none'}`);
      for (const r of o.returned) console.log(`     ${r.true ? '+' : '-'} ${r.text}`);
      for (const k of o.entity.descriptions) if (!o.recalled.includes(k)) console.log(`     ? ${k}`);
    }
    for (const [a, b] of key.same) console.log(`same ${a} / ${b}: ${briefing.who(a).match?.name ?? '-'} / ${briefing.who(b).match?.name ?? '-'}`);
    for (const [a, b] of key.different) console.log(`diff ${a} / ${b}: ${briefing.who(a).match?.name ?? '-'} / ${briefing.who(b).match?.name ?? '-'}`);
    for (const n of key.absent) console.log(`absent ${n}: ${briefing.who(n).match?.name ?? '-'}`);
  }
}
