/**
 * The shape of a command module in commands/: one file per command, default
 * export `{ kind, data, execute, autocomplete?, page? }` that `satisfies`
 * one of these types. Commands are glue: read options, call the engine,
 * render with src/bot/render.ts. They let SitrepError propagate; the
 * interaction handler turns it into a message.
 */
import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  MessageContextMenuCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import type { DigestService } from '../digest/service.js';
import type { BriefingEngine } from '../engine/api.js';
import type { BotMessage } from './render.js';
import type { PageArgs } from './page-state.js';

/** Structured logger; the process's logger (src/log.ts) fits it. */
export interface BotLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface CommandContext {
  engine: BriefingEngine;
  /**
   * Answers the interaction: a reply with the command's visibility (`ephemeral`), or, when the
   * handler acknowledged it first because the answer might not make Discord's 3 seconds, an edit
   * of that deferred reply. Commands that declare `ephemeral` answer through this.
   */
  respond(message: BotMessage): Promise<void>;
  log: BotLogger;
  /** Name and description of every loaded slash command (for /help). */
  catalogue: { name: string; description: string }[];
  /**
   * Scheduled digests (for /digest), from `startDigests` (src/digest/bot-integration.ts).
   * Absent or null: the bot runs without Redis and /digest says digests need REDIS_URL.
   */
  digests?: DigestService | null;
}

interface CommandBase<Json> {
  data: { readonly name: string; toJSON(): Json };
}

/**
 * Whether the answer to this interaction is ephemeral. A command that declares it answers through
 * `context.respond`, and the handler may acknowledge it first (deferReply with this visibility)
 * when the work may not fit Discord's 3 seconds. Without it the command acknowledges by itself.
 */
type Visibility<I> = (interaction: I) => boolean;

export interface SlashCommand extends CommandBase<RESTPostAPIChatInputApplicationCommandsJSONBody> {
  kind: 'slash';
  ephemeral?: Visibility<ChatInputCommandInteraction>;
  execute(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, context: CommandContext): Promise<void>;
  /** Renders page `page` of this command's answer from the arguments kept in a button's custom id. */
  page?(args: PageArgs, page: number, context: CommandContext): BotMessage;
}

export interface MessageMenuCommand extends CommandBase<RESTPostAPIContextMenuApplicationCommandsJSONBody> {
  kind: 'message';
  ephemeral?: Visibility<MessageContextMenuCommandInteraction>;
  execute(interaction: MessageContextMenuCommandInteraction, context: CommandContext): Promise<void>;
  page?(args: PageArgs, page: number, context: CommandContext): BotMessage;
}

export type Command = SlashCommand | MessageMenuCommand;
