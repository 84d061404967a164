/**
 * The corpus's people, organisations and places, merged across documents, for
 * /who, autocomplete and speaker filters.
 *
 * A name is answered only by that name. An exact name or alias answers
 * (case, a leading "the", punctuation, diacritics and courtesy titles aside);
 * so does a single word that is the surname of exactly one person in the
 * corpus (and the first word of no one else's name), or the first word of
 * exactly one organisation. Anything else (a prefix, a misspelling, a surname
 * several people share, a first name) finds no match: the answer says the
 * name is not in the sources and suggests candidates. Autocomplete still
 * offers prefixes and near spellings.
 *
 * Merging, one document at a time (so adding a document needs no rebuild):
 * - the same full name is one entity; a person's name is also compared without
 *   a title glued before it ("Sen. Ana Ruiz"), without middle initials
 *   ("John F. Smith") and with common English nicknames read as the full
 *   first name ("Bill" = "William");
 * - two full names with the same surname and a shared role ("Prime Minister"
 *   in both) are one person, unless one document names both;
 * - a surname alone ("Austin said") is its own record, attached at lookup
 *   time to the one person whose surname it is, when exactly one is; so the
 *   answer never depends on the order documents arrived in, and a surname
 *   several people share is never given to one of them;
 * - organisations merge by name without a generic suffix ("Kyodo News
 *   Agency" = "Kyodo News"); an organisation named by generic words only
 *   ("Ministry of Defense") keeps the qualifier written before it ("Japan’s",
 *   "Chinese") as part of its name, so two countries' ministries stay apart.
 *
 * Every lookup goes through maps, sorted key arrays (prefixes) and a bigram
 * index of name words (bounded edit distance), never a scan of all entities.
 */
import type { CorpusDocument, EntityKind, EntityMatch, Excerpt, WhoResult } from '../types.js';
import { excerptOf } from '../corpus/document.js';
import { nameKey, ROLE_WORDS, type DocumentEntity } from '../analysis/people.js';
import { sentencesIn } from './excerpts.js';
import { MAX_NAME_CHARS } from './limits.js';
import { runSteps, sortStringsSteps } from '../steps.js';
import { peekItem } from './peek.js';
import { Buckets } from './buckets.js';
import { detached } from '../corpus/detach.js';

/** At most this many descriptions and excerpts in an answer. */
const MAX_DESCRIPTIONS = 5;
const MAX_EXCERPTS = 3;
/** At most this many suggestions. */
const MAX_SUGGESTIONS = 5;
/** Near names looked at for a lookup's suggestions (several may share a display name). */
const SUGGESTION_POOL = 32;
/** Autocomplete: Discord allows 25 choices of at most 100 characters. */
export const MAX_COMPLETIONS = 25;
export const MAX_COMPLETION_CHARS = 100;
/** Names are cut to this many characters before any work (Discord's option limit). */
export { MAX_NAME_CHARS } from './limits.js';
/** At most this many words of a name are looked up one by one for suggestions. */
const MAX_QUERY_WORDS = 6;
/** Prefix scans stop after this many keys or words (a one-letter prefix matches thousands). */
const MAX_PREFIX_SCAN = 2000;
/** A set nobody may change (shared by many records). */
class ReadOnlySet<T> extends Set<T> {
  private sealed = false;
  constructor(items: readonly T[] = []) {
    super(items);
    this.sealed = true;
  }
  override add(item: T): this {
    if (this.sealed) throw new Error('sitrep: a shared set is read-only');
    return super.add(item);
  }
  override delete(): boolean {
    throw new Error('sitrep: a shared set is read-only');
  }
  override clear(): void {
    throw new Error('sitrep: a shared set is read-only');
  }
}
/**
 * The word aliases and roles of most records are empty: they share this set
 * until they get one, which keeps a set per record per list out of memory
 * at 100,000 records.
 */
const NO_STRINGS: Set<string> = new ReadOnlySet<string>();
/** A record's kinds: most records have one, and share its set; a second kind makes a set of their own. */
const NO_KINDS: Set<EntityKind> = new ReadOnlySet<EntityKind>();
const ONE_KIND = new Map<EntityKind, Set<EntityKind>>();
function withKind(kinds: Set<EntityKind>, kind: EntityKind): Set<EntityKind> {
  if (kinds.has(kind)) return kinds;
  if (kinds.size === 0) {
    let shared = ONE_KIND.get(kind);
    if (!shared) ONE_KIND.set(kind, (shared = new ReadOnlySet([kind])));
    return shared;
  }
  return new Set([...kinds, kind]);
}
/** Autocomplete keeps, for every name-key prefix this long or shorter, its best-ranked entities, this many. */
const PREFIX_TABLE_LENGTH = 3;
const PREFIX_TABLE_SIZE = 100;
/** Building in steps pauses after this many records, or documents. */
const STEP_RECORDS = 4000;
/** Records copied for a snapshot between pauses (a copy of one reads every occurrence, key and alias it has). */
const COPY_STEP_RECORDS = 1000;
const STEP_DOCUMENTS = 200;

/** A word shared by more entities than this is not used to rank suggestions by itself. */
const MAX_WORD_RECORDS = 400;
/** Suggestions look at most this many (word, entity) pairs per query word. */
const MAX_NEAR_VISITS = 1500;
/**
 * An answer reads each occurrence's entity (aliases, descriptions), parsed from the snapshot on first
 * read: the entities answering for at least this many mentions have their answers made in the
 * background after a start or a change (`answerSteps`), so no /who pays for thousands of them.
 */
const PREPARED_ANSWER_MENTIONS = 32;
/** Occurrences read between pauses while an answer is made in steps. */
const ANSWER_STEP = 64;
/** Answers folded from at least this many occurrences keep what they were made from (AnswerFacts). */
const KEPT_FACTS_OCCURRENCES = 32;

const KIND_CODES: readonly EntityKind[] = ['person', 'organization', 'place', 'other'];

/** Words glued before a person's name that are titles, not names ("Sen. Smith", "Chair Smith"). */
const NAME_TITLES = new Set(
  (
    'sen senator rep representative gov governor gen general adm admiral col colonel lt lieutenant capt captain cmdr commander ' +
    'sgt sergeant maj major chair chairman chairwoman chairperson president pres vice secretary sec minister premier speaker ' +
    'judge justice mayor prime chancellor ambassador amb pope king queen prince princess cllr councillor councilman councilwoman ' +
    'commissioner inspector detective det supt superintendent rev reverend fr father deputy attorney atty leader chief'
  ).split(' '),
);

/** Common English hypocorisms, read as the full first name for merging ("Bill Smith" = "William Smith"). */
const NICKNAMES: Record<string, string> = Object.fromEntries(
  (
    'bill:william billy:william will:william willy:william bob:robert bobby:robert rob:robert robbie:robert bert:robert ' +
    'mike:michael mick:michael mickey:michael jim:james jimmy:james jamie:james tom:thomas tommy:thomas dick:richard ' +
    'rick:richard rich:richard richie:richard ted:edward ed:edward eddie:edward ned:edward tony:anthony antony:anthony ' +
    'joe:joseph joey:joseph dan:daniel danny:daniel dave:david davy:david steve:stephen steven:stephen chris:christopher ' +
    'nick:nicholas nicky:nicholas pat:patrick sam:samuel sammy:samuel ben:benjamin benny:benjamin alex:alexander ' +
    'andy:andrew drew:andrew tim:timothy timmy:timothy matt:matthew greg:gregory ken:kenneth kenny:kenneth larry:lawrence ' +
    'jerry:gerald jack:john johnny:john jon:jonathan liz:elizabeth beth:elizabeth betsy:elizabeth betty:elizabeth ' +
    'kate:katherine katie:katherine kathy:katherine cathy:katherine catherine:katherine kathryn:katherine sue:susan ' +
    'susie:susan jenny:jennifer jen:jennifer maggie:margaret meg:margaret peggy:margaret pete:peter phil:philip ' +
    'ron:ronald ronnie:ronald don:donald donnie:donald fred:frederick freddie:frederick charlie:charles chuck:charles ' +
    'hank:henry jeff:jeffrey josh:joshua nate:nathan vince:vincent abe:abraham walt:walter wally:walter doug:douglas ' +
    'gene:eugene frank:francis frankie:francis geoff:geoffrey gerry:gerald hal:harold jo:josephine judy:judith ' +
    'mandy:amanda manny:emmanuel mandy:amanda nancy:ann annie:ann anne:ann tess:theresa terry:terence val:valerie ' +
    'vicky:victoria vic:victor zach:zachary'
  )
    .split(' ')
    .map((pair) => pair.split(':') as [string, string]),
);

/** Words an organisation's name may have without naming anyone in particular ("Ministry of Defense"). */
const GENERIC_ORG_WORDS = new Set(
  (
    'ministry department office agency command council committee commission parliament government cabinet army navy air ' +
    'force forces police coast guard embassy consulate foreign defense defence affairs interior finance treasury state ' +
    'justice health trade home central bank national security intelligence service services court supreme senate house ' +
    'assembly congress military marine marines corps general staff joint chiefs public federal republic royal education ' +
    'energy environment transport labour labor industry economy economic information media press spokesman spokesperson ' +
    'of the and for on'
  ).split(' '),
);

/** A qualifier written before a generic organisation: a possessive, a demonym or an acronym ("Japan’s", "Chinese", "US"). */
const QUALIFIER_BEFORE = /(?:^|[\s(“"])((?:\p{Lu}[\p{L}-]*[’']s)|(?:\p{Lu}[\p{L}-]*(?:ese|ian|an|ish|ch|i))|(?:\p{Lu}{2,5}))\s+$/u;

/** Determiners and the like: not the qualifier of a role ("the minister"). */
const NOT_ROLE_QUALIFIERS = new Set('a an the his her its their our this that former then now new current acting senior deputy'.split(' '));

/** Damerau–Levenshtein distance (optimal string alignment), bounded: returns max+1 when over. */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    let rowMin = Infinity;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = v;
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
  }
  return d[rows * cols - 1]!;
}

/** Generic trailing words of organisation names: "Kyodo News Agency" is "Kyodo News". */
const ORGANIZATION_SUFFIXES = /(?: (?:agency|corporation|corp|inc|ltd|co|company|group|limited|llc|plc))+$/;

export function organizationCore(key: string): string {
  const core = key.replace(ORGANIZATION_SUFFIXES, '');
  return core || key;
}

const firstWord = (key: string): string => key.slice(0, key.includes(' ') ? key.indexOf(' ') : key.length);
const lastWord = (key: string): string => key.slice(key.lastIndexOf(' ') + 1);

/** A person's name key without titles glued before it and without middle initials ("sen john f smith" → "john smith"). */
export function personCore(key: string): string {
  const tokens = key.split(' ');
  while (tokens.length > 1 && NAME_TITLES.has(tokens[0]!)) tokens.shift();
  if (tokens.length > 2) {
    const kept = [tokens[0]!, ...tokens.slice(1, -1).filter((t) => t.length > 1), tokens.at(-1)!];
    return kept.join(' ');
  }
  return tokens.join(' ');
}

/** The key two spellings of one person share: core name with a nickname read as the full first name. */
export function personMergeKey(key: string): string {
  const core = personCore(key);
  if (!core.includes(' ')) return core;
  const first = firstWord(core);
  const full = NICKNAMES[first];
  return full ? `${full}${core.slice(first.length)}` : core;
}

/** Role phrases of a description: a role word with the word before it ("prime minister") or after "of" ("secretary of defense"). */
export function roleKeys(description: string): string[] {
  const ws = description.toLowerCase().split(/[^\p{L}]+/u).filter(Boolean);
  const out: string[] = [];
  ws.forEach((w, i) => {
    if (!ROLE_WORDS.has(w)) return;
    const prev = ws[i - 1];
    if (prev && !NOT_ROLE_QUALIFIERS.has(prev) && !ROLE_WORDS.has(prev)) out.push(`${prev} ${w}`);
    if (ws[i + 1] === 'of' && ws[i + 2] && ws[i + 2] !== 'the') out.push(`${w} of ${ws[i + 2]}`);
    else if (ws[i + 1] === 'of' && ws[i + 2] === 'the' && ws[i + 3]) out.push(`${w} of ${ws[i + 3]}`);
  });
  return out;
}

function isGenericOrganization(key: string): boolean {
  return key.split(' ').every((w) => GENERIC_ORG_WORDS.has(w));
}

/** Content-word initials of an organisation's key: "korean central news agency" → "kcna". */
function acronymOf(key: string): string {
  return key
    .split(' ')
    .filter((t) => t !== 'of' && t !== 'for' && t !== 'and' && t !== 'the' && t !== 'on' && t !== 'at')
    .map((t) => t[0])
    .join('');
}

/**
 * An acronym of a name: the initials of its words ("KCNA"), or capitals whose
 * letters run in order through the name from its first letter ("USHA" for
 * "US Harbour Authority"); never one of the name's own words ("US").
 */
function isAcronymOf(alias: string, key: string): boolean {
  const aliasKey = nameKey(alias);
  if (aliasKey === acronymOf(key)) return true;
  if (!/^\p{Lu}[\p{Lu}\d&.-]{1,9}$/u.test(alias) || aliasKey.includes(' ') || key.split(' ').includes(aliasKey)) return false;
  const letters = key.replace(/ /g, '');
  if (letters[0] !== aliasKey[0]) return false;
  let at = 0;
  for (const ch of aliasKey) {
    at = letters.indexOf(ch, at);
    if (at < 0) return false;
    at++;
  }
  return true;
}

/** Whether a name key of several words is what an acronym stands for ("british telecom" for "bt"; not "eu us" for "eu"). */
function spellsOut(key: string, acronym: string): boolean {
  return key.includes(' ') && acronymOf(key) === acronym && !key.split(' ').includes(acronym);
}

interface Occurrence {
  docIndex: number;
  /** Position of the entity in its document's list (for snapshots). */
  entityIndex: number;
  /** The document's entity (revived from a snapshot: read from the document's analysis when first asked for). */
  readonly entity: DocumentEntity;
  /** How many mentions the entity has in its document. */
  mentions: number;
  /** The name as this document writes it (a generic organisation with its qualifier: "Japan’s Ministry of Defense"). */
  name: string;
  /** The entity's kind, or person where the text puts a courtesy title before a one-word name ("Ms Berg"). */
  kind: EntityKind;
}

interface EntityRecord {
  id: number;
  /** Kind of the first occurrence; the answer's kind is the mention vote. */
  kind: EntityKind;
  /** A one-word person name ("Austin"): attached at lookup time to the one person it can be. */
  lone: boolean;
  /** Exact lookup keys (name keys of full names and accepted aliases), distinct, in the order they came (an array: records are many and their keys few). */
  keys: string[];
  /** One-word aliases the documents use for this person ("Song" for Song Zhongping). */
  wordAliases: Set<string>;
  roles: Set<string>;
  occurrences: Occurrence[];
  /** The kinds its occurrences have. */
  kinds: Set<EntityKind>;
  mentions: number;
  live: boolean;
}

export interface EntityRef {
  id: number;
  name: string;
}

/** The outcome of looking a name up: the entity it names, or none with candidates. */
export interface NameLookup {
  query: string;
  match: EntityRef | null;
  suggestions: string[];
  /** Set when the name was changed before looking it up (cut to MAX_NAME_CHARS). */
  notes?: string[];
}

/**
 * The entity index in a form that needs no parsing: typed arrays and string
 * tables. Records are rows; their occurrences, keys, word aliases and roles
 * are ranges (CSR offsets) into flat arrays.
 */
/**
 * An occurrence revived from a snapshot: what the table needs is saved with
 * it; the document's entity itself (mentions, descriptions) is read from the
 * document's analysis only when an answer needs it, so the table does not
 * hold every document's analysis.
 */
class SavedOccurrence implements Occurrence {
  constructor(
    private source: readonly (readonly DocumentEntity[])[],
    readonly docIndex: number,
    readonly entityIndex: number,
    readonly name: string,
    readonly kind: EntityKind,
    readonly mentions: number,
  ) {}

  get entity(): DocumentEntity {
    const entity = this.source[this.docIndex]?.[this.entityIndex];
    if (!entity) throw new Error(`entity snapshot does not fit the analyses: document ${this.docIndex}, entity ${this.entityIndex}`);
    return entity;
  }

  /** Reads the entity from another list holding the same analyses (EntityIndex.rebase). */
  readFrom(source: readonly (readonly DocumentEntity[])[]): void {
    this.source = source;
  }

  /** The entity, parsed for this read without being kept where the list allows it (src/engine/peek.ts). */
  peekEntity(): DocumentEntity {
    const list = this.source[this.docIndex];
    const entity = list && peekItem(list, this.entityIndex);
    if (!entity) throw new Error(`entity snapshot does not fit the analyses: document ${this.docIndex}, entity ${this.entityIndex}`);
    return entity;
  }
}

/** An occurrence's entity; one revived from a snapshot is read without keeping it parsed (answers fold what they need). */
function entityOf(occurrence: Occurrence): DocumentEntity {
  return occurrence instanceof SavedOccurrence ? occurrence.peekEntity() : occurrence.entity;
}

/**
 * What an answer is made from, folded occurrence by occurrence in document order. Kept for the
 * entities with many occurrences, so that after documents are appended an answer folds in their
 * occurrences only (the entities of 6,000 documents are not read again for /who US).
 */
interface AnswerFacts {
  /** The display name's key when folded (an alias equal to it is not listed). */
  key: string;
  /** The record's key count when folded (an organisation lists an alias once it is one of its keys). */
  keys: number;
  /** Member records in order, each with the occurrence list folded and how much of it. */
  members: { id: number; list: readonly Occurrence[]; count: number }[];
  lastDocIndex: number;
  aliases: Set<string>;
  kindVotes: Map<EntityKind, number>;
  descriptions: Map<string, { docIndex: number; start: number; end: number; count: number; order: number }>;
  excerpts: Excerpt[];
  documents: string[];
  mentions: number;
}

export interface EntityIndexSnapshot {
  version: 1;
  /** Per record: KIND_CODES index, and 1 when lone. */
  kinds: Uint8Array;
  lone: Uint8Array;
  live: Uint8Array;
  occurrenceStart: Int32Array;
  occurrenceDoc: Int32Array;
  occurrenceEntity: Int32Array;
  occurrenceName: string[];
  occurrenceKind: Uint8Array;
  occurrenceMentions: Int32Array;
  keyStart: Int32Array;
  keys: string[];
  wordAliasStart: Int32Array;
  wordAliases: string[];
  roleStart: Int32Array;
  roles: string[];
}

/** Insert into a sorted array of distinct strings (binary search; no re-sort). */
function insertSorted(array: string[], value: string): void {
  let lo = 0;
  let hi = array.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (array[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  if (array[lo] !== value) array.splice(lo, 0, value);
}

function lowerBound(array: readonly string[], value: string): number {
  let lo = 0;
  let hi = array.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (array[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A record that changed the record it answers through (`from` undefined: new). */
interface Move {
  record: EntityRecord;
  from: number | undefined;
  to: number;
}

/** First position in `sorted` (in `order`) whose value comes after `value`. */
function upperBound(sorted: readonly number[], value: number, order: (a: number, b: number) => number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (order(sorted[mid]!, value) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Two lists sorted in `order`, merged. */
function mergeSorted(a: readonly number[], b: readonly number[], order: (x: number, y: number) => number): number[] {
  if (b.length === 0) return a as number[];
  const out = new Array<number>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = order(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

/** Takes `record` out of the list under `key`. */
function removeFrom(map: Map<number, EntityRecord[]>, key: number, record: EntityRecord): void {
  const list = map.get(key);
  const at = list ? list.indexOf(record) : -1;
  if (at < 0) return;
  list!.splice(at, 1);
  if (list!.length === 0) map.delete(key);
}

function bigrams(word: string): string[] {
  const padded = `^${word}$`;
  const out: string[] = [];
  for (let i = 0; i + 2 <= padded.length; i++) out.push(padded.slice(i, i + 2));
  return out;
}

/** What one document's entity contributes: its written name and the keys it is found by. */
interface Facts {
  name: string;
  kind: EntityKind;
  keys: string[];
  wordAliases: string[];
  roles: string[];
  lone: boolean;
}

/** A courtesy title right before a mention: "Ms Berg" is a person whatever the tagger said. */
const COURTESY_BEFORE = /(?:^|\s)(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame)\.?\s+$/;

function occurrenceFacts(entity: DocumentEntity, document: CorpusDocument | undefined): Facts {
  let name = entity.name;
  let key = nameKey(name);
  const keys: string[] = [];
  const wordAliases: string[] = [];
  const roles: string[] = [];
  let kind = entity.kind;
  if (kind !== 'person' && !key.includes(' ') && document && entity.mentions.some((m) => COURTESY_BEFORE.test(document.text.slice(Math.max(0, m.start - 8), m.start)))) kind = 'person';
  if (kind === 'person') {
    const core = personCore(key);
    const lone = !core.includes(' ');
    if (lone) return { name, kind, keys: [core], wordAliases, roles, lone: true };
    keys.push(key);
    if (core !== key) keys.push(core);
    for (const alias of entity.aliases) {
      const aliasKey = nameKey(alias);
      if (!aliasKey) continue;
      const aliasCore = personCore(aliasKey);
      if (aliasCore.includes(' ')) keys.push(aliasKey, aliasCore);
      else wordAliases.push(aliasCore);
    }
    for (const d of entity.descriptions) roles.push(...roleKeys(d.text));
    return { name, kind, keys: [...new Set(keys)], wordAliases: [...new Set(wordAliases)], roles: [...new Set(roles)], lone: false };
  }
  if (kind === 'organization' && isGenericOrganization(key) && document) {
    const qualified = qualifiedName(entity, document);
    if (qualified) {
      name = qualified;
      key = nameKey(name);
    }
  }
  keys.push(key);
  if (kind === 'organization') {
    keys.push(organizationCore(key));
    for (const alias of entity.aliases) {
      // An acronym or the name without its suffix is the organisation; a first word ("US" of "US Marine Corps") is not.
      const aliasKey = nameKey(alias);
      if (aliasKey && (isAcronymOf(alias, key) || aliasKey === organizationCore(key))) keys.push(aliasKey);
    }
  } else {
    for (const alias of entity.aliases) {
      const aliasKey = nameKey(alias);
      if (aliasKey && isAcronymOf(alias, key)) keys.push(aliasKey);
    }
  }
  return { name, kind, keys: [...new Set(keys)], wordAliases, roles, lone: false };
}

/** "Japan’s Ministry of Defense": the qualifier written right before a generic organisation's first mention that has one. */
function qualifiedName(entity: DocumentEntity, document: CorpusDocument): string | null {
  for (const m of entity.mentions) {
    const before = document.text.slice(Math.max(0, m.start - 40), m.start);
    const q = QUALIFIER_BEFORE.exec(before);
    if (q && !/^(?:The|A|An|This|That|Its|His|Her|Their|Our)$/.test(q[1]!)) {
      const start = m.start - (before.length - before.lastIndexOf(q[1]!));
      return detached(document.text.slice(start, m.end));
    }
    const after = QUALIFIER_AFTER.exec(document.text.slice(m.end, m.end + 40));
    if (after) return detached(document.text.slice(m.start, m.end + after[0].length));
  }
  return null;
}

/** A country written after a generic organisation: "Foreign Ministry of China". */
const QUALIFIER_AFTER = /^ of (?:the )?\p{Lu}[\p{L}-]+(?: \p{Lu}[\p{L}-]+)?(?=[\s,.;:)”"]|$)/u;

/** A country's name or adjective reduced to a shared beginning: "China"/"Chinese" → "chin", "Japan’s" → "japan". */
function qualifierStem(word: string): string {
  const m = /^(.{4,}?)(?:ese|ian|ans|an|ish|i|a)$/.exec(word);
  return m ? m[1]! : word;
}

/** A generic organisation with its qualifier, read from a key: "chinese foreign ministry", "foreign ministry of china". */
export function parseQualified(key: string): { stem: string; generic: string } | null {
  const tokens = key.split(' ');
  let qualifier = tokens[0]!;
  let rest = tokens.slice(1);
  if (rest[0] === 's') rest = rest.slice(1);
  if (rest.length > 0 && !GENERIC_ORG_WORDS.has(qualifier) && isGenericOrganization(rest.join(' ')) && rest.at(-1) !== 'of') return { stem: qualifierStem(qualifier), generic: rest.join(' ') };
  const of = tokens.lastIndexOf('of');
  if (of > 0 && of >= tokens.length - 3) {
    const head = tokens.slice(0, of).join(' ');
    const tail = tokens.slice(of + 1).filter((t) => t !== 'the');
    if (tail.length >= 1 && tail.length <= 2 && tail.every((t) => !GENERIC_ORG_WORDS.has(t)) && isGenericOrganization(head)) {
      qualifier = tail.join('');
      return { stem: qualifierStem(qualifier), generic: head };
    }
  }
  return null;
}

const sameStem = (a: string, b: string): boolean => Math.min(a.length, b.length) >= 4 && (a.startsWith(b) || b.startsWith(a));

function kindsOf(record: EntityRecord): EntityKind[] {
  return [...record.kinds];
}

export class EntityIndex {
  private readonly records: EntityRecord[] = [];
  private documents: readonly CorpusDocument[];
  /** Exact keys → records. */
  private readonly byKey = new Buckets<string, EntityRecord>();
  /** One-word person names → their (lone) record. */
  private readonly loneByWord = new Map<string, EntityRecord>();
  private readonly personLast = new Buckets<string, EntityRecord>();
  private readonly personFirst = new Buckets<string, EntityRecord>();
  private readonly personWordAlias = new Buckets<string, EntityRecord>();
  private readonly personMerge = new Buckets<string, EntityRecord>();
  private readonly organizationFirst = new Buckets<string, EntityRecord>();
  private readonly organizationCore = new Map<string, EntityRecord>();
  /** Generic organisations with a qualifier, by their generic words ("foreign ministry" → Chinese…, of China…). */
  private readonly qualifiedOrganizations = new Buckets<string, EntityRecord>();
  private readonly recordsByDoc = new Buckets<number, EntityRecord>();
  /** Sorted distinct keys (prefix search) and name words (prefix and spelling). */
  private sortedKeysArray: string[] = [];
  private sortedWordsArray: string[] = [];
  /** Keys and words not yet in the sorted arrays (sorted in on the next prefix lookup). */
  private pendingKeys: string[] = [];
  private pendingWords: string[] = [];
  private readonly knownKeys = new Set<string>();
  private readonly wordRecords = new Buckets<string, EntityRecord>();
  private readonly wordBigrams = new Map<string, string[]>();
  private readonly knownWords = new Set<string>();
  /**
   * Per record id: the record answering for it, and the mentions it adds to
   * that record's total. Kept up to date incrementally: a change marks the
   * words it touched, and only records named by those words are looked at again.
   */
  private readonly canon: number[] = [];
  private readonly contributed: number[] = [];
  private readonly totals: number[] = [];
  private readonly dirtyWords = new Set<string>();
  private readonly dirtyRecords = new Set<EntityRecord>();
  private ranked: number[] | null = null;
  /** Set by a removal (keys and liveness can go): the next settle ranks, attaches and fills the prefix table anew. */
  private structural = false;
  private attached: { ranked: number[]; byCanonical: Map<number, EntityRecord[]> } | null = null;
  private prefixes: { ranked: number[]; table: Map<string, { ids: number[]; full: boolean }> } | null = null;
  private readonly matchCache = new Map<number, EntityMatch>();
  private readonly answerFacts = new Map<number, AnswerFacts>();
  private readonly nameCache = new Map<number, string>();
  /** Counts changes (documents added, removed or replaced): an answer made in steps across a change is not kept. */
  private version = 0;

  constructor(documents: readonly CorpusDocument[], entitiesByDoc: readonly (readonly DocumentEntity[])[] = []) {
    this.documents = documents;
    entitiesByDoc.forEach((entities, docIndex) => this.add(docIndex, documents[docIndex]!, entities));
  }

  /**
   * Points the table at the same documents read from a snapshot, and their entities at the saved
   * lists (`source[docIndex][entityIndex]`, the analyses the table was built from): no answer changes,
   * and what the table held of the documents and analyses it was built from is let go.
   */
  rebase(documents: readonly CorpusDocument[], source: readonly (readonly DocumentEntity[])[]): void {
    if (documents.length !== this.documents.length) throw new Error('EntityIndex.rebase: another number of documents');
    this.documents = documents;
    for (const record of this.records) {
      const { occurrences } = record;
      for (let k = 0; k < occurrences.length; k++) {
        const o = occurrences[k]!;
        if (o instanceof SavedOccurrence) o.readFrom(source);
        else occurrences[k] = new SavedOccurrence(source, o.docIndex, o.entityIndex, o.name, o.kind, o.mentions);
      }
    }
  }

  /** The documents the index cites (the same array the engine holds; `add` may extend it). */
  setDocuments(documents: readonly CorpusDocument[]): void {
    const before = this.documents;
    this.documents = documents;
    this.version++;
    // Answers cite their documents: only those of entities in a document replaced (other paths) are made again.
    // Documents appended leave the others' answers as they are (the entities they touch are marked by add).
    if (documents.length < before.length) {
      this.matchCache.clear();
      this.answerFacts.clear();
      return;
    }
    for (let i = 0; i < before.length; i++) {
      if (before[i] === documents[i]) continue;
      for (const record of this.recordsByDoc.get(i)) {
        for (const id of [record.id, this.canon[record.id]]) {
          if (id === undefined) continue;
          this.matchCache.delete(id);
          this.answerFacts.delete(id);
        }
      }
    }
  }

  get size(): number {
    return this.rankedIds().length;
  }

  // ---------------------------------------------------------------- building

  /**
   * Adds one document's entities, merging through the lookup tables (no
   * rebuild). `document` is the document at `docIndex` (kept for citations).
   * Adding the documents one by one gives the same answers as building all.
   */
  add(docIndex: number, document: CorpusDocument, entities: readonly DocumentEntity[], source?: readonly (readonly DocumentEntity[])[]): void {
    this.version++;
    if (this.documents[docIndex] !== document) {
      const documents = [...this.documents];
      documents[docIndex] = document;
      this.documents = documents;
    }
    entities.forEach((entity, entityIndex) => {
      if (!nameKey(entity.name) || entity.mentions.length === 0) return;
      const facts = occurrenceFacts(entity, document);
      const record = this.recordFor(facts, docIndex) ?? this.newRecord(facts.kind, facts.lone);
      const newKind = !record.kinds.has(facts.kind);
      record.kinds = withKind(record.kinds, facts.kind);
      record.occurrences.push(
        // From a list that can be read again (a table built over every document): the entity is read from it when an answer needs it, not kept.
        source
          ? new SavedOccurrence(source, docIndex, entityIndex, facts.name, facts.kind, entity.mentions.length)
          : { docIndex, entityIndex, entity, mentions: entity.mentions.length, name: facts.name, kind: facts.kind },
      );
      record.mentions += entity.mentions.length;
      // Every key of a record is found under every kind its occurrences have (a name the tagger read two ways).
      if (newKind) this.register(record, [...record.keys], [], [], [facts.kind]);
      this.register(record, facts.keys, facts.wordAliases, facts.roles, kindsOf(record));
      this.recordsByDoc.add(docIndex, record);
    });
  }

  /** Removes everything one document contributed (its entities leave; merges they caused stay). */
  remove(docIndex: number): void {
    if (!this.recordsByDoc.has(docIndex)) return;
    const records = [...this.recordsByDoc.get(docIndex)];
    this.version++;
    this.structural = true;
    this.recordsByDoc.delete(docIndex);
    for (const record of records) {
      this.unregister(record);
      record.occurrences = record.occurrences.filter((o) => o.docIndex !== docIndex);
      record.kinds = record.occurrences.reduce((kinds, o) => withKind(kinds, o.kind), NO_KINDS);
      record.mentions = record.occurrences.reduce((n, o) => n + o.mentions, 0);
      if (record.occurrences.length === 0) {
        record.live = false;
        continue;
      }
      const kinds = kindsOf(record);
      for (const o of record.occurrences) {
        const facts = occurrenceFacts(entityOf(o), this.documents[o.docIndex]);
        this.register(record, facts.keys, facts.wordAliases, facts.roles, kinds);
      }
    }
  }

  private newRecord(kind: EntityKind, lone: boolean): EntityRecord {
    const record: EntityRecord = { id: this.records.length, kind, lone, keys: [], wordAliases: NO_STRINGS, roles: NO_STRINGS, occurrences: [], kinds: NO_KINDS, mentions: 0, live: true };
    this.records.push(record);
    return record;
  }

  /** The existing record one document's entity joins, if any. */
  private recordFor(facts: Facts, docIndex: number): EntityRecord | undefined {
    if (facts.lone) {
      const existing = this.loneByWord.get(facts.keys[0]!);
      return existing?.live ? existing : undefined;
    }
    const key = facts.keys[0]!;
    const single = !key.includes(' ');
    for (const r of this.byKey.get(key)) {
      // A one-word name is a person's only through its lone record; other kinds share one-word names.
      if (r.live && !r.lone && !(single && (r.kind === 'person') !== (facts.kind === 'person'))) return r;
    }
    if (facts.kind === 'person') {
      const mergeKey = personMergeKey(key);
      for (const r of this.personMerge.get(mergeKey)) if (r.live && !this.sharesDocument(r, docIndex)) return r;
      // A variant spelling: same surname, a shared role, never both named in one document.
      if (facts.roles.length > 0) {
        for (const r of this.personLast.get(lastWord(personCore(key)))) {
          if (r.live && !this.sharesDocument(r, docIndex) && facts.roles.some((role) => r.roles.has(role))) return r;
        }
      }
    }
    if (facts.kind === 'organization') {
      const r = this.organizationCore.get(organizationCore(key));
      if (r?.live) return r;
      // "Chinese Foreign Ministry" and "Foreign Ministry of China": the same generic words, the same country.
      const q = parseQualified(key);
      if (q) {
        for (const other of this.qualifiedOrganizations.get(q.generic)) {
          if (other.live && other.keys.some((k) => { const p = parseQualified(k); return p !== null && p.generic === q.generic && sameStem(p.stem, q.stem); })) return other;
        }
      }
    }
    return undefined;
  }

  private sharesDocument(record: EntityRecord, docIndex: number): boolean {
    return this.recordsByDoc.contains(docIndex, record);
  }

  private register(record: EntityRecord, keys: readonly string[], wordAliases: readonly string[], roles: readonly string[], kinds: readonly EntityKind[]): void {
    this.dirtyRecords.add(record);
    for (const key of keys) {
      this.markDirty(key);
      if (!record.keys.includes(key)) {
        // A new array of the exact size (concat makes one; push and spread leave room for 16 more, 130 bytes a record).
        record.keys = record.keys.concat(key);
        if (record.lone) this.loneByWord.set(key, record);
        else this.byKey.add(key, record);
        if (!this.knownKeys.has(key)) {
          this.knownKeys.add(key);
          this.pendingKeys.push(key);
        }
        for (const w of key.split(' ')) this.indexWord(w, record);
      }
      if (record.lone) continue;
      if (kinds.includes('person')) {
        this.personLast.add(lastWord(key), record);
        this.personFirst.add(firstWord(key), record);
        this.personMerge.add(personMergeKey(key), record);
      }
      if (kinds.includes('organization')) {
        if (key.includes(' ')) this.organizationFirst.add(firstWord(key), record);
        if (!this.organizationCore.get(organizationCore(key))?.live) this.organizationCore.set(organizationCore(key), record);
        const q = parseQualified(key);
        if (q) this.qualifiedOrganizations.add(q.generic, record);
      }
    }
    for (const w of wordAliases) {
      this.dirtyWords.add(w);
      if (record.wordAliases === NO_STRINGS) record.wordAliases = new Set();
      record.wordAliases.add(w);
      this.personWordAlias.add(w, record);
    }
    for (const role of roles) {
      if (record.roles === NO_STRINGS) record.roles = new Set();
      record.roles.add(role);
    }
  }

  private unregister(record: EntityRecord): void {
    this.dirtyRecords.add(record);
    for (const w of record.wordAliases) this.dirtyWords.add(w);
    for (const key of record.keys) {
      this.markDirty(key);
      if (record.lone) {
        if (this.loneByWord.get(key) === record) this.loneByWord.delete(key);
      } else this.byKey.remove(key, record);
      this.personLast.remove(lastWord(key), record);
      this.personFirst.remove(firstWord(key), record);
      this.personMerge.remove(personMergeKey(key), record);
      this.organizationFirst.remove(firstWord(key), record);
      if (this.organizationCore.get(organizationCore(key)) === record) this.organizationCore.delete(organizationCore(key));
      const q = parseQualified(key);
      if (q) this.qualifiedOrganizations.remove(q.generic, record);
      for (const w of key.split(' ')) this.wordRecords.remove(w, record);
    }
    for (const w of record.wordAliases) this.personWordAlias.remove(w, record);
    record.keys = [];
    record.wordAliases = NO_STRINGS;
    record.roles = NO_STRINGS;
  }

  private indexWord(word: string, record: EntityRecord): void {
    if (!word) return;
    this.wordRecords.add(word, record);
    if (this.knownWords.has(word)) return;
    this.knownWords.add(word);
    this.pendingWords.push(word);
    // Postings by bigram and word length, so a lookup reads only words of a length within reach.
    for (const g of new Set(bigrams(word))) {
      const posting = `${g}|${word.length}`;
      let list = this.wordBigrams.get(posting);
      if (!list) this.wordBigrams.set(posting, (list = []));
      list.push(word);
    }
  }

  /** A sorted array with pending entries merged in: a few by binary insertion, many by one sort. */
  private static settle(sorted: string[], pending: string[]): string[] {
    if (pending.length === 0) return sorted;
    if (pending.length < 64) {
      for (const value of pending) insertSorted(sorted, value);
      return sorted;
    }
    return sorted.concat(pending).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /**
   * Merges the pending keys and words into their sorted arrays in steps: what the first lookup by
   * prefix or spelling would otherwise do at once (300–400 ms at BBC ×10, on an autocomplete).
   */
  private *sortSteps(): Generator<void, void> {
    // Run while the table is being built, before anyone else reads it.
    if (this.pendingKeys.length >= 64) {
      const pending = this.pendingKeys;
      this.pendingKeys = [];
      this.sortedKeysArray = yield* sortStringsSteps(this.sortedKeysArray.concat(pending));
    }
    if (this.pendingWords.length >= 64) {
      const pending = this.pendingWords;
      this.pendingWords = [];
      this.sortedWordsArray = yield* sortStringsSteps(this.sortedWordsArray.concat(pending));
    }
  }

  private get sortedKeys(): string[] {
    this.sortedKeysArray = EntityIndex.settle(this.sortedKeysArray, this.pendingKeys);
    this.pendingKeys = [];
    return this.sortedKeysArray;
  }

  private get sortedWords(): string[] {
    this.sortedWordsArray = EntityIndex.settle(this.sortedWordsArray, this.pendingWords);
    this.pendingWords = [];
    return this.sortedWordsArray;
  }

  private markDirty(key: string): void {
    this.dirtyWords.add(key);
    this.dirtyWords.add(firstWord(key));
    this.dirtyWords.add(lastWord(key));
  }

  // ---------------------------------------------------------------- snapshots

  /** Counts the changes made to the table (a copy taken in steps is whole only if this did not move meanwhile). */
  get changeCount(): number {
    return this.version;
  }

  /** The index as typed arrays and string tables (cheap to write and read; no JSON of records). */
  toSnapshot(): EntityIndexSnapshot {
    return runSteps(this.toSnapshotSteps());
  }

  /**
   * `toSnapshot` in steps, pausing every COPY_STEP_RECORDS records (the whole table at BBC ×10 takes
   * about 80 ms). The table must not change meanwhile: the caller compares `changeCount` before and after.
   */
  *toSnapshotSteps(): Generator<void, EntityIndexSnapshot> {
    const n = this.records.length;
    // Sized first, then filled: typed arrays written in place (lists of 400,000 numbers made and
    // converted at BBC ×10 held the event loop for a full collection of the garbage).
    let occurrences = 0;
    for (let i = 0; i < n; i++) occurrences += this.records[i]!.occurrences.length;
    const kinds = new Uint8Array(n);
    const lone = new Uint8Array(n);
    const live = new Uint8Array(n);
    const occurrenceStart = new Int32Array(n + 1);
    const keyStart = new Int32Array(n + 1);
    const wordAliasStart = new Int32Array(n + 1);
    const roleStart = new Int32Array(n + 1);
    const occurrenceDoc = new Int32Array(occurrences);
    const occurrenceEntity = new Int32Array(occurrences);
    const occurrenceName = new Array<string>(occurrences);
    const occurrenceKind = new Uint8Array(occurrences);
    const occurrenceMentions = new Int32Array(occurrences);
    const keys: string[] = [];
    const wordAliases: string[] = [];
    const roles: string[] = [];
    let at = 0;
    for (let i = 0; i < n; i++) {
      if (i % COPY_STEP_RECORDS === COPY_STEP_RECORDS - 1) yield;
      const r = this.records[i]!;
      kinds[i] = KIND_CODES.indexOf(r.kind);
      lone[i] = r.lone ? 1 : 0;
      live[i] = r.live ? 1 : 0;
      for (const o of r.occurrences) {
        occurrenceDoc[at] = o.docIndex;
        occurrenceEntity[at] = o.entityIndex;
        occurrenceName[at] = o.name;
        occurrenceKind[at] = KIND_CODES.indexOf(o.kind);
        occurrenceMentions[at] = o.mentions;
        at++;
      }
      for (const key of r.keys) keys.push(key);
      for (const alias of r.wordAliases) wordAliases.push(alias);
      for (const role of r.roles) roles.push(role);
      occurrenceStart[i + 1] = at;
      keyStart[i + 1] = keys.length;
      wordAliasStart[i + 1] = wordAliases.length;
      roleStart[i + 1] = roles.length;
    }
    return {
      version: 1,
      kinds,
      lone,
      live,
      occurrenceStart,
      occurrenceDoc,
      occurrenceEntity,
      occurrenceName,
      occurrenceKind,
      occurrenceMentions,
      keyStart,
      keys,
      wordAliasStart,
      wordAliases,
      roleStart,
      roles,
    };
  }

  /** Rebuilds an index from a snapshot over the same documents and per-document entities, without merging again. */
  static fromSnapshot(snapshot: EntityIndexSnapshot, documents: readonly CorpusDocument[], entitiesByDoc: readonly (readonly DocumentEntity[])[]): EntityIndex {
    return runSteps(EntityIndex.fromSnapshotSteps(snapshot, documents, entitiesByDoc));
  }

  /** `fromSnapshot` in steps (a generator that pauses every few thousand records), for callers that yield to the event loop between them. */
  static *fromSnapshotSteps(snapshot: EntityIndexSnapshot, documents: readonly CorpusDocument[], entitiesByDoc: readonly (readonly DocumentEntity[])[]): Generator<void, EntityIndex> {
    const index = new EntityIndex(documents);
    const n = snapshot.kinds.length;
    // One string per distinct written name (the saved list repeats "Blair" in every document that names him).
    const names = new Map<string, string>();
    for (let i = 0; i < n; i++) {
      if (i % STEP_RECORDS === STEP_RECORDS - 1) yield;
      const kind = KIND_CODES[snapshot.kinds[i]!] ?? 'other';
      const record = index.newRecord(kind, snapshot.lone[i] === 1);
      record.live = snapshot.live[i] === 1;
      for (let j = snapshot.occurrenceStart[i]!; j < snapshot.occurrenceStart[i + 1]!; j++) {
        const docIndex = snapshot.occurrenceDoc[j]!;
        if (docIndex < 0 || docIndex >= documents.length) throw new Error(`entity snapshot does not fit the documents: document ${docIndex}`);
        const occurrenceKind = KIND_CODES[snapshot.occurrenceKind[j]!] ?? 'other';
        const mentions = snapshot.occurrenceMentions[j]!;
        const written = snapshot.occurrenceName[j]!;
        let name = names.get(written);
        if (name === undefined) names.set(written, (name = written));
        record.occurrences.push(new SavedOccurrence(entitiesByDoc, docIndex, snapshot.occurrenceEntity[j]!, name, occurrenceKind, mentions));
        record.kinds = withKind(record.kinds, occurrenceKind);
        record.mentions += mentions;
        index.recordsByDoc.add(docIndex, record);
      }
      if (!record.live) continue;
      index.register(
        record,
        snapshot.keys.slice(snapshot.keyStart[i]!, snapshot.keyStart[i + 1]!),
        snapshot.wordAliases.slice(snapshot.wordAliasStart[i]!, snapshot.wordAliasStart[i + 1]!),
        snapshot.roles.slice(snapshot.roleStart[i]!, snapshot.roleStart[i + 1]!),
        kindsOf(record),
      );
    }
    yield* index.compactSteps();
    yield* index.settleSteps();
    yield* index.sortSteps();
    yield* index.prefixTableSteps();
    return index;
  }

  /**
   * Occurrence lists cut to their size: a list grown by push keeps room for
   * more (about 130 bytes for a list of one, and most records have one).
   */
  private *compactSteps(): Generator<void, void> {
    for (let i = 0; i < this.records.length; i++) {
      if (i % STEP_RECORDS === STEP_RECORDS - 1) yield;
      const record = this.records[i]!;
      record.occurrences = record.occurrences.slice();
    }
  }

  /** A table over `entitiesByDoc`, built in steps (as the constructor builds it). */
  static *buildSteps(documents: readonly CorpusDocument[], entitiesByDoc: readonly (readonly DocumentEntity[])[]): Generator<void, EntityIndex> {
    const index = new EntityIndex(documents);
    for (let docIndex = 0; docIndex < entitiesByDoc.length; docIndex++) {
      if (docIndex % STEP_DOCUMENTS === STEP_DOCUMENTS - 1) yield;
      // Read without keeping (a snapshot's lists parse an entity when asked and keep it): the occurrences read their entity again when an answer needs it.
      index.add(docIndex, documents[docIndex]!, peekItem(entitiesByDoc, docIndex) ?? [], entitiesByDoc);
    }
    yield* index.compactSteps();
    yield* index.settleSteps();
    yield* index.sortSteps();
    yield* index.prefixTableSteps();
    return index;
  }

  // ---------------------------------------------------------------- resolution

  private live(set: Iterable<EntityRecord> | undefined): EntityRecord[] {
    const out: EntityRecord[] = [];
    if (set) for (const r of set) if (r.live) out.push(r);
    return out;
  }

  /**
   * The record a lone one-word person name stands for: the one person whose
   * surname it is (no one else having it as a surname, first name or alias);
   * with no person by that word, the one place or organisation of that name
   * (the tagger took a country for a person) or the one organisation it begins.
   */
  private attachLone(record: EntityRecord): EntityRecord {
    const word = record.keys[0];
    if (word === undefined) return record;
    const surnames = this.live(this.personLast.get(word));
    const others = new Set([...surnames, ...this.live(this.personFirst.get(word)), ...this.live(this.personWordAlias.get(word))]);
    if (surnames.length === 1 && others.size === 1) return surnames[0]!;
    if (others.size > 0) return record;
    const named = this.live(this.byKey.get(word)).filter((r) => r.kind !== 'person');
    if (named.length === 1) return named[0]!;
    const organizations = this.live(this.organizationFirst.get(word));
    if (named.length === 0 && organizations.length === 1) return organizations[0]!;
    return record;
  }

  /**
   * A one-word organisation ("Kyodo") stands for the one longer organisation it begins, when nothing else has that
   * name; an acronym ("BT") for the one organisation that is also written so ("British Telecom"), when nothing else is.
   */
  private attachWord(record: EntityRecord): EntityRecord {
    if (record.lone || record.kind !== 'organization') return record;
    let key: string | undefined;
    for (const k of record.keys) {
      if (k.includes(' ')) return record;
      key = k;
    }
    if (key === undefined) return record;
    const named = this.live(this.byKey.get(key)).filter((r) => r !== record);
    if (named.length > 0) {
      // An acronym ("BT") that one other organisation, and nothing else, gives as its own ("British Telecom", also written BT).
      const only = named.length === 1 ? named[0]! : null;
      return only && only.kind === 'organization' && !only.lone && only.keys.some((k) => spellsOut(k, key!)) ? only : record;
    }
    if (record.kinds.size !== 1) return record;
    const organizations = this.live(this.organizationFirst.get(key)).filter((r) => r !== record);
    return organizations.length === 1 ? organizations[0]! : record;
  }

  /** The record answering for `record`: itself, or where a lone name or one-word organisation is attached. */
  private attachment(record: EntityRecord): EntityRecord {
    if (!record.live) return record;
    const target = record.lone ? this.attachLone(record) : this.attachWord(record);
    // A lone word may name a one-word organisation that itself stands for a longer one ("Kyodo").
    return target === record ? record : this.attachWord(target);
  }

  /** Brings attachments and totals up to date for the records the last changes touched. */
  private settle(): void {
    if (this.dirtyWords.size > 0 || this.dirtyRecords.size > 0) runSteps(this.settleSteps());
  }

  private *settleSteps(): Generator<void, void> {
    if (this.dirtyWords.size === 0 && this.dirtyRecords.size === 0) return;
    const recheck = new Set(this.dirtyRecords);
    for (const w of this.dirtyWords) {
      const lone = this.loneByWord.get(w);
      if (lone) recheck.add(lone);
      for (const r of this.byKey.get(w)) if (!w.includes(' ')) recheck.add(r);
    }
    this.dirtyWords.clear();
    this.dirtyRecords.clear();
    // Ids whose total or standing (answering for themselves or not) may have changed, and records that changed the record they answer through.
    const touched = new Set<number>();
    const moved: Move[] = [];
    let done = 0;
    for (const r of recheck) {
      if (++done % STEP_RECORDS === 0) yield;
      this.nameCache.delete(r.id);
      const old = this.canon[r.id];
      if (old !== undefined) {
        this.totals[old] = (this.totals[old] ?? 0) - (this.contributed[r.id] ?? 0);
        this.matchCache.delete(old);
        touched.add(old);
      }
      const target = this.attachment(r).id;
      const mentions = r.live ? r.mentions : 0;
      this.canon[r.id] = target;
      this.contributed[r.id] = mentions;
      this.totals[target] = (this.totals[target] ?? 0) + mentions;
      this.matchCache.delete(target);
      touched.add(target);
      touched.add(r.id);
      if (old !== target) moved.push({ record: r, from: old, to: target });
    }
    this.reRank(touched, moved);
  }

  /** Ranking order: most mentions first, then the older record. */
  private readonly rankOrder = (a: number, b: number): number => this.totals[b]! - this.totals[a]! || a - b;

  /** Whether a record answers for itself (is ranked). */
  private ranks(id: number): boolean {
    return this.records[id]!.live && this.canon[id] === id;
  }

  /**
   * After a settle: the ranking, the attached records and the autocomplete prefix table follow the
   * changed ids in place (a new article touches a few dozen of 100,000 entities; ranking and filling
   * the prefix table again took 200 ms of the main thread per article at BBC ×10). After a removal,
   * or when much changed, they are made again when next needed. Either way they are what a rebuild
   * makes (a test compares).
   */
  private reRank(touched: ReadonlySet<number>, moved: readonly Move[]): void {
    const before = this.ranked;
    if (!before || this.structural || touched.size > before.length / 16 + 64) {
      this.structural = false;
      this.ranked = null;
      return;
    }
    const order = this.rankOrder;
    const entering = [...touched].filter((id) => this.ranks(id)).sort(order);
    const ranked = mergeSorted(
      before.filter((id) => !touched.has(id)),
      entering,
      order,
    );
    this.ranked = ranked;
    const attached = this.attached?.ranked === before ? this.attached.byCanonical : null;
    if (!attached) {
      this.attached = null;
      this.prefixes = null;
      return;
    }
    // Records that left an entity: its prefixes may have come from their keys.
    const left = new Map<number, EntityRecord[]>();
    for (const { record, from, to } of moved) {
      if (from !== undefined && from !== record.id) removeFrom(attached, from, record);
      if (from !== undefined && from !== to) {
        const list = left.get(from);
        if (list) list.push(record);
        else left.set(from, [record]);
      }
      if (record.live && to !== record.id) {
        const list = attached.get(to);
        if (!list) attached.set(to, [record]);
        else if (!list.includes(record)) {
          // In id order, as a rebuild lists them.
          let at = list.length;
          while (at > 0 && list[at - 1]!.id > record.id) at--;
          list.splice(at, 0, record);
        }
      }
    }
    this.attached = { ranked, byCanonical: attached };
    const prefixes = this.prefixes?.ranked === before ? this.prefixes.table : null;
    if (!prefixes) {
      this.prefixes = null;
      return;
    }
    // Every touched id leaves the buckets it may be in; those that rank enter theirs again at their place.
    const short = new Set<string>();
    for (const id of touched) {
      for (const head of this.headsOf(id, attached, left.get(id))) {
        const bucket = prefixes.get(head);
        const at = bucket ? bucket.ids.indexOf(id) : -1;
        if (at < 0) continue;
        bucket!.ids.splice(at, 1);
        // A full bucket lost one of its best: the next below it is found again.
        if (bucket!.full) short.add(head);
      }
    }
    for (const id of entering) {
      for (const head of this.headsOf(id, attached)) {
        const bucket = prefixes.get(head);
        if (!bucket) {
          prefixes.set(head, { ids: [id], full: false });
          continue;
        }
        const at = upperBound(bucket.ids, id, order);
        // Below the last of a full bucket: others may rank between (a bucket short of some is filled below).
        if (at === bucket.ids.length && bucket.full) continue;
        bucket.ids.splice(at, 0, id);
        if (bucket.ids.length > PREFIX_TABLE_SIZE) {
          bucket.ids.pop();
          bucket.full = true;
        }
      }
    }
    for (const head of short) this.refill(head, prefixes.get(head)!, ranked, attached);
    this.prefixes = { ranked, table: prefixes };
  }

  /** The name-key prefixes (one to PREFIX_TABLE_LENGTH characters) an entity is found under: its keys', those of the records attached to it, and `also`'s. */
  private headsOf(id: number, attached: ReadonlyMap<number, EntityRecord[]>, also: readonly EntityRecord[] = []): Set<string> {
    const heads = new Set<string>();
    const note = (r: EntityRecord): void => {
      for (const k of r.keys) for (let n = 1; n <= PREFIX_TABLE_LENGTH && n <= k.length; n++) heads.add(k.slice(0, n));
    };
    note(this.records[id]!);
    for (const r of attached.get(id) ?? []) note(r);
    for (const r of also) note(r);
    return heads;
  }

  /** Fills a full bucket that lost entries with the next entities of the ranking found under its prefix. */
  private refill(head: string, bucket: { ids: number[]; full: boolean }, ranked: readonly number[], attached: ReadonlyMap<number, EntityRecord[]>): void {
    const last = bucket.ids[bucket.ids.length - 1];
    const has = (r: EntityRecord): boolean => r.live && r.keys.some((k) => k.startsWith(head));
    for (let i = last === undefined ? 0 : upperBound(ranked, last, this.rankOrder); i < ranked.length; i++) {
      if (bucket.ids.length === PREFIX_TABLE_SIZE) return;
      const id = ranked[i]!;
      if (has(this.records[id]!) || (attached.get(id)?.some(has) ?? false)) bucket.ids.push(id);
    }
    // The whole ranking was read: nothing more is under this prefix.
    bucket.full = false;
  }

  /** Entities (records answering for themselves), most mentioned first. */
  private rankedIds(): number[] {
    this.settle();
    if (!this.ranked) {
      const ranked: number[] = [];
      for (const r of this.records) if (r.live && this.canon[r.id] === r.id) ranked.push(r.id);
      ranked.sort(this.rankOrder);
      this.ranked = ranked;
    }
    return this.ranked;
  }

  private canonicalOf(record: EntityRecord): EntityRecord {
    this.settle();
    return this.records[this.canon[record.id] ?? record.id]!;
  }

  /** Records that answer for `record` (itself and lone names attached to it). */
  private members(record: EntityRecord): EntityRecord[] {
    const out = [record];
    this.settle();
    const seen = new Set<EntityRecord>([record]);
    for (const key of record.keys) {
      for (const w of new Set([firstWord(key), lastWord(key), key])) {
        const lone = this.loneByWord.get(w);
        if (lone && !seen.has(lone) && this.canon[lone.id] === record.id) {
          seen.add(lone);
          out.push(lone);
        }
        for (const r of this.byKey.get(w)) {
          if (!seen.has(r) && this.canon[r.id] === record.id) {
            seen.add(r);
            out.push(r);
          }
        }
      }
    }
    return out;
  }

  /** The fullest written name with the most mentions. */
  private displayName(record: EntityRecord): string {
    this.settle();
    const cached = this.nameCache.get(record.id);
    if (cached !== undefined) return cached;
    const counts = new Map<string, { mentions: number; words: number }>();
    for (const o of record.occurrences) {
      const seen = counts.get(o.name);
      if (seen) seen.mentions += o.mentions;
      else counts.set(o.name, { mentions: o.mentions, words: nameKey(o.name).split(' ').length });
    }
    let best = '';
    let bestScore: { mentions: number; words: number } | null = null;
    // Fullest, then most mentioned, then a full first name over a nickname ("William" over "Bill"), then alphabetical.
    const formal = (name: string): number => (NICKNAMES[firstWord(nameKey(name))] ? 0 : 1);
    for (const [name, score] of counts) {
      const better =
        !bestScore ||
        score.words > bestScore.words ||
        (score.words === bestScore.words &&
          (score.mentions > bestScore.mentions || (score.mentions === bestScore.mentions && (formal(name) > formal(best) || (formal(name) === formal(best) && name.localeCompare(best) < 0)))));
      if (better) {
        best = name;
        bestScore = score;
      }
    }
    this.nameCache.set(record.id, best);
    return best;
  }

  private ref(record: EntityRecord): EntityRef {
    return { id: record.id, name: this.displayName(record) };
  }

  /** Exact keys, then a name without glued titles or middle initials, then the one-word rules. */
  private resolveKey(key: string): { match: EntityRecord | null; candidates: EntityRecord[] } {
    const exact = this.distinctCanonical(this.live(this.byKey.get(key)));
    if (exact.length === 1) return { match: exact[0]!, candidates: [] };
    if (exact.length > 1) return { match: null, candidates: this.byMentions(exact) };
    if (key.includes(' ')) {
      const core = personCore(key);
      if (core === key) return { match: null, candidates: [] };
      if (core.includes(' ')) {
        const people = this.distinctCanonical(this.live(this.byKey.get(core)));
        return people.length === 1 ? { match: people[0]!, candidates: [] } : { match: null, candidates: this.byMentions(people) };
      }
      return this.resolveWord(core);
    }
    return this.resolveWord(key);
  }

  private resolveWord(word: string): { match: EntityRecord | null; candidates: EntityRecord[] } {
    const claims = this.distinctCanonical([...this.live(this.personLast.get(word)), ...this.live(this.personWordAlias.get(word))]);
    const everyone = this.distinctCanonical([...claims, ...this.live(this.personFirst.get(word))]);
    if (claims.length === 1 && everyone.length === 1) return { match: claims[0]!, candidates: [] };
    if (everyone.length > 0) return { match: null, candidates: this.byMentions(everyone) };
    const lone = this.loneByWord.get(word);
    if (lone?.live) return { match: this.canonicalOf(lone), candidates: [] };
    const organizations = this.distinctCanonical(this.live(this.organizationFirst.get(word)));
    if (organizations.length === 1) return { match: organizations[0]!, candidates: [] };
    return { match: null, candidates: this.byMentions(organizations) };
  }

  private distinctCanonical(records: readonly EntityRecord[]): EntityRecord[] {
    return [...new Set(records.map((r) => this.canonicalOf(r)))];
  }

  /** The `n` most mentioned records, in order, without sorting them all. */
  private topByMentions(records: readonly EntityRecord[], n: number): EntityRecord[] {
    if (n <= 0) return [];
    if (records.length <= n * 4) return this.byMentions([...records]).slice(0, n);
    const before = (a: EntityRecord, b: EntityRecord): boolean => (this.totals[a.id] ?? 0) > (this.totals[b.id] ?? 0) || ((this.totals[a.id] ?? 0) === (this.totals[b.id] ?? 0) && a.id < b.id);
    const top: EntityRecord[] = [];
    for (const r of records) {
      if (top.length === n && !before(r, top[n - 1]!)) continue;
      let i = top.length === n ? n - 1 : top.length;
      while (i > 0 && before(r, top[i - 1]!)) i--;
      top.splice(i, 0, r);
      if (top.length > n) top.pop();
    }
    return top;
  }

  private byMentions(records: EntityRecord[]): EntityRecord[] {
    this.settle();
    return records.sort((a, b) => (this.totals[b.id] ?? 0) - (this.totals[a.id] ?? 0) || a.id - b.id);
  }

  /** Cuts a name to MAX_NAME_CHARS before any work. */
  private static cut(query: string): { text: string; notes?: string[] } {
    if (query.length <= MAX_NAME_CHARS) return { text: query };
    return { text: query.slice(0, MAX_NAME_CHARS), notes: [`name cut from ${query.length} to ${MAX_NAME_CHARS} characters`] };
  }

  /** Looks a name up by the rules above: the entity it names, or none with suggestions. */
  lookup(query: string): NameLookup {
    const { text, notes } = EntityIndex.cut(query);
    const key = nameKey(text);
    const withNotes = (r: NameLookup): NameLookup => (notes ? { ...r, notes } : r);
    if (!key) return withNotes({ query, match: null, suggestions: [] });
    const { match, candidates } = this.resolveKey(key);
    if (match) return withNotes({ query, match: this.ref(match), suggestions: [] });
    const names: string[] = [];
    for (const r of [...candidates, ...this.near(key, true, SUGGESTION_POOL)]) {
      const name = this.displayName(r);
      // The query itself is no suggestion (a surname several people share, written alone somewhere).
      if (!names.includes(name) && nameKey(name) !== key) names.push(name);
      if (names.length >= MAX_SUGGESTIONS) break;
    }
    return withNotes({ query, match: null, suggestions: names });
  }

  /** The entity a name refers to, if the name answers for it (for names read from text and for filters). */
  find(query: string): EntityRef | null {
    return this.lookup(query).match;
  }

  /**
   * The entities of one document that the table holds: each one's position
   * in the document's list and the entity answering for it (no name lookup:
   * the table knows which record each occurrence went into).
   */
  documentEntities(docIndex: number): { entityIndex: number; ref: EntityRef }[] {
    const out: { entityIndex: number; ref: EntityRef }[] = [];
    for (const record of this.recordsByDoc.get(docIndex)) {
      if (!record.live) continue;
      const ref = this.ref(this.canonicalOf(record));
      // Occurrences are kept in document order (documents are added in order): found by binary search.
      const list = record.occurrences;
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (list[mid]!.docIndex < docIndex) lo = mid + 1;
        else hi = mid;
      }
      let found = false;
      for (let k = lo; k < list.length && list[k]!.docIndex === docIndex; k++) {
        out.push({ entityIndex: list[k]!.entityIndex, ref });
        found = true;
      }
      if (!found) for (const o of list) if (o.docIndex === docIndex) out.push({ entityIndex: o.entityIndex, ref });
    }
    return out.sort((a, b) => a.entityIndex - b.entityIndex);
  }

  /** The record id a name read from a document stands for, before attachment (see `canonical`). */
  recordOf(name: string): number | null {
    const key = nameKey(name.slice(0, MAX_NAME_CHARS));
    if (!key) return null;
    const core = key.includes(' ') ? personCore(key) : key;
    if (!core.includes(' ')) {
      const lone = this.loneByWord.get(core);
      if (lone?.live && (key === core || !this.byKey.has(key))) return lone.id;
    }
    return this.resolveKey(key).match?.id ?? null;
  }

  /** The entity answering for a record id (itself, or the person a lone surname is attached to). */
  canonical(id: number): EntityRef | null {
    const record = this.records[id];
    return record?.live ? this.ref(this.canonicalOf(record)) : null;
  }

  /** Record ids that answer for an entity (the entity and the lone names attached to it). */
  memberIds(id: number): number[] {
    const record = this.records[id];
    return record?.live ? this.members(this.canonicalOf(record)).map((r) => r.id) : [];
  }

  /** All names, most mentioned first. */
  names(limit = Infinity): string[] {
    const ids = this.rankedIds();
    return (limit < ids.length ? ids.slice(0, limit) : ids).map((id) => this.displayName(this.records[id]!));
  }

  /** The entity's most frequent description (its text), or null. */
  describe(id: number): string | null {
    const record = this.records[id];
    if (!record?.live) return null;
    return this.matchFor(this.canonicalOf(record)).descriptions[0]?.text ?? null;
  }

  who(query: string): WhoResult {
    const found = this.lookup(query);
    const result: WhoResult = { query, match: found.match ? this.matchFor(this.records[found.match.id]!) : null, suggestions: found.suggestions };
    if (found.notes) result.notes = found.notes;
    return result;
  }

  // ---------------------------------------------------------------- suggestions and autocomplete

  /** Words of the index near `word`: the same, prefixed by it, or within a bounded edit distance (bigram candidates). */
  private nearWords(word: string, withPrefix: boolean): { word: string; score: number }[] {
    const out = new Map<string, number>();
    if (this.wordRecords.has(word)) out.set(word, 1);
    if (withPrefix && word.length >= 2) {
      let scanned = 0;
      const sorted = this.sortedWords;
      for (let i = lowerBound(sorted, word); i < sorted.length && scanned < MAX_PREFIX_SCAN; i++, scanned++) {
        const w = sorted[i]!;
        if (!w.startsWith(word)) break;
        if (!out.has(w) && this.wordRecords.has(w)) out.set(w, 0.8);
      }
    }
    // A word the index has is not respelt; others get a bounded edit distance (bigram candidates, count-filtered).
    if (word.length >= 3 && !this.wordRecords.has(word)) {
      const max = word.length <= 5 ? 1 : word.length <= 8 ? 2 : 3;
      const grams = [...new Set(bigrams(word))];
      const need = grams.length - 2 * max;
      const counts = new Map<string, number>();
      for (const g of grams) {
        for (let length = Math.max(1, word.length - max); length <= word.length + max; length++) {
          for (const w of this.wordBigrams.get(`${g}|${length}`) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
        }
      }
      for (const [w, c] of counts) {
        if (c < need || out.has(w) || !this.wordRecords.has(w)) continue;
        const d = editDistance(word, w, max);
        if (d <= max) out.set(w, 0.7 - 0.1 * d);
      }
    }
    if (out.size === 0 && word.length >= 5) {
      // Nothing near: words sharing a long beginning ("Lindgren" → "Lindqvist").
      const stem = word.slice(0, Math.max(4, Math.ceil(word.length / 2)));
      const sorted = this.sortedWords;
      for (let i = lowerBound(sorted, stem), n = 0; i < sorted.length && n < 50; i++, n++) {
        const w = sorted[i]!;
        if (!w.startsWith(stem)) break;
        if (this.wordRecords.has(w)) out.set(w, 0.5);
      }
    }
    // Code-unit order among equals (name words are lower-cased keys): as the sorted word array, and cheaper than a locale order.
    return [...out.entries()].map(([w, score]) => ({ word: w, score })).sort((a, b) => b.score - a.score || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
  }

  /** Entities whose name words are near the query's words, best first (the first `limit` of them). */
  private near(key: string, withPrefix = true, limit = Infinity): EntityRecord[] {
    const words = key.split(' ').slice(0, MAX_QUERY_WORDS);
    const scores = new Map<EntityRecord, number>();
    this.settle();
    for (const w of words) {
      const best = new Map<EntityRecord, number>();
      // Near words come best first; a short prefix may reach thousands of names, so visits are bounded.
      let visits = 0;
      for (const { word, score } of this.nearWords(w, withPrefix && w === words.at(-1))) {
        const count = this.wordRecords.count(word);
        if (count === 0 || (count > MAX_WORD_RECORDS && words.length > 1)) continue;
        const records = this.wordRecords.get(word);
        if (visits > MAX_NEAR_VISITS) break;
        let seen = 0;
        for (const r of records) {
          if (++visits > MAX_NEAR_VISITS || ++seen > MAX_WORD_RECORDS) break;
          if (!r.live) continue;
          const c = this.records[this.canon[r.id] ?? r.id]!;
          if ((best.get(c) ?? 0) < score) best.set(c, score);
        }
      }
      for (const [r, s] of best) scores.set(r, (scores.get(r) ?? 0) + s);
    }
    const floor = Math.max(0.5, words.length * 0.45);
    const order = (a: [EntityRecord, number], b: [EntityRecord, number]): number =>
      b[1] - a[1] || (this.totals[b[0].id] ?? 0) - (this.totals[a[0].id] ?? 0) || a[0].id - b[0].id;
    if (limit >= scores.size) {
      return [...scores.entries()]
        .filter(([, s]) => s >= floor)
        .sort(order)
        .map(([r]) => r);
    }
    // The best `limit` kept in order as they come (a short prefix scores a thousand names; a suggestion needs a few).
    const top: [EntityRecord, number][] = [];
    for (const entry of scores) {
      if (entry[1] < floor) continue;
      if (top.length === limit && order(entry, top[limit - 1]!) >= 0) continue;
      let at = top.length === limit ? limit - 1 : top.length;
      while (at > 0 && order(entry, top[at - 1]!) < 0) {
        top[at] = top[at - 1]!;
        at--;
      }
      top[at] = entry;
    }
    return top.map(([r]) => r);
  }

  /** Autocomplete: the name itself, then names that start with the text, then names with a word that does, then near spellings. */
  complete(prefix: string, limit = MAX_COMPLETIONS): string[] {
    const n = Math.min(Math.max(limit, 0), MAX_COMPLETIONS);
    const key = nameKey(EntityIndex.cut(prefix).text);
    const fit = (s: string): string => (s.length > MAX_COMPLETION_CHARS ? `${s.slice(0, MAX_COMPLETION_CHARS - 1)}…` : s);
    if (!key) return this.names(n).map(fit);
    this.settle();
    const out: EntityRecord[] = [];
    const taken = new Set<EntityRecord>();
    const take = (records: Iterable<EntityRecord>): void => {
      const fresh: EntityRecord[] = [];
      for (const r of records) if (r.live && !taken.has(r)) fresh.push(r);
      for (const r of this.topByMentions(fresh, n - out.length)) {
        if (out.length >= n) return;
        taken.add(r);
        out.push(r);
      }
    };
    const { match, candidates } = this.resolveKey(key);
    take(match ? [match] : candidates);
    // The most mentioned entities first: walk the ranking while names with the prefix turn up
    // (a short prefix matches thousands of keys, and the ranking is already in the order wanted).
    const walked = this.rankedWithPrefix(key, n - out.length, taken);
    if (walked) {
      for (const r of walked) {
        taken.add(r);
        out.push(r);
      }
      if (out.length < n) take(this.near(key));
      return out.slice(0, n).map((r) => fit(this.displayName(r)));
    }
    const starts = new Set<EntityRecord>();
    let scanned = 0;
    const sorted = this.sortedKeys;
    for (let i = lowerBound(sorted, key); i < sorted.length && scanned < MAX_PREFIX_SCAN; i++, scanned++) {
      const k = sorted[i]!;
      if (!k.startsWith(key)) break;
      for (const r of this.byKey.get(k)) if (r.live) starts.add(this.canonicalOf(r));
      const lone = this.loneByWord.get(k);
      if (lone?.live) starts.add(this.canonicalOf(lone));
    }
    take(starts);
    if (out.length < n) take(this.near(key));
    return out.slice(0, n).map((r) => fit(this.displayName(r)));
  }

  /**
   * The first `want` entities of the ranking (most mentioned first) with a
   * name key starting with `prefix`, skipping `taken`; null when the
   * prefix tables cannot tell (a rare long prefix: the key scan is quick for it).
   */
  private rankedWithPrefix(prefix: string, want: number, taken: ReadonlySet<EntityRecord>): EntityRecord[] | null {
    if (want <= 0) return [];
    const bucket = this.prefixTable().get(prefix.slice(0, PREFIX_TABLE_LENGTH));
    if (!bucket) return [];
    const attached = this.attachedRecords();
    const matches = (r: EntityRecord): boolean => {
      if (!r.live) return false;
      for (const k of r.keys) if (k.startsWith(prefix)) return true;
      return false;
    };
    const out: EntityRecord[] = [];
    for (const id of bucket.ids) {
      const record = this.records[id]!;
      if (taken.has(record)) continue;
      if (prefix.length <= PREFIX_TABLE_LENGTH || matches(record) || (attached.get(id)?.some(matches) ?? false)) {
        out.push(record);
        if (out.length === want) return out;
      }
    }
    // A full bucket holds only the best-ranked names of its prefix: a longer prefix may have more below them.
    return bucket.full ? null : out;
  }

  /**
   * For every prefix of one to PREFIX_TABLE_LENGTH characters of a name key,
   * the best-ranked entities with a key starting with it (at most
   * PREFIX_TABLE_SIZE, in ranking order); made once per ranking.
   */
  private prefixTable(): Map<string, { ids: number[]; full: boolean }> {
    return runSteps(this.prefixTableSteps());
  }

  /**
   * `prefixTable` in steps: made when the table is built and, by the live engine, after each change
   * (which changes the ranking), so an autocomplete does not make it (0.4 s at BBC ×10). It only reads
   * the table until it is done: a change meanwhile makes a new ranking, and the next lookup sees the
   * table is for an older one.
   */
  *prefixTableSteps(): Generator<void, Map<string, { ids: number[]; full: boolean }>> {
    const ranked = this.rankedIds();
    if (this.prefixes?.ranked !== ranked) {
      const attached = this.attachedRecords();
      const table = new Map<string, { ids: number[]; full: boolean }>();
      let done = 0;
      for (const id of ranked) {
        if (++done % STEP_RECORDS === 0) yield;
        // Ranked records and the records attached to them are live.
        for (const head of this.headsOf(id, attached)) {
          let bucket = table.get(head);
          if (!bucket) table.set(head, (bucket = { ids: [], full: false }));
          if (bucket.ids.length < PREFIX_TABLE_SIZE) bucket.ids.push(id);
          else bucket.full = true;
        }
      }
      this.prefixes = { ranked, table };
    }
    return this.prefixes.table;
  }

  /** Records answering through another (their canonical entity), by that entity's id (made once per ranking). */
  private attachedRecords(): Map<number, EntityRecord[]> {
    const ranked = this.rankedIds();
    if (this.attached?.ranked !== ranked) {
      const byCanonical = new Map<number, EntityRecord[]>();
      for (const r of this.records) {
        const canonical = this.canon[r.id];
        if (!r.live || canonical === undefined || canonical === r.id) continue;
        const list = byCanonical.get(canonical);
        if (list) list.push(r);
        else byCanonical.set(canonical, [r]);
      }
      this.attached = { ranked, byCanonical };
    }
    return this.attached.byCanonical;
  }

  // ---------------------------------------------------------------- answers

  private matchFor(record: EntityRecord): EntityMatch {
    this.settle();
    return this.matchCache.get(record.id) ?? runSteps(this.matchSteps(record));
  }

  /**
   * Makes the answers of the most mentioned entities (at least `minMentions` mentions) that
   * have none yet, in steps: after a start and after each change, so that no /who (or quotation
   * describing its speaker) reads thousands of entities at once. Stops when the table changes
   * meanwhile; the next change runs it again.
   */
  *answerSteps(minMentions = PREPARED_ANSWER_MENTIONS): Generator<void, void> {
    const version = this.version;
    const ranked = this.rankedIds();
    for (let i = 0; i < ranked.length; i++) {
      if (this.version !== version) return;
      const id = ranked[i]!;
      if ((this.totals[id] ?? 0) < minMentions) return;
      if (this.matchCache.has(id)) continue;
      yield* this.matchSteps(this.records[id]!);
      if (i % 16 === 15) yield;
    }
  }

  /**
   * The answer for a canonical record, made in steps (pausing every ANSWER_STEP occurrences read) and
   * kept unless the table changed meanwhile. The occurrences are folded in document order; when the
   * record's kept facts still fit (the same members, their occurrence lists only grown by appended
   * documents), only the new occurrences are folded.
   */
  private *matchSteps(record: EntityRecord): Generator<void, EntityMatch> {
    const version = this.version;
    const members = this.members(record);
    const name = this.displayName(record);
    const key = nameKey(name);
    const kept = this.answerFacts.get(record.id);
    const facts: AnswerFacts =
      kept && this.factsFit(kept, record, members, key)
        ? kept
        : { key, keys: record.keys.length, members: [], lastDocIndex: -1, aliases: new Set(), kindVotes: new Map(), descriptions: new Map(), excerpts: [], documents: [], mentions: 0 };
    const fresh: Occurrence[] = [];
    members.forEach((member, k) => {
      const from = facts.members[k]?.count ?? 0;
      for (let j = from; j < member.occurrences.length; j++) fresh.push(member.occurrences[j]!);
    });
    fresh.sort((a, b) => a.docIndex - b.docIndex);
    // Folded into a copy: an answer given up part-way (the table changed) leaves the kept facts as they were.
    const next: AnswerFacts = {
      ...facts,
      members: members.map((m) => ({ id: m.id, list: m.occurrences, count: m.occurrences.length })),
      aliases: new Set(facts.aliases),
      kindVotes: new Map(facts.kindVotes),
      descriptions: new Map([...facts.descriptions].map(([norm, d]) => [norm, { ...d }])),
      excerpts: [...facts.excerpts],
      documents: [...facts.documents],
    };
    let read = 0;
    for (const o of fresh) {
      if (++read % ANSWER_STEP === 0) yield;
      this.fold(next, record, o);
    }
    const ranked = [...next.descriptions.values()].sort((a, b) => b.count - a.count || a.order - b.order).slice(0, MAX_DESCRIPTIONS);
    const match: EntityMatch = {
      name,
      kind: [...next.kindVotes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? record.kind,
      aliases: [...next.aliases].sort(),
      descriptions: ranked.map((d) => excerptOf(this.documents[d.docIndex]!, d.start, d.end)),
      mentions: next.mentions,
      documents: next.documents,
      excerpts: next.excerpts,
    };
    if (this.version === version) {
      this.matchCache.set(record.id, match);
      if (next.members.reduce((n, m) => n + m.count, 0) >= KEPT_FACTS_OCCURRENCES) this.answerFacts.set(record.id, next);
      else this.answerFacts.delete(record.id);
    }
    return match;
  }

  /** Whether kept facts can be extended: same display name, keys and members, each member's occurrences only appended to (later documents). */
  private factsFit(facts: AnswerFacts, record: EntityRecord, members: readonly EntityRecord[], key: string): boolean {
    if (facts.key !== key || facts.keys !== record.keys.length || facts.members.length !== members.length) return false;
    return members.every((m, k) => {
      const folded = facts.members[k]!;
      if (folded.id !== m.id || folded.list !== m.occurrences || folded.count > m.occurrences.length) return false;
      for (let j = folded.count; j < m.occurrences.length; j++) if (m.occurrences[j]!.docIndex <= facts.lastDocIndex) return false;
      return true;
    });
  }

  /** Folds one occurrence (the next in document order) into an answer's facts. */
  private fold(facts: AnswerFacts, record: EntityRecord, o: Occurrence): void {
    facts.kindVotes.set(o.kind, (facts.kindVotes.get(o.kind) ?? 0) + o.mentions);
    facts.mentions += o.mentions;
    const entity = entityOf(o);
    for (const a of [o.name, entity.name, ...entity.aliases]) {
      const aliasKey = nameKey(a);
      if (!aliasKey || aliasKey === facts.key) continue;
      // An organisation's first word ("US" of "US Marine Corps") is not one of its names.
      if (record.kind === 'organization' && !record.keys.includes(aliasKey) && a !== o.name && a !== entity.name) continue;
      facts.aliases.add(a);
    }
    const document = this.documents[o.docIndex];
    if (document) {
      if (o.docIndex !== facts.lastDocIndex) facts.documents.push(document.doc);
      // Descriptions, de-duplicated (articles and possessives aside); ranked most frequent first, then by first appearance.
      for (const d of entity.descriptions) {
        const norm = d.text.toLowerCase().replace(/^(?:a|an|the|his|her|its|their)\s+/, '').replace(/[’']s\b/g, '').replace(/\s+/g, ' ');
        const same = facts.descriptions.get(norm);
        if (same) same.count++;
        else facts.descriptions.set(norm, { docIndex: o.docIndex, start: d.start, end: d.end, count: 1, order: facts.descriptions.size });
      }
      const first = entity.mentions[0];
      if (facts.excerpts.length < MAX_EXCERPTS && first) {
        const sentence = sentencesIn(document, first.start, first.end)[0];
        if (sentence && sentence.start <= first.start) facts.excerpts.push(excerptOf(document, sentence.start, sentence.end));
        else {
          const block = document.blocks.find((b) => first.start >= b.start && first.start < b.end);
          if (block) facts.excerpts.push(excerptOf(document, block.start, block.end));
        }
      }
    }
    facts.lastDocIndex = o.docIndex;
  }

}
