/**
 * The bot's single `interactionCreate` handler: routes slash commands,
 * message context menus, autocomplete and pagination buttons to the command
 * modules, and owns the one try/catch that turns errors into answers.
 *
 * Under load (src/bot/load.ts): each member has a cooldown; the engine work
 * of commands and buttons runs in a fair queue, one job at a time,
 * round-robin across members; and an interaction whose answer might not
 * reach Discord within its 3 seconds (its age, plus the measured cost of the
 * work queued ahead of it, plus its own) is acknowledged first (deferReply /
 * deferUpdate) and answered by editing that reply. A job still waiting
 * DEFER_AFTER_MS after the interaction was created is deferred then.
 * Acknowledgements come first: the queue starts no job while one is on its
 * way to Discord (for at most ACK_PRIORITY_MS), so engine work never holds
 * an acknowledgement back. Autocomplete, which cannot be deferred and costs
 * a table lookup, is answered as it arrives, outside the queue.
 */
import { MessageFlags, type AutocompleteInteraction, type ButtonInteraction, type ChatInputCommandInteraction, type Interaction, type RepliableInteraction } from 'discord.js';
import type { DigestService } from '../digest/service.js';
import type { SourcesService } from './sources-integration.js';
import type { BriefingEngine } from '../engine/api.js';
import type { BotLogger, Command, CommandContext } from './command.js';
import { pageKey } from './commands.js';
import { isOptionError, isUnanswerable, isUserError, userMessageFor } from './errors.js';
import { AUTOCOMPLETE_COOLDOWN, COMMAND_COOLDOWN, FairQueue, MemberCooldown } from './load.js';
import { decodePageState, OPEN_SLOT } from './page-state.js';
import { renderNotice, type BotMessage } from './render.js';

export interface InteractionHandlerOptions {
  commands: Map<string, Command>;
  /** The engine, or null while it is still being built (commands are then answered with LOADING_MESSAGE). */
  engine: () => BriefingEngine | null;
  log: BotLogger;
  /** Name and description of every loaded slash command (for /help). */
  catalogue: CommandContext['catalogue'];
  /** Scheduled digests for /digest, or null when they are off (no REDIS_URL). */
  digests?: () => DigestService | null;
  /** Live sources for /article and /feeds, or null until they are open. */
  sources?: () => SourcesService | null;
  /** Per-member cooldowns; the defaults are COMMAND_COOLDOWN and AUTOCOMPLETE_COOLDOWN. */
  cooldowns?: { commands?: MemberCooldown; autocomplete?: MemberCooldown };
}

/**
 * An answer expected later than this after the interaction was created is
 * deferred first: half of Discord's 3 seconds, the other half for the network,
 * the event loop and a wrong estimate.
 */
export const DEFER_AFTER_MS = 1500;
/** Autocomplete cannot be deferred: one already this old when it reaches the bot is answered with no choices (the member has typed on). */
export const AUTOCOMPLETE_STALE_MS = 2500;
/** How long the queue waits, before its next job, for acknowledgements on their way to Discord. */
export const ACK_PRIORITY_MS = 250;

/** Acknowledgements (deferrals) on their way to Discord: the queue lets them land before it holds the event loop again. */
class AcknowledgementsInFlight {
  private readonly pending = new Set<Promise<unknown>>();

  add(sent: Promise<unknown>): void {
    const settled = sent.then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
  }

  /** Resolves when every acknowledgement sent so far has landed, or after `maxMs`. */
  async landed(maxMs: number): Promise<void> {
    if (this.pending.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(this.pending), new Promise<void>((resolve) => (timer = setTimeout(resolve, maxMs)))]);
    clearTimeout(timer);
  }
}

/** Who an interaction is from when the payload names nobody (Discord always does; a forged payload may not). */
const UNKNOWN_USER = Object.freeze({ id: '0', username: 'unknown user', global_name: null, discriminator: '0', avatar: null });

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Fills in, in place, the fields of an INTERACTION_CREATE payload that
 * discord.js reads without checking, so a payload with fields missing
 * becomes an interaction the handler can answer instead of a TypeError
 * inside discord.js (an unhandled rejection, no answer). Called from the
 * client's `raw` event, which discord.js emits just before it builds the
 * interaction. Missing permissions mean no permissions (fail closed: a
 * member without `permissions` is refused /digest like any member without
 * Manage Server); a missing user is an unknown user; missing lists are empty.
 */
export function normaliseInteractionPayload(packet: unknown): void {
  if (!isRecord(packet) || packet.t !== 'INTERACTION_CREATE') return;
  if (!isRecord(packet.d)) {
    packet.d = { type: 0 }; // an interaction of no known type: discord.js ignores it
    return;
  }
  const d = packet.d;
  if (!isRecord(d.data)) d.data = {};
  if (!Array.isArray(d.entitlements)) d.entitlements = [];
  if (typeof d.app_permissions !== 'string') d.app_permissions = '0';
  if (!isRecord(d.authorizing_integration_owners)) d.authorizing_integration_owners = {};
  if (d.member !== undefined && !isRecord(d.member)) delete d.member;
  const member = d.member;
  if (isRecord(member)) {
    if (typeof member.permissions !== 'string') member.permissions = '0';
    if (!Array.isArray(member.roles)) member.roles = [];
    if (!isRecord(member.user) && isRecord(d.user)) member.user = d.user;
  }
  const user = isRecord(d.user) ? d.user : isRecord(member) && isRecord(member.user) ? member.user : null;
  if (!user || typeof user.id !== 'string') {
    d.user = { ...UNKNOWN_USER };
    if (isRecord(member)) member.user = d.user;
  }
}

/** What a command is answered with while the engine is still being built: a notice, not an error. */
export const LOADING_MESSAGE = 'Sitrep is still loading the sources, try again in a moment.';
/**
 * Commands that read the name and quotation tables: answered with NAMES_LOADING_MESSAGE while a large corpus's
 * tables are built after a start. /who and name autocomplete need only the entity table, which is built first.
 */
const NEEDS_NAMES = new Set(['who', 'quote', 'brief']);
const NEEDS_ENTITIES_ONLY = new Set(['who']);
export const NAMES_LOADING_MESSAGE = 'Sitrep has just started and is still reading the names in the sources (a few seconds); /search and /timeline already answer. Try again in a moment.';

/** A logger that adds `fields` to every line (so every line of one interaction carries its id). */
export function withFields(log: BotLogger, fields: Record<string, unknown>): BotLogger {
  return {
    info: (message, extra) => log.info(message, { ...fields, ...extra }),
    warn: (message, extra) => log.warn(message, { ...fields, ...extra }),
    error: (message, extra) => log.error(message, { ...fields, ...extra }),
  };
}

function interactionFields(interaction: Interaction): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    interactionId: interaction.id,
    type: interaction.type,
    user: interaction.user.id,
    guild: interaction.guildId,
    channel: interaction.channelId,
    // How old the interaction was when it reached the handler (gateway and event-loop delay).
    receivedAfterMs: ageOf(interaction),
  };
  if (interaction.isCommand() || interaction.isAutocomplete()) fields.command = interaction.commandName;
  if (interaction.isButton()) fields.customId = interaction.customId;
  return fields;
}

/** Tells the user about an error: reply when nothing was sent yet, follow-up otherwise; always ephemeral. */
async function answerError(interaction: RepliableInteraction, error: unknown, log: BotLogger): Promise<void> {
  const notice = { ...renderNotice(userMessageFor(error, interaction.id)), flags: MessageFlags.Ephemeral as const };
  try {
    if (interaction.deferred || interaction.replied) await interaction.followUp(notice);
    else await interaction.reply(notice);
  } catch (secondary) {
    if (isUnanswerable(secondary)) log.warn('could not tell the user about an error: the interaction is gone', { interactionId: interaction.id });
    else log.error('could not tell the user about an error', { interactionId: interaction.id, error: secondary });
  }
}

/** Answers an interaction that arrived before the engine was ready: a short private notice, or no choices. */
async function answerLoading(interaction: Interaction, message = LOADING_MESSAGE): Promise<boolean> {
  if (interaction.isAutocomplete()) {
    await interaction.respond([]);
    return true;
  }
  if (!interaction.isRepliable()) return false;
  await interaction.reply({ ...renderNotice(message, 'info'), flags: MessageFlags.Ephemeral });
  return true;
}

/** The words for a member over the cooldown. */
export function cooldownMessage(waitMs: number): string {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return `You are sending commands faster than I answer them: wait ${seconds} second${seconds === 1 ? '' : 's'} and try again. (Each member can send ${COMMAND_COOLDOWN.burst} at once, then ${COMMAND_COOLDOWN.perSecond} a second.)`;
}

/** Whether the tables this command or autocomplete needs are still being built (see BriefingEngine.namesPending). */
function namesPendingFor(interaction: AutocompleteInteraction | ChatInputCommandInteraction, engine: BriefingEngine): boolean | undefined {
  const entitiesOnly = interaction.isAutocomplete() || NEEDS_ENTITIES_ONLY.has(interaction.commandName);
  return entitiesOnly ? (engine.entitiesPending ?? engine.namesPending) : engine.namesPending;
}

/** Milliseconds since Discord created the interaction (from its id), never negative. */
function ageOf(interaction: Interaction): number {
  return Math.max(0, Date.now() - interaction.createdTimestamp);
}

/**
 * How a queued interaction is acknowledged: at most once, either by the
 * answer itself or, when the answer may be late, by deferring first.
 */
class Acknowledgement {
  private deferring: Promise<unknown> | null = null;

  /**
   * `ephemeral`: the visibility of a new reply. A button's answer replaces the
   * message the button is on (a page of a list), unless `newMessage`: then it
   * is a reply of its own (a brief's "Full timeline" opens the list beside it).
   */
  constructor(
    private readonly interaction: RepliableInteraction,
    private readonly ephemeral: boolean,
    private readonly newMessage = false,
    private readonly inFlight?: AcknowledgementsInFlight,
  ) {}

  private get updates(): boolean {
    return this.interaction.isButton() && !this.newMessage;
  }

  get deferred(): boolean {
    return this.deferring !== null;
  }

  /** Resolves once a deferral in flight has landed (or failed), so an error is then told as a follow-up. */
  async settled(): Promise<void> {
    await this.deferring?.catch(() => undefined);
  }

  /** Acknowledges now (deferReply, or deferUpdate for a button) unless that was done already. */
  defer(): Promise<unknown> {
    if (!this.deferring) {
      const i = this.interaction;
      this.deferring = this.updates && i.isButton() ? i.deferUpdate() : i.deferReply(this.ephemeral ? { flags: MessageFlags.Ephemeral } : {});
      this.deferring.catch(() => undefined);
      this.inFlight?.add(this.deferring);
    }
    return this.deferring;
  }

  /** Sends the answer: as the reply (or the button's update), or as the edit of the deferred reply. */
  async respond(message: BotMessage): Promise<void> {
    const i = this.interaction;
    if (this.deferring) {
      await this.deferring;
      await i.editReply(message);
    } else if (this.updates && i.isButton()) {
      await i.update(message);
    } else {
      await i.reply({ ...message, ...(this.ephemeral ? { flags: MessageFlags.Ephemeral as const } : {}) });
    }
  }
}

export function createInteractionHandler(options: InteractionHandlerOptions): (interaction: Interaction) => Promise<void> {
  const { commands, catalogue } = options;
  const byPageKey = new Map([...commands.values()].map((c) => [pageKey(c.data.name), c]));
  const commandCooldown = options.cooldowns?.commands ?? new MemberCooldown(COMMAND_COOLDOWN);
  const autocompleteCooldown = options.cooldowns?.autocomplete ?? new MemberCooldown(AUTOCOMPLETE_COOLDOWN);
  const inFlight = new AcknowledgementsInFlight();
  const queue = new FairQueue(undefined, () => inFlight.landed(ACK_PRIORITY_MS));

  /**
   * Runs a command's work in the fair queue, acknowledging first when the
   * answer might come later than DEFER_AFTER_MS after the interaction was made.
   */
  async function queued(
    interaction: RepliableInteraction,
    key: string,
    ephemeral: boolean,
    work: (ack: Acknowledgement) => Promise<void>,
    newMessage = false,
  ): Promise<void> {
    const ack = new Acknowledgement(interaction, ephemeral, newMessage, inFlight);
    const cost = queue.costs.estimate(key);
    if (ageOf(interaction) + queue.waitingMs() + cost > DEFER_AFTER_MS) void ack.defer();
    let started = false;
    const timer = setTimeout(() => {
      if (!started) void ack.defer();
    }, Math.max(0, DEFER_AFTER_MS - ageOf(interaction)));
    try {
      await queue.schedule(
        interaction.user.id,
        key,
        () => work(ack).catch(async (error: unknown) => {
          await ack.settled();
          throw error;
        }),
        // Just before the work: defer if it would now finish late, and let a deferral reach Discord before the work holds the event loop.
        async () => {
          started = true;
          clearTimeout(timer);
          if (!ack.deferred && ageOf(interaction) + cost > DEFER_AFTER_MS) void ack.defer();
          await ack.settled();
        },
      );
    } finally {
      clearTimeout(timer);
    }
  }

  async function onButton(interaction: ButtonInteraction, context: Omit<CommandContext, 'respond'>): Promise<void> {
    const decoded = decodePageState(interaction.customId);
    if (!decoded.ok) {
      if (decoded.reason === 'not-a-page-button') {
        context.log.warn('button with an unknown custom id', { interactionId: interaction.id, customId: interaction.customId });
        await interaction.reply({ ...renderNotice('This button is no longer in use.', 'info'), flags: MessageFlags.Ephemeral });
        return;
      }
      const again = decoded.command ? ` Run /${decoded.command} again for a fresh list.` : '';
      await interaction.reply({ ...renderNotice(`This list has expired (the bot restarted since it was made).${again}`, 'info'), flags: MessageFlags.Ephemeral });
      return;
    }
    const command = byPageKey.get(decoded.state.command);
    if (!command?.page) {
      await interaction.reply({ ...renderNotice('This button belongs to a command that no longer exists.', 'info'), flags: MessageFlags.Ephemeral });
      return;
    }
    const page = command.page;
    // An "open" button shows the list in a message of its own, seen only by whoever clicked.
    const opens = decoded.state.slot === OPEN_SLOT;
    await queued(
      interaction,
      `button:${command.data.name}`,
      opens,
      async (ack) => {
        const full: CommandContext = { ...context, respond: (message) => ack.respond(message) };
        await ack.respond(page(decoded.state.args, decoded.state.page, full));
      },
      opens,
    );
  }

  async function onAutocomplete(interaction: AutocompleteInteraction, command: Command | undefined, context: CommandContext): Promise<void> {
    if (command?.kind !== 'slash' || !command.autocomplete) {
      await interaction.respond([]);
      return;
    }
    // Answered at once, outside the queue: it cannot be deferred, and a name table lookup costs well under a millisecond.
    // One that reached the bot late (the member has typed on since) gets no choices: an answer would be unused.
    if (ageOf(interaction) > AUTOCOMPLETE_STALE_MS) await interaction.respond([]);
    else await command.autocomplete(interaction, context);
  }

  return async function handleInteraction(interaction: Interaction): Promise<void> {
    const started = Date.now();
    const fields = interactionFields(interaction);
    // Every line logged while answering this interaction carries its id, the command's own lines included.
    const log = withFields(options.log, { interactionId: interaction.id });
    try {
      const engine = options.engine();
      if (!engine) {
        if (await answerLoading(interaction)) log.info('interaction answered: still loading', { ...fields, ms: Date.now() - started });
        return;
      }
      if (!interaction.isAutocomplete() && !interaction.isRepliable()) return;
      if ((interaction.isAutocomplete() || interaction.isChatInputCommand()) && NEEDS_NAMES.has(interaction.commandName) && namesPendingFor(interaction, engine)) {
        if (await answerLoading(interaction, NAMES_LOADING_MESSAGE)) log.info('interaction answered: name tables still loading', { ...fields, ms: Date.now() - started });
        return;
      }
      const cooldown = interaction.isAutocomplete() ? autocompleteCooldown : commandCooldown;
      if (!cooldown.take(interaction.user.id)) {
        if (interaction.isAutocomplete()) await interaction.respond([]);
        else await interaction.reply({ ...renderNotice(cooldownMessage(cooldown.waitMs(interaction.user.id)), 'info'), flags: MessageFlags.Ephemeral });
        log.info('interaction answered: member over the cooldown', { ...fields, ms: Date.now() - started });
        return;
      }
      const base = { engine, log, catalogue, digests: options.digests?.() ?? null, sources: options.sources?.() ?? null };
      // A command that acknowledges by itself answers through reply; respond is for those that let the handler decide.
      const direct: CommandContext = { ...base, respond: () => Promise.reject(new Error('this command acknowledges by itself: use interaction.reply')) };
      if (interaction.isAutocomplete()) {
        await onAutocomplete(interaction, commands.get(interaction.commandName), direct);
      } else if (interaction.isButton()) {
        await onButton(interaction, base);
      } else if (interaction.isChatInputCommand() || interaction.isMessageContextMenuCommand()) {
        const command = commands.get(interaction.commandName);
        const kind = interaction.isChatInputCommand() ? 'slash' : 'message';
        if (!command || command.kind !== kind) {
          log.warn('interaction for a command this bot does not have', { ...fields });
          await interaction.reply({ ...renderNotice(`The command “${interaction.commandName ?? ''}” is not available (any more). /help lists what Sitrep can do.`, 'info'), flags: MessageFlags.Ephemeral });
          return;
        }
        // discord.js types execute per kind; the kind was checked above.
        const execute = command.execute as (i: typeof interaction, context: CommandContext) => Promise<void>;
        const visibility = command.ephemeral as ((i: typeof interaction) => boolean) | undefined;
        if (!visibility) {
          await execute(interaction, direct);
        } else {
          await queued(interaction, `${kind}:${command.data.name}`, visibility(interaction), (ack) => execute(interaction, { ...base, respond: (message) => ack.respond(message) }));
        }
      } else {
        return;
      }
      log.info('interaction answered', { ...fields, ms: Date.now() - started });
    } catch (error) {
      if (isUnanswerable(error)) {
        // Too late (10062) or answered elsewhere (40060): nothing more can reach the user.
        log.warn('interaction could not be answered', { ...fields, ms: Date.now() - started, code: (error as { code?: unknown }).code });
        return;
      }
      if (isUserError(error) || isOptionError(error)) {
        // Input the user should correct (or a feature switched off): expected, so not an error in the logs.
        log.info('interaction answered with a user error', { ...fields, ms: Date.now() - started, identifier: isUserError(error) ? error.identifier : 'option' });
      } else {
        log.error('interaction failed', { ...fields, ms: Date.now() - started, error });
      }
      if (interaction.isAutocomplete()) {
        if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
        return;
      }
      if (interaction.isRepliable()) await answerError(interaction, error, log);
    }
  };
}
