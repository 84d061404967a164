/**
 * People and organisations in one document: the NER's mentions grouped into
 * the entities they name, with aliases and the words the page uses to say who
 * each one is.
 *
 * Within a document, a one-word mention ("Austin", "Song", "Kishida") is the
 * person whose full name in the same document ends or begins with that word
 * (surname-last and surname-first names alike). Descriptions are read by four
 * patterns around a mention: an appositive after it ("Song Zhongping, a
 * Chinese military expert,"), one before it ("his British counterpart, Rishi
 * Sunak,"), a title run before it ("Chinese Foreign Ministry spokesperson Lin
 * Jian"), and a copula ("Girish Linganna is a Defence & Aerospace analyst").
 * Role words are the hinge: a phrase counts as a description only if it holds
 * one, so "Lin Jian, stating that" is not one.
 */
import type { CorpusDocument, EntityKind, EntitySpan } from '../types.js';
import { STOP_WORDS } from '../index/terms.js';

export interface DescriptionSpan {
  start: number;
  end: number;
  text: string;
}

export interface DocumentEntity {
  /** The fullest name the document gives. */
  name: string;
  kind: EntityKind;
  /** Other forms used in this document (surname alone, acronym). */
  aliases: string[];
  mentions: { start: number; end: number; text: string }[];
  descriptions: DescriptionSpan[];
}

/** Head words of roles, for people and for organisations. Lower case. */
export const ROLE_WORDS = new Set(
  (
    'president vice-president minister secretary spokesperson spokesman spokeswoman expert analyst professor diplomat ' +
    'official officials counterpart leader commander chief head director ambassador envoy adviser advisor general admiral ' +
    'colonel officer governor senator mayor king queen prince princess emperor premier chancellor chairman chairwoman chair ' +
    'ceo founder executive editor correspondent reporter journalist columnist writer author historian economist strategist ' +
    'researcher scholar fellow lawmaker legislator politician candidate deputy representative member spokesmen lawyer judge ' +
    'prosecutor activist consultant engineer scientist master boss manager owner partner dean lecturer colonel captain ' +
    'lieutenant sergeant marshal pope bishop cleric imam newspaper agency broadcaster daily outlet ministry company firm ' +
    'network think-tank institute university party government administration council committee commission'
  ).split(/\s+/),
);

/** Role words that only a person holds: a description with one makes its entity a person. */
const PERSON_ROLE_WORDS = new Set(
  (
    'president minister secretary spokesperson spokesman spokeswoman expert analyst professor diplomat counterpart leader ' +
    'commander chief ambassador envoy adviser advisor general admiral colonel officer governor senator mayor king queen ' +
    'prince princess emperor premier chancellor chairman chairwoman ceo founder editor correspondent reporter journalist ' +
    'columnist writer author historian economist strategist researcher scholar lawmaker legislator politician lawyer judge'
  ).split(/\s+/),
);
/** Descriptions longer than this many words are not kept (they are clauses, not roles). */
const MAX_DESCRIPTION_WORDS = 25;

/** Words that may stand inside a title run before a name ("Secretary of Defense", "Defence & Aerospace"). */
const TITLE_JOINERS = new Set(['of', 'for', '&', 'the', 'on', 'at']);
/** Adverbs that open sentences and may precede a title run. */
const SENTENCE_ADVERBS = new Set(
  'meanwhile however also but and yet still now today yesterday tomorrow earlier later then instead indeed separately elsewhere recently previously last next'.split(' '),
);

/** Determiners that open a description. */
const OPENERS = /^(?:a|an|the|his|her|its|their|our|former|then|now|currently|vice|senior|acting|assistant|deputy|executive|retired|chief)$/i;

function words(text: string): string[] {
  return text.match(/[\p{L}\p{N}][\p{L}\p{N}'’.&-]*/gu) ?? [];
}

export function hasRoleWord(text: string): boolean {
  return words(text).some((w) => ROLE_WORDS.has(w.toLowerCase().replace(/[’']s$/, '')));
}

/** Name keys compare names across spelling of punctuation and case ("U.S." = "US"). */
export function nameKey(name: string): string {
  let key = nameKeys.get(name);
  if (key === undefined) {
    key = computeNameKey(name);
    if (nameKeys.size > MAX_REMEMBERED_NAMES) nameKeys.clear();
    nameKeys.set(name, key);
  }
  return key;
}

/** Names repeat across mentions and documents; their keys are remembered (up to this many). */
const MAX_REMEMBERED_NAMES = 200_000;
const nameKeys = new Map<string, string>();

function computeNameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[’']s$/u, '')
    .replace(/\./g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .toLowerCase()
    .replace(/^the /, '')
    .replace(HONORIFICS, '');
}

/** Courtesy titles are not part of a name: "Mr Blair" is Blair. */
const HONORIFICS = /^(?:(?:mr|mrs|ms|miss|mx|dr|sir|dame|lord|lady|prof|professor|mme|mlle|herr|frau|madam|madame|monsieur)\s+)+(?=\S)/;

function tokensOf(name: string): string[] {
  return nameKey(name).split(' ').filter(Boolean);
}

/** Strips a possessive and a leading "the" from a mention, keeping the span exact. */
function cleanMention(text: string, span: EntitySpan): { start: number; end: number; text: string } {
  let { start, end } = span;
  const m = /[’']s?$/u.exec(text.slice(start, end));
  if (m && end - m[0].length > start) end -= m[0].length;
  if (/^the\s/i.test(text.slice(start, end))) start += 4;
  return { start, end, text: text.slice(start, end) };
}

/** The clause boundary before `offset` (sentence start, colon, semicolon, or an opening quote) within `floor`. */
function clauseStart(text: string, offset: number, floor: number): number {
  for (let i = offset - 1; i >= floor; i--) {
    const ch = text[i]!;
    if (ch === '\n' || ch === ';' || ch === ':' || ch === '“' || ch === '"') return i + 1;
    if ((ch === '.' || ch === '!' || ch === '?') && /\s/.test(text[i + 1] ?? '')) return i + 1;
  }
  return floor;
}

function trimDescription(text: string, start: number, end: number): DescriptionSpan | null {
  while (start < end && /[\s,]/.test(text[start]!)) start++;
  while (end > start && /[\s,.;:]/.test(text[end - 1]!)) end--;
  if (end <= start) return null;
  const slice = text.slice(start, end);
  if (!hasRoleWord(slice) || words(slice).length > MAX_DESCRIPTION_WORDS) return null;
  return { start, end, text: slice };
}

/** "NAME, a Chinese military expert," → the words between the commas. */
function appositiveAfter(text: string, mentionEnd: number, limit: number): DescriptionSpan | null {
  const m = /^,\s+([^,.;:“”"()]{2,160}?)(?=,|\.\s|\.$|;|\s*\(|\s+(?:said|says|told|added|warned|stated|noted|claimed|stressed|emphasi[sz]ed)\b)/u.exec(text.slice(mentionEnd, limit));
  if (!m) return null;
  const phrase = m[1]!;
  const first = words(phrase)[0] ?? '';
  // An appositive opens with a determiner, a role word, or a possessive place ("Japan’s Cabinet Secretary").
  if (!OPENERS.test(first) && !ROLE_WORDS.has(first.toLowerCase()) && !/^\p{Lu}[\p{L}.]*[’']s$/u.test(first) && !/^\p{Lu}/u.test(first)) return null;
  if (/^(?:who|which|that|and|but|according|saying|stating|adding|while)\b/i.test(phrase)) return null;
  // A phrase opening with a capital is a title ("Japan’s Cabinet Secretary"), never a clause ("David Miliband spent …").
  if (!OPENERS.test(first) && !ROLE_WORDS.has(first.toLowerCase()) && !isTitleShaped(phrase)) return null;
  if (!isNounPhrase(phrase, 8)) return null;
  const start = mentionEnd + m[0].indexOf(phrase);
  return trimDescription(text, start, start + phrase.length);
}

/** Words that make a phrase a clause rather than a noun phrase. */
const VERB_WORDS = new Set(
  (
    'is are was were be been being am will would shall should can could may might must has have had do does did ' +
    'said says say told tells announced released signed met called added noted warned expected set due'
  ).split(/\s+/),
);

/** A description phrase: no verbs, and its role word among its first words (the head, not a clause's object). */
function isNounPhrase(phrase: string, maxHeadPosition = 5): boolean {
  const ws = words(phrase).map((w) => w.toLowerCase());
  if (ws.some((w) => VERB_WORDS.has(w))) return false;
  const head = ws.findIndex((w) => ROLE_WORDS.has(w.replace(/[’']s$/, '')));
  return head >= 0 && head < maxHeadPosition;
}

/** Every word a capitalised word, a role word, a joiner or a possessive: "Japan’s Cabinet Secretary". */
function isTitleShaped(phrase: string): boolean {
  return words(phrase).every((w) => /^\p{Lu}/u.test(w) || ROLE_WORDS.has(w.toLowerCase()) || TITLE_JOINERS.has(w.toLowerCase()) || w === 'and');
}

/** "his British counterpart, Rishi Sunak," → the phrase before the comma that precedes the name. */
function appositiveBefore(text: string, mentionStart: number, floor: number): DescriptionSpan | null {
  const before = text.slice(floor, mentionStart);
  const m = /(?:^|[\s(])((?:a|an|the|his|her|its|their)\s+[^,.;:“”"()]{2,120}?),\s*$/iu.exec(before);
  if (!m || !isNounPhrase(m[1]!)) return null;
  const start = floor + m.index + m[0].indexOf(m[1]!);
  return trimDescription(text, start, start + m[1]!.length);
}

/** "Chinese Foreign Ministry spokesperson Lin Jian" → the title run before the name. */
function titleBefore(text: string, mentionStart: number, floor: number): DescriptionSpan | null {
  const from = clauseStart(text, mentionStart, floor);
  const before = text.slice(from, mentionStart);
  const tokens = [...before.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'’.&-]*|&/gu)];
  let first = tokens.length;
  let sawRole = false;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const w = tokens[i]![0];
    // A title run has only spaces between its words: a comma or a quote ends it.
    if (i < tokens.length - 1) {
      const gap = before.slice(tokens[i]!.index! + w.length, tokens[i + 1]!.index!);
      if (gap.trim() !== '') break;
    }
    const lower = w.toLowerCase().replace(/[’']s$/, '');
    const isRole = ROLE_WORDS.has(lower);
    const isCapital = /^\p{Lu}/u.test(w);
    if (i === tokens.length - 1 && !isRole && !isCapital) return null;
    if (isRole || isCapital || (TITLE_JOINERS.has(lower) && i > 0 && /^\p{Lu}/u.test(tokens[i - 1]![0]))) {
      first = i;
      if (isRole) sawRole = true;
      continue;
    }
    // Up to two lower-case modifiers inside a title that a capitalised word opens ("Nigerian trade envoy").
    if (sawRole) {
      let j = i;
      while (j > i - 2 && j > 0 && /^\p{Ll}/u.test(tokens[j]![0]) && !STOP_WORDS.has(tokens[j]![0]) && before.slice(tokens[j - 1]!.index! + tokens[j - 1]![0].length, tokens[j]!.index!).trim() === '') j--;
      if (j < i && /^\p{Lu}/u.test(tokens[j]![0]) && j < i + 1) {
        first = j;
        i = j;
        continue;
      }
    }
    break;
  }
  // A capitalised sentence adverb or function word opening the clause is not part of the title ("Meanwhile Lib Dem leader").
  while (first < tokens.length - 1 && (STOP_WORDS.has(tokens[first]![0].toLowerCase()) || SENTENCE_ADVERBS.has(tokens[first]![0].toLowerCase()))) first++;
  if (!sawRole || first >= tokens.length) return null;
  // The run must end right before the name (only white space between).
  const last = tokens[tokens.length - 1]!;
  if (before.slice(last.index! + last[0].length).trim() !== '') return null;
  const start = from + tokens[first]!.index!;
  const end = from + last.index! + last[0].length;
  return trimDescription(text, start, end);
}

/** "NAME is a Defence & Aerospace analyst and is the Director of …" → each predicate. */
function copulaAfter(text: string, mentionEnd: number, limit: number): DescriptionSpan[] {
  const out: DescriptionSpan[] = [];
  const rest = text.slice(mentionEnd, limit);
  const re = /(?:^|\s+and)\s+(?:is|was|has been|serves as|served as)\s+((?:a|an|the|his|her|also a|also the|now a|now the|currently a|currently the)\s+[^,.;:()]{2,120}?|\p{Lu}[^,.;:()]{1,120}?)(?=,|\.|;|\s*\(|\s+and\s+(?:is|was|has)\b|$)/gu;
  let expected = 0;
  for (const m of rest.matchAll(re)) {
    if (m.index !== expected) break;
    const start = mentionEnd + m.index + m[0].indexOf(m[1]!);
    const d = trimDescription(text, start, start + m[1]!.length);
    if (d) out.push(d);
    expected = m.index + m[0].length;
  }
  return out;
}

/** "He is Consulting Editor …" right after a person's own sentence → a copula about them. */
function pronounCopulas(text: string, personEnd: number, limit: number): DescriptionSpan[] {
  const rest = text.slice(personEnd, limit);
  // The next sentence must open with the pronoun (in any block: a bio is not split into sentences elsewhere).
  const m = /[.!?]["”’)]*\s+(He|She)\b/.exec(rest);
  if (!m || rest.slice(0, m.index).search(/[.!?]\s/) !== -1) return [];
  return copulaAfter(text, personEnd + m.index + m[0].length, limit);
}

interface Limits {
  floor: number;
  limit: number;
}

/** The block (paragraph, headline or bio) holding an offset, as bounds for the patterns. */
function blockBounds(document: CorpusDocument, offset: number): Limits | null {
  for (const b of document.blocks) if (offset >= b.start && offset < b.end) return { floor: b.start, limit: b.end };
  return null;
}

const ANALYSED_ROLES = new Set(['content', 'headline', 'bio']);

/**
 * Groups a document's entity mentions into entities with aliases and
 * descriptions. `spans` are the NER's mentions over the whole text; those in
 * page furniture (other than the headline and an author's bio) are dropped.
 */
export function documentEntities(document: CorpusDocument, spans: readonly EntitySpan[]): DocumentEntity[] {
  const { text } = document;
  const kept = spans.filter((s) => {
    const block = document.blocks.find((b) => s.start >= b.start && s.start < b.end);
    return block !== undefined && ANALYSED_ROLES.has(block.role);
  });

  // Full names first (most tokens first), then one-word mentions attach to them.
  const byKey = new Map<string, DocumentEntity>();
  const kindVotes = new Map<DocumentEntity, Map<EntityKind, number>>();
  const ordered = kept.map((s) => ({ span: s, clean: cleanMention(text, s) })).filter((m) => m.clean.text.length > 1);
  ordered.sort((a, b) => tokensOf(b.clean.text).length - tokensOf(a.clean.text).length || a.span.start - b.span.start);
  for (const { span, clean } of ordered) {
    const key = nameKey(clean.text);
    if (!key) continue;
    let entity = byKey.get(key);
    if (!entity && span.kind === 'person' && !key.includes(' ')) {
      // A lone word: the person in this document whose full name begins or ends with it.
      const candidates = [...byKey.values()].filter((e) => e.kind === 'person' && tokensOf(e.name).length > 1 && (tokensOf(e.name).at(-1) === key || tokensOf(e.name)[0] === key));
      if (candidates.length === 1) {
        entity = candidates[0]!;
        if (!entity.aliases.includes(clean.text)) entity.aliases.push(clean.text);
      }
    }
    if (!entity && span.kind === 'organization') {
      // "Kyodo News" within "Kyodo News Agency", or an acronym of a longer name.
      entity = [...byKey.values()].find((e) => e.kind === 'organization' && (nameKey(e.name).startsWith(`${key} `) || acronymOf(e.name) === key));
      if (entity && !entity.aliases.includes(clean.text)) entity.aliases.push(clean.text);
    }
    if (!entity) {
      entity = { name: clean.text, kind: span.kind, aliases: [], mentions: [], descriptions: [] };
      byKey.set(key, entity);
    }
    entity.mentions.push(clean);
    const votes = kindVotes.get(entity) ?? new Map<EntityKind, number>();
    votes.set(span.kind, (votes.get(span.kind) ?? 0) + 1);
    kindVotes.set(entity, votes);
  }

  // Parenthesised acronyms after a name: "Korean Central News Agency (KCNA)".
  for (const entity of new Set(byKey.values())) {
    for (const mention of entity.mentions) {
      const m = /^\s*\(([A-Z][A-Z0-9&.-]{1,9})\)/.exec(text.slice(mention.end, mention.end + 14));
      if (m && !entity.aliases.includes(m[1]!) && nameKey(m[1]!) !== nameKey(entity.name)) entity.aliases.push(m[1]!);
    }
  }

  const entities = [...new Set(byKey.values())];
  for (const entity of entities) {
    const votes = kindVotes.get(entity)!;
    entity.kind = [...votes.entries()].sort((a, b) => b[1] - a[1])[0]![0];
    entity.mentions.sort((a, b) => a.start - b.start);
    const seen = new Set<string>();
    for (const mention of entity.mentions) {
      const bounds = blockBounds(document, mention.start);
      if (!bounds) continue;
      const found = [
        appositiveAfter(text, mention.end, bounds.limit),
        entity.kind === 'person' ? appositiveBefore(text, mention.start, bounds.floor) : null,
        titleBefore(text, mention.start, bounds.floor),
        ...copulaAfter(text, mention.end, bounds.limit),
        ...pronounCopulas(text, mention.end, bounds.limit),
      ];
      for (const d of found) {
        if (!d || seen.has(`${d.start}:${d.end}`)) continue;
        seen.add(`${d.start}:${d.end}`);
        entity.descriptions.push(d);
      }
    }
    // The tagger may take a rare name for a place; a personal role says otherwise ("Aguilino, commander of …").
    if (entity.kind !== 'person' && entity.kind !== 'organization' && entity.descriptions.some((d) => words(d.text).some((w) => PERSON_ROLE_WORDS.has(w.toLowerCase())))) {
      entity.kind = 'person';
    }
  }
  return entities.sort((a, b) => a.mentions[0]!.start - b.mentions[0]!.start);
}

function acronymOf(name: string): string {
  return tokensOf(name)
    .filter((t) => !TITLE_JOINERS.has(t))
    .map((t) => t[0])
    .join('');
}

/**
 * The name each person mention refers to within one text: a one-word mention
 * is the full name in the same text that ends or begins with it, when exactly
 * one does; otherwise the mention's own words.
 */
export function personNames(spans: readonly EntitySpan[]): { start: number; end: number; text: string; name: string }[] {
  const people = spans.filter((s) => s.kind === 'person');
  const full = new Map<string, string>();
  for (const p of people) if (tokensOf(p.text).length > 1) full.set(nameKey(p.text), p.text);
  return people.map((p) => {
    const key = nameKey(p.text);
    let name = p.text;
    if (!key.includes(' ')) {
      const candidates = [...full.entries()].filter(([k]) => k.split(' ').at(-1) === key || k.split(' ')[0] === key);
      if (candidates.length === 1) name = candidates[0]![1];
    }
    return { start: p.start, end: p.end, text: p.text, name };
  });
}
