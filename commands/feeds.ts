import { InteractionContextType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import type { SlashCommand } from '../src/bot/command.js';
import { INPUT_LIMITS } from '../src/bot/render.js';
import { renderFeedAdded, renderFeedChoices, renderFeedList, renderFeedRemoved } from '../src/bot/render-sources.js';
import { EPHEMERAL, sourcesOrExplain } from '../src/bot/sources-integration.js';
import { MAX_FEED_MINUTES, MIN_FEED_MINUTES } from '../src/sources/registry.js';

/**
 * /feeds — news feeds (RSS, Atom, JSON Feed) whose new articles are fetched,
 * stored and briefed from. For members with Manage Server. The corpus is
 * shared by every server the bot is in; each feed remembers the server and
 * member who added it, and only that server's managers remove it.
 */
const feeds = {
  kind: 'slash',
  data: new SlashCommandBuilder()
    .setName('feeds')
    .setDescription('News feeds whose new articles join the sources (Manage Server)')
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((sub) =>
      sub
        .setName('add')
        .setDescription('Follow a feed (RSS, Atom or JSON Feed); its articles are stored now and as they appear')
        .addStringOption((o) => o.setName('url').setDescription('The feed’s address, https://…').setRequired(true).setMaxLength(INPUT_LIMITS.url))
        .addIntegerOption((o) => o.setName('every').setDescription('Minutes between polls (default 10)').setMinValue(MIN_FEED_MINUTES).setMaxValue(MAX_FEED_MINUTES)),
    )
    .addSubcommand((sub) => sub.setName('list').setDescription('The feeds followed: when polled, failures, paused or not'))
    .addSubcommand((sub) =>
      sub
        .setName('remove')
        .setDescription('Stop following a feed this server added (its articles stay)')
        .addStringOption((o) => o.setName('url').setDescription('The feed (start typing)').setRequired(true).setMaxLength(INPUT_LIMITS.url).setAutocomplete(true)),
    ),

  async execute(interaction, context) {
    const sources = await sourcesOrExplain(interaction, context);
    if (!sources) return;
    const guild = interaction.guildId!;
    switch (interaction.options.getSubcommand(true)) {
      case 'add': {
        // Checking the feed and the first poll fetch pages: acknowledge first.
        await interaction.deferReply(EPHEMERAL);
        const every = interaction.options.getInteger('every') ?? undefined;
        const { feed, resumed, poll } = await sources.addFeed(interaction.options.getString('url', true), every, { guild, member: interaction.user.id, channel: interaction.channelId });
        context.log.info('feed added', { feed: feed.url, added: poll.added.length, error: poll.error });
        await interaction.editReply(renderFeedAdded(feed, resumed, poll));
        return;
      }
      case 'list':
        await interaction.reply({ ...renderFeedList(await sources.listFeeds(), guild), ...EPHEMERAL });
        return;
      case 'remove': {
        const removed = await sources.removeFeed(interaction.options.getString('url', true), guild);
        await interaction.reply({ ...renderFeedRemoved(removed), ...EPHEMERAL });
        return;
      }
      default:
        throw new Error(`/feeds: unknown subcommand ${interaction.options.getSubcommand()}`);
    }
  },

  async autocomplete(interaction, context) {
    const typed = interaction.options.getFocused().toLowerCase();
    const guild = interaction.guildId;
    if (!context.sources || !guild) {
      await interaction.respond([]);
      return;
    }
    const mine = (await context.sources.listFeeds()).filter((f) => f.guild === guild);
    await interaction.respond(renderFeedChoices(mine.filter((f) => !typed || f.url.toLowerCase().includes(typed) || (f.title ?? '').toLowerCase().includes(typed))));
  },
} satisfies SlashCommand;

export default feeds;
