import { SlashCommandBuilder } from 'discord.js';
import type { SlashCommand } from '../src/bot/command.js';
import { askPage, renderSources } from '../src/bot/render.js';
import { isEphemeral, withPublicOption } from '../src/bot/visibility.js';

/** /sources — the documents in the corpus. Only you see it by default. */
const sources = {
  kind: 'slash',
  data: withPublicOption(new SlashCommandBuilder().setName('sources').setDescription('The documents the bot answers from'), false),
  ephemeral: (interaction) => isEphemeral(interaction, false),
  async execute(_interaction, context) {
    await context.respond(sources.page({}, 0, context));
  },
  page(_args, page, { engine }) {
    const shown = askPage(page, (window) => engine.sources(window));
    return renderSources(shown.result, shown.page);
  },
} satisfies SlashCommand;

export default sources;
