import { SlashCommandBuilder } from 'discord.js';
import type { SlashCommand } from '../src/bot/command.js';
import { renderHelp } from '../src/bot/render.js';
import { visibilityFlags, withPublicOption } from '../src/bot/visibility.js';

/** /help — what each command does. Only you see it by default. */
export default {
  kind: 'slash',
  data: withPublicOption(new SlashCommandBuilder().setName('help').setDescription('What Sitrep can do'), false),
  async execute(interaction, { catalogue }) {
    await interaction.reply({ ...renderHelp(catalogue), ...visibilityFlags(interaction, false) });
  },
} satisfies SlashCommand;
