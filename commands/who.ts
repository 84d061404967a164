import { SlashCommandBuilder } from 'discord.js';
import type { SlashCommand } from '../src/bot/command.js';
import { renderChoices, renderWho } from '../src/bot/render.js';
import { visibilityFlags, withPublicOption } from '../src/bot/visibility.js';

/** /who name — who a person (or organisation) is, from the corpus, with cited excerpts. Public by default. */
export default {
  kind: 'slash',
  data: withPublicOption(
    new SlashCommandBuilder()
      .setName('who')
      .setDescription('Who is this? What the news corpus says about a person or organisation')
      .addStringOption((o) => o.setName('name').setDescription('A name, alias or misspelling').setRequired(true).setMaxLength(100).setAutocomplete(true)),
    true,
  ),
  async execute(interaction, { engine }) {
    const name = interaction.options.getString('name', true);
    await interaction.reply({ ...renderWho(engine.who(name)), ...visibilityFlags(interaction, true) });
  },
  async autocomplete(interaction, { engine }) {
    await interaction.respond(renderChoices(engine.completeNames(interaction.options.getFocused(), 25)));
  },
} satisfies SlashCommand;
