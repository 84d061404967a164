/**
 * What happens when a digest slot comes due for one channel. Guarantees:
 * - at most one message per (channel, slot, part): a posted-record
 *   `<prefix>digest:posted:<channel>:<slot>:<part>` (SET NX, with a TTL) is
 *   written as soon as a part is posted, before the job completes, and a part
 *   that has one is never posted again; the nonce is derived from the same
 *   triple, so a retry after a crash between posting and recording sends the
 *   same nonce and Discord (`enforce_nonce`) returns the first message;
 * - each scheduled slot is handled once: `lastSlotAt` records the last one
 *   handled (posted, nothing new, or skipped) and a job for a slot at or
 *   before it does nothing; a per-slot lock keeps two jobs of one slot from
 *   posting at the same time;
 * - a slot more than the grace (one hour) late is skipped, with one log line
 *   and a note for `/digest list`; the window starts at `lastDigestAt`, which
 *   advances only when a digest was posted, so the next slot carries
 *   everything new; a slot posted more than a minute late says so;
 * - Missing Access / Missing Permissions count as failures; at the third in a
 *   row the subscription is paused with the reason, and its scheduler removed.
 */
import { randomUUID } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import { buildDigest, type DigestSource } from './content.js';
import type { Subscription } from './subscription.js';
import { classifyPostError, digestNonce, type DigestPoster } from './poster.js';
import { discordTime, renderDigest, type RenderOptions } from '../bot/render.js';
import { DEFAULT_GRACE_MS, type DigestSchedules } from './schedules.js';

/** A slot this much past its time is skipped (default one hour). */
export const DEFAULT_LATE_AFTER_MS = DEFAULT_GRACE_MS;
/** A digest posted this much after its slot says it is late. */
export const LATE_NOTE_AFTER_MS = 60 * 1000;
/** How long one job may hold a slot before another may take it over (ms). */
export const SLOT_LOCK_MS = 60 * 1000;
/** Consecutive Missing Access/Permissions failures that pause a subscription. */
export const DEFAULT_FAILURES_BEFORE_PAUSE = 3;
/** How long a posted-record is kept (seconds): well past any retry of its slot. */
export const POSTED_RECORD_TTL_SECONDS = 7 * 24 * 3600;

export interface DigestSlot {
  channelId: string;
  /** The slot's time (ms): the scheduled time, or for "post now" the minute it was asked for. */
  slotMs: number;
  manual: boolean;
}

export type DigestOutcome =
  | { status: 'posted'; parts: number; messageIds: string[]; documents: number }
  | { status: 'skipped'; reason: 'unsubscribed' | 'paused' | 'late' | 'nothing-new' | 'already-done' };

export interface DigestProcessorOptions {
  redis: Redis;
  schedules: DigestSchedules;
  source: DigestSource;
  poster: DigestPoster;
  prefix: string;
  log?: Logger;
  render?: RenderOptions;
  lateAfterMs?: number;
  failuresBeforePause?: number;
  now?: () => number;
}

const RELEASE_IF_OWNER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** Another job holds the slot: thrown so that BullMQ retries later (by then the slot is done). */
export class SlotBusyError extends Error {
  constructor(channelId: string, slot: string) {
    super(`sitrep digest: another job is posting slot ${slot} of channel ${channelId}; retrying later`);
    this.name = 'SlotBusyError';
  }
}

/** The note a digest posted late carries under its header: when it was due and how late it is. */
export function lateNote(slotMs: number, lateByMs: number): string {
  const minutes = Math.max(1, Math.round(lateByMs / 60_000));
  return `Late: this digest was due ${discordTime(slotMs, 'f')} and is posted ${minutes} min late (Sitrep or its Redis was down).`;
}

/** The slot key of a (channel, slot): scheduled slots by their time, manual ones marked "m". */
export function slotKey(slot: DigestSlot): string {
  return `${slot.manual ? 'm' : ''}${slot.slotMs}`;
}

export class DigestProcessor {
  private readonly o: DigestProcessorOptions;
  private readonly now: () => number;

  constructor(options: DigestProcessorOptions) {
    this.o = options;
    this.now = options.now ?? Date.now;
  }

  postedKey(channelId: string, slot: string, part: number): string {
    return `${this.o.prefix}digest:posted:${channelId}:${slot}:${part}`;
  }

  async process(slot: DigestSlot): Promise<DigestOutcome> {
    const { store } = this.o.schedules;
    const log = this.o.log?.child({ component: 'digest', channelId: slot.channelId, slot: slotKey(slot) });
    const subscription = await store.get(slot.channelId);
    if (!subscription) return { status: 'skipped', reason: 'unsubscribed' };
    if (subscription.paused) return { status: 'skipped', reason: 'paused' };
    if (!slot.manual && subscription.lastSlotAt && Date.parse(subscription.lastSlotAt) >= slot.slotMs) {
      log?.info('digest slot already handled; nothing to do', { lastSlotAt: subscription.lastSlotAt });
      return { status: 'skipped', reason: 'already-done' };
    }
    const lateBy = this.now() - slot.slotMs;
    if (lateBy > (this.o.lateAfterMs ?? this.o.schedules.graceMs)) {
      if (slot.manual) log?.info('"post now" digest skipped: it waited more than the grace', { lateByMs: lateBy });
      else await this.o.schedules.recordMissed(subscription, slot.slotMs, lateBy);
      return { status: 'skipped', reason: 'late' };
    }

    const key = slotKey(slot);
    const lockKey = `${this.o.prefix}digest:slot-lock:${slot.channelId}:${key}`;
    const token = randomUUID();
    if ((await this.o.redis.set(lockKey, token, 'PX', SLOT_LOCK_MS, 'NX')) === null) throw new SlotBusyError(slot.channelId, key);
    try {
      return await this.post(slot, subscription, lateBy, log);
    } finally {
      await this.o.redis.eval(RELEASE_IF_OWNER, 1, lockKey, token).catch(() => undefined);
    }
  }

  private async post(slot: DigestSlot, subscription: Subscription, lateBy: number, log: Logger | undefined): Promise<DigestOutcome> {
    const { store } = this.o.schedules;
    const sinceMs = Date.parse(subscription.lastDigestAt ?? subscription.createdAt);
    const digest = await buildDigest(this.o.source, slot.channelId, { sinceMs, untilMs: slot.slotMs, topic: subscription.topic });
    const late = lateBy >= LATE_NOTE_AFTER_MS;
    const messages = renderDigest(digest, late ? { ...this.o.render, notes: [...(this.o.render?.notes ?? []), lateNote(slot.slotMs, lateBy)] } : this.o.render);
    const slotDone = slot.manual ? {} : { lastSlotAt: new Date(slot.slotMs).toISOString() };
    if (messages.length === 0) {
      if (!slot.manual && (await store.update(slot.channelId, slotDone))) void this.o.schedules.saveMirror();
      return { status: 'skipped', reason: 'nothing-new' };
    }

    const key = slotKey(slot);
    const messageIds: string[] = [];
    for (const [part, message] of messages.entries()) {
      const recordKey = this.postedKey(slot.channelId, key, part);
      const already = await this.o.redis.get(recordKey);
      if (already !== null) {
        log?.info('digest part already posted; not posting again', { part, messageId: already });
        messageIds.push(already);
        continue;
      }
      let id: string;
      try {
        ({ id } = await this.o.poster.post(slot.channelId, message, digestNonce(slot.channelId, key, part)));
      } catch (error) {
        await this.failed(slot, error, log);
        throw error; // not reached: failed() always throws
      }
      const recorded = await this.o.redis.set(recordKey, id, 'EX', POSTED_RECORD_TTL_SECONDS, 'NX');
      if (recorded === null) log?.warn('digest part was recorded by another attempt meanwhile', { part, messageId: id });
      messageIds.push(id);
    }

    // Advance the window (never backwards), mark the slot handled and clear the failure count.
    const latest = await store.get(slot.channelId);
    const advance = !latest?.lastDigestAt || Date.parse(latest.lastDigestAt) < slot.slotMs;
    const changed = await store.update(slot.channelId, {
      ...(advance ? { lastDigestAt: new Date(slot.slotMs).toISOString() } : {}),
      ...(!latest?.lastSlotAt || Date.parse(latest.lastSlotAt) < slot.slotMs ? slotDone : {}),
      consecutivePermissionFailures: 0,
    });
    if (changed) void this.o.schedules.saveMirror();
    log?.info('digest posted', { parts: messages.length, documents: digest.documents.length, ...(late ? { lateByMs: lateBy } : {}) });
    return { status: 'posted', parts: messages.length, messageIds, documents: digest.documents.length };
  }

  private async failed(slot: DigestSlot, error: unknown, log: Logger | undefined): Promise<never> {
    const failure = classifyPostError(error);
    if (failure.kind === 'transient') {
      log?.warn('digest post failed; will retry', { status: failure.status, code: failure.code, error: failure.message });
      throw error instanceof Error ? error : new Error(failure.message);
    }
    if (failure.kind === 'permanent') {
      log?.error('digest post rejected; not retrying this slot', { status: failure.status, code: failure.code, error: failure.message });
      throw new UnrecoverableError(`digest post rejected (${failure.status ?? '?'} ${failure.code ?? ''}): ${failure.message}`);
    }
    const { store } = this.o.schedules;
    const count = (await store.countPermissionFailure(slot.channelId)) ?? 0;
    const limit = this.o.failuresBeforePause ?? DEFAULT_FAILURES_BEFORE_PAUSE;
    const what = failure.code === 50001 ? 'Missing Access' : failure.code === 50013 ? 'Missing Permissions' : failure.code === 10003 ? 'Unknown Channel' : 'no access';
    if (count >= limit) {
      const reason = `paused after ${count} failed digests in a row: ${what} (${failure.code ?? failure.status}); give Sitrep permission to send messages and embeds here, then /digest resume`;
      await store.update(slot.channelId, { paused: true, pausedReason: reason });
      await this.o.schedules.remove(slot.channelId);
      void this.o.schedules.saveMirror();
      log?.warn('digest subscription paused: the bot cannot post in the channel', { failures: count, code: failure.code, reason });
    } else {
      void this.o.schedules.saveMirror();
      log?.warn('digest post refused: the bot cannot post in the channel', { failures: count, limit, code: failure.code });
    }
    throw new UnrecoverableError(`digest post refused: ${what} (${failure.code ?? failure.status})`);
  }
}
