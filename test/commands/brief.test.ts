/**
 * /brief end to end: the real discord.js client against the fake Discord,
 * answered by the real engine over the seed corpus.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadCorpus } from '../../src/corpus/load.js';
import { Briefing } from '../../src/engine/briefing.js';
import { startSitrep, type SitrepHarness } from '../bot/harness.js';
import type { FakeMessage } from '../fake-discord/fake-discord.js';

const CORPUS = fileURLToPath(new URL('../../corpus/', import.meta.url));
const EPHEMERAL = 64;
const REPLY = 4;

function buttons(message: FakeMessage): { custom_id?: string; label?: string }[] {
  return message.components.flatMap((row) => row.components ?? []);
}

function embedChars(message: FakeMessage): number {
  return message.embeds.reduce((n, e) => n + [...(e.title ?? '')].length + [...(e.description ?? '')].length + [...(e.footer?.text ?? '')].length, 0);
}

describe('/brief reads its window ahead', () => {
  test('the command calls prepareBrief (the reading in slices) before the brief, with the same options', async () => {
    const briefing = new Briefing((await loadCorpus(CORPUS)).documents);
    const calls: { call: string; topic: unknown; since: unknown }[] = [];
    const { prepareBrief, brief } = briefing;
    briefing.prepareBrief = async (options = {}) => {
      calls.push({ call: 'prepare', topic: options.topic, since: options.since });
      return prepareBrief.call(briefing, options);
    };
    briefing.brief = (options = {}) => {
      calls.push({ call: 'brief', topic: options.topic, since: options.since });
      return brief.call(briefing, options);
    };
    const h = await startSitrep(briefing);
    try {
      const record = await h.discord.interact({ kind: 'chatInput', name: 'brief', options: { topic: 'treaty', since: '2024-03-01' } });
      await record.visibleMessage();
      assert.deepEqual(calls, [
        { call: 'prepare', topic: 'treaty', since: '2024-03-01' },
        { call: 'brief', topic: 'treaty', since: '2024-03-01' },
      ]);
    } finally {
      await h.stop();
    }
  });
});

describe('/brief through the fake Discord', () => {
  let h: SitrepHarness;
  before(async () => {
    h = await startSitrep(new Briefing((await loadCorpus(CORPUS)).documents));
  });
  after(async () => {
    await h.stop();
  });

  test('/brief answers publicly in one message: new documents, who matters, what happened, who said what, each cited', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'brief', options: {} });
    const message = await record.visibleMessage();
    assert.equal(message.flags & EPHEMERAL, 0);
    assert.deepEqual(
      message.embeds.map((e) => e.title?.replace(/^Brief.*/, 'Brief')),
      ['Brief', 'Who matters', 'What happened', 'Who said what'],
    );
    assert.ok(embedChars(message) <= 6000);
    const people = message.embeds[1]!.description!;
    assert.match(people, /\*\*Song Zhongping\*\* — [^\n]*military expert/);
    assert.ok((message.embeds[3]!.description!.match(/^-# /gm) ?? []).length >= 3, 'each quotation has its citation line');
    assert.deepEqual(message.allowed_mentions, { parse: [] });
    const labels = buttons(message).map((b) => b.label);
    assert.ok(labels.includes('Full timeline') && labels.includes('All quotations') && labels.includes('Sources'), labels.join(', '));
  });

  test('"Full timeline" opens the timeline in a message of its own, only for whoever clicked, and leaves the brief as it was', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'brief', options: { topic: 'treaty' } });
    const brief = structuredClone(await record.visibleMessage());
    const open = buttons(brief).find((b) => b.label === 'Full timeline')!;
    const click = await h.discord.interact({ kind: 'button', customId: open.custom_id!, message: brief });
    const timeline = await click.visibleMessage();
    assert.equal(click.response?.type, REPLY);
    assert.notEqual(timeline.id, brief.id);
    assert.equal(timeline.flags & EPHEMERAL, EPHEMERAL);
    assert.match(timeline.embeds[0]!.title!, /^Timeline on treaty/);
  });

  test('"Who is …?" opens that /who answer', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'brief', options: {} });
    const brief = structuredClone(await record.visibleMessage());
    const who = buttons(brief).find((b) => b.label?.startsWith('Who is '))!;
    const name = who.label!.slice('Who is '.length, -1);
    const click = await h.discord.interact({ kind: 'button', customId: who.custom_id!, message: brief });
    const answer = await click.visibleMessage();
    assert.equal(answer.embeds[0]!.title, name);
  });

  test('since "last digest" in a channel without a digest says so', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'brief', options: { since: 'last digest' } });
    const message = await record.visibleMessage();
    assert.match(message.embeds[0]!.description!, /no digest yet/);
  });

  test('a since that is not a time is answered with the value and the forms that work', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'brief', options: { since: 'the other day' } });
    const message = await record.visibleMessage();
    assert.match(message.embeds[0]!.description!, /“the other day” is not a time .*24h, 3d, 1w/);
  });

  test('an empty window says nothing is new and when the last document arrived', async () => {
    const record = await h.discord.interact({ kind: 'chatInput', name: 'brief', options: { since: '2099-01-01' } });
    const message = await record.visibleMessage();
    assert.match(message.embeds[0]!.description!, /^Nothing new since <t:\d+:f> \(by publication date\)\.\nThe last document arrived 2024-03-27/);
  });

  test('since autocompletes the usual windows', async () => {
    const record = await h.discord.interact({ kind: 'autocomplete', name: 'brief', focused: 'since', options: { since: '' } });
    assert.deepEqual((await record.autocompleteChoices()).map((c) => c.value), ['24h', '3d', '1w', 'last digest']);
  });
});
