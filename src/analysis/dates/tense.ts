/**
 * Sentence-level tense cues for resolving underspecified expressions
 * ("Thursday", "in June", "March 24"): HeidelTime resolves them forward or
 * backward from the reference date according to the tense of the governing
 * verb. Without a POS tagger we look for the nearest tense cue in the clause.
 */

export type Tense = 'past' | 'future' | 'present' | 'none';

/** Start and end of the sentence holding [start, end). */
export function sentenceAround(text: string, start: number, end: number): [number, number] {
  let s = start;
  const minS = Math.max(0, start - 400);
  while (s > minS) {
    const c = text[s - 1]!;
    if (c === '\n' && (text[s - 2] === '\n' || text[s - 2] === '\r')) break;
    if ((c === ' ' || c === '\n') && /[.!?]["'”’)]?$/.test(text.slice(Math.max(0, s - 3), s - 1))) {
      // "Jan. 5" / "U.S." are not sentence ends: require an upper-case start and no abbreviation.
      const before = text.slice(Math.max(0, s - 8), s - 1);
      if (!/\b(?:[A-Z]|Mr|Mrs|Ms|Dr|St|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|Gen|Sen|Rep|Gov|U\.S|Inc|Corp|Co|Ltd|vs)\.$/.test(before)) break;
    }
    s--;
  }
  let e = end;
  const maxE = Math.min(text.length, end + 400);
  while (e < maxE) {
    const c = text[e]!;
    if (c === '\n' && text[e + 1] === '\n') break;
    if ((c === '.' || c === '!' || c === '?') && /^["'”’)]?(\s|$)/.test(text.slice(e + 1, e + 3))) {
      const before = text.slice(Math.max(0, e - 6), e + 1);
      if (!/\b(?:[A-Z]|Mr|Mrs|Ms|Dr|St|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|Gen|Sen|Rep|Gov|U\.S|Inc|Corp|Co|Ltd|vs|a\.m|p\.m)\.$/.test(before)) {
        e++;
        break;
      }
    }
    e++;
  }
  return [s, e];
}

const FUTURE = /^(?:will|wo|shall|'ll|’ll|planning|planned|scheduled|slated|intends?|upcoming|to)$/i;
const PRESENT_ = /^(?:is|are|am|has|have|says|does|do)$/i;
const REPORTING = /^(?:said|says|told|tells|announced|reported|added|stated|noted|according|explained|declared|confirmed)$/i;
const IRREGULAR_PAST =
  /^(?:was|were|had|did|began|came|went|took|made|met|held|left|rose|fell|gave|got|saw|won|lost|sold|bought|paid|found|kept|brought|thought|knew|wrote|spoke|became|ran|sent|struck|fought|flew|grew|threw|drew|chose|broke|stood|led|fled|ago|sank|sought|taught|caught|spent|built|felt|heard|meant|slid|shot|stole|swore|woke|wore|arose|dealt|forgot|froze|hung|laid|overtook|rode|rang|sang|shook|shrank|slept|sprang|stuck|swept|swam|tore|withdrew|understood|upheld)$/i;
const NOT_PAST_ED = /^(?:need|speed|indeed|seed|bed|red|feed|reed|breed|shed|united|limited|based|related|interested|concerned|supposed|used|proposed|expected|scheduled|planned|advanced|detailed|required|hundred|shred|wed|fred|ted|ned|med|ahead|instead|weed|greed|deed|creed|sled|bred|sacred|naked|wicked|kindred|ragged|rugged|crooked|beloved|aged|alleged|armed|so-called|unemployed|embed)$/i;

type Cue = { pos: number; kind: 'past' | 'future' | 'present'; reporting: boolean };

function classify(word: string): Cue['kind'] | 'reporting' | null {
  if (REPORTING.test(word)) return 'reporting';
  if (FUTURE.test(word)) return word.toLowerCase() === 'to' ? null : 'future';
  if (PRESENT_.test(word)) return 'present';
  if (IRREGULAR_PAST.test(word)) return 'past';
  if (/^[a-z]{3,}ed$/i.test(word) && !NOT_PAST_ED.test(word)) return 'past';
  return null;
}

/**
 * Tense of the clause around [start, end): the nearest cue word wins; a
 * reporting verb ("said") counts only when nothing else is found, or when it
 * directly precedes the expression ("said Thursday").
 */
export function tenseAt(text: string, start: number, end: number, options: { perfectAsPresent?: boolean } = {}): Tense {
  const [s, e] = sentenceAround(text, start, end);
  const cues: Cue[] = [];
  const re = /[A-Za-z'’-]+/g;
  const sentence = text.slice(s, e);
  let m: RegExpExecArray | null;
  let prevWord = '';
  const words: { w: string; pos: number }[] = [];
  while ((m = re.exec(sentence))) words.push({ w: m[0], pos: s + m.index });
  for (let i = 0; i < words.length; i++) {
    const { pos } = words[i]!;
    let word = words[i]!.w;
    if (pos >= start && pos < end) continue;
    if (/['’]ll$/i.test(word)) word = "'ll";
    let k = classify(word);
    const next = words[i + 1]?.w.toLowerCase();
    // "planned to", "expected to", "set to": future.
    if (next === 'to' && /^(?:plans?|planned|expects?|expected|scheduled|set|due|slated|poised|likely|ready|going|about|hopes?|aims?|intends?|wants?)$/i.test(word)) k = 'future';
    // "would" in reported speech looks forward ("said the father would travel Thursday"), but
    // "would not comment/say Tuesday" reports a refusal that already happened.
    else if (/^would$/i.test(word) && next !== 'not' && next !== 'never') k = 'future';
    // A participle after "be"/"been" ("will be named", "is heard") takes the auxiliary's tense.
    else if (k === 'past' && /^(?:be|been|being|is|are|am)$/i.test(prevWord)) k = null;
    // "to" + verb after "going/plans/expected/due" is covered by the first word; "is to" is future.
    if (word.toLowerCase() === 'to' && /^(?:is|are|was|were)$/i.test(prevWord)) cues.push({ pos, kind: 'future', reporting: false });
    else if (k === 'reporting') cues.push({ pos, kind: /^says$/i.test(word) ? 'present' : 'past', reporting: true });
    else if (k) cues.push({ pos, kind: k, reporting: false });
    prevWord = word;
  }
  const nextAfter = /^\s*,?\s*([A-Za-z'’-]+)/.exec(text.slice(end, Math.min(e, end + 25)));
  if (cues.length === 0) return /\b(?:by|until|till|through|as\s+soon\s+as|as\s+early\s+as)\s+$/i.test(text.slice(Math.max(s, start - 25), start)) ? 'future' : 'none';
  // A verb right before the expression ("said Thursday", "met on Thursday") governs it.
  const before = text.slice(Math.max(s, start - 25), start);
  let forward = false;
  const direct = /(?:([A-Za-z'’-]+)\s+)?([A-Za-z'’-]+)\s+(?:on\s+|in\s+|last\s+|early\s+|late\s+)?$/.exec(before);
  if (direct) {
    let k = classify(direct[2]!);
    // "will be installed on Tuesday": the participle takes the auxiliary's tense.
    if (k === 'past' && direct[1] && /^(?:be|been|being|is|are|am)$/i.test(direct[1])) k = null;
    if (k === 'reporting' || k === 'past') return 'past';
    if (k === 'future') return 'future';
    // "as soon as Tuesday": forward-looking.
    if (/\b(?:as\s+soon\s+as|as\s+early\s+as)\s+$/i.test(before)) return 'future';
    // "until Tuesday", "by August": forward-looking (a deadline), unless the clause is in the past
    // perfect ("had filed reports by Wednesday", "until Thursday they had not…") or reads "not until".
    if (/^(?:by|until|till|through)$/i.test(direct[2]!)) forward = true;
  }
  if (forward) {
    // A past perfect in the same clause ("had filed reports by Wednesday", "Until Thursday, they had not…") or "not until": past.
    const pre = text.slice(s, start);
    const post = text.slice(end, Math.min(e, end + 60));
    const perfect =
      /\bhad\s+(?:not\s+|never\s+|already\s+|\w+ly\s+)?\w+(?:ed|en|wn)\b[^,;]*$/i.test(pre) || /^\s*,?\s*(?:[A-Za-z'’-]+\s+){0,3}had\s+(?:not\s+|never\s+|already\s+)?\w+/i.test(post);
    return perfect || /\b(?:not|up)\s+until\s+$/i.test(before) ? 'past' : 'future';
  }
  // "Bush on Tuesday said": a reporting or past verb right after the expression governs it.
  if (nextAfter) {
    const k = classify(nextAfter[1]!);
    if (k === 'reporting' || k === 'past') return 'past';
  }
  const dist = (c: Cue) => (c.pos < start ? start - c.pos : c.pos - end + 0.5);
  const main = cues.filter((c) => !c.reporting);
  const pool = main.length > 0 ? main : cues;
  let best = pool[0]!;
  for (const c of pool) if (dist(c) < dist(best)) best = c;
  // Present perfect ("has risen") reads as past.
  if (best.kind === 'present') {
    const after = text.slice(best.pos, Math.min(e, best.pos + 30));
    if (/^(?:has|have)\s+(?:\w+\s+)?(?:been|\w+ed|\w+en)\b/i.test(after)) return options.perfectAsPresent ? 'present' : 'past';
  }
  return best.kind;
}

/** Words that set a present-tense clause in the longer run of time, against the past or in general. */
const GENERAL_PRESENT =
  /\b(?:long|longer|any\s?more|still|once|used\s+to|decades?|centuries|century|generations?|years\s+ago|era|ages?|nowadays|these\s+days|ever|since|in\s+the\s+past|compared|unlike|whereas|remains?|most|increasingly|usually|often|more\s+and\s+more|world|society|modern)\b/i;

/**
 * True when "today" at [start, end) means the present in general ("Today, the treaty has long lapsed",
 * "today most voters shop online") rather than the day of publication: its clause tells no past event
 * and nothing scheduled (the present perfect is a state here), no verb governs it directly ("said
 * today", "meets today"), and the clause sets the present against the past or in general ("long",
 * "no longer", "still", "most", "unlike", "generations"). "Today is a sad day" stays the day.
 */
export function isGenericToday(text: string, start: number, end: number): boolean {
  const tense = tenseAt(text, start, end, { perfectAsPresent: true });
  if (tense === 'past' || tense === 'future') return false;
  const [s, e] = sentenceAround(text, start, end);
  const before = text.slice(Math.max(s, start - 30), start);
  // A verb or preposition right before it: "meets today", "seeing today", "on today", "until today".
  if (/\b[A-Za-z]{2,}(?:s|ed|ing)\s+(?:(?:early|late|later)\s+)?$/.test(before) && !/\b(?:is|was|has|does|as|this|his|its|us|thus|plus)\s+$/i.test(before)) return false;
  if (/\b(?:on|until|till|by|from|for|since|through|starting|beginning)\s+$/i.test(before)) return false;
  // Progressive perfect tells an event going on ("have been demonstrating today").
  const sentence = text.slice(s, e);
  if (/\b(?:has|have)\s+been\s+\w+ing\b/i.test(sentence)) return false;
  return GENERAL_PRESENT.test(sentence.slice(0, start - s) + ' ' + sentence.slice(end - s));
}
