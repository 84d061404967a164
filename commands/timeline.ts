import { SlashCommandBuilder } from 'discord.js';
import type { SlashCommand } from '../src/bot/command.js';
import type { PageArgs } from '../src/bot/page-state.js';
import { askPage, INPUT_LIMITS, renderTimeline } from '../src/bot/render.js';
import { isEphemeral, optionalString, withPublicOption } from '../src/bot/visibility.js';

/** /timeline topic? from? to? — dated events in order, each cited. Only you see it by default (a long list to browse). */
const timeline = {
  kind: 'slash',
  data: withPublicOption(
    new SlashCommandBuilder()
      .setName('timeline')
      .setDescription('Dated events from the news corpus, in order, with sources')
      .addStringOption((o) => o.setName('topic').setDescription('Only events about this').setMaxLength(INPUT_LIMITS.query))
      .addStringOption((o) => o.setName('from').setDescription('Earliest date: 2024, 2024-03 or 2024-03-24').setMaxLength(10))
      .addStringOption((o) => o.setName('to').setDescription('Latest date: 2024, 2024-03 or 2024-03-24').setMaxLength(10)),
    false,
  ),
  ephemeral: (interaction) => isEphemeral(interaction, false),
  async execute(interaction, context) {
    const args: PageArgs = {};
    for (const name of ['topic', 'from', 'to'] as const) {
      const value = optionalString(interaction, name);
      if (value) args[name] = value;
    }
    await context.respond(timeline.page(args, 0, context));
  },
  page(args, page, { engine }) {
    const shown = askPage(page, (window) =>
      engine.timeline({
        ...(args.topic ? { topic: args.topic } : {}),
        ...(args.from ? { from: args.from } : {}),
        ...(args.to ? { to: args.to } : {}),
        ...window,
      }),
    );
    return renderTimeline(shown.result, args, shown.page);
  },
} satisfies SlashCommand;

export default timeline;
