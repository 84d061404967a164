/**
 * Finding the speech cue of a quotation and the noun phrase naming its
 * speaker, from the words around the quotation marks in the same sentence.
 */
import { ANONYMOUS_HEADS, DETERMINERS, NP_STOP, PRONOUNS, ROLE_FAMILIES, SPEAKER_NOUNS, SPEECH_VERBS, TITLES, VERB_PRELUDE, WEAK_SPEECH } from './lexicon.js';
import { isAbbreviation, type Token } from './tokens.js';

export interface Cue {
  /** Token range of the speaker's noun phrase (inclusive), in the token list given. */
  np: [number, number] | null;
  verb: Token | null;
  /** Where the cue was found, for the scare-quote decision. */
  where: 'after' | 'before' | 'according' | 'colon';
  /** Words between the cue and the quotation mark. */
  distance: number;
}

const PREPOSITIONS_IN_NP = new Set(['of', 'for', 'at', 'with', 'in', 'from', 'on']);

export function speechVerb(t: Token | undefined): string | null {
  if (!t || !t.word) return null;
  return SPEECH_VERBS.get(t.lower) ?? null;
}

/** A finite (or -ing) speech verb usable as a cue: not an infinitive, not a bare noun after a determiner. */
function isCueVerb(tokens: Token[], i: number): boolean {
  const t = tokens[i];
  const lemma = speechVerb(t);
  if (!t || !lemma) return false;
  if (t.capitalized && i > 0 && tokens[i - 1]!.word) return false;
  const prev = tokens[i - 1];
  if (prev && DETERMINERS.has(prev.lower)) return false;
  // An infinitive reports speech only for plain saying verbs ("went on to say:"), not "to call Russia a …".
  if (prev && prev.lower === 'to' && !INFINITIVE_SPEECH.has(lemma)) return false;
  // The base form of a noun-like verb is rarely the cue ("report", "post", "statement").
  if (t.lower === lemma && WEAK_SPEECH.has(lemma)) return false;
  // A base form needs a subject that takes it ("they say", "will tell"), else it is a noun ("a Twitter comment").
  if (t.lower === lemma && !(prev && BASE_FORM_SUBJECTS.has(prev.lower)) && !(lemma === 'put' && tokens[i + 1]?.lower === 'it')) return false;
  // "-s" after a possessive is a plural noun ("Ginsburg’s comments").
  if (prev?.possessive && /s$/.test(t.lower)) return false;
  // "said yes" answers a poll question.
  if (['yes', 'no'].includes(tokens[i + 1]?.lower ?? '')) return false;
  return true;
}

const INFINITIVE_SPEECH = new Set(['say', 'tell', 'write', 'ask', 'add', 'declare', 'announce', 'tweet', 'insist', 'argue', 'explain', 'note', 'warn']);

const BASE_FORM_SUBJECTS = new Set([
  'to',
  'i', 'we', 'they', 'you', 'will', 'would', 'can', 'could', 'should', 'may', 'might', 'must', 'did', 'do',
  'does', 'not', 'never', 'also', 'often', 'always', 'people', 'officials', 'experts', 'critics', 'others',
  'supporters', 'analysts', 'sources', 'democrats', 'republicans', 'voters', 'polls', 'reports', 'let',
]);

const ROLE_WORDS = new Set(ROLE_FAMILIES.flat());

/** Whether a noun phrase can name a speaker: a name, a pronoun, or a head noun for people, groups or documents. */
export function plausibleSpeaker(tokens: Token[], np: [number, number] | null): boolean {
  if (!np) return false;
  const words = tokens.slice(np[0], np[1] + 1).filter((t) => t.word);
  if (words.some((t) => t.capitalized && !DETERMINERS.has(t.lower))) return true;
  const head = words[words.length - 1];
  if (!head) return false;
  const h = head.lower;
  const singular = h.replace(/(ies)$/, 'y').replace(/([^s])s$/, '$1');
  if (PRONOUNS.has(h) || SPEAKER_NOUNS.has(h) || SPEAKER_NOUNS.has(singular)) return true;
  if (TITLES.has(singular) || ROLE_WORDS.has(singular) || ANONYMOUS_HEADS.has(h)) return true;
  return /(er|or|ist|ian|man|men|woman|women|ent|ant|ee|ess|ive|ary|aire|ster|person|maker|monger)s?$/.test(h) && !/(ment|ness|ance|ence|ity|ism|tion|sion)s?$/.test(h);
}

function isNpWord(t: Token): boolean {
  if (!t.word) return false;
  if (t.capitalized) return true;
  return !NP_STOP.has(t.lower) && !PRONOUNS.has(t.lower);
}

/** Noun phrase ending at token j, scanning leftwards. */
export function npBackward(tokens: Token[], j: number, floor = 0): [number, number] | null {
  const last = tokens[j];
  if (!last || j < floor) return null;
  if (last.word && PRONOUNS.has(last.lower) && !last.possessive) return [j, j];
  let k = j;
  let count = 0;
  while (k >= floor && count < 12) {
    const t = tokens[k]!;
    if (t.word) {
      if (DETERMINERS.has(t.lower) && !t.capitalized) {
        count++;
        k--;
        break;
      }
      if (DETERMINERS.has(t.lower) && t.capitalized) {
        k--;
        break;
      }
      if (PREPOSITIONS_IN_NP.has(t.lower) && k > floor && k < j) {
        const before = tokens[k - 1]!;
        const after = tokens[k + 1]!;
        // "Secretary of State", "spokesman for the campaign": cross only between nouns.
        if (before.word && !NP_STOP.has(before.lower) && (t.lower === 'of' || before.capitalized === false) && (after.capitalized || DETERMINERS.has(after.lower) || t.lower === 'of')) {
          k--;
          count++;
          continue;
        }
        break;
      }
      if (!isNpWord(t)) break;
      if (speechVerb(t) && !t.capitalized && k !== j) break;
      if (t.possessive && k !== j && !t.capitalized) break;
      k--;
      count++;
      continue;
    }
    if ((t.text === '.' && isAbbreviation(tokens[k - 1])) || t.text === '-' || t.text === '&') {
      k--;
      continue;
    }
    break;
  }
  let s = k + 1;
  // Capitalised sentence adverbs are not part of the name ("Meanwhile Smith").
  while (s < j && tokens[s]!.capitalized && CLAUSE_OPENERS.has(tokens[s]!.lower)) s++;
  while (s <= j && !tokens[s]!.word) s++;
  if (s > j) return null;
  return [s, j];
}

/** Noun phrase starting at token i, scanning rightwards. */
const CLAUSE_OPENERS = new Set([
  'but', 'and', 'or', 'so', 'yet', 'while', 'when', 'whereas', 'although', 'though', 'if', 'as', 'because',
  'since', 'after', 'before', 'once', 'until', 'unless', 'then', 'still', 'meanwhile', 'however', 'now',
  'also', 'instead', 'indeed', 'later', 'earlier', 'here', 'there', 'thus', 'hence', 'plus', 'even',
]);

export function npForward(tokens: Token[], i: number, ceil = tokens.length, skipOpeners = false): [number, number] | null {
  // Conjunctions and sentence adverbs are not part of the phrase ("But Cruz said").
  while (skipOpeners && i < ceil && tokens[i]!.word && CLAUSE_OPENERS.has(tokens[i]!.lower) && tokens[i + 1]?.word) i++;
  const first = tokens[i];
  if (first && first.capitalized && /(ed|ing)$/.test(first.lower) && !tokens[i + 1]?.capitalized) return null;
  if (!first || i >= ceil || !first.word) return null;
  if (PRONOUNS.has(first.lower)) return [i, i];
  let k = i;
  let content = 0;
  while (k < ceil && k - i < 12) {
    const t = tokens[k]!;
    if (t.word) {
      if (DETERMINERS.has(t.lower) && content === 0) {
        // "one of those advisers", "some of the donors".
        if (tokens[k + 1]?.lower === 'of' && tokens[k + 2]?.word) {
          content++;
          k += 2;
          continue;
        }
        k++;
        continue;
      }
      if (content > 0 && speechVerb(t) && !t.capitalized && t.lower !== (SPEECH_VERBS.get(t.lower) ?? '')) break;
      // After a name, a past-tense word is its verb ("the United States and Japan signed"),
      // and in a clause subject so is a present-tense one ("Perez lobbies").
      if (content > 0 && !t.capitalized && /ed$/.test(t.lower) && tokens[k - 1]?.capitalized) break;
      if (skipOpeners && content > 0 && !t.capitalized && /[^s]s$/.test(t.lower) && tokens[k - 1]?.capitalized) break;
      if ((t.lower === 'with' && tokens[k - 1]?.lower === 'familiar') || (t.lower === 'to' && tokens[k - 1]?.lower === 'close')) {
        k++;
        continue;
      }
      if ((t.lower === 'and' || t.text === '&') && content > 0 && tokens[k - 1]?.capitalized && tokens[k + 1]?.capitalized) {
        k++;
        continue;
      }
      if (t.lower === 'of' && content > 0 && tokens[k + 1]?.word) {
        k++;
        continue;
      }
      if (!isNpWord(t)) break;
      // A lower-case adverb ends the phrase ("… Calderón promptly fired back").
      if (content > 0 && !t.capitalized && /ly$/.test(t.lower) && !['family', 'ally', 'rally', 'daily', 'weekly', 'assembly', 'italy', 'july'].includes(t.lower)) break;
      content++;
      k++;
      if (t.possessive && !tokens[k]?.word) break;
      continue;
    }
    if ((t.text === '.' && isAbbreviation(tokens[k - 1])) || ((t.text === '-' || t.text === '&') && content > 0)) {
      k++;
      continue;
    }
    break;
  }
  if (content === 0) return null;
  let e = k - 1;
  while (e > i && (!tokens[e]!.word || tokens[e]!.lower === 'of' || DETERMINERS.has(tokens[e]!.lower))) e--;
  return [i, e];
}

function skipPreludeBackward(tokens: Token[], j: number, floor: number): number {
  let k = j;
  let steps = 0;
  while (k >= floor && steps < 3 && tokens[k]!.word && !tokens[k]!.capitalized && (VERB_PRELUDE.has(tokens[k]!.lower) || /ly$/.test(tokens[k]!.lower))) {
    k--;
    steps++;
  }
  return k;
}

const OUTER_FIRST = true;
const WEAK_DISTANCE = 12;
const OUTER_VERBS = new Set(['say', 'tell', 'write', 'report', 'claim', 'insist', 'argue', 'add', 'note', 'explain', 'warn', 'acknowledge', 'announce', 'declare', 'state', 'contend', 'suggest', 'recall', 'predict', 'complain', 'assert', 'reveal', 'confirm', 'deny', 'testify', 'tweet']);

const SPEECH_NOUNS = new Set(['remark', 'remarks', 'comment', 'comments', 'statement', 'words', 'claim', 'assertion', 'promise', 'pledge', 'warning', 'argument', 'suggestion', 'tweet', 'message', 'speech', 'quip', 'boast', 'vow', 'insistence', 'declaration', 'announcement', 'description']);
const POSSESSIVE_PRONOUNS = new Set(['his', 'her', 'their', 'its']);

const ADVERBIAL_PREPOSITIONS = new Set(['in', 'on', 'at', 'during', 'for', 'with', 'by', 'from', 'after', 'before', 'since', 'over', 'under', 'through', 'into', 'to', 'about', 'via']);

/** Index before a parenthesis ending at j ("Sanders (I-Vt.)"), or j. */
function skipParenthesis(tokens: Token[], j: number, floor: number): number {
  if (tokens[j]?.text !== ')') return j;
  let k = j - 1;
  while (k > floor && tokens[k]!.text !== '(' && j - k < 12) k--;
  return tokens[k]?.text === '(' ? k - 1 : j;
}

/** The subject of a speech verb at index v, found to its left (with appositives: "Song, a military expert, told"). */
export function subjectBefore(tokens: Token[], v: number, floor = 0): [number, number] | null {
  let j = skipPreludeBackward(tokens, v - 1, floor);
  // Another quotation between subject and verb (its words are masked; its marks remain): step over the marks.
  while (j >= floor && /^[“”"]$/.test(tokens[j]!.text)) j--;
  if (j < floor) return null;
  j = skipParenthesis(tokens, j, floor);
  if (j < floor) return null;
  // "Beck, who has in the past described": step over a prepositional phrase before the verb.
  for (let round = 0; round < 3; round++) {
    const np = tokens[j]!.word && !PRONOUNS.has(tokens[j]!.lower) ? npBackward(tokens, j, floor) : null;
    const before = np ? tokens[np[0] - 1] : undefined;
    if (!np || !before || !ADVERBIAL_PREPOSITIONS.has(before.lower)) break;
    j = skipPreludeBackward(tokens, np[0] - 2, floor);
    if (j < floor) return null;
  }
  const t = tokens[j]!;
  // "quoted as saying": the subject precedes "was quoted as".
  if (t.lower === 'as' && tokens[j - 1]?.lower === 'quoted') j = skipPreludeBackward(tokens, j - 2, floor);
  if (j < floor) return null;
  if (['and', 'but', 'then'].includes(tokens[j]!.lower)) {
    // A second verb of the same subject: "Trump doubled down … and said".
    return mainSubject(tokens, j);
  }
  if (tokens[j]!.lower === 'who' || tokens[j]!.lower === 'which') {
    // "Smith, who ... said": the antecedent before the comma.
    if (tokens[j - 1]?.text === ',') return npBackward(tokens, j - 2, floor);
    return npBackward(tokens, j - 1, floor);
  }
  if (tokens[j]!.text === ',') {
    // An appositive or parenthetical between subject and verb.
    let c = j - 1;
    let n = 0;
    while (c >= floor && tokens[c]!.text !== ',' && n < 30) {
      if (/^[;:“”"]$/.test(tokens[c]!.text)) return null;
      c--;
      n++;
    }
    if (c < floor || tokens[c]!.text !== ',') {
      // No opening comma: a stray comma between a name and its verb ("Jake Sullivan, said in December").
      const name = tokens[j - 1];
      return name?.word && name.capitalized && j - 1 >= floor ? npBackward(tokens, j - 1, floor) : null;
    }
    const chunkStart = tokens[c + 1]!;
    const inner = npBackward(tokens, j - 1, c + 1);
    const outer = npBackward(tokens, skipParenthesis(tokens, c - 1, floor), floor);
    if (!outer) return null;
    const chunkIsDescription =
      !chunkStart.capitalized || DETERMINERS.has(chunkStart.lower) || chunkStart.lower === 'who' || /^\p{N}/u.test(chunkStart.text);
    if (chunkIsDescription) return outer;
    // "The chairman, John Smith, said": the name in the middle.
    if (inner && tokens[outer[1]]!.word && !tokens[outer[0]]!.capitalized) return inner;
    return outer;
  }
  return npBackward(tokens, j, floor);
}

/** Skips a prepositional tail after a noun phrase ("a source familiar with the matter said"). */
function skipTail(tokens: Token[], k: number, ceil: number): number {
  const t = tokens[k];
  if (!t || !t.word || !PREPOSITIONS_IN_NP.has(t.lower) && t.lower !== 'close' && t.lower !== 'familiar') return k;
  let m = k;
  let n = 0;
  while (m < ceil && n < 8 && tokens[m]!.word && !speechVerb(tokens[m])) {
    m++;
    n++;
  }
  return speechVerb(tokens[m]) ? m : k;
}

function skipPreludeForward(tokens: Token[], k: number, ceil: number): number {
  let m = k;
  let steps = 0;
  while (m < ceil && steps < 3 && tokens[m]!.word && (VERB_PRELUDE.has(tokens[m]!.lower) || /ly$/.test(tokens[m]!.lower) && !tokens[m]!.capitalized) && !speechVerb(tokens[m])) {
    m++;
    steps++;
  }
  return m;
}

function leadingPunct(tokens: Token[], from: number): number {
  let i = from;
  while (i < tokens.length && !tokens[i]!.word) i++;
  return i - from;
}

/**
 * A cue right after a quotation: `, Hayashi said`, `, said Song`, `, Song, a
 * military expert, said`, `, according to the source`. `tokens` is the text
 * from the closing mark to the end of the sentence.
 */
export function cueAfter(tokens: Token[], from = 0): Cue | null {
  let i = from;
  while (i < tokens.length && !tokens[i]!.word) {
    if (!/^[,—–\-;…!?.]$/.test(tokens[i]!.text) && !/^[“”"‘’']$/.test(tokens[i]!.text)) return null;
    i++;
  }
  if (i >= tokens.length) return null;
  const n = tokens.length;
  if (tokens[i]!.lower === 'according' && tokens[i + 1]?.lower === 'to') {
    const np = npForward(tokens, i + 2, n);
    if (np && plausibleSpeaker(tokens, np)) return { np, verb: null, where: 'according', distance: i - from };
  }
  // Inverted with any past-tense verb and a name: "“This is fantastic!” beamed Donald Hartley".
  const t0 = tokens[i]!;
  if (!t0.capitalized && /[^e]ed$|ied$/.test(t0.lower) && !NP_STOP.has(t0.lower) && tokens[i + 1]?.capitalized && i === from + leadingPunct(tokens, from)) {
    const np = npForward(tokens, i + 1, n);
    if (np && plausibleSpeaker(tokens, np)) return { np, verb: t0, where: 'after', distance: i - from };
  }
  // Inverted: "said Song", "says a source".
  const v0 = skipPreludeForward(tokens, i, n);
  if (speechVerb(tokens[v0]) && !tokens[v0]!.lower.endsWith('ing')) {
    const np = npForward(tokens, v0 + 1, n);
    if (np && plausibleSpeaker(tokens, np)) return { np, verb: tokens[v0]!, where: 'after', distance: i - from };
    return null;
  }
  // "…,” as Cruz said on the radio."
  if (tokens[i]!.lower === 'as' && i + 1 < n) i++;
  const np = npForward(tokens, i, n);
  if (!np) return null;
  let k = np[1] + 1;
  if (tokens[k]?.text === ',') {
    // Appositive: "Song Zhongping, a Chinese military expert, told".
    let c = k + 1;
    while (c < n && c - k < 30 && tokens[c]!.text !== ',' && !/^[;:!?“”"]$/.test(tokens[c]!.text)) c++;
    if (tokens[c]?.text !== ',') return null;
    k = c + 1;
    // A second appositive ("Bozell, founder of X, a group that …, said").
    const v1 = skipPreludeForward(tokens, k, n);
    if (!speechVerb(tokens[v1])) {
      let c2 = k;
      while (c2 < n && c2 - k < 20 && tokens[c2]!.text !== ',' && !/^[;:!?“”"]$/.test(tokens[c2]!.text)) c2++;
      if (tokens[c2]?.text === ',' && speechVerb(tokens[skipPreludeForward(tokens, c2 + 1, n)])) k = c2 + 1;
    }
  }
  if (tokens[k]?.text === '(') {
    // "Rep. Earl Blumenauer (D-Ore.) said".
    const close = tokens.findIndex((t, x) => x > k && t.text === ')');
    if (close > k && close - k < 12) k = close + 1;
  }
  k = skipTail(tokens, k, n);
  k = skipPreludeForward(tokens, k, n);
  if (tokens[k]?.lower === 'was' || tokens[k]?.lower === 'were') k++;
  const verb = tokens[k];
  if (speechVerb(verb) && !verb!.capitalized && plausibleSpeaker(tokens, np)) return { np, verb: verb!, where: 'after', distance: i - from };
  // Right after a quotation, a name or pronoun followed by a past-tense verb is saying it ("Oliver barked").
  const npFirst = tokens[np[0]]!;
  const named = PRONOUNS.has(npFirst.lower) || tokens.slice(np[0], np[1] + 1).some((t) => t.capitalized);
  void npFirst;
  if (verb && plausibleSpeaker(tokens, np) && k === np[1] + 1 && i === from + leadingPunct(tokens, from) && (leadingPunct(tokens, from) > 0 || /[,?!]$/.test(tokens[from - 1]?.text ?? ',')) && named && verb.word && !verb.capitalized && /[^e]ed$|ied$|[^s]s$/.test(verb.lower) && !NP_STOP.has(verb.lower)) {
    return { np, verb, where: 'after', distance: i - from };
  }
  return null;
}

/**
 * A cue before a quotation in the same sentence: the last speech verb and
 * its subject (`Blinken said, during ...: “`), or `according to X, “`.
 * `tokens` run from the sentence start to the opening mark.
 */
export function cueBefore(tokens: Token[], near = Infinity): Cue | null {
  const n = tokens.length;
  let fallback: Cue | null = null;
  for (let v = n - 1; v >= 0; v--) {
    const t = tokens[v]!;
    if (t.lower === 'according' && tokens[v + 1]?.lower === 'to') {
      const np = npForward(tokens, v + 2, n);
      if (np && plausibleSpeaker(tokens, np)) return { np, verb: null, where: 'according', distance: n - 1 - np[1] };
    }
    if (!isCueVerb(tokens, v)) continue;
    const lemma = speechVerb(t)!;
    // Weak verbs ("called", "expressed") count only close to the quote.
    // Weak verbs ("called", "worried") count only close to the quote, or with a "that" clause.
    if (WEAK_SPEECH.has(lemma) && n - v > Math.min(near, WEAK_DISTANCE) && tokens[v + 1]?.lower !== 'that') continue;
    if (tokens[v - 1]?.lower === 'be' || (tokens[v - 1]?.lower === 'was' && lemma !== 'quote')) {
      // Passive ("was told", "were asked"): the subject was spoken to.
      if (lemma === 'tell' || lemma === 'ask') continue;
    }
    const progressive = ['is', 'was', 'are', 'were', 'been', 'be', "'s"].includes(tokens[v - 1]?.lower ?? '');
    const distance = n - 1 - v;
    const infinitive = tokens[v - 1]?.lower === 'to';
    if (infinitive && v >= 2 && tokens[v - 2]!.word) {
      // "Mr. Trump was prompted to say", "she went on to say": the subject of the verb before "to".
      let w = v - 2;
      if (['on', 'ahead'].includes(tokens[w]!.lower)) w--;
      const np = w >= 0 ? subjectBefore(tokens, w) : null;
      if (np && plausibleSpeaker(tokens, np)) return { np, verb: t, where: 'before', distance };
    }
    if (t.lower.endsWith('ing') && !progressive && tokens[v - 1]?.capitalized) {
      // "with Sen. John McCain calling it …": the name right before the participle.
      const np = npBackward(tokens, v - 1);
      if (np && plausibleSpeaker(tokens, np)) return { np, verb: t, where: 'before', distance };
    }
    if ((t.lower.endsWith('ing') && !progressive) || infinitive) {
      // ", saying" / "went on to say": the subject of the main clause.
      const main = mainSubject(tokens, v);
      if (main && plausibleSpeaker(tokens, main)) return { np: main, verb: t, where: 'before', distance };
      for (let u = v - 1; u >= 0; u--) {
        if (isCueVerb(tokens, u) && !tokens[u]!.lower.endsWith('ing')) {
          const np = subjectBefore(tokens, u);
          if (np && plausibleSpeaker(tokens, np)) return { np, verb: t, where: 'before', distance };
        }
      }
      continue;
    }
    // Inverted before the quote: "..., said Smith: “".
    const subj = subjectBefore(tokens, v);
    if (subj && plausibleSpeaker(tokens, subj)) {
      // Reported inside reported speech ("Israel said Clinton called on members to be “…”"): the outer speaker.
      if (OUTER_FIRST) {
        for (let u = 0; u < subj[0]; u++) {
          if (!isCueVerb(tokens, u) || !OUTER_VERBS.has(speechVerb(tokens[u]) ?? '') || tokens[u]!.lower.endsWith('ing')) continue;
          const outer = subjectBefore(tokens, u);
          if (outer && plausibleSpeaker(tokens, outer)) return { np: outer, verb: tokens[u]!, where: 'before', distance: n - 1 - u };
        }
      }
      return { np: subj, verb: t, where: 'before', distance };
    }
    const clauseStart = v === 0 || /^[,;:“”"‘’']$/.test(tokens[v - 1]!.text);
    const inv = clauseStart ? npForward(tokens, v + 1, n) : null;
    if (inv && (inv[1] >= n - 2 || /^[,:;]$/.test(tokens[inv[1] + 1]?.text ?? '')) && plausibleSpeaker(tokens, inv)) return { np: inv, verb: t, where: 'before', distance };
    if (fallback === null) fallback = { np: null, verb: t, where: 'before', distance };
  }
  // "her remark that “…”", "Trump’s claim that “…”": the possessor said it.
  for (let v = n - 1; v > 0 && !fallback; v--) {
    const t = tokens[v]!;
    if (!SPEECH_NOUNS.has(t.lower)) continue;
    let p = v - 1;
    while (p > 0 && tokens[p]!.word && !tokens[p]!.possessive && !POSSESSIVE_PRONOUNS.has(tokens[p]!.lower) && v - p < 3) p--;
    const owner = tokens[p]!;
    if (POSSESSIVE_PRONOUNS.has(owner.lower)) return { np: [p, p], verb: null, where: 'before', distance: n - 1 - v };
    if (owner.possessive && owner.capitalized) {
      const np = npBackward(tokens, p);
      if (np) return { np, verb: null, where: 'before', distance: n - 1 - v };
    }
  }
  if (!fallback && tokens[n - 1]?.text === ':') {
    // "Pew Research: “…”", "the board was conclusive in its findings: “…”".
    const np = mainSubject(tokens, n - 1);
    if (np && plausibleSpeaker(tokens, np)) return { np, verb: null, where: 'colon', distance: 0 };
  }
  return fallback;
}

const INTRO_PREPOSITIONS = new Set([
  'in', 'on', 'at', 'during', 'after', 'before', 'since', 'with', 'for', 'by', 'from', 'over', 'under',
  'following', 'despite', 'amid', 'as', 'when', 'while', 'last', 'this', 'earlier', 'later', 'if', 'although',
  'though', 'because', 'once', 'until', 'unless', 'according',
]);

/** The subject at the start of a sentence or clause, past an introductory phrase ("In 1960, the United States ..."). */
export function mainSubject(tokens: Token[], ceil: number): [number, number] | null {
  const starts = [0];
  tokens.forEach((t, k) => {
    if (k < ceil && (t.text === ',' || t.text === ';' || t.text === '—')) starts.push(k + 1);
  });
  for (const s0 of starts) {
    let i = s0;
    while (i < ceil && !tokens[i]!.word) i++;
    const first = tokens[i];
    if (!first || INTRO_PREPOSITIONS.has(first.lower) || /ing$/.test(first.lower)) continue;
    const np = npForward(tokens, i, ceil, true);
    if (!np) continue;
    const head = tokens[np[0]]!;
    if (!(head.capitalized || DETERMINERS.has(head.lower) || PRONOUNS.has(head.lower))) continue;
    const next = tokens[np[1] + 1];
    // A subject is followed by its verb (or is the whole clause before a colon).
    if (np[1] + 1 >= ceil || (next && next.word && !next.capitalized && !['of', 'and', 'or', 'to', 'in', 'on', 'at', 'for'].includes(next.lower))) return np;
    // "Shinzo Abe, the former Prime Minister of Japan, extended …": a name, an appositive, then the verb.
    if (next?.text === ',' && head.capitalized) {
      const later = starts.find((x) => x > np[1] + 2 && x < ceil && tokens[x]?.word && !tokens[x]!.capitalized && !NP_STOP.has(tokens[x]!.lower) && !DETERMINERS.has(tokens[x]!.lower));
      if (later !== undefined) return np;
    }
  }
  return null;
}
