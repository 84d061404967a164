import { SlashCommandBuilder } from 'discord.js';
import type { SlashCommand } from '../src/bot/command.js';
import { INPUT_LIMITS, renderSearch } from '../src/bot/render.js';
import { isEphemeral, withPublicOption } from '../src/bot/visibility.js';

/** How many passages one search pages through. */
const SEARCH_RESULTS = 20;

/** /search query — the passages that best match, quoted and cited. Only you see it by default. */
const search = {
  kind: 'slash',
  data: withPublicOption(
    new SlashCommandBuilder()
      .setName('search')
      .setDescription('Search the news corpus: matching passages with their sources')
      .addStringOption((o) => o.setName('query').setDescription('Words to look for').setRequired(true).setMaxLength(INPUT_LIMITS.query)),
    false,
  ),
  ephemeral: (interaction) => isEphemeral(interaction, false),
  async execute(interaction, context) {
    // Missing only in a payload that does not match the definition: the engine then says there is nothing to search for.
    const query = interaction.options.getString('query') ?? '';
    await context.respond(search.page({ q: query }, 0, context));
  },
  page(args, page, { engine }) {
    return renderSearch(engine.search(args.q ?? '', { limit: SEARCH_RESULTS }), args, page);
  },
} satisfies SlashCommand;

export default search;
