/**
 * A local fake of Discord (REST v10 + gateway v10, JSON encoding, no
 * compression) for end-to-end tests with the real, unmodified discord.js
 * Client. It listens on 127.0.0.1 on a random port, records every request and
 * enforces the rules that bite bots in production: the 3-second first
 * response, one acknowledgement per interaction, payload limits, rate limits
 * and gateway reconnects.
 *
 *   const discord = await startFakeDiscord();
 *   const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: discord.apiUrl } });
 *   await client.login(discord.token);
 *   const record = await discord.interact({ kind: 'chatInput', name: 'ping' });
 *   const message = await record.visibleMessage();
 *
 * Encoding: @discordjs/ws 1.x only speaks JSON; the fake closes a connection
 * asking for another encoding (etf) with 4002. Compression: discord.js asks
 * for `compress=zlib-stream` only when the optional `zlib-sync` package is
 * installed (it is not here); the fake serves it anyway (one deflate context
 * per connection, each payload ending in a sync flush), as Discord does.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { constants as zlibConstants, createDeflate, type Deflate } from 'node:zlib';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { formErrorBody, validateAutocomplete, validateCommands, validateMessage, type FormError } from './limits.js';

// ---------- constants (Discord's numbers) ----------

const DISCORD_EPOCH = 1420070400000n;
const API_PREFIX = '/api/v10';
const Op = { Dispatch: 0, Heartbeat: 1, Identify: 2, Resume: 6, Reconnect: 7, InvalidSession: 9, Hello: 10, HeartbeatAck: 11 } as const;
const InteractionType = { Ping: 1, ApplicationCommand: 2, MessageComponent: 3, Autocomplete: 4, ModalSubmit: 5 } as const;
const Callback = { ChannelMessage: 4, DeferredChannelMessage: 5, DeferredUpdate: 6, UpdateMessage: 7, Autocomplete: 8, Modal: 9 } as const;
const MessageFlag = { Ephemeral: 1 << 6, Loading: 1 << 7 } as const;
/** Default member permissions for the fake user: an ordinary member (no Administrator, Manage Server, Manage Channels...). */
const MEMBER_PERMISSIONS = '2248473465835073';
const APP_PERMISSIONS = '2248473465835073';

// ---------- public types ----------

export interface FakeUser {
  id: string;
  username: string;
  global_name?: string | null;
  bot?: boolean;
}

export interface FakeGuildSpec {
  id: string;
  name: string;
  channels: { id: string; name: string }[];
}

export interface FakeDiscordOptions {
  token?: string;
  applicationId?: string;
  /** Guilds the bot is in; default: one guild with one text channel. */
  guilds?: FakeGuildSpec[];
  /** How long after creation an interaction accepts its first callback (Discord: 3000 ms). */
  interactionDeadlineMs?: number;
  /** How long an interaction token accepts webhook calls (Discord: 15 minutes). */
  interactionTokenLifetimeMs?: number;
  /** Gateway heartbeat interval sent in HELLO (Discord: ~41250 ms). */
  heartbeatIntervalMs?: number;
  /** Window in which a repeated `nonce` with `enforce_nonce` returns the first message (Discord: a few minutes). */
  nonceWindowMs?: number;
  /** `shards` returned by GET /gateway/bot. */
  recommendedShards?: number;
  /** Log gateway and REST traffic to stderr. */
  verbose?: boolean;
}

export interface RecordedRequest {
  at: number;
  method: string;
  /** Path after `/api/v10`, URL-decoded (`/webhooks/1/abc/messages/@original`). */
  path: string;
  /** Path as it arrived on the wire. */
  rawPath: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body (or `payload_json` of a multipart body); null when there is none. */
  body: unknown;
  status: number;
  response: unknown;
  /** The route pattern that handled it, or null for unknown routes. */
  route: string | null;
}

export interface FakeEmbed {
  title?: string;
  description?: string;
  url?: string;
  color?: number;
  fields?: { name: string; value: string; inline?: boolean }[];
  footer?: { text: string };
  author?: { name: string; url?: string };
  [key: string]: unknown;
}

export interface FakeComponent {
  type: number;
  custom_id?: string;
  label?: string;
  style?: number;
  url?: string;
  disabled?: boolean;
  components?: FakeComponent[];
  [key: string]: unknown;
}

/** A message as the fake stores it (an APIMessage plus what the sender asked for). */
export interface FakeMessage {
  id: string;
  channel_id: string;
  guild_id?: string;
  type: number;
  content: string;
  embeds: FakeEmbed[];
  components: FakeComponent[];
  flags: number;
  author: FakeUser & { discriminator: string; avatar: null };
  timestamp: string;
  edited_timestamp: string | null;
  nonce?: string | number;
  webhook_id?: string;
  application_id?: string;
  interaction_metadata?: Record<string, unknown>;
  /** What the sender passed as `allowed_mentions` (null when absent); not part of Discord's message object. */
  allowed_mentions: unknown;
  /** Every version of the message, oldest first (the current one last); not part of Discord's message object. */
  history: { content: string; embeds: FakeEmbed[]; components: FakeComponent[]; flags: number }[];
}

export interface CallbackAttempt {
  at: number;
  /** Milliseconds after the interaction was created. */
  elapsedMs: number;
  type: number;
  data: unknown;
  status: number;
  /** Discord error code when rejected (10062, 40060, 50035...). */
  errorCode: number | null;
  withResponse: boolean;
  /** Whether the request carried an Authorization header (callbacks need none). */
  authorized: boolean;
}

export interface InteractionRecord {
  id: string;
  token: string;
  /** The INTERACTION_CREATE payload that was dispatched. */
  payload: Record<string, unknown>;
  createdAt: number;
  shardId: number;
  /** Every callback request, accepted or not. */
  callbacks: CallbackAttempt[];
  /** The accepted callback, if any. */
  response: { type: number; data: unknown } | null;
  /** The message that is the interaction's original response (type 4/5), or the component's message (type 6/7). */
  original: FakeMessage | null;
  followUps: FakeMessage[];
  /** Choices sent by an autocomplete response. */
  choices: { name: string; value: string | number }[] | null;
  deleted: boolean;
  /** Resolves when `predicate(record)` holds (re-checked on every change), rejects after `timeoutMs` (default 5000). */
  waitFor(predicate: (record: InteractionRecord) => boolean, timeoutMs?: number): Promise<InteractionRecord>;
  /** Waits for the first callback attempt. */
  waitForCallback(timeoutMs?: number): Promise<CallbackAttempt>;
  /**
   * Waits until the user sees a finished message: after type 4 or 7 at once; after type 5 or 6 once
   * `@original` was edited. Resolves with the original message.
   */
  visibleMessage(timeoutMs?: number): Promise<FakeMessage>;
  /** Waits for the n-th follow-up (0-based). */
  followUp(index?: number, timeoutMs?: number): Promise<FakeMessage>;
  /** Waits for an autocomplete response and returns its choices. */
  autocompleteChoices(timeoutMs?: number): Promise<{ name: string; value: string | number }[]>;
}

export type OptionValue = string | number | boolean;

export interface CommandOptionInput {
  name: string;
  /** Application command option type; inferred from the value when absent. */
  type?: number;
  value?: OptionValue;
  focused?: boolean;
  options?: CommandOptionInput[];
}

interface InteractionCommon {
  guildId?: string;
  channelId?: string;
  user?: FakeUser;
  locale?: string;
  /** Send the interaction as a DM (no guild, `user` instead of `member`). */
  dm?: boolean;
  /** The member's permissions (a bitfield as a decimal string); default: an ordinary member, without Manage Server or Administrator. */
  memberPermissions?: string;
  /** Changes the INTERACTION_CREATE payload just before it is sent (to test payloads with missing or unexpected fields). */
  mutate?: (payload: Record<string, unknown>) => void;
}

export type InteractionSpec = InteractionCommon &
  (
    | {
        kind: 'chatInput';
        name: string;
        options?: Record<string, OptionValue> | CommandOptionInput[];
        subcommand?: string;
        subcommandGroup?: string;
      }
    | {
        kind: 'autocomplete';
        name: string;
        /** Name of the focused option. */
        focused: string;
        options?: Record<string, OptionValue> | CommandOptionInput[];
        subcommand?: string;
      }
    | { kind: 'button'; customId: string; message: FakeMessage | string }
    | { kind: 'messageContextMenu'; name: string; target: FakeMessage | string }
    | { kind: 'raw'; type: number; data: Record<string, unknown> }
  );

export interface IdentifyRecord {
  at: number;
  shard: [number, number];
  intents: number;
  sessionId: string;
}

export interface GatewayEventRecord {
  at: number;
  direction: 'in' | 'out';
  shardId: number | null;
  op: number;
  t: string | null;
}

export interface FakeDiscord {
  apiUrl: string;
  gatewayUrl: string;
  token: string;
  applicationId: string;
  botUser: FakeUser;
  guildId: string;
  channelId: string;
  guilds: FakeGuildSpec[];
  /** Every REST request, in arrival order. */
  requests: RecordedRequest[];
  /** Requests that no route handled (answered 404). */
  unknownRoutes: RecordedRequest[];
  identifies: IdentifyRecord[];
  resumes: { at: number; sessionId: string; shardId: number; replayed: number }[];
  gatewayLog: GatewayEventRecord[];
  interactions: InteractionRecord[];
  /** Sends INTERACTION_CREATE to the shard that owns the guild; resolves at the first callback attempt or after the deadline plus `waitMs`. */
  interact(spec: InteractionSpec, waitMs?: number): Promise<InteractionRecord>;
  channelMessages(channelId?: string): FakeMessage[];
  message(id: string): FakeMessage | undefined;
  /** Adds a message from a user to a channel (e.g. as a context-menu target). */
  postUserMessage(content: string, options?: { channelId?: string; user?: FakeUser }): FakeMessage;
  registeredCommands(guildId?: string): Record<string, unknown>[];
  /** The next `count` requests whose `METHOD path` (decoded) matches get a 429. */
  inject429(routePattern: string | RegExp, count: number, retryAfterMs: number, options?: { global?: boolean }): void;
  /** Sends op 7 RECONNECT to every connected shard (or one). */
  reconnect(shardId?: number): void;
  /** Drops the TCP connection of every connected shard (or one) without a close frame. */
  dropConnection(shardId?: number): void;
  /** Forgets the session of every connected shard (or one) and sends op 9 INVALID_SESSION (not resumable): the client must IDENTIFY again. */
  invalidateSession(shardId?: number): void;
  /** Resolves when `count` more READY or RESUMED events have been sent (counted from the call). */
  waitForSessions(count: number, timeoutMs?: number): Promise<void>;
  /** Number of shard connections currently identified or resumed. */
  connectedShards(): number[];
  setInteractionDeadline(ms: number): void;
  close(): Promise<void>;
}

// ---------- helpers ----------

let snowflakeIncrement = 0n;
/** A snowflake for a timestamp (ms); ids made in the same millisecond differ in the increment bits. */
export function snowflake(timestampMs: number = Date.now()): string {
  snowflakeIncrement = (snowflakeIncrement + 1n) & 0xfffn;
  return (((BigInt(timestampMs) - DISCORD_EPOCH) << 22n) | snowflakeIncrement).toString();
}

/** Which shard receives a guild's events. */
export function shardForGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

function apiError(status: number, code: number, message: string): HttpError {
  return new HttpError(status, { code, message });
}

function formError(errors: FormError[]): HttpError {
  if (errors.length === 1 && errors[0]?.code === 'EMPTY_MESSAGE') return apiError(400, 50006, 'Cannot send an empty message');
  return new HttpError(400, formErrorBody(errors));
}

async function readBody(req: IncomingMessage): Promise<{ raw: Buffer; json: unknown }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  if (raw.length === 0) return { raw, json: null };
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    const payload = form.get('payload_json');
    const files = [...form.keys()].filter((k) => k.startsWith('files['));
    const json: unknown = typeof payload === 'string' ? JSON.parse(payload) : {};
    if (isObject(json)) json.__files = files;
    return { raw, json };
  }
  try {
    return { raw, json: JSON.parse(raw.toString('utf8')) };
  } catch {
    throw apiError(400, 50109, 'The request body contains invalid JSON.');
  }
}

// ---------- the fake ----------

interface Session {
  id: string;
  shardId: number;
  shardCount: number;
  seq: number;
  socket: WebSocket | null;
  /** Dispatches kept for RESUME: [seq, payload]. */
  sent: { s: number; payload: string }[];
  /** Dispatches queued while the socket was gone. */
  pending: { t: string; d: unknown }[];
}

interface Injected429 {
  pattern: string | RegExp;
  remaining: number;
  retryAfterMs: number;
  global: boolean;
}

interface InteractionState {
  record: InteractionRecord;
  listeners: Set<() => void>;
  acknowledged: boolean;
  /** For component interactions: the message the component is on. */
  sourceMessageId: string | null;
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const token = options.token ?? `fake.${randomBytes(12).toString('base64url')}`;
  const baseTs = Date.now() - 1000 * 60 * 60 * 24 * 30;
  const applicationId = options.applicationId ?? snowflake(baseTs);
  const botUser: FakeUser = { id: applicationId, username: 'sitrep-test', global_name: 'Sitrep', bot: true };
  const guilds: FakeGuildSpec[] =
    options.guilds ??
    [{ id: snowflake(baseTs + 1), name: 'Fake Guild', channels: [{ id: snowflake(baseTs + 2), name: 'general' }] }];
  if (guilds.length === 0 || guilds[0]!.channels.length === 0) throw new Error('fake-discord: need at least one guild with a channel');
  let deadlineMs = options.interactionDeadlineMs ?? 3000;
  const tokenLifetimeMs = options.interactionTokenLifetimeMs ?? 15 * 60 * 1000;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 41250;
  const nonceWindowMs = options.nonceWindowMs ?? 5 * 60 * 1000;
  const defaultUser: FakeUser = { id: snowflake(baseTs + 3), username: 'analyst', global_name: 'Analyst' };

  const requests: RecordedRequest[] = [];
  const unknownRoutes: RecordedRequest[] = [];
  const identifies: IdentifyRecord[] = [];
  const resumes: FakeDiscord['resumes'] = [];
  const gatewayLog: GatewayEventRecord[] = [];
  const interactionStates = new Map<string, InteractionState>(); // by id
  const interactionsByToken = new Map<string, InteractionState>();
  const interactions: InteractionRecord[] = [];
  const messages = new Map<string, FakeMessage>();
  const channelOrder = new Map<string, string[]>();
  const globalCommands: Record<string, unknown>[] = [];
  const guildCommands = new Map<string, Record<string, unknown>[]>();
  const sessions = new Map<string, Session>();
  const injected: Injected429[] = [];
  const nonces = new Map<string, { at: number; messageId: string }>();
  const sessionWaiters = new Set<() => void>();
  const sockets = new Set<WebSocket>();
  let sessionEvents = 0;

  const log = (...args: unknown[]): void => {
    if (options.verbose) console.error('[fake-discord]', ...args);
  };

  const allChannels = new Map<string, { id: string; name: string; guildId: string }>();
  for (const g of guilds) for (const c of g.channels) allChannels.set(c.id, { ...c, guildId: g.id });

  function channelObject(channelId: string): Record<string, unknown> {
    const c = allChannels.get(channelId);
    if (!c) throw apiError(404, 10003, 'Unknown Channel');
    return {
      id: c.id,
      type: 0,
      guild_id: c.guildId,
      name: c.name,
      position: 0,
      permission_overwrites: [],
      nsfw: false,
      parent_id: null,
      topic: null,
      last_message_id: channelOrder.get(c.id)?.at(-1) ?? null,
      rate_limit_per_user: 0,
      flags: 0,
    };
  }

  function userObject(u: FakeUser): FakeMessage['author'] {
    return { id: u.id, username: u.username, global_name: u.global_name ?? null, discriminator: '0', avatar: null, ...(u.bot ? { bot: true } : {}) };
  }

  function guildCreatePayload(g: FakeGuildSpec): Record<string, unknown> {
    return {
      id: g.id,
      name: g.name,
      icon: null,
      owner_id: defaultUser.id,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      features: [],
      mfa_level: 0,
      system_channel_id: g.channels[0]?.id ?? null,
      system_channel_flags: 0,
      rules_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      preferred_locale: 'en-US',
      public_updates_channel_id: null,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      joined_at: new Date(baseTs).toISOString(),
      large: false,
      unavailable: false,
      member_count: 2,
      roles: [
        { id: g.id, name: '@everyone', color: 0, hoist: false, icon: null, unicode_emoji: null, position: 0, permissions: MEMBER_PERMISSIONS, managed: false, mentionable: false, flags: 0 },
      ],
      emojis: [],
      stickers: [],
      voice_states: [],
      members: [{ user: userObject(botUser), roles: [], joined_at: new Date(baseTs).toISOString(), deaf: false, mute: false, flags: 0 }],
      channels: g.channels.map((c) => {
        const { guild_id: _ignored, ...rest } = channelObject(c.id);
        return rest;
      }),
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  // ---------- messages ----------

  function notifyAll(): void {
    for (const state of interactionStates.values()) for (const l of [...state.listeners]) l();
  }

  function storeMessage(channelId: string, body: Record<string, unknown>, extra: Partial<FakeMessage>): FakeMessage {
    const c = allChannels.get(channelId);
    const content = typeof body.content === 'string' ? body.content : '';
    const embeds = Array.isArray(body.embeds) ? (body.embeds as FakeEmbed[]) : [];
    const components = Array.isArray(body.components) ? (body.components as FakeComponent[]) : [];
    const flags = typeof body.flags === 'number' ? body.flags : 0;
    const message: FakeMessage = {
      id: snowflake(),
      channel_id: channelId,
      ...(c ? { guild_id: c.guildId } : {}),
      type: 0,
      content,
      embeds,
      components,
      flags,
      author: userObject(botUser),
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      allowed_mentions: body.allowed_mentions ?? null,
      history: [{ content, embeds, components, flags }],
      ...extra,
    };
    messages.set(message.id, message);
    const list = channelOrder.get(channelId) ?? [];
    list.push(message.id);
    channelOrder.set(channelId, list);
    return message;
  }

  function editMessage(message: FakeMessage, body: Record<string, unknown>): FakeMessage {
    if (typeof body.content === 'string' || body.content === null) message.content = body.content ?? '';
    if (Array.isArray(body.embeds)) message.embeds = body.embeds as FakeEmbed[];
    if (Array.isArray(body.components)) message.components = body.components as FakeComponent[];
    if (typeof body.flags === 'number') message.flags = (message.flags & MessageFlag.Ephemeral) | (body.flags & ~MessageFlag.Loading);
    else message.flags &= ~MessageFlag.Loading;
    if (body.allowed_mentions !== undefined) message.allowed_mentions = body.allowed_mentions;
    message.edited_timestamp = new Date().toISOString();
    message.history.push({ content: message.content, embeds: message.embeds, components: message.components, flags: message.flags });
    return message;
  }

  function apiMessage(message: FakeMessage): Record<string, unknown> {
    const { allowed_mentions: _a, history: _h, ...rest } = message;
    return { ...rest, attachments: [], mentions: [], mention_roles: [], mention_everyone: false, pinned: false, tts: false };
  }

  // ---------- interactions ----------

  function makeRecord(id: string, interactionToken: string, payload: Record<string, unknown>, shardId: number): InteractionState {
    const listeners = new Set<() => void>();
    const record: InteractionRecord = {
      id,
      token: interactionToken,
      payload,
      createdAt: Date.now(),
      shardId,
      callbacks: [],
      response: null,
      original: null,
      followUps: [],
      choices: null,
      deleted: false,
      waitFor(predicate, timeoutMs = 5000) {
        return new Promise((resolve, reject) => {
          const check = (): void => {
            if (predicate(record)) {
              listeners.delete(check);
              clearTimeout(timer);
              resolve(record);
            }
          };
          const timer = setTimeout(() => {
            listeners.delete(check);
            reject(new Error(`fake-discord: interaction ${id} did not reach the expected state within ${timeoutMs} ms; callbacks: ${JSON.stringify(record.callbacks.map((c) => ({ type: c.type, status: c.status, errorCode: c.errorCode })))}`));
          }, timeoutMs);
          listeners.add(check);
          check();
        });
      },
      async waitForCallback(timeoutMs) {
        await record.waitFor((r) => r.callbacks.length > 0, timeoutMs);
        return record.callbacks[0]!;
      },
      async visibleMessage(timeoutMs) {
        await record.waitFor((r) => {
          if (!r.response || !r.original) return false;
          if (r.response.type === Callback.ChannelMessage || r.response.type === Callback.UpdateMessage) return true;
          // Deferred: visible once @original was edited after the acknowledgement.
          return (r.original.flags & MessageFlag.Loading) === 0 && r.original.edited_timestamp !== null && (r.response.type !== Callback.DeferredUpdate || r.original.history.length > 1);
        }, timeoutMs);
        return record.original!;
      },
      async followUp(index = 0, timeoutMs) {
        await record.waitFor((r) => r.followUps.length > index, timeoutMs);
        return record.followUps[index]!;
      },
      async autocompleteChoices(timeoutMs) {
        await record.waitFor((r) => r.choices !== null, timeoutMs);
        return record.choices!;
      },
    };
    return { record, listeners, acknowledged: false, sourceMessageId: null };
  }

  function optionType(value: OptionValue): number {
    if (typeof value === 'boolean') return 5;
    if (typeof value === 'number') return Number.isInteger(value) ? 4 : 10;
    return 3;
  }

  function toOptions(input: Record<string, OptionValue> | CommandOptionInput[] | undefined, focused?: string): Record<string, unknown>[] {
    if (!input) return [];
    const list: CommandOptionInput[] = Array.isArray(input) ? input : Object.entries(input).map(([name, value]) => ({ name, value }));
    return list.map((o) => {
      if (o.options) return { name: o.name, type: o.type ?? 1, options: toOptions(o.options, focused) };
      const out: Record<string, unknown> = { name: o.name, type: o.type ?? optionType(o.value ?? ''), value: o.value ?? '' };
      if (o.focused || o.name === focused) {
        out.focused = true;
        out.type = o.type ?? 3;
      }
      return out;
    });
  }

  function findCommand(name: string, type: number, guildId: string | undefined): Record<string, unknown> | undefined {
    const pool = [...globalCommands, ...(guildId ? (guildCommands.get(guildId) ?? []) : [])];
    return pool.find((c) => c.name === name && (c.type ?? 1) === type);
  }

  function anyCommandsRegistered(): boolean {
    return globalCommands.length > 0 || [...guildCommands.values()].some((l) => l.length > 0);
  }

  function resolveMessage(ref: FakeMessage | string): FakeMessage {
    const m = typeof ref === 'string' ? messages.get(ref) : messages.get(ref.id);
    if (!m) throw new Error(`fake-discord: unknown message ${typeof ref === 'string' ? ref : ref.id}`);
    return m;
  }

  function findComponent(rows: FakeComponent[], customId: string): FakeComponent | undefined {
    for (const row of rows) {
      if (row.custom_id === customId) return row;
      if (row.components) {
        const hit = findComponent(row.components, customId);
        if (hit) return hit;
      }
    }
    return undefined;
  }

  function buildInteraction(spec: InteractionSpec): { payload: Record<string, unknown>; guildId: string | null; sourceMessageId: string | null } {
    const guild = spec.dm ? null : (guilds.find((g) => g.id === (spec.guildId ?? guilds[0]!.id)) ?? null);
    if (!spec.dm && !guild) throw new Error(`fake-discord: unknown guild ${spec.guildId}`);
    const channelId = spec.channelId ?? (guild ? guild.channels[0]!.id : guilds[0]!.channels[0]!.id);
    const user = spec.user ?? defaultUser;
    let type: number;
    let data: Record<string, unknown>;
    let sourceMessageId: string | null = null;
    let message: Record<string, unknown> | undefined;
    const commandData = (name: string, commandType: number, opts: Record<string, unknown>[]): Record<string, unknown> => {
      const registered = findCommand(name, commandType, guild?.id);
      if (!registered && anyCommandsRegistered()) {
        throw new Error(`fake-discord: no registered command named "${name}" (type ${commandType}); Discord would not send this interaction`);
      }
      return {
        id: (registered?.id as string | undefined) ?? snowflake(),
        name,
        type: commandType,
        ...(opts.length > 0 ? { options: opts } : {}),
        ...(guild && registered?.guild_id ? { guild_id: guild.id } : {}),
      };
    };
    const wrapSub = (opts: Record<string, unknown>[], sub?: string, group?: string): Record<string, unknown>[] => {
      let out = opts;
      if (sub) out = [{ name: sub, type: 1, options: out }];
      if (group) out = [{ name: group, type: 2, options: out }];
      return out;
    };
    switch (spec.kind) {
      case 'chatInput':
        type = InteractionType.ApplicationCommand;
        data = commandData(spec.name, 1, wrapSub(toOptions(spec.options), spec.subcommand, spec.subcommandGroup));
        break;
      case 'autocomplete': {
        type = InteractionType.Autocomplete;
        const opts = toOptions(spec.options, spec.focused);
        if (!opts.some((o) => o.name === spec.focused)) opts.push({ name: spec.focused, type: 3, value: '', focused: true });
        data = commandData(spec.name, 1, wrapSub(opts, spec.subcommand));
        break;
      }
      case 'button': {
        type = InteractionType.MessageComponent;
        const source = resolveMessage(spec.message);
        const component = findComponent(source.components, spec.customId);
        if (!component) throw new Error(`fake-discord: message ${source.id} has no component with custom_id "${spec.customId}"`);
        if (component.disabled) throw new Error(`fake-discord: the button "${spec.customId}" is disabled; a user cannot click it`);
        sourceMessageId = source.id;
        message = apiMessage(source);
        data = { custom_id: spec.customId, component_type: component.type };
        break;
      }
      case 'messageContextMenu': {
        type = InteractionType.ApplicationCommand;
        const target = resolveMessage(spec.target);
        data = { ...commandData(spec.name, 3, []), target_id: target.id, resolved: { messages: { [target.id]: apiMessage(target) } } };
        break;
      }
      case 'raw':
        type = spec.type;
        data = spec.data;
        break;
    }
    // Channel options (type 7) arrive with the channel in `resolved.channels`, as Discord sends them.
    const resolvedChannels: Record<string, unknown> = {};
    const collectChannels = (opts: unknown): void => {
      if (!Array.isArray(opts)) return;
      for (const o of opts as Record<string, unknown>[]) {
        if (o.type === 7 && typeof o.value === 'string' && !o.focused) {
          const c = allChannels.get(o.value);
          resolvedChannels[o.value] = c
            ? { id: c.id, name: c.name, type: 0, parent_id: null, permissions: spec.memberPermissions ?? MEMBER_PERMISSIONS, flags: 0 }
            : { id: o.value, name: 'unknown', type: 0, permissions: '0', flags: 0 };
        }
        collectChannels(o.options);
      }
    };
    collectChannels(data.options);
    if (Object.keys(resolvedChannels).length > 0) data.resolved = { ...(isObject(data.resolved) ? data.resolved : {}), channels: resolvedChannels };
    const id = snowflake();
    const interactionToken = `aW50ZXJhY3Rpb246${id}:${randomBytes(24).toString('base64url')}`;
    const payload: Record<string, unknown> = {
      id,
      application_id: applicationId,
      type,
      data,
      ...(guild ? { guild_id: guild.id, guild: { id: guild.id, locale: 'en-US', features: [] }, guild_locale: 'en-US' } : {}),
      channel: guild ? channelObject(channelId) : { id: channelId, type: 1, recipients: [userObject(user)] },
      channel_id: channelId,
      ...(guild
        ? { member: { user: userObject(user), roles: [], permissions: spec.memberPermissions ?? MEMBER_PERMISSIONS, joined_at: new Date(baseTs).toISOString(), deaf: false, mute: false, flags: 0 } }
        : { user: userObject(user) }),
      token: interactionToken,
      version: 1,
      app_permissions: APP_PERMISSIONS,
      locale: spec.locale ?? 'en-US',
      entitlements: [],
      authorizing_integration_owners: guild ? { '0': guild.id } : { '1': user.id },
      context: guild ? 0 : 1,
      attachment_size_limit: 10 * 1024 * 1024,
      ...(message ? { message } : {}),
    };
    return { payload, guildId: guild?.id ?? null, sourceMessageId };
  }

  function dispatchToShard(guildId: string | null, t: string, d: unknown): number {
    const live = [...sessions.values()];
    if (live.length === 0) throw new Error('fake-discord: no gateway session; log the client in first');
    const shardCount = live[0]!.shardCount;
    const shardId = guildId ? shardForGuild(guildId, shardCount) : 0;
    const session = live.find((s) => s.shardId === shardId);
    if (!session) throw new Error(`fake-discord: shard ${shardId} has no session`);
    sendDispatch(session, t, d);
    return shardId;
  }

  async function interact(spec: InteractionSpec, waitMs = 1000): Promise<InteractionRecord> {
    const { payload, guildId, sourceMessageId } = buildInteraction(spec);
    spec.mutate?.(payload);
    const id = payload.id as string;
    const state = makeRecord(id, payload.token as string, payload, 0);
    state.sourceMessageId = sourceMessageId;
    interactionStates.set(id, state);
    interactionsByToken.set(state.record.token, state);
    interactions.push(state.record);
    state.record.createdAt = Date.now();
    state.record.shardId = dispatchToShard(guildId, 'INTERACTION_CREATE', payload);
    await state.record.waitFor((r) => r.callbacks.length > 0, deadlineMs + waitMs).catch(() => undefined);
    return state.record;
  }

  function handleCallback(interactionId: string, interactionToken: string, body: unknown, query: URLSearchParams, authorized: boolean): { status: number; body: unknown } {
    const state = interactionStates.get(interactionId);
    const now = Date.now();
    const attempt: CallbackAttempt = {
      at: now,
      elapsedMs: state ? now - state.record.createdAt : -1,
      type: isObject(body) && typeof body.type === 'number' ? body.type : -1,
      data: isObject(body) ? body.data : undefined,
      status: 0,
      errorCode: null,
      withResponse: query.get('with_response') === 'true',
      authorized,
    };
    const finish = (result: { status: number; body: unknown }): { status: number; body: unknown } => {
      attempt.status = result.status;
      attempt.errorCode = isObject(result.body) && typeof result.body.code === 'number' ? result.body.code : null;
      if (state) {
        state.record.callbacks.push(attempt);
        for (const l of [...state.listeners]) l();
      }
      return result;
    };
    const fail = (e: HttpError): { status: number; body: unknown } => finish({ status: e.status, body: e.body });
    if (!state || state.record.token !== interactionToken) return fail(apiError(404, 10062, 'Unknown interaction'));
    if (now - state.record.createdAt > deadlineMs) return fail(apiError(404, 10062, 'Unknown interaction'));
    if (state.acknowledged) return fail(apiError(400, 40060, 'Interaction has already been acknowledged.'));
    const interactionType = state.record.payload.type as number;
    const data = isObject(attempt.data) ? attempt.data : {};
    const channelId = state.record.payload.channel_id as string;
    const allowed: Record<number, number[]> = {
      [InteractionType.ApplicationCommand]: [Callback.ChannelMessage, Callback.DeferredChannelMessage, Callback.Modal],
      [InteractionType.MessageComponent]: [Callback.ChannelMessage, Callback.DeferredChannelMessage, Callback.DeferredUpdate, Callback.UpdateMessage, Callback.Modal],
      [InteractionType.Autocomplete]: [Callback.Autocomplete],
      [InteractionType.ModalSubmit]: [Callback.ChannelMessage, Callback.DeferredChannelMessage, Callback.DeferredUpdate, Callback.UpdateMessage],
    };
    if (!(allowed[interactionType] ?? []).includes(attempt.type)) {
      return fail(new HttpError(400, formErrorBody([{ path: ['type'], code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: 'Interaction response type is invalid for this interaction' }])));
    }
    let errors: FormError[] = [];
    if (attempt.type === Callback.ChannelMessage) errors = validateMessage(data, ['data']);
    else if (attempt.type === Callback.UpdateMessage) errors = validateMessage(data, ['data'], { requireContent: false });
    else if (attempt.type === Callback.Autocomplete) errors = validateAutocomplete(data, ['data']);
    if (errors.length > 0) return fail(formError(errors));

    state.acknowledged = true;
    const record = state.record;
    record.response = { type: attempt.type, data: attempt.data };
    const metadata = { id: record.id, type: interactionType, user: (record.payload.member as { user?: unknown } | undefined)?.user ?? record.payload.user, authorizing_integration_owners: record.payload.authorizing_integration_owners };
    const messageType = interactionType === InteractionType.ApplicationCommand ? ((record.payload.data as { type?: number }).type === 1 ? 20 : 23) : 19;
    switch (attempt.type) {
      case Callback.ChannelMessage:
        record.original = storeMessage(channelId, data, { type: messageType, webhook_id: applicationId, application_id: applicationId, interaction_metadata: metadata });
        break;
      case Callback.DeferredChannelMessage:
        record.original = storeMessage(channelId, { flags: ((typeof data.flags === 'number' ? data.flags : 0) & MessageFlag.Ephemeral) | MessageFlag.Loading }, {
          type: messageType,
          webhook_id: applicationId,
          application_id: applicationId,
          interaction_metadata: metadata,
        });
        break;
      case Callback.DeferredUpdate:
        record.original = state.sourceMessageId ? (messages.get(state.sourceMessageId) ?? null) : null;
        break;
      case Callback.UpdateMessage: {
        const source = state.sourceMessageId ? messages.get(state.sourceMessageId) : undefined;
        record.original = source ? editMessage(source, data) : null;
        break;
      }
      case Callback.Autocomplete:
        record.choices = (data.choices as { name: string; value: string | number }[]) ?? [];
        break;
      default:
        break;
    }
    notifyAll();
    if (!attempt.withResponse) return finish({ status: 204, body: null });
    return finish({
      status: 200,
      body: {
        interaction: {
          id: record.id,
          type: interactionType,
          activity_instance_id: null,
          response_message_id: record.original?.id ?? null,
          response_message_loading: attempt.type === Callback.DeferredChannelMessage,
          response_message_ephemeral: record.original ? (record.original.flags & MessageFlag.Ephemeral) !== 0 : false,
        },
        resource: record.original ? { type: attempt.type, message: apiMessage(record.original) } : { type: attempt.type },
      },
    });
  }

  function interactionForWebhook(appId: string, webhookToken: string): InteractionState {
    const state = interactionsByToken.get(webhookToken);
    if (appId !== applicationId || !state) throw apiError(404, 10015, 'Unknown Webhook');
    if (Date.now() - state.record.createdAt > tokenLifetimeMs) throw apiError(401, 50027, 'Invalid Webhook Token');
    return state;
  }

  function webhookMessage(state: InteractionState, messageId: string): FakeMessage {
    if (messageId === '@original') {
      if (!state.acknowledged || !state.record.original || state.record.deleted) throw apiError(404, 10008, 'Unknown Message');
      return state.record.original;
    }
    const m = state.record.followUps.find((f) => f.id === messageId);
    if (!m) throw apiError(404, 10008, 'Unknown Message');
    return m;
  }

  // ---------- REST ----------

  type Handler = (ctx: { params: string[]; body: unknown; query: URLSearchParams; authorized: boolean }) => { status: number; body: unknown };
  const routes: { method: string; pattern: RegExp; route: string; auth: boolean; handler: Handler }[] = [];
  const route = (method: string, routePath: string, auth: boolean, handler: Handler): void => {
    const pattern = new RegExp(`^${routePath.replace(/:[a-z]+/g, '([^/]+)')}$`);
    routes.push({ method, pattern, route: routePath, auth, handler });
  };
  const ok = (body: unknown, status = 200): { status: number; body: unknown } => ({ status, body });
  const gatewayInfo = (): Record<string, unknown> => ({
    url: gatewayUrl,
    shards: options.recommendedShards ?? 1,
    session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 16 },
  });

  route('GET', '/gateway', false, () => ok({ url: gatewayUrl }));
  route('GET', '/gateway/bot', true, () => ok(gatewayInfo()));
  route('GET', '/users/@me', true, () => ok({ ...userObject(botUser), verified: true, mfa_enabled: false, flags: 0 }));
  route('GET', '/applications/@me', true, () => ok({ id: applicationId, name: botUser.username, flags: 0, bot_public: true, bot_require_code_grant: false, description: '', icon: null, verify_key: 'x' }));
  route('POST', '/interactions/:id/:token/callback', false, ({ params, body, query, authorized }) => {
    const result = handleCallback(params[0]!, params[1]!, body, query, authorized);
    if (result.status >= 400) throw new HttpError(result.status, result.body);
    return result;
  });
  route('GET', '/webhooks/:app/:token/messages/:message', false, ({ params }) => {
    const state = interactionForWebhook(params[0]!, params[1]!);
    return ok(apiMessage(webhookMessage(state, params[2]!)));
  });
  route('PATCH', '/webhooks/:app/:token/messages/:message', false, ({ params, body }) => {
    const state = interactionForWebhook(params[0]!, params[1]!);
    const message = webhookMessage(state, params[2]!);
    const errors = validateMessage(body, [], { requireContent: false });
    if (errors.length > 0) throw formError(errors);
    const edited = editMessage(message, isObject(body) ? body : {});
    const empty = edited.content.length === 0 && edited.embeds.length === 0 && edited.components.length === 0;
    if (empty) throw apiError(400, 50006, 'Cannot send an empty message');
    notifyAll();
    return ok(apiMessage(edited));
  });
  route('DELETE', '/webhooks/:app/:token/messages/:message', false, ({ params }) => {
    const state = interactionForWebhook(params[0]!, params[1]!);
    const message = webhookMessage(state, params[2]!);
    messages.delete(message.id);
    const list = channelOrder.get(message.channel_id);
    if (list) list.splice(list.indexOf(message.id), 1);
    if (message === state.record.original) state.record.deleted = true;
    notifyAll();
    return ok(null, 204);
  });
  route('POST', '/webhooks/:app/:token', false, ({ params, body, query }) => {
    const state = interactionForWebhook(params[0]!, params[1]!);
    if (!state.acknowledged) throw apiError(404, 10015, 'Unknown Webhook');
    const errors = validateMessage(body, []);
    if (errors.length > 0) throw formError(errors);
    const data = isObject(body) ? body : {};
    const channelId = state.record.payload.channel_id as string;
    const message = storeMessage(channelId, data, { type: 0, webhook_id: applicationId, application_id: applicationId });
    state.record.followUps.push(message);
    notifyAll();
    return query.get('wait') === 'true' ? ok(apiMessage(message)) : ok(null, 204);
  });
  route('GET', '/channels/:channel', true, ({ params }) => ok(channelObject(params[0]!)));
  route('GET', '/channels/:channel/messages/:message', true, ({ params }) => {
    channelObject(params[0]!);
    const m = messages.get(params[1]!);
    if (!m || m.channel_id !== params[0]) throw apiError(404, 10008, 'Unknown Message');
    return ok(apiMessage(m));
  });
  route('POST', '/channels/:channel/messages', true, ({ params, body }) => {
    const channelId = params[0]!;
    channelObject(channelId);
    const errors = validateMessage(body, []);
    if (errors.length > 0) throw formError(errors);
    const data = isObject(body) ? body : {};
    const nonce = data.nonce;
    if ((typeof nonce === 'string' || typeof nonce === 'number') && data.enforce_nonce === true) {
      const key = `${botUser.id}:${String(nonce)}`;
      const seen = nonces.get(key);
      if (seen && Date.now() - seen.at <= nonceWindowMs) {
        const first = messages.get(seen.messageId);
        if (first) return ok(apiMessage(first));
      }
      const message = storeMessage(channelId, data, { nonce });
      nonces.set(key, { at: Date.now(), messageId: message.id });
      return ok(apiMessage(message));
    }
    const message = storeMessage(channelId, data, nonce !== undefined ? { nonce: nonce as string } : {});
    return ok(apiMessage(message));
  });
  const registerCommands = (list: Record<string, unknown>[], body: unknown, guildId: string | null): { status: number; body: unknown } => {
    const errors = validateCommands(body);
    if (errors.length > 0) throw new HttpError(400, formErrorBody(errors));
    const incoming = body as Record<string, unknown>[];
    const previous = [...list];
    list.length = 0;
    for (const command of incoming) {
      const type = (command.type as number | undefined) ?? 1;
      const existing = previous.find((p) => p.name === command.name && p.type === type);
      list.push({
        ...command,
        type,
        description: command.description ?? '',
        id: existing?.id ?? snowflake(),
        application_id: applicationId,
        ...(guildId ? { guild_id: guildId } : {}),
        version: snowflake(),
        default_member_permissions: command.default_member_permissions ?? null,
      });
    }
    return ok(list);
  };
  route('PUT', '/applications/:app/commands', true, ({ params, body }) => {
    if (params[0] !== applicationId) throw apiError(403, 50001, 'Missing Access');
    return registerCommands(globalCommands, body, null);
  });
  route('GET', '/applications/:app/commands', true, () => ok(globalCommands));
  route('PUT', '/applications/:app/guilds/:guild/commands', true, ({ params, body }) => {
    if (params[0] !== applicationId) throw apiError(403, 50001, 'Missing Access');
    if (!guilds.some((g) => g.id === params[1])) throw apiError(403, 50001, 'Missing Access');
    const list = guildCommands.get(params[1]!) ?? [];
    guildCommands.set(params[1]!, list);
    return registerCommands(list, body, params[1]!);
  });
  route('GET', '/applications/:app/guilds/:guild/commands', true, ({ params }) => ok(guildCommands.get(params[1]!) ?? []));

  function take429(method: string, path: string): Injected429 | null {
    const key = `${method} ${path}`;
    for (const inj of injected) {
      if (inj.remaining <= 0) continue;
      const hit = typeof inj.pattern === 'string' ? key.includes(inj.pattern) : inj.pattern.test(key);
      if (hit) {
        inj.remaining--;
        return inj;
      }
    }
    return null;
  }

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const rawPath = url.pathname;
    const recorded: RecordedRequest = {
      at: Date.now(),
      method,
      path: rawPath,
      rawPath,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      body: null,
      status: 0,
      response: null,
      route: null,
    };
    requests.push(recorded);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      recorded.status = status;
      recorded.response = body;
      const text = body === null || status === 204 ? '' : JSON.stringify(body);
      res.writeHead(status, { ...(text ? { 'content-type': 'application/json' } : {}), ...headers });
      res.end(text);
      log(method, recorded.path, status);
    };
    try {
      const { json } = await readBody(req);
      recorded.body = json;
      if (!rawPath.startsWith(API_PREFIX)) throw apiError(404, 0, '404: Not Found');
      const path = decodeURIComponent(rawPath.slice(API_PREFIX.length));
      recorded.path = path;
      const inj = take429(method, path);
      if (inj) {
        const seconds = inj.retryAfterMs / 1000;
        send(429, { message: 'You are being rate limited.', retry_after: seconds, global: inj.global }, {
          'retry-after': String(seconds),
          'x-ratelimit-limit': '5',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset-after': String(seconds),
          'x-ratelimit-scope': inj.global ? 'global' : 'user',
          ...(inj.global ? { 'x-ratelimit-global': 'true' } : {}),
        });
        return;
      }
      const match = routes.map((r) => ({ r, m: r.method === method ? r.pattern.exec(path) : null })).find((x) => x.m);
      if (!match || !match.m) {
        recorded.route = null;
        unknownRoutes.push(recorded);
        throw apiError(404, 0, '404: Not Found');
      }
      recorded.route = `${match.r.method} ${match.r.route}`;
      const authorized = typeof req.headers.authorization === 'string';
      if (match.r.auth && req.headers.authorization !== `Bot ${token}`) throw apiError(401, 0, '401: Unauthorized');
      const result = match.r.handler({ params: match.m.slice(1), body: json, query: url.searchParams, authorized });
      send(result.status, result.body, { 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '4', 'x-ratelimit-reset-after': '1', 'x-ratelimit-bucket': match.r.route });
    } catch (error) {
      if (error instanceof HttpError) send(error.status, error.body);
      else {
        console.error('[fake-discord] internal error', error);
        send(500, { code: 0, message: '500: Internal Server Error' });
      }
    }
  }

  // ---------- gateway ----------

  /** Connections that asked for zlib-stream: one deflate context for the whole connection, flushed per payload. */
  const deflaters = new WeakMap<WebSocket, { deflate: Deflate; queue: Promise<void> }>();

  function transmit(socket: WebSocket, text: string): void {
    const stream = deflaters.get(socket);
    if (!stream) {
      socket.send(text);
      return;
    }
    // One payload at a time, so each binary message holds exactly one payload ending in a sync flush.
    stream.queue = stream.queue.then(
      () =>
        new Promise<void>((resolve) => {
          const chunks: Buffer[] = [];
          const collect = (chunk: Buffer): void => void chunks.push(chunk);
          stream.deflate.on('data', collect);
          stream.deflate.write(text);
          stream.deflate.flush(zlibConstants.Z_SYNC_FLUSH, () => {
            stream.deflate.off('data', collect);
            if (socket.readyState === WebSocket.OPEN) socket.send(Buffer.concat(chunks), { binary: true });
            resolve();
          });
        }),
    );
  }

  function sendRaw(socket: WebSocket, payload: Record<string, unknown>, shardId: number | null): void {
    gatewayLog.push({ at: Date.now(), direction: 'out', shardId, op: payload.op as number, t: (payload.t as string | null | undefined) ?? null });
    transmit(socket, JSON.stringify(payload));
  }

  function sendDispatch(session: Session, t: string, d: unknown): void {
    if (!session.socket || session.socket.readyState !== WebSocket.OPEN) {
      session.pending.push({ t, d });
      return;
    }
    session.seq++;
    const payload = JSON.stringify({ op: Op.Dispatch, t, s: session.seq, d });
    session.sent.push({ s: session.seq, payload });
    if (session.sent.length > 500) session.sent.shift();
    gatewayLog.push({ at: Date.now(), direction: 'out', shardId: session.shardId, op: Op.Dispatch, t });
    transmit(session.socket, payload);
    log('dispatch', t, 'shard', session.shardId);
  }

  function sessionEvent(): void {
    sessionEvents++;
    for (const w of [...sessionWaiters]) w();
  }

  function onConnection(socket: WebSocket, req: IncomingMessage): void {
    sockets.add(socket);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let session: Session | null = null;
    const shardOf = (): number | null => session?.shardId ?? null;
    if (url.searchParams.get('encoding') && url.searchParams.get('encoding') !== 'json') {
      socket.close(4002, 'Decode error: only JSON encoding is supported by the fake');
      return;
    }
    const compress = url.searchParams.get('compress');
    if (compress && compress !== 'zlib-stream') {
      socket.close(4002, `Decode error: unknown compression ${compress}`);
      return;
    }
    if (compress) deflaters.set(socket, { deflate: createDeflate(), queue: Promise.resolve() });
    if (url.searchParams.get('v') !== '10') {
      socket.close(4012, 'Invalid API version');
      return;
    }
    sendRaw(socket, { op: Op.Hello, d: { heartbeat_interval: heartbeatIntervalMs }, s: null, t: null }, null);
    socket.on('close', () => {
      sockets.delete(socket);
      if (session && session.socket === socket) session.socket = null;
    });
    socket.on('message', (raw: RawData) => {
      let payload: unknown;
      try {
        payload = JSON.parse(raw.toString());
      } catch {
        socket.close(4002, 'Decode error');
        return;
      }
      if (!isObject(payload) || typeof payload.op !== 'number') {
        socket.close(4002, 'Decode error');
        return;
      }
      gatewayLog.push({ at: Date.now(), direction: 'in', shardId: shardOf(), op: payload.op, t: null });
      const d = payload.d;
      switch (payload.op) {
        case Op.Heartbeat:
          sendRaw(socket, { op: Op.HeartbeatAck, d: null, s: null, t: null }, shardOf());
          break;
        case Op.Identify: {
          if (session) {
            socket.close(4005, 'Already authenticated');
            return;
          }
          if (!isObject(d) || d.token !== token) {
            socket.close(4004, 'Authentication failed');
            return;
          }
          const shard = Array.isArray(d.shard) ? (d.shard as number[]) : [0, 1];
          const [shardId = 0, shardCount = 1] = shard;
          if (shardId < 0 || shardCount < 1 || shardId >= shardCount) {
            socket.close(4010, 'Invalid shard');
            return;
          }
          // A new IDENTIFY replaces an older session of the same shard.
          for (const [sid, s] of sessions) if (s.shardId === shardId) sessions.delete(sid);
          session = { id: randomBytes(16).toString('hex'), shardId, shardCount, seq: 0, socket, sent: [], pending: [] };
          sessions.set(session.id, session);
          identifies.push({ at: Date.now(), shard: [shardId, shardCount], intents: typeof d.intents === 'number' ? d.intents : 0, sessionId: session.id });
          const mine = guilds.filter((g) => shardForGuild(g.id, shardCount) === shardId);
          sendDispatch(session, 'READY', {
            v: 10,
            user: { ...userObject(botUser), verified: true, mfa_enabled: false, flags: 0 },
            guilds: mine.map((g) => ({ id: g.id, unavailable: true })),
            session_id: session.id,
            resume_gateway_url: `${gatewayUrl}/resume`,
            shard: [shardId, shardCount],
            application: { id: applicationId, flags: 0 },
            private_channels: [],
            presences: [],
            relationships: [],
            user_settings: {},
            guild_join_requests: [],
            geo_ordered_rtc_regions: [],
          });
          for (const g of mine) sendDispatch(session, 'GUILD_CREATE', guildCreatePayload(g));
          sessionEvent();
          break;
        }
        case Op.Resume: {
          if (!isObject(d) || d.token !== token || typeof d.session_id !== 'string' || !sessions.has(d.session_id)) {
            sendRaw(socket, { op: Op.InvalidSession, d: false, s: null, t: null }, null);
            return;
          }
          const s = sessions.get(d.session_id)!;
          const clientSeq = typeof d.seq === 'number' ? d.seq : 0;
          if (s.socket && s.socket !== socket && s.socket.readyState === WebSocket.OPEN) s.socket.terminate();
          s.socket = socket;
          session = s;
          const missed = s.sent.filter((e) => e.s > clientSeq);
          for (const e of missed) transmit(socket, e.payload);
          const pending = s.pending.splice(0);
          for (const p of pending) sendDispatch(s, p.t, p.d);
          sendDispatch(s, 'RESUMED', {});
          resumes.push({ at: Date.now(), sessionId: s.id, shardId: s.shardId, replayed: missed.length + pending.length });
          sessionEvent();
          break;
        }
        default:
          // Presence/voice/guild member requests are accepted and ignored.
          break;
      }
    });
  }

  // ---------- start ----------

  const server = createServer((req, res) => {
    void handleHttp(req, res);
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (!path.startsWith('/gateway')) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, req));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const apiUrl = `http://127.0.0.1:${port}/api`;
  const gatewayUrl = `ws://127.0.0.1:${port}/gateway`;

  const eachSession = (shardId: number | undefined, fn: (s: Session, socket: WebSocket) => void): void => {
    for (const s of sessions.values()) {
      if (shardId !== undefined && s.shardId !== shardId) continue;
      if (s.socket && s.socket.readyState === WebSocket.OPEN) fn(s, s.socket);
    }
  };

  const fake: FakeDiscord = {
    apiUrl,
    gatewayUrl,
    token,
    applicationId,
    botUser,
    guildId: guilds[0]!.id,
    channelId: guilds[0]!.channels[0]!.id,
    guilds,
    requests,
    unknownRoutes,
    identifies,
    resumes,
    gatewayLog,
    interactions,
    interact,
    channelMessages(channelId = guilds[0]!.channels[0]!.id) {
      return (channelOrder.get(channelId) ?? []).map((id) => messages.get(id)).filter((m): m is FakeMessage => m !== undefined);
    },
    message(id) {
      return messages.get(id);
    },
    postUserMessage(content, { channelId = guilds[0]!.channels[0]!.id, user = defaultUser } = {}) {
      return storeMessage(channelId, { content }, { author: userObject(user) });
    },
    registeredCommands(guildId) {
      return guildId ? [...(guildCommands.get(guildId) ?? [])] : [...globalCommands];
    },
    inject429(routePattern, count, retryAfterMs, { global = false } = {}) {
      injected.push({ pattern: routePattern, remaining: count, retryAfterMs, global });
    },
    reconnect(shardId) {
      eachSession(shardId, (s, socket) => sendRaw(socket, { op: Op.Reconnect, d: null, s: null, t: null }, s.shardId));
    },
    dropConnection(shardId) {
      eachSession(shardId, (s, socket) => {
        s.socket = null;
        socket.terminate();
      });
    },
    invalidateSession(shardId) {
      eachSession(shardId, (s, socket) => {
        sessions.delete(s.id);
        sendRaw(socket, { op: Op.InvalidSession, d: false, s: null, t: null }, s.shardId);
      });
    },
    waitForSessions(count, timeoutMs = 10_000) {
      const target = sessionEvents + count;
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (sessionEvents >= target) {
            sessionWaiters.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          sessionWaiters.delete(check);
          reject(new Error(`fake-discord: expected ${count} more READY/RESUMED within ${timeoutMs} ms`));
        }, timeoutMs);
        sessionWaiters.add(check);
      });
    },
    connectedShards() {
      return [...sessions.values()].filter((s) => s.socket && s.socket.readyState === WebSocket.OPEN).map((s) => s.shardId).sort();
    },
    setInteractionDeadline(ms) {
      deadlineMs = ms;
    },
    async close() {
      for (const socket of sockets) socket.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
