/**
 * The load test behind `npm run test:stress` (and, smaller, test/bot/load.test.ts):
 * the real bot process (`node --import tsx src/main.ts`, the real engine over
 * a corpus folder) against the fake Discord, which enforces the 3-second
 * first response. A burst of mixed commands (search, who, timeline, quote,
 * sources, autocomplete) from many members is sent at once, then the same
 * with one member flooding; for each, how many interactions were
 * acknowledged within 3 s, the ack latency (p50/p99), how many were answered
 * for real (not a cooldown notice, "still loading" or an apology; for
 * autocomplete, choices), and how long the real answers took.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCommands } from '../../src/bot/commands.js';
import { deployCommands } from '../../src/bot/deploy-commands.js';
import { startFakeDiscord, snowflake, type FakeDiscord, type FakeUser, type InteractionRecord, type InteractionSpec } from '../fake-discord/fake-discord.js';
import { startSitrepProcess, type SitrepProcess } from '../bot/sitrep-process.js';

/** Discord's deadline for the first response. */
export const ACK_DEADLINE_MS = 3000;

export interface StressBot {
  discord: FakeDiscord;
  bot: SitrepProcess;
  stop(): Promise<void>;
}

/**
 * Starts the fake Discord, registers the commands and starts the bot process
 * on `corpusDir` (with `cacheDir`: from the saved state there); resolves once
 * it answers and its name tables are built.
 */
export async function startStressBot(corpusDir: string, cacheDir?: string): Promise<StressBot> {
  const discord = await startFakeDiscord({ interactionDeadlineMs: ACK_DEADLINE_MS });
  await deployCommands({ token: discord.token, clientId: discord.applicationId, guildId: discord.guildId, apiUrl: discord.apiUrl, commands: await loadCommands() });
  const bot = startSitrepProcess({
    DISCORD_TOKEN: discord.token,
    DISCORD_API_URL: discord.apiUrl,
    CORPUS_DIR: corpusDir,
    CACHE_DIR: cacheDir ?? mkdtempSync(join(tmpdir(), 'sitrep-stress-cache-')),
    CORPUS_RESCAN_SECONDS: '0',
    SHARD_COUNT: '1',
  });
  const stop = async (): Promise<void> => {
    if (bot.child.exitCode === null) {
      bot.child.kill('SIGTERM');
      await Promise.race([bot.exit, sleep(8000)]);
      if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
    }
    await discord.close();
  };
  try {
    await bot.waitForLog((l) => l.msg === 'bot ready', 180_000);
    await bot.waitForLog((l) => l.msg === 'index loaded', 180_000);
    await bot.waitForLog((l) => l.msg === 'name tables ready', 180_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { discord, bot, stop };
}

/** A small deterministic PRNG (mulberry32), so a run sends the same burst each time. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Everyday news words: queries and topics (nothing drawn from the corpus itself). */
const WORDS = ['missile', 'defense', 'treaty', 'minister', 'election', 'ship', 'military', 'nuclear', 'trade', 'summit', 'island', 'army', 'security', 'policy', 'talks', 'government', 'president', 'navy', 'border', 'economy'];

export type CommandKind = 'search' | 'who' | 'timeline' | 'quote' | 'sources' | 'autocomplete';

/** The mix of a burst, in percent. */
export const MIX: Record<CommandKind, number> = { search: 30, who: 15, timeline: 15, quote: 10, sources: 5, autocomplete: 25 };

export interface PlannedInteraction {
  kind: CommandKind;
  member: FakeUser;
  flood: boolean;
  spec: InteractionSpec;
}

/** Names to ask /who about and prefixes to autocomplete: what the bot's own autocomplete offers for a few letters. */
export async function discoverNames(discord: FakeDiscord): Promise<string[]> {
  const names = new Set<string>();
  for (const letter of ['a', 'e', 'i', 'o', 'u', 's', 't', 'm']) {
    const record = await discord.interact({ kind: 'autocomplete', name: 'who', focused: 'name', options: { name: letter } });
    for (const choice of await record.autocompleteChoices()) names.add(String(choice.value));
  }
  if (names.size === 0) throw new Error('stress: the bot offers no names to autocomplete; is the corpus empty?');
  return [...names];
}

export function member(n: number): FakeUser {
  return { id: snowflake(Date.now() - 86_400_000 + n), username: `member${n}`, global_name: `Member ${n}` };
}

/** `count` interactions of the MIX from `members` members (round-robin), deterministic for a seed. */
export function planBurst(count: number, members: number, names: string[], seed: number, flood = false, from?: FakeUser): PlannedInteraction[] {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const words = (n: number): string => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const users = Array.from({ length: members }, (_, i) => member(i + (flood ? 100_000 : 0)));
  const kinds = Object.entries(MIX) as [CommandKind, number][];
  const planned: PlannedInteraction[] = [];
  for (let i = 0; i < count; i++) {
    let roll = next() * 100;
    let kind: CommandKind = 'search';
    for (const [k, weight] of kinds) {
      if (roll < weight) {
        kind = k;
        break;
      }
      roll -= weight;
    }
    const user = from ?? users[i % members]!;
    let spec: InteractionSpec;
    switch (kind) {
      case 'search':
        spec = { kind: 'chatInput', name: 'search', options: { query: words(1 + Math.floor(next() * 3)) }, user };
        break;
      case 'who': {
        const name = pick(names);
        // A third are misspelt (one letter dropped), as members type them.
        const typed = next() < 0.33 && name.length > 4 ? name.slice(0, 2) + name.slice(3) : name;
        spec = { kind: 'chatInput', name: 'who', options: { name: typed }, user };
        break;
      }
      case 'timeline':
        spec = { kind: 'chatInput', name: 'timeline', options: next() < 0.5 ? { topic: words(1) } : { topic: words(1), from: '2020' }, user };
        break;
      case 'quote':
        spec = { kind: 'chatInput', name: 'quote', options: next() < 0.5 ? { topic: words(1) } : { speaker: pick(names) }, user };
        break;
      case 'sources':
        spec = { kind: 'chatInput', name: 'sources', user };
        break;
      case 'autocomplete': {
        const name = pick(names);
        spec = { kind: 'autocomplete', name: 'who', focused: 'name', options: { name: name.slice(0, 2 + Math.floor(next() * 3)) }, user };
        break;
      }
    }
    planned.push({ kind, member: user, flood, spec });
  }
  return planned;
}

export interface Outcome {
  planned: PlannedInteraction;
  record: InteractionRecord;
  /** Milliseconds from creation to the first accepted callback, or null when none was accepted. */
  ackMs: number | null;
  /** The first callback was a deferral (type 5 or 6). */
  deferred: boolean;
  /** What the member finally saw. */
  answer: 'real' | 'no-choices' | 'cooldown' | 'loading' | 'apology' | 'none';
  /** Milliseconds from creation until the member saw the answer, or null. */
  answerMs: number | null;
}

function messageText(record: InteractionRecord): string {
  const m = record.original;
  if (!m) return '';
  return [m.content, ...m.embeds.flatMap((e) => [e.title ?? '', e.description ?? ''])].join('\n');
}

/** Sends every planned interaction at once (one burst) and waits until each is answered or given up on. */
export async function sendBurst(discord: FakeDiscord, planned: PlannedInteraction[], answerTimeoutMs = 60_000): Promise<Outcome[]> {
  // interact() builds and dispatches synchronously, so all of them leave in the same tick.
  const records = planned.map((p) => discord.interact(p.spec, answerTimeoutMs));
  return Promise.all(
    records.map(async (pending, i): Promise<Outcome> => {
      const record = await pending;
      const p = planned[i]!;
      const accepted = record.callbacks.find((c) => c.status < 400);
      const ackMs = accepted ? accepted.elapsedMs : null;
      const deferred = accepted?.type === 5 || accepted?.type === 6;
      let answer: Outcome['answer'] = 'none';
      let answerMs: number | null = null;
      try {
        if (p.kind === 'autocomplete') {
          const choices = await record.autocompleteChoices(answerTimeoutMs);
          answer = choices.length > 0 ? 'real' : 'no-choices';
          answerMs = ackMs;
        } else {
          const message = await record.visibleMessage(answerTimeoutMs);
          const text = messageText(record);
          answer = /faster than I answer/.test(text) ? 'cooldown' : /still loading/.test(text) ? 'loading' : /something went wrong/.test(text) ? 'apology' : 'real';
          answerMs = deferred && message.edited_timestamp ? Date.parse(message.edited_timestamp) - record.createdAt : ackMs;
        }
      } catch {
        answer = 'none';
      }
      return { planned: p, record, ackMs, deferred, answer, answerMs };
    }),
  );
}

/** Nearest-rank percentile of `values` (ms), or null when empty. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface BurstStats {
  sent: number;
  acknowledgedWithin3s: number;
  ackP50: number | null;
  ackP99: number | null;
  deferred: number;
  answeredForReal: number;
  answerP50: number | null;
  answerP99: number | null;
  /** How the rest were answered. */
  other: Partial<Record<Outcome['answer'], number>>;
  /** Those not acknowledged within 3 s, by kind of command. */
  lateByKind: Partial<Record<CommandKind, number>>;
}

export function summarise(outcomes: Outcome[]): BurstStats {
  const acks = outcomes.map((o) => o.ackMs).filter((ms): ms is number => ms !== null);
  const real = outcomes.filter((o) => o.answer === 'real');
  const other: BurstStats['other'] = {};
  for (const o of outcomes) if (o.answer !== 'real') other[o.answer] = (other[o.answer] ?? 0) + 1;
  const lateByKind: BurstStats['lateByKind'] = {};
  for (const o of outcomes) if (o.ackMs === null || o.ackMs > ACK_DEADLINE_MS) lateByKind[o.planned.kind] = (lateByKind[o.planned.kind] ?? 0) + 1;
  return {
    sent: outcomes.length,
    acknowledgedWithin3s: acks.filter((ms) => ms <= ACK_DEADLINE_MS).length,
    ackP50: percentile(acks, 50),
    ackP99: percentile(acks, 99),
    deferred: outcomes.filter((o) => o.deferred).length,
    answeredForReal: real.length,
    answerP50: percentile(real.map((o) => o.answerMs ?? 0), 50),
    answerP99: percentile(real.map((o) => o.answerMs ?? 0), 99),
    other,
    lateByKind,
  };
}

/** CPU time (user + system, all threads) the process has used, in ms, from /proc; null where there is no /proc. */
export function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    // After the command name: state is field 3, utime field 14 and stime field 15 (clock ticks, 100 a second).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

export interface StressReport {
  corpus: string;
  /** The machine's 1-minute load average when the bursts started (the figures depend on how busy it is). */
  loadAverage: number;
  cores: number;
  burst: BurstStats;
  /** CPU the bot process used answering the first burst, in ms (null without /proc). */
  burstCpuMs: number | null;
  /** The same burst with one member flooding at the same time: the others, and the flooder. */
  floodOthers: BurstStats;
  flooder: BurstStats;
  floodCpuMs: number | null;
}

/**
 * The whole measurement: a burst of `commands` from `members` members, a pause
 * for cooldowns to refill, then the same burst with one member sending `flood`
 * more commands in the same moment.
 */
export async function runStress(options: { corpusDir: string; cacheDir?: string; commands: number; members: number; flood: number; onProgress?: (line: string) => void }): Promise<StressReport> {
  const say = options.onProgress ?? (() => undefined);
  const started = await startStressBot(options.corpusDir, options.cacheDir);
  try {
    const names = await discoverNames(started.discord);
    say(`bot ready; ${names.length} names to ask about`);
    // One of each to warm up (the bot measures what each command costs as it goes).
    await sendBurst(started.discord, planBurst(12, 12, names, 7));
    await sleep(3000);
    const loadAverage = loadavg()[0]!;
    const pid = started.bot.child.pid;
    const cpuBefore = processCpuMs(pid);
    const burst = await sendBurst(started.discord, planBurst(options.commands, options.members, names, 1));
    const cpuAfter = processCpuMs(pid);
    say(`burst of ${options.commands}: done`);
    // Cooldowns refill (10 at once, 4 a second) before the second burst.
    await sleep(3000);
    const flooder = member(999_999);
    const others = planBurst(options.commands, options.members, names, 2, false);
    const flood = planBurst(options.flood, 1, names, 3, true, flooder);
    // The flood is interleaved with everyone else's commands, as it would arrive.
    const mixed: PlannedInteraction[] = [];
    for (let i = 0; i < Math.max(others.length, flood.length); i++) {
      if (flood[i]) mixed.push(flood[i]!);
      if (others[i]) mixed.push(others[i]!);
    }
    const floodBefore = processCpuMs(pid);
    const flooded = await sendBurst(started.discord, mixed);
    const floodAfter = processCpuMs(pid);
    const used = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : b - a);
    say(`burst of ${options.commands} with ${options.flood} from one member: done`);
    return {
      corpus: options.corpusDir,
      loadAverage,
      cores: availableParallelism(),
      burst: summarise(burst),
      burstCpuMs: used(cpuBefore, cpuAfter),
      floodCpuMs: used(floodBefore, floodAfter),
      floodOthers: summarise(flooded.filter((o) => !o.planned.flood)),
      flooder: summarise(flooded.filter((o) => o.planned.flood)),
    };
  } finally {
    await started.stop();
  }
}
