import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { extractQuotes, groupByAttribution, type QuoteMention } from '../../src/analysis/quotes/index.js';
import { recognizeEntities } from '../../src/analysis/ner/index.js';

const corpusDir = new URL('../../corpus/', import.meta.url);
const seed = (prefix: string): string => {
  const file = readdirSync(corpusDir).find((f) => f.startsWith(prefix));
  assert.ok(file, `seed article ${prefix} is missing`);
  return readFileSync(new URL(file, corpusDir), 'utf8');
};

function quoteStarting(quotes: QuoteMention[], words: string): QuoteMention {
  const q = quotes.find((x) => x.text.startsWith(words));
  assert.ok(q, `no quote starting "${words}" among: ${quotes.map((x) => x.text.slice(0, 30)).join(' | ')}`);
  return q;
}

test('a definite description after the quote resolves to the spokesperson named earlier (001, "the Chinese diplomat")', () => {
  const q = quoteStarting(extractQuotes(seed('001')), 'We insist that the United States abandon the plan to deploy');
  assert.equal(q.speaker?.text, 'the Chinese diplomat');
  assert.equal(q.speaker?.name, 'Lin Jian');
  assert.equal(q.speakerKind, 'nominal');
  assert.equal(q.cue?.text, 'emphasized');
  assert.equal(q.continued, false);
});

test('a quotation standing as the next sentence continues the previous speaker in the paragraph (001)', () => {
  const q = quoteStarting(extractQuotes(seed('001')), 'China will closely monitor the situation');
  assert.equal(q.speaker?.name, 'Lin Jian');
  assert.equal(q.continued, true);
});

test('a surname after the quote resolves to the full name the article gave (001, Hayashi)', () => {
  const q = quoteStarting(extractQuotes(seed('001')), 'This causes serious concern for Japan');
  assert.equal(q.speaker?.text, 'Hayashi');
  assert.equal(q.speaker?.name, 'Yoshimasa Hayashi');
  assert.equal(q.speakerKind, 'person');
  assert.equal(q.cue?.text, 'said');
});

test('a news agency introducing a quote with a colon is an organisation speaker (001, Kyodo News reports:)', () => {
  const q = quoteStarting(extractQuotes(seed('001')), 'North Korean state media reported');
  assert.equal(q.speaker?.text, 'Kyodo News');
  assert.equal(q.speakerKind, 'organization');
  assert.equal(q.cue?.text, 'reports');
});

test('a pronoun subject resolves to the person it points to (001, He called these actions …)', () => {
  const q = quoteStarting(extractQuotes(seed('001')), 'completely unacceptable from the standpoint');
  assert.equal(q.speaker?.text, 'He');
  assert.equal(q.speaker?.name, 'Hiroshi Moriya');
  assert.equal(q.speakerKind, 'pronoun');
});

test('"said" before a colon with a clause in between attributes the quote to the subject (004, Blinken)', () => {
  const q = quoteStarting(extractQuotes(seed('004')), 'We agree that China poses the greatest strategic challenge');
  assert.equal(q.speaker?.text, 'US Secretary of State Anthony Blinken');
  assert.equal(q.speaker?.name, 'Anthony Blinken');
  assert.equal(q.cue?.text, 'said');
});

test('a quote beginning mid-sentence with the speaker after it resolves the surname (000, Song warned)', () => {
  const text = seed('000');
  const q = quoteStarting(extractQuotes(text), 'if not brought under control before it’s too late');
  assert.equal(q.text, 'if not brought under control before it’s too late, there will be endless trouble,');
  assert.equal(q.speaker?.text, 'Song');
  assert.equal(q.speaker?.name, 'Song Zhongping');
  assert.equal(q.cue?.text, 'warned');
});

test('a quotation closed with an opening mark ends there (000, “first island chain “,)', () => {
  const quotes = extractQuotes(seed('000'), { keepScareQuotes: true });
  const q = quotes.find((x) => x.text.startsWith('first island chain'));
  assert.ok(q);
  assert.equal(q.text, 'first island chain');
  assert.ok(!quotes.some((x) => x.text.includes('which could pose')));
});

test('a stray unmatched mark opens no quotation (003, alliance ".)', () => {
  const text = seed('003');
  const quotes = extractQuotes(text, { keepScareQuotes: true });
  assert.ok(quotes.some((x) => x.text === 'something is happening in Taiwan'));
  assert.ok(!quotes.some((x) => x.text.includes('means something is happening in Japan')));
});

test('a scare-quoted term with no speech act is left out, and kept on request (001, "paper tiger")', () => {
  const text = seed('001');
  assert.ok(!extractQuotes(text).some((q) => q.text.startsWith('paper tiger')));
  assert.ok(extractQuotes(text, { keepScareQuotes: true }).some((q) => q.text.startsWith('paper tiger')));
});

test('an anonymous source keeps its own words as its name (002, The source stated that "…")', () => {
  const q = quoteStarting(extractQuotes(seed('002')), 'Such places as the island of Kyushu');
  assert.equal(q.speaker?.text, 'The source');
  assert.equal(q.speaker?.name, 'The source');
  assert.equal(q.speakerKind, 'anonymous');
});

test('"said:" after a long appositive names the person before it (003, Maxwell)', () => {
  const q = quoteStarting(extractQuotes(seed('003')), 'Japan is the rear base of the US military');
  assert.equal(q.speaker?.text, 'Maxwell');
  assert.equal(q.cue?.text, 'said');
});

test('every quote and speaker span slices back to its text in all seed articles', () => {
  for (const file of readdirSync(corpusDir).filter((f) => f.endsWith('.txt'))) {
    const text = readFileSync(new URL(file, corpusDir), 'utf8');
    const quotes = extractQuotes(text, { keepScareQuotes: true });
    assert.ok(quotes.length > 0, `${file}: no quotes`);
    for (const q of quotes) {
      assert.equal(text.slice(q.start, q.end), q.text, `${file} quote ${q.start}`);
      assert.ok(q.text.length > 0 && q.text.trim() === q.text, `${file}: quote not trimmed`);
      assert.ok(!/^["“”„«»]|["“”„«»]$/.test(q.text), `${file}: quote includes its marks: ${q.text}`);
      if (q.speaker) assert.equal(text.slice(q.speaker.start, q.speaker.end), q.speaker.text, `${file} speaker ${q.speaker.start}`);
      if (q.cue) assert.equal(text.slice(q.cue.start, q.cue.end), q.cue.text);
    }
  }
});

test('apostrophes in words are not quotation marks', () => {
  const text = "Japan’s leaders don’t agree, and the ministers’ aides said it's the '90s again.";
  assert.deepEqual(extractQuotes(text, { keepScareQuotes: true }), []);
});

test('inverted order with a title: the name after "said" is the speaker', () => {
  const text = '"We will not back down from this fight," said Senator Jane Doe, a Democrat from Ohio.';
  const [q] = extractQuotes(text);
  assert.equal(q?.text, 'We will not back down from this fight,');
  assert.equal(q?.speaker?.text, 'Senator Jane Doe');
  assert.equal(q?.speaker?.name, 'Jane Doe');
  assert.equal(q?.speakerKind, 'person');
});

test('an appositive between the name and "told … that" keeps the name as speaker', () => {
  const text =
    'Song Zhongping, a Chinese military expert, told the Global Times on Thursday that the deployment "would pose a serious threat to the region."';
  const [q] = extractQuotes(text);
  assert.equal(q?.speaker?.text, 'Song Zhongping');
  assert.equal(q?.cue?.text, 'told');
});

test('a quote running over paragraphs continues with the same speaker (news convention)', () => {
  const text = [
    'Mayor Ann Lee spoke on Monday.',
    '',
    '"The budget is balanced for the first time in a decade," Lee said. "We cut waste and kept every library open.',
    '',
    '"Next year we will do even better for the city."',
    '',
    'The council meets again in May.',
  ].join('\n');
  const quotes = extractQuotes(text);
  assert.equal(quotes.length, 3);
  const [first, second, third] = quotes;
  assert.equal(first?.speaker?.name, 'Ann Lee');
  assert.equal(second?.text, 'We cut waste and kept every library open.');
  assert.equal(second?.speaker?.name, 'Ann Lee');
  assert.equal(third?.text, 'Next year we will do even better for the city.');
  assert.equal(third?.speaker?.name, 'Ann Lee');
  assert.equal(third?.continued, true);
});

test('nested single quotes stay inside the outer quotation', () => {
  const text = 'He said, "They told me \'no way\' and walked out of the room."';
  const quotes = extractQuotes(text, { keepScareQuotes: true });
  assert.equal(quotes.length, 1);
  assert.equal(quotes[0]?.text, "They told me 'no way' and walked out of the room.");
  assert.equal(quotes[0]?.speaker?.text, 'He');
});

test('curly single quotes work as quotation marks outside double ones', () => {
  const text = '‘We are ready for any outcome,’ the minister said on Friday.';
  const [q] = extractQuotes(text);
  assert.equal(q?.text, 'We are ready for any outcome,');
  assert.equal(q?.speaker?.text, 'the minister');
});

test('"according to" after a quote names the source', () => {
  const text = 'Talks will resume "as soon as both sides are ready to make concessions," according to Reuters News Agency.';
  const [q] = extractQuotes(text);
  assert.equal(q?.speaker?.text, 'Reuters News Agency');
  assert.equal(q?.speakerKind, 'organization');
  assert.equal(q?.cue?.text, 'according to');
});

test('recogniser spans passed in decide who is a person', () => {
  const text = 'Georgia Washington chairs the board. "We will vote on the plan tomorrow," Washington said.';
  const without = extractQuotes(text)[0];
  assert.equal(without?.speakerKind, 'organization');
  const withEntities = extractQuotes(text, {
    entities: [
      { start: 0, end: 18, text: 'Georgia Washington', kind: 'person' },
      { start: 74, end: 84, text: 'Washington', kind: 'person' },
    ],
  })[0];
  assert.equal(withEntities?.speaker?.text, 'Washington');
  assert.equal(withEntities?.speakerKind, 'person');
  assert.equal(withEntities?.speaker?.name, 'Georgia Washington');
});

test("two apostrophes ('') work as double quotation marks, as some newspapers print them", () => {
  const text = "''Revenues are up a little bit, and so are rounds,'' said Mr. Ekovich, who runs a golf course. ''Things are moving.''";
  const quotes = extractQuotes(text);
  assert.equal(quotes[0]?.text, 'Revenues are up a little bit, and so are rounds,');
  assert.equal(quotes[0]?.speaker?.text, 'Mr. Ekovich');
  assert.equal(quotes[1]?.text, 'Things are moving.');
  assert.equal(quotes[1]?.continued, true);
});

test('an infinitive of saying takes the subject of the verb before it ("was prompted to say")', () => {
  const text = "The debate was so subdued that Mr. Trump was prompted to say, ''So far, I cannot believe how civil it's been up here.''";
  const [q] = extractQuotes(text);
  assert.equal(q?.speaker?.text, 'Mr. Trump');
  assert.equal(q?.cue?.text, 'say');
});

test('a colon after a clause without a speech verb attributes the quote to its subject', () => {
  const text = 'In city after city, Perez lobbies for a higher minimum wage: "No one who works full time should raise children in poverty."';
  const [q] = extractQuotes(text);
  assert.equal(q?.speaker?.text, 'Perez');
  assert.equal(q?.cue, null);
});

test('a quotation that ends its sentence takes no speaker from the next sentence that quotes someone else', () => {
  const text = 'Blumenthal was asked, "Would you have told her it was a bad idea?" He answered, "I have no idea."';
  const quotes = extractQuotes(text);
  // The person asked is not the one asking.
  assert.equal(quotes[0]?.speaker, null);
  assert.equal(quotes[1]?.speaker?.text, 'He');
});

test('markup attribute values are not quotations', () => {
  const text = '<tweet id="672138506081275904" author="@MissDBunker">Scanner: shots fired downtown</tweet>';
  assert.deepEqual(extractQuotes(text, { keepScareQuotes: true }), []);
});

test('words an outlet cites someone as stating are that person\'s ("China News cited Lin Jian, stating that “…”")', () => {
  const q = quoteStarting(extractQuotes(seed('001')), 'China urges the US to cancel its plans');
  assert.equal(q.speaker?.text, 'Lin Jian');
  const made = extractQuotes('The Daily Courier quoted Maria Okafor, saying “the port will open in spring, whatever the board decides.”');
  assert.equal(made[0]?.speaker?.text, 'Maria Okafor');
});

test('an unattributed quotation between two quotations of one speaker in a paragraph is theirs', () => {
  const q = quoteStarting(extractQuotes(seed('003')), 'faces the most complex and challenging security environment');
  assert.equal(q.speaker?.name, 'Takeo Kishida');
  assert.equal(q.continued, true);
  const made = extractQuotes('Mayor Ana Ruiz said “the bridge is safe and will stay open.” The city “has never had a safer crossing”. Ruiz added that “inspections will continue every month”.');
  assert.equal(made[1]?.speaker?.name, 'Ana Ruiz');
});

test('a stray comma between a name and its speech verb does not lose the speaker (002, "Jake Sullivan, said in December, that …")', () => {
  const text = seed('002');
  const q = quoteStarting(extractQuotes(text, { entities: recognizeEntities(text) }), 'strengthen and modernize');
  assert.equal(q.speaker?.name, 'Jake Sullivan');
  const made = extractQuotes('Port director Ana Ruiz, said on Monday that the terminal will "double its capacity" by spring.');
  assert.equal(made[0]?.speaker?.text, 'Port director Ana Ruiz');
});

test('another quotation between the subject and its speech verb is stepped over (003, Kihara "…" claimed … "never change …")', () => {
  const text = seed('003');
  const q = quoteStarting(extractQuotes(text, { entities: recognizeEntities(text) }), 'never change the status quo');
  assert.equal(q.speaker?.name, 'Hiroshi Kihara');
  const made = extractQuotes('Mayor Ana Ruiz "who never misses a council meeting" insisted that the bridge would "stay open through the winter storms".');
  assert.equal(made.at(-1)?.speaker?.text, 'Mayor Ana Ruiz');
});

test('analyze lists one entry per statement: the pieces of one attribution are one quotation with its parts', () => {
  const text =
    '“The dam will hold,” said Priya Nandakumar, the county engineer. “We checked every gate twice.”\n\n' +
    'Councillor Tomas Brenner called the plan “reckless” and “a waste of money.”\n\n' +
    '“We will appeal,” Brenner said.';
  const listed = groupByAttribution(text, extractQuotes(text));
  assert.equal(listed.length, 3, JSON.stringify(listed.map((q) => q.text)));
  const [first, second, third] = listed;
  assert.deepEqual(first!.parts.map((p) => p.text), ['The dam will hold,', 'We checked every gate twice.']);
  assert.equal(first!.text, text.slice(first!.start, first!.end));
  assert.equal(first!.speaker?.text, 'Priya Nandakumar');
  assert.deepEqual(second!.parts.map((p) => p.text), ['reckless', 'a waste of money.']);
  assert.equal(second!.speaker?.text, 'Councillor Tomas Brenner');
  // A new paragraph with its own cue is a new statement.
  assert.deepEqual(third!.parts.map((p) => p.text), ['We will appeal,']);
  assert.equal(third!.speaker?.text, 'Brenner');
});

test('analyze leaves out quoted words nobody is said to speak, and single-marked headline phrases in a text quoting in double marks', () => {
  const text =
    'Mayor Backs ‘Bold Plan’ for Harbour\n\n' +
    'Mayor Lena Vosk said on Monday that “the harbour will be rebuilt within two years.”\n\n' +
    'A banner at the gate read “Save our boats, save our town.”';
  const all = groupByAttribution(text, extractQuotes(text, { keepScareQuotes: true }));
  assert.ok(all.some((q) => q.text === 'Bold Plan'));
  const listed = groupByAttribution(text, extractQuotes(text, { keepScareQuotes: true }), { attributedOnly: true });
  assert.deepEqual(listed.map((q) => q.text), ['the harbour will be rebuilt within two years.']);
  assert.equal(listed[0]!.speaker?.text, 'Mayor Lena Vosk');
  // British style, single marks only: they are the quotation marks.
  const british = "‘We will not back down,’ said union leader Ravi Mehta.";
  assert.equal(groupByAttribution(british, extractQuotes(british), { attributedOnly: true }).length, 1);
});
