import { SlashCommandBuilder } from 'discord.js';
import type { SlashCommand } from '../src/bot/command.js';
import { renderSearch } from '../src/bot/render.js';
import { visibilityFlags, withPublicOption } from '../src/bot/visibility.js';

/** How many passages one search pages through. */
const SEARCH_RESULTS = 20;

/** /search query — the passages that best match, quoted and cited. Only you see it by default. */
const search = {
  kind: 'slash',
  data: withPublicOption(
    new SlashCommandBuilder()
      .setName('search')
      .setDescription('Search the news corpus: matching passages with their sources')
      .addStringOption((o) => o.setName('query').setDescription('Words to look for').setRequired(true).setMaxLength(200)),
    false,
  ),
  async execute(interaction, context) {
    const query = interaction.options.getString('query', true);
    await interaction.reply({ ...search.page({ q: query }, 0, context), ...visibilityFlags(interaction, false) });
  },
  page(args, page, { engine }) {
    return renderSearch(engine.search(args.q ?? '', { limit: SEARCH_RESULTS }), args, page);
  },
} satisfies SlashCommand;

export default search;
