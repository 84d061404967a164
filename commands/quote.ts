import { SlashCommandBuilder } from 'discord.js';
import type { SlashCommand } from '../src/bot/command.js';
import type { PageArgs } from '../src/bot/page-state.js';
import { askPage, INPUT_LIMITS, renderChoices, renderQuotes } from '../src/bot/render.js';
import { isEphemeral, optionalString, withPublicOption } from '../src/bot/visibility.js';

/** /quote topic? speaker? — what people said, verbatim, with who said it and where. Public by default. */
const quote = {
  kind: 'slash',
  data: withPublicOption(
    new SlashCommandBuilder()
      .setName('quote')
      .setDescription('Quotations from the news corpus, with the speaker and the source')
      .addStringOption((o) => o.setName('topic').setDescription('What the quote is about').setMaxLength(INPUT_LIMITS.query))
      .addStringOption((o) => o.setName('speaker').setDescription('Who said it').setMaxLength(INPUT_LIMITS.name).setAutocomplete(true)),
    true,
  ),
  ephemeral: (interaction) => isEphemeral(interaction, true),
  async execute(interaction, context) {
    const args: PageArgs = {};
    const topic = optionalString(interaction, 'topic');
    const speaker = optionalString(interaction, 'speaker');
    if (topic) args.topic = topic;
    if (speaker) args.speaker = speaker;
    await context.respond(quote.page(args, 0, context));
  },
  async autocomplete(interaction, { engine }) {
    await interaction.respond(renderChoices(engine.completeNames(interaction.options.getFocused(), 25)));
  },
  page(args, page, { engine }) {
    const shown = askPage(page, (window) => engine.quote({ ...(args.topic ? { topic: args.topic } : {}), ...(args.speaker ? { speaker: args.speaker } : {}), ...window }));
    return renderQuotes(shown.result, args, shown.page);
  },
} satisfies SlashCommand;

export default quote;
