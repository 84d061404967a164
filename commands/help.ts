import { SlashCommandBuilder } from 'discord.js';
import type { SlashCommand } from '../src/bot/command.js';
import { renderHelp } from '../src/bot/render.js';
import { isEphemeral, withPublicOption } from '../src/bot/visibility.js';

/** /help — what each command does. Only you see it by default. */
export default {
  kind: 'slash',
  data: withPublicOption(new SlashCommandBuilder().setName('help').setDescription('What Sitrep can do'), false),
  ephemeral: (interaction) => isEphemeral(interaction, false),
  async execute(_interaction, { catalogue, respond }) {
    await respond(renderHelp(catalogue));
  },
} satisfies SlashCommand;
