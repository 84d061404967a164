import { InteractionContextType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import type { SlashCommand } from '../src/bot/command.js';
import { INPUT_LIMITS, renderNotice } from '../src/bot/render.js';
import { renderArticleAdded, renderArticleChoices, renderArticleRemoved, renderNotAdded } from '../src/bot/render-sources.js';
import { EPHEMERAL, sourcesOrExplain } from '../src/bot/sources-integration.js';
import { isSourceError, reasonFor } from '../src/sources/errors.js';

/**
 * /article — add a news article to the sources from a link or an uploaded
 * file (.txt, .md, .html, up to 5 MB), or remove one that was added. For
 * members with Manage Server; /sources stays the plain listing for everyone.
 * Fetching happens after a deferred reply.
 */
const article = {
  kind: 'slash',
  data: new SlashCommandBuilder()
    .setName('article')
    .setDescription('Add an article to the sources from a link or a file, or remove one (Manage Server)')
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((sub) =>
      sub
        .setName('add')
        .setDescription('Fetch a link (or read a .txt, .md or .html file) and add the article to the sources')
        .addStringOption((o) => o.setName('link').setDescription('The article’s address, https://…').setMaxLength(INPUT_LIMITS.url))
        .addAttachmentOption((o) => o.setName('file').setDescription('A .txt, .md or .html file, up to 5 MB')),
    )
    .addSubcommand((sub) =>
      sub
        .setName('remove')
        .setDescription('Remove an article this server added (or that came from its feeds)')
        .addStringOption((o) => o.setName('document').setDescription('The article (start typing its title)').setRequired(true).setMaxLength(300).setAutocomplete(true)),
    ),

  async execute(interaction, context) {
    const sources = await sourcesOrExplain(interaction, context);
    if (!sources) return;
    const by = { guild: interaction.guildId!, member: interaction.user.id };
    const sub = interaction.options.getSubcommand(true);
    if (sub === 'remove') {
      const removed = await sources.removeArticle(interaction.options.getString('document', true), by.guild);
      await interaction.reply({ ...renderArticleRemoved(removed), ...EPHEMERAL });
      return;
    }
    const link = interaction.options.getString('link')?.trim() || null;
    const file = interaction.options.getAttachment('file');
    if (!link === !file) {
      await interaction.reply({ ...renderNotice('Give either a link or a file (one of the two).', 'error'), ...EPHEMERAL });
      return;
    }
    // Fetching takes seconds: acknowledge first.
    await interaction.deferReply(EPHEMERAL);
    const input = link ?? file!.name;
    try {
      const added = link ? await sources.addLink(link, by) : await sources.addAttachment(file!.name, file!.url, file!.size, by);
      context.log.info('article added', { doc: added.doc, words: added.words });
      await interaction.editReply(renderArticleAdded(added));
    } catch (error) {
      if (!isSourceError(error)) throw error;
      await interaction.editReply(renderNotAdded(input, reasonFor(error)));
    }
  },

  async autocomplete(interaction, context) {
    const typed = interaction.options.getFocused().toLowerCase();
    const guild = interaction.guildId;
    if (!context.sources || !guild) {
      await interaction.respond([]);
      return;
    }
    const feeds = new Set((await context.sources.listFeeds()).filter((f) => f.guild === guild).map((f) => f.url));
    const mine = (await context.sources.listArticles()).filter((a) => a.guild === guild || (a.feed !== null && feeds.has(a.feed)));
    const matching = mine.filter((a) => !typed || a.title.toLowerCase().includes(typed) || a.doc.toLowerCase().includes(typed));
    await interaction.respond(renderArticleChoices(matching));
  },
} satisfies SlashCommand;

export default article;
