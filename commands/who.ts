import { SlashCommandBuilder } from 'discord.js';
import type { SlashCommand } from '../src/bot/command.js';
import { INPUT_LIMITS, renderChoices, renderNotice, renderWho } from '../src/bot/render.js';
import { isEphemeral, withPublicOption } from '../src/bot/visibility.js';

/** /who name — who a person (or organisation) is, from the corpus, with cited excerpts. Public by default. */
const who = {
  kind: 'slash',
  data: withPublicOption(
    new SlashCommandBuilder()
      .setName('who')
      .setDescription('Who is this? What the news corpus says about a person or organisation')
      .addStringOption((o) => o.setName('name').setDescription('A name, alias or misspelling').setRequired(true).setMaxLength(INPUT_LIMITS.name).setAutocomplete(true)),
    true,
  ),
  ephemeral: (interaction) => isEphemeral(interaction, true),
  async execute(interaction, { engine, respond }) {
    const name = interaction.options.getString('name')?.trim();
    if (!name) {
      await respond(renderNotice('Which name? Type one after /who, such as /who Kishida.', 'info'));
      return;
    }
    await respond(renderWho(engine.who(name)));
  },
  async autocomplete(interaction, { engine }) {
    await interaction.respond(renderChoices(engine.completeNames(interaction.options.getFocused(), 25)));
  },
  /** The answer for a name carried by a button (a brief's "Who is …?"). */
  page(args, _page, { engine }) {
    const name = args.name?.trim();
    return name ? renderWho(engine.who(name)) : renderNotice('Which name? Run /who with a name.', 'info');
  },
} satisfies SlashCommand;

export default who;
