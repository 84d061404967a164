/**
 * Load is answered: the cooldown and the fair queue on their own (simulated
 * clock), then a burst of interactions — mixed commands from many members
 * and one member flooding, interleaved — against the real bot
 * process and the fake Discord (the guard for `npm run test:stress`, which
 * sends 500 and measures): 30 from 6 members and 10 from one flooder, small
 * enough to hold on a shared CI machine.
 */
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMAND_COOLDOWN, CostMeter, FairQueue, MemberCooldown } from '../../src/bot/load.js';
import type { SearchOptions } from '../../src/engine/api.js';
import type { SearchResult } from '../../src/types.js';
import { startSitrep } from './harness.js';
import { SeedEngine } from './seed-engine.js';
import { discoverNames, member, planBurst, sendBurst, startStressBot, summarise, type PlannedInteraction } from '../stress/burst.js';

describe('per-member cooldown', () => {
  test('10 commands at once pass, the 11th waits a quarter of a second', () => {
    let now = 0;
    const cooldown = new MemberCooldown(COMMAND_COOLDOWN, () => now);
    for (let i = 0; i < 10; i++) assert.equal(cooldown.take('a'), true, `command ${i + 1}`);
    assert.equal(cooldown.take('a'), false);
    assert.equal(cooldown.waitMs('a'), 250);
    assert.equal(cooldown.take('b'), true, 'another member is not affected');
    now += 250;
    assert.equal(cooldown.take('a'), true);
  });

  test('a member sending three commands a second for a minute is never stopped', () => {
    let now = 0;
    const cooldown = new MemberCooldown(COMMAND_COOLDOWN, () => now);
    for (let i = 0; i < 180; i++) {
      assert.equal(cooldown.take('steady'), true, `command ${i + 1}`);
      now += 333;
    }
  });

  test('a member flooding 100 commands in a second gets the burst and four more, no more', () => {
    let now = 0;
    const cooldown = new MemberCooldown(COMMAND_COOLDOWN, () => now);
    let passed = 0;
    for (let i = 0; i < 100; i++) {
      if (cooldown.take('flood')) passed++;
      now += 10;
    }
    assert.equal(passed, COMMAND_COOLDOWN.burst + COMMAND_COOLDOWN.perSecond - 1);
  });
});

describe('fair queue', () => {
  test('jobs run round-robin across members: one member’s backlog does not hold up another', async () => {
    const queue = new FairQueue(new CostMeter());
    const order: string[] = [];
    const job = (name: string) => async () => void order.push(name);
    const all = [...['a1', 'a2', 'a3', 'a4'].map((n) => queue.schedule('A', 'search', job(n))), queue.schedule('B', 'search', job('b1')), queue.schedule('C', 'search', job('c1'))];
    await Promise.all(all);
    assert.deepEqual(order, ['a1', 'b1', 'c1', 'a2', 'a3', 'a4']);
  });

  test('a failing job rejects its own promise and the queue goes on', async () => {
    const queue = new FairQueue(new CostMeter());
    const failed = queue.schedule('A', 'x', async () => {
      throw new Error('boom');
    });
    const next = queue.schedule('A', 'x', async () => undefined);
    await assert.rejects(failed, /boom/);
    await next;
  });

  test('no job starts before the hook run ahead of each job (acknowledgements landing) has resolved', async () => {
    const order: string[] = [];
    let release: () => void = () => undefined;
    let gate = new Promise<void>((resolve) => (release = resolve));
    const queue = new FairQueue(new CostMeter(), async () => {
      order.push('hook');
      await gate;
    });
    const first = queue.schedule('A', 'x', async () => void order.push('a1'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(order, ['hook'], 'the job waits for the hook');
    release();
    await first;
    gate = Promise.resolve();
    await queue.schedule('B', 'x', async () => void order.push('b1'));
    assert.deepEqual(order, ['hook', 'a1', 'hook', 'b1']);
  });

  test('the cost meter learns what a kind of job costs', () => {
    const costs = new CostMeter();
    assert.equal(costs.estimate('who'), 25, 'unmeasured: the default');
    for (let i = 0; i < 50; i++) costs.record('who', 4);
    assert.ok(costs.estimate('who') < 5);
  });
});

/** Searching for "slow" holds the event loop for SLOW_MS, as a costly command on a large corpus would. */
const SLOW_MS = 1700;
class SlowEngine extends SeedEngine {
  override search(query: string, options?: SearchOptions): SearchResult {
    if (query.includes('slow')) {
      const until = Date.now() + SLOW_MS;
      while (Date.now() < until);
    }
    return super.search(query, options);
  }
}

describe('deferring by measured cost', () => {
  test('once a command is measured as slow, the next one is acknowledged at once and answered by editing the deferred reply', { timeout: 60_000 }, async () => {
    const h = await startSitrep(new SlowEngine(fileURLToPath(new URL('../../corpus/', import.meta.url))));
    try {
      const first = await h.discord.interact({ kind: 'chatInput', name: 'search', options: { query: 'slow missiles' } });
      // Unmeasured, it is answered directly (on a very busy machine perhaps too late); either way its cost is measured once it answers.
      await first.waitForCallback(15_000);
      const second = await h.discord.interact({ kind: 'chatInput', name: 'search', options: { query: 'slow treaty' } });
      assert.equal(second.response?.type, 5, 'measured as slow: deferred first');
      assert.ok(second.callbacks[0]!.elapsedMs < SLOW_MS, `acknowledged after ${second.callbacks[0]!.elapsedMs} ms`);
      const message = await second.visibleMessage();
      assert.match(message.embeds[0]!.title!, /Search: slow treaty/);
      assert.equal(message.flags & 64, 64, 'the deferred reply keeps the command’s visibility (private by default)');
    } finally {
      await h.stop();
    }
  });
});

describe('autocomplete under load', () => {
  test('is answered as it arrives, with choices, while slow commands of other members hold the queue', { timeout: 60_000 }, async () => {
    const h = await startSitrep(new SlowEngine(fileURLToPath(new URL('../../corpus/', import.meta.url))));
    try {
      // Sent in the same tick: two commands from other members that each hold the event loop for SLOW_MS, then a keystroke.
      const slow = [1, 2].map((n) => h.discord.interact({ kind: 'chatInput', name: 'search', options: { query: `slow ${n}` }, user: member(n) }));
      const typed = h.discord.interact({ kind: 'autocomplete', name: 'who', focused: 'name', options: { name: 'Ja' }, user: member(3) });
      const record = await typed;
      const choices = await record.autocompleteChoices();
      assert.ok(choices.length > 0, 'no choices');
      // The first slow command may already hold the event loop when the keystroke arrives; it must not wait for the second.
      assert.ok(record.callbacks[0]!.elapsedMs < 2 * SLOW_MS - 200, `answered after ${record.callbacks[0]!.elapsedMs} ms: it waited behind the queued command`);
      for (const pending of slow) assert.match((await (await pending).visibleMessage()).embeds[0]!.title!, /Search: slow/);
    } finally {
      await h.stop();
    }
  });
});

describe('a burst of 50 against the real bot process', () => {
  test('every interaction is acknowledged within 3 s; members who do not flood get real answers; the flooder is held to the cooldown', { timeout: 300_000 }, async () => {
    const stress = await startStressBot('corpus');
    try {
      const names = await discoverNames(stress.discord);
      const others = planBurst(30, 6, names, 11);
      const flooder = { id: '900000000000000001', username: 'flooder' };
      // More than the cooldown lets through at once (COMMAND_COOLDOWN.burst), so some must be slowed.
      const flood = planBurst(COMMAND_COOLDOWN.burst + 10, 1, names, 12, true, flooder);
      const mixed: PlannedInteraction[] = [];
      for (let i = 0; i < others.length; i++) {
        if (flood[i]) mixed.push(flood[i]!);
        mixed.push(others[i]!);
      }
      const outcomes = await sendBurst(stress.discord, mixed, 15_000);
      const o = summarise(outcomes.filter((x) => !x.planned.flood));
      const f = summarise(outcomes.filter((x) => x.planned.flood));
      const report = JSON.stringify({ others: o, flooder: f });
      // The fake Discord refuses a first response after 3 s (10062), so acknowledged = within 3 s.
      assert.equal(o.acknowledgedWithin3s, o.sent, report);
      assert.equal(f.acknowledgedWithin3s, f.sent, report);
      // Autocomplete may honestly find no name for a prefix; everything else is a real answer.
      assert.equal(o.answeredForReal + (o.other['no-choices'] ?? 0), o.sent, report);
      assert.ok(o.answeredForReal >= o.sent * 0.9, report);
      // The flooder's first commands are answered; the rest are told to slow down (autocomplete: no choices).
      const flooderCommands = outcomes.filter((x) => x.planned.flood && x.planned.kind !== 'autocomplete');
      const slowed = flooderCommands.filter((x) => x.answer === 'cooldown').length;
      assert.ok(f.answeredForReal >= 1, report);
      assert.ok(f.answeredForReal <= COMMAND_COOLDOWN.burst + 2 * COMMAND_COOLDOWN.perSecond + 2, report);
      assert.ok(slowed >= 1, report);
      // No message of the burst may ping anyone: every one was sent with mentions off.
      for (const x of outcomes) if (x.record.original) assert.deepEqual(x.record.original.allowed_mentions, { parse: [] }, `interaction ${x.record.id}`);
    } finally {
      await stress.stop();
    }
  });
});
