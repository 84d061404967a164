/**
 * Who sees an answer. Every answering command takes an optional `public`
 * boolean; each command chooses its own default (lookups that are worth
 * sharing are public, browsing is private).
 */
import { MessageFlags, type ChatInputCommandInteraction, type SlashCommandBuilder, type SlashCommandOptionsOnlyBuilder } from 'discord.js';

export const PUBLIC_OPTION = 'public';

/** Adds the optional `public` boolean, stating the default in its description. */
export function withPublicOption<T extends SlashCommandBuilder | SlashCommandOptionsOnlyBuilder>(builder: T, defaultPublic: boolean): SlashCommandOptionsOnlyBuilder {
  return builder.addBooleanOption((option) =>
    option.setName(PUBLIC_OPTION).setDescription(defaultPublic ? 'Show the answer to the channel (default: yes)' : 'Show the answer to the channel (default: only you)'),
  );
}

/** Reply flags: ephemeral unless the answer is public. */
export function visibilityFlags(interaction: ChatInputCommandInteraction, defaultPublic: boolean): { flags?: MessageFlags.Ephemeral } {
  const isPublic = interaction.options.getBoolean(PUBLIC_OPTION) ?? defaultPublic;
  return isPublic ? {} : { flags: MessageFlags.Ephemeral };
}

/** A string option's trimmed value, or undefined when absent or blank. */
export function optionalString(interaction: ChatInputCommandInteraction, name: string): string | undefined {
  const value = interaction.options.getString(name)?.trim();
  return value ? value : undefined;
}

/** Whether the answer is private: the `public` option when given, else the command's default. */
export function isEphemeral(interaction: ChatInputCommandInteraction, defaultPublic: boolean): boolean {
  return !(interaction.options.getBoolean(PUBLIC_OPTION) ?? defaultPublic);
}
