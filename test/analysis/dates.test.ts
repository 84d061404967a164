import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { extractDates, toTimelineDate, type DateMention } from '../../src/analysis/dates/index.js';

const PUB = '2024-03-27'; // a Wednesday

function find(text: string, phrase: string, published: string | null = PUB): DateMention {
  const ms = extractDates(text, { published });
  for (const m of ms) assert.equal(text.slice(m.start, m.end), m.text, 'span invariant');
  const hit = ms.find((m) => m.text.includes(phrase) || phrase.includes(m.text));
  assert.ok(hit, `no mention for "${phrase}" in ${JSON.stringify(ms.map((m) => m.text))}`);
  return hit;
}

function expectDate(text: string, phrase: string, value: string, precision: string, extra: Partial<DateMention> = {}, published: string | null = PUB) {
  const m = find(text, phrase, published);
  assert.equal(m.value, value, `value of "${phrase}"`);
  assert.equal(m.precision, precision, `precision of "${phrase}"`);
  for (const [k, v] of Object.entries(extra)) assert.deepEqual((m as unknown as Record<string, unknown>)[k], v, `${k} of "${phrase}"`);
  return m;
}

test('a bare year after "In" is a year-precision DATE with an absolute anchor', () => {
  expectDate('In 1960, the United States and Japan signed the treaty.', '1960', '1960', 'year', { type: 'DATE', anchor: 'absolute', approximate: false });
});

test('full dates in month-day-year and day-month-year order', () => {
  expectDate('The deal was signed on March 24, 2024 in Tokyo.', 'March 24, 2024', '2024-03-24', 'day');
  expectDate('The deal was signed on 24 March 2024 in Tokyo.', '24 March 2024', '2024-03-24', 'day');
  expectDate('Filed 2023-11-05 with the court.', '2023-11-05', '2023-11-05', 'day');
});

test('a month and day without a year take the year of the nearest occurrence around the publication date', () => {
  expectDate('On March 24 local time, the paper quoted insiders.', 'March 24', '2024-03-24', 'day', { anchor: 'relative', resolved: true });
  expectDate('They will meet at the White House on April 10.', 'April 10', '2024-04-10', 'day');
  expectDate('The ministers met on 24 March.', '24 March', '2024-03-24', 'day');
});

test('"on the 25th" is the most recent 25th on or before the publication date', () => {
  expectDate('A Chinese expert told the Global Times reporter on the 25th that the move was significant.', 'the 25th', '2024-03-25', 'day');
  expectDate('He said on the 28th that talks had failed.', 'the 28th', '2024-02-28', 'day');
});

test('weekdays: the past one in a past-tense sentence, the next one in a future-tense sentence', () => {
  expectDate('Song Zhongping told the Global Times on Thursday that the plan was dangerous.', 'Thursday', '2024-03-21', 'day');
  expectDate('The ministers will meet on Friday to sign the agreement.', 'Friday', '2024-03-29', 'day');
  expectDate('The minister arrived last Friday.', 'last Friday', '2024-03-22', 'day');
});

test('months without a year: past bias in past tense, future bias in future tense', () => {
  expectDate('Back in October, Tokyo was considering using Tomahawk missiles.', 'October', '2023-10', 'month');
  expectDate('The new policy will take effect in September.', 'September', '2024-09', 'month');
  expectDate('White House adviser Jake Sullivan said in December that the policy would help.', 'December', '2023-12', 'month');
});

test('"last/next/this" with a month name, unit or weekday', () => {
  expectDate('Last June, US Defense Secretary Austin claimed progress.', 'Last June', '2023-06', 'month');
  expectDate('The drills took place last December.', 'last December', '2023-12', 'month');
  expectDate('Last month, the prime minister met the president.', 'Last month', '2024-02', 'month');
  expectDate('Elections will be held next year.', 'next year', '2025', 'year');
  expectDate('Prices rose sharply last year.', 'last year', '2023', 'year');
  expectDate('The report came out this week.', 'this week', '2024-W13', 'week');
  expectDate('Talks resume next week.', 'next week', '2024-W14', 'week');
});

test('"by 2027" is an approximate year', () => {
  expectDate('The country wants to buy nearly 500 missiles from the US by 2027.', '2027', '2027', 'year', { approximate: true });
});

test('"the early 2030s" is an approximate decade 203X', () => {
  expectDate('It plans to deploy a missile with a range of 2,000 km by the early 2030s.', '2030s', '203X', 'decade', { approximate: true });
  expectDate('Growth was strong in the 1990s.', '1990s', '199X', 'decade', { approximate: false });
});

test('"the next decade" is the decade after the publication year', () => {
  expectDate('Spending will double over the next decade.', 'the next decade', '203X', 'decade');
});

test('quarters, halves and seasons', () => {
  expectDate('The two sides may sign an agreement in the first quarter of 2024.', 'first quarter of 2024', '2024-Q1', 'quarter');
  expectDate('Profit fell in the third quarter.', 'third quarter', '2023-Q3', 'quarter');
  expectDate('Sales rose in the first half of 2023.', 'first half of 2023', '2023-H1', 'other');
  expectDate('Construction will start this summer.', 'this summer', '2024-SU', 'season');
  expectDate('Exports slowed last fall.', 'last fall', '2023-FA', 'season');
});

test('month with a year, and "since" a year', () => {
  expectDate('In December 2021, Shinzo Abe extended the scope of the treaty.', 'December 2021', '2021-12', 'month', { anchor: 'absolute' });
  expectDate('Since 2021, Japanese forces have attempted to pressure the government.', '2021', '2021', 'year');
});

test('yesterday, today and tomorrow are days relative to the publication date', () => {
  expectDate('The minister spoke yesterday.', 'yesterday', '2024-03-26', 'day');
  expectDate('The minister speaks today.', 'today', '2024-03-27', 'day');
  expectDate('The minister will speak tomorrow.', 'tomorrow', '2024-03-28', 'day');
});

test('"N units ago" shifts back from the publication date at the unit precision', () => {
  expectDate('The base opened two years ago.', 'two years ago', '2022', 'year');
  expectDate('The base opened three months ago.', 'three months ago', '2023-12', 'month');
  expectDate('The base opened five days ago.', 'five days ago', '2024-03-22', 'day');
});

test('now, the past, recent years and the future are TimeML reference values', () => {
  expectDate('Japan is now preparing the deployment.', 'now', 'PRESENT_REF', 'other');
  expectDate('The alliance has grown stronger in recent years.', 'in recent years', 'PAST_REF', 'other');
  expectDate('Tensions may rise in the future.', 'the future', 'FUTURE_REF', 'other');
});

test('ranges give one mention per end', () => {
  const text = 'Spending rose in 2020-2022 and again from March to May.';
  const ms = extractDates(text, { published: PUB });
  assert.deepEqual(
    ms.map((m) => [m.text, m.value]),
    [
      ['2020', '2020'],
      ['2022', '2022'],
      ['March', '2024-03'],
      ['May', '2024-05'],
    ],
  );
});

test('durations are typed DURATION, never DATE', () => {
  const text =
    'Over the past three to four years, the matter was discussed. It is the largest upgrade in more than 60 years. Because US forces have been using Tomahawk missiles for a long time, the talks took two weeks.';
  const ms = extractDates(text, { published: PUB });
  for (const phrase of ['three to four years', '60 years', 'a long time', 'two weeks']) {
    const m = ms.find((x) => x.text.includes(phrase));
    assert.ok(m, `no mention for ${phrase}`);
    assert.equal(m.type, 'DURATION', phrase);
  }
  assert.equal(ms.filter((m) => m.type === 'DATE').length, 0);
  assert.equal(ms.find((m) => m.text.includes('60 years'))!.value, 'P60Y');
});

test('ages are not dates or durations', () => {
  const ms = extractDates('Kopp, a 44-year-old protester, and his sister, aged 52, were 30 years old then.', { published: PUB });
  assert.deepEqual(ms, []);
});

test('without a publication date relative expressions are unresolved and keep XXXX for the year', () => {
  const text = 'On March 24 the ministers met. Last June they spoke. On Thursday they signed. In 1960 the treaty was signed.';
  const ms = extractDates(text, { published: null });
  const by = (p: string) => ms.find((m) => m.text.includes(p))!;
  assert.equal(by('March 24').value, 'XXXX-03-24');
  assert.equal(by('March 24').resolved, false);
  assert.equal(by('Last June').value, 'XXXX-06');
  assert.equal(by('Last June').resolved, false);
  assert.equal(by('Thursday').value, 'XXXX-WXX-4');
  assert.equal(by('Thursday').resolved, false);
  assert.equal(by('1960').value, '1960');
  assert.equal(by('1960').resolved, true);
  // Unresolved mentions never go on a timeline as if they had a year.
  assert.equal(toTimelineDate(by('March 24')), null);
  assert.deepEqual(toTimelineDate(by('1960')), { value: '1960', precision: 'year', approximate: false });
});

test('four-digit quantities are not years', () => {
  const ms = extractDates('The army sent 2000 soldiers and $1960 in aid; flight 2024 landed.', { published: PUB });
  assert.equal(ms.filter((m) => m.type === 'DATE').length, 0);
});

test('seed article 003 (published 2024-03-27): the dates of its sentences', () => {
  const text = readFileSync(new URL('../../corpus/003_7dea33602c708158.txt', import.meta.url), 'utf8');
  const ms = extractDates(text, { published: '2024-03-27' });
  for (const m of ms) assert.equal(text.slice(m.start, m.end), m.text);
  const dates = ms.filter((m) => m.type === 'DATE');
  const valueOf = (phrase: string) => dates.find((m) => m.text === phrase)?.value;
  assert.equal(valueOf('1960'), '1960');
  assert.equal(valueOf('April 10'), '2024-04-10');
  assert.equal(valueOf('the 25th'), '2024-03-25');
  assert.equal(valueOf('December 2021'), '2021-12');
  assert.equal(valueOf('Last June'), '2023-06');
  assert.equal(valueOf('first quarter of 2024')?.toString() ?? dates.find((m) => m.text.includes('first quarter of 2024'))?.value, '2024-Q1');
  const sixty = ms.find((m) => m.text.includes('60 years'));
  assert.equal(sixty?.type, 'DURATION');
});

test('a possessive weekday ("Monday\'s vote") is the most recent such day, even in a future-tense sentence', () => {
  // PUB is Wednesday 2024-03-27.
  expectDate('The council would try to overturn Monday\'s vote next month.', 'Monday', '2024-03-25', 'day');
});

test('"could"/"would" are not future cues: "could not be reached Tuesday" is the past Tuesday', () => {
  expectDate('The mayor could not be reached Tuesday for comment.', 'Tuesday', '2024-03-26', 'day');
  expectDate('The mayor will speak Friday.', 'Friday', '2024-03-29', 'day');
});

test('"by"/"until" a weekday look forward unless the clause is in the past perfect', () => {
  expectDate('The union must answer by Friday, officials say.', 'Friday', '2024-03-29', 'day');
  expectDate('The agency extended the deadline until Friday.', 'Friday', '2024-03-29', 'day');
  expectDate('Ten states had signed the pact by Monday, and more followed.', 'Monday', '2024-03-25', 'day');
  expectDate('Until Monday, the police had not named a suspect.', 'Monday', '2024-03-25', 'day');
});

test('"year-ago" compares with the reported quarter, never with a comparison year already named', () => {
  const text = 'Widget Corp. earned $5 million in the third quarter, against $4 million in the 2023 period. The year-ago results included a tax gain.';
  expectDate(text, 'year-ago', '2023-Q3', 'quarter', {}, '2024-10-30');
  const plain = 'Sales were $7 million, compared with $6 million in 2023. The year-earlier figures included a one-time gain.';
  expectDate(plain, 'year-earlier', '2023', 'year', {}, '2024-10-30');
  // No quarter named: "the year-ago quarter" is the last complete quarter, a year back (PUB is in Q1 2024).
  expectDate('Profit doubled from the year-ago quarter.', 'year-ago quarter', '2022-Q4', 'quarter');
});

test('"in the past" is PAST_REF, but "the past two weeks" stays a duration', () => {
  expectDate('In the past, the ferry ran twice a day.', 'the past', 'PAST_REF', 'other');
  const m = find('Prices rose over the past two weeks.', 'the past two weeks');
  assert.equal(m.type, 'DURATION');
});

test('"at the moment" and "at this time" are not tagged (TimeBank leaves them untagged)', () => {
  const ms = extractDates('There are no plans to sell at the moment, and none at this time.', { published: PUB });
  assert.deepEqual(ms.map((m) => m.text), []);
});

test('the adjective "current" is PRESENT_REF ("then current" is PAST_REF); "current account" is not a date', () => {
  expectDate('The board blamed current market conditions.', 'current', 'PRESENT_REF', 'other');
  expectDate('Holders may buy shares at the then current price.', 'then current', 'PAST_REF', 'other');
  expectDate('Profit will rise in the current quarter.', 'the current quarter', '2024-Q1', 'quarter');
  assert.deepEqual(extractDates('The current account deficit widened.', { published: PUB }).map((m) => m.text), []);
});

test('"the year" / "the full year" is the publication year; "the year ended June 30" is a one-year duration', () => {
  expectDate('Sales for the full year rose 4%.', 'the full year', '2024', 'year');
  expectDate('For the year, volume was flat.', 'the year', '2024', 'year');
  const d = find('Revenue for the year ended June 30 was $3 million.', 'the year');
  assert.equal(d.type, 'DURATION');
  assert.equal(d.value, 'P1Y');
  assert.ok(!extractDates('She was named Player of the Year.', { published: PUB }).some((m) => m.text.includes('year')));
});

test('a month name used as a modifier after "the" is a month ("the October strike")', () => {
  expectDate('Police are still investigating the October shooting.', 'October', '2023-10', 'month');
  expectDate('Friday\'s edition of the paper carried the story.', 'Friday', '2024-03-22', 'day');
});

test('a month-day up to about three months ahead stays ahead in a past-tense sentence (payment dates, deadlines)', () => {
  // PUB is 2024-03-27.
  expectDate('The board declared a dividend payable June 14 to holders of record.', 'June 14', '2024-06-14', 'day');
  // Further ahead than that, a past-tense sentence means last year's date.
  expectDate('The plant was closed on Sept. 12 after the flood.', 'Sept. 12', '2023-09-12', 'day');
});

test('"the quarter ended Mar. 31" is the past occurrence even a few days after the publication date', () => {
  expectDate('Net income for the quarter ended March 31 will be announced soon.', 'March 31', '2023-03-31', 'day');
});

test('"the past year" / "the next year" (no number) are the previous / next calendar year, as TimeBank annotates them', () => {
  expectDate('Membership grew sharply over the past year.', 'the past year', '2023', 'year', { type: 'DATE' });
  expectDate('The mill will close over the next year.', 'the next year', '2025', 'year', { type: 'DATE' });
  assert.equal(find('Prices rose over the past two years.', 'the past two years').type, 'DURATION');
});

test('"by year end" is the publication year; "the last half of 2019" is 2019-H2', () => {
  expectDate('The merger should close by year end.', 'year end', '2024', 'year');
  expectDate('Margins shrank in the last half of 2019.', 'the last half of 2019', '2019-H2', 'other');
  assert.equal(find('Net income for the year ended June 30 rose.', 'June 30').value, '2023-06-30');
});

test('seasons after "into"/"from" or with early/late are dates; "single of the year" is not', () => {
  expectDate('Shortages are expected to last well into the summer.', 'the summer', '2024-SU', 'season');
  expectDate('Orders have recovered from the low levels of the early summer.', 'early summer', '2023-SU', 'season');
  assert.ok(!extractDates('It was voted the single of the year by listeners.', { published: PUB }).some((m) => /year/.test(m.text)));
  expectDate('Costs will rise for the rest of the year.', 'the year', '2024', 'year');
});

test('generic "today\'s society" is not a date, but "today\'s meeting" is the publication day', () => {
  assert.deepEqual(extractDates('Such values matter less in today\'s society.', { published: PUB }).map((m) => m.text), []);
  expectDate('The vote is at today\'s meeting of the council.', 'today', '2024-03-27', 'day');
});

test('"the next day" / "the next morning" in a narrative are the day after the last day told (DATE, not a duration)', () => {
  const text = 'The envoy landed in Oslo on March 12. The next day, he met the king, and the next morning he flew home.';
  expectDate(text, 'The next day', '2024-03-13', 'day', { type: 'DATE' });
  expectDate(text, 'the next morning', '2024-03-14', 'day', { type: 'DATE' });
  // A counted span stays a duration.
  const m = find('Prices will rise over the next two days.', 'the next two days');
  assert.equal(m.type, 'DURATION');
});

test('"the final quarter of 2012" / "the last quarter of last year" are the fourth quarter of that year', () => {
  expectDate('Output shrank in the final quarter of 2022, the ministry said.', 'the final quarter of 2022', '2022-Q4', 'quarter');
  expectDate('Sales rose in the last quarter of last year.', 'the last quarter of last year', '2023-Q4', 'quarter');
});

test('"would" in reported speech looks forward, but "would not comment" reports a past refusal', () => {
  // PUB is Wednesday 2024-03-27.
  expectDate('Her lawyer announced that the singer would be flying to Rome Thursday with her band.', 'Thursday', '2024-03-28', 'day');
  expectDate('A spokesman for the mayor would not comment Tuesday on the report.', 'Tuesday', '2024-03-26', 'day');
});

test('newspaper and show titles are not dates: "USA Today", "the Today show", "The Mail on Sunday"', () => {
  const text = 'A USA Today poll and the Today show agreed, The Mail on Sunday reported. Today, the council meets.';
  const ms = extractDates(text, { published: PUB });
  assert.deepEqual(
    ms.map((m) => [m.text, m.start]),
    [['Today', text.lastIndexOf('Today')]],
  );
  assert.equal(ms[0]!.value, '2024-03-27');
});

test('Easter-related days and weeks, Election Day and other movable holidays', () => {
  // PUB is Wednesday 2024-03-27; Easter 2024 was March 31.
  expectDate('Pilgrims crowded the square on Palm Sunday.', 'Palm Sunday', '2024-03-24', 'day');
  expectDate('The pope will wash the feet of prisoners on Holy Thursday.', 'Holy Thursday', '2024-03-28', 'day');
  // A past-tense sentence written days before the holiday still means the coming one.
  expectDate('Pilgrims arrived in the city ahead of Good Friday.', 'Good Friday', '2024-03-29', 'day');
  expectDate('Holy Week began with a procession.', 'Holy Week', '2024-W13', 'week');
  expectDate('The campaign will run until Election Day.', 'Election Day', '2024-11-05', 'day');
  expectDate('Florists were busy before Mother\'s Day, 2023.', "Mother's Day, 2023", '2023-05-14', 'day');
});

test('"the next decade" in an undated page stays off the timeline; with a date it is the next decade', () => {
  for (const m of extractDates('The ministry aims to deploy them in the next decade.', { published: null })) assert.equal(toTimelineDate(m), null);
  const [dated] = extractDates('The ministry aims to deploy them in the next decade.', { published: '2023-01-05' });
  assert.deepEqual(toTimelineDate(dated!), { value: '203X', precision: 'decade', approximate: false });
});

test('a decade value without its century ("XXX") is not a timeline date', () => {
  const mention = { start: 0, end: 10, text: 'the decade', value: 'XXX', precision: 'decade', approximate: false, type: 'DATE', resolved: false, anchor: 'relative' } as const;
  assert.equal(toTimelineDate(mention), null);
  assert.equal(toTimelineDate({ ...mention, resolved: true }), null);
});

test('a generic "today" (nowadays) is the present, not the publication day; a dated one stays the day', () => {
  expectDate('Today, the border dispute between the two valleys has long been settled.', 'Today', 'PRESENT_REF', 'other');
  expectDate('Unlike their grandparents, most farmers in the region today sell their grain online.', 'today', 'PRESENT_REF', 'other');
  expectDate('The harbour board said today that the pier will reopen.', 'today', '2024-03-27', 'day');
  expectDate('Today the council voted to close the pier.', 'Today', '2024-03-27', 'day');
  expectDate('The council will vote today on the budget.', 'today', '2024-03-27', 'day');
  expectDate('Today is a sad day for the town.', 'Today', '2024-03-27', 'day');
  expectDate('These days the pier is quiet.', 'These days', 'PRESENT_REF', 'other');
  // Nothing generic reaches a timeline value.
  const generic = extractDates('Today, the old rivalry no longer matters to anyone.', { published: PUB });
  assert.ok(generic.every((m) => toTimelineDate(m) === null), JSON.stringify(generic));
});
