/**
 * The bot's single `interactionCreate` handler: routes slash commands,
 * message context menus, autocomplete and pagination buttons to the command
 * modules, and owns the one try/catch that turns errors into answers.
 */
import { MessageFlags, type ButtonInteraction, type Interaction, type RepliableInteraction } from 'discord.js';
import type { DigestService } from '../digest/service.js';
import type { SourcesService } from './sources-integration.js';
import type { BriefingEngine } from '../engine/api.js';
import type { BotLogger, Command, CommandContext } from './command.js';
import { pageKey } from './commands.js';
import { isUnanswerable, isUserError, userMessageFor } from './errors.js';
import { decodePageState } from './page-state.js';
import { renderNotice } from './render.js';

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
}

/** What a command is answered with while the engine is still being built: a notice, not an error. */
export const LOADING_MESSAGE = 'Sitrep is still loading the sources, try again in a moment.';

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

async function onButton(interaction: ButtonInteraction, byPageKey: Map<string, Command>, context: CommandContext): Promise<void> {
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
  await interaction.update(command.page(decoded.state.args, decoded.state.page, context));
}

/** Answers an interaction that arrived before the engine was ready: a short private notice, or no choices. */
async function answerLoading(interaction: Interaction): Promise<boolean> {
  if (interaction.isAutocomplete()) {
    await interaction.respond([]);
    return true;
  }
  if (!interaction.isRepliable()) return false;
  await interaction.reply({ ...renderNotice(LOADING_MESSAGE, 'info'), flags: MessageFlags.Ephemeral });
  return true;
}

export function createInteractionHandler(options: InteractionHandlerOptions): (interaction: Interaction) => Promise<void> {
  const { commands, catalogue } = options;
  const byPageKey = new Map([...commands.values()].map((c) => [pageKey(c.data.name), c]));

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
      const context: CommandContext = { engine, log, catalogue, digests: options.digests?.() ?? null, sources: options.sources?.() ?? null };
      if (interaction.isChatInputCommand()) {
        const command = commands.get(interaction.commandName);
        if (command?.kind !== 'slash') throw new Error(`no slash command named ${interaction.commandName}`);
        await command.execute(interaction, context);
      } else if (interaction.isMessageContextMenuCommand()) {
        const command = commands.get(interaction.commandName);
        if (command?.kind !== 'message') throw new Error(`no message command named ${interaction.commandName}`);
        await command.execute(interaction, context);
      } else if (interaction.isAutocomplete()) {
        const command = commands.get(interaction.commandName);
        if (command?.kind !== 'slash' || !command.autocomplete) throw new Error(`no autocomplete for ${interaction.commandName}`);
        await command.autocomplete(interaction, context);
      } else if (interaction.isButton()) {
        await onButton(interaction, byPageKey, context);
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
      if (isUserError(error)) {
        // Input the user should correct (or a feature switched off): expected, so not an error in the logs.
        log.info('interaction answered with a user error', { ...fields, ms: Date.now() - started, identifier: error.identifier });
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
