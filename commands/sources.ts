import { SlashCommandBuilder } from 'discord.js';
import type { SlashCommand } from '../src/bot/command.js';
import { renderSources } from '../src/bot/render.js';
import { visibilityFlags, withPublicOption } from '../src/bot/visibility.js';

/** /sources — the documents in the corpus. Only you see it by default. */
const sources = {
  kind: 'slash',
  data: withPublicOption(new SlashCommandBuilder().setName('sources').setDescription('The documents the bot answers from'), false),
  async execute(interaction, context) {
    await interaction.reply({ ...sources.page({}, 0, context), ...visibilityFlags(interaction, false) });
  },
  page(_args, page, { engine }) {
    return renderSources(engine.sources(), page);
  },
} satisfies SlashCommand;

export default sources;
