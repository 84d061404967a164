import {
  ChannelType,
  DiscordAPIError,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  PermissionsBitField,
  Routes,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
  type SlashCommandSubcommandBuilder,
} from 'discord.js';
import type { CommandContext, SlashCommand } from '../src/bot/command.js';
import {
  renderChoices,
  renderDigestChange,
  renderDigestList,
  renderDigestNotAllowed,
  renderDigestPostNow,
  renderDigestPreview,
  renderNotice,
  type BotMessage,
} from '../src/bot/render.js';
import { userMessageFor } from '../src/bot/errors.js';
import { optionalString } from '../src/bot/visibility.js';
import { DigestError, isDigestError, needRedis } from '../src/digest/errors.js';
import { MAX_TIMEZONE_SUGGESTIONS, timezoneSuggestions } from '../src/digest/schedule.js';
import type { DigestService, SubscriptionView } from '../src/digest/service.js';
import { MAX_TOPIC_CHARS } from '../src/digest/subscription.js';

/** What the bot needs in a channel to post a digest there. */
const POSTING_PERMISSIONS = [
  ['View Channel', PermissionFlagsBits.ViewChannel],
  ['Send Messages', PermissionFlagsBits.SendMessages],
  ['Embed Links', PermissionFlagsBits.EmbedLinks],
] as const;

const EPHEMERAL = { flags: MessageFlags.Ephemeral } as const;

function channelOption(sub: SlashCommandSubcommandBuilder, description: string): SlashCommandSubcommandBuilder {
  return sub.addChannelOption((o) => o.setName('channel').setDescription(description).setRequired(true).addChannelTypes(ChannelType.GuildText));
}

/** The digests service, or DigestError('DigestsNeedRedis') when the bot runs without Redis. */
function service(context: CommandContext): DigestService {
  if (!context.digests) throw needRedis();
  return context.digests;
}

/** The channel option (a text channel of this server, resolved by Discord). */
function targetChannel(interaction: ChatInputCommandInteraction) {
  return interaction.options.getChannel('channel', true, [ChannelType.GuildText]);
}

/**
 * The server a channel belongs to, when the client's cache knows it for sure:
 * a channel discord.js received from Discord itself (gateway or REST) has a
 * position. One built from an interaction's resolved option data has none
 * (Discord sends no position and no guild id there) and was filed under the
 * interaction's own server, so it proves nothing. Undefined: ask Discord.
 */
function cachedGuildOf(interaction: ChatInputCommandInteraction, channelId: string): string | undefined {
  const cached = interaction.client.channels.cache.get(channelId);
  if (!cached || !('guildId' in cached) || !('rawPosition' in cached) || typeof cached.rawPosition !== 'number') return undefined;
  return cached.guildId;
}

/** Discord answers for a channel the bot cannot see (another server's, or none): Unknown Channel, Missing Access. */
const NOT_VISIBLE = new Set([10003, 50001, 50013]);

/** The server a channel belongs to, from `GET /channels/{id}`; null when Discord will not show it to the bot. */
async function fetchGuildOf(interaction: ChatInputCommandInteraction, channelId: string): Promise<string | null> {
  try {
    const data = (await interaction.client.rest.get(Routes.channel(channelId))) as { guild_id?: unknown } | null;
    return typeof data?.guild_id === 'string' ? data.guild_id : null;
  } catch (error) {
    if (error instanceof DiscordAPIError && (NOT_VISIBLE.has(Number(error.code)) || error.status === 403 || error.status === 404)) return null;
    throw error;
  }
}

/** Replies privately, or edits the (private) deferred reply. */
async function respond(interaction: ChatInputCommandInteraction, payload: BotMessage): Promise<void> {
  if (interaction.deferred) await interaction.editReply(payload);
  else await interaction.reply({ ...payload, ...EPHEMERAL });
}

/** Posting permissions the bot lacks in a channel, by name; empty when it has them all or they cannot be computed here. */
function missingPostingPermissions(interaction: ChatInputCommandInteraction, channelId: string): string[] {
  const guild = interaction.guild;
  const me = guild?.members.me;
  const channel = guild?.channels.cache.get(channelId);
  if (!me || !channel || !('permissionsFor' in channel)) return [];
  const permissions: Readonly<PermissionsBitField> | null = channel.permissionsFor(me);
  if (!permissions) return [];
  return POSTING_PERMISSIONS.filter(([, flag]) => !permissions.has(flag)).map(([name]) => name);
}

function permissionWarnings(interaction: ChatInputCommandInteraction, channelId: string): string[] {
  const missing = missingPostingPermissions(interaction, channelId);
  if (missing.length === 0) return [];
  return [`I cannot post in <#${channelId}> yet: I am missing ${missing.join(', ')} there. Digests pause after three failed posts in a row.`];
}

/**
 * /digest — scheduled digests of newly seen documents, per channel. For
 * members with Manage Server (the command's default permission, checked again
 * here because server admins can override who sees a command). Every answer
 * is ephemeral; only the digests themselves are posted in the channel.
 */
const digest = {
  kind: 'slash',
  data: new SlashCommandBuilder()
    .setName('digest')
    .setDescription('Scheduled digests of new documents in a channel (Manage Server)')
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((sub) =>
      channelOption(sub.setName('subscribe').setDescription('Post a digest of new documents in a channel at a time of day'), 'Where to post the digest')
        .addStringOption((o) => o.setName('time').setDescription('Local time of day, HH:MM (24-hour), such as 09:00').setRequired(true).setMaxLength(16))
        .addStringOption((o) => o.setName('timezone').setDescription('Time zone, such as Europe/Berlin').setRequired(true).setMaxLength(64).setAutocomplete(true))
        .addStringOption((o) => o.setName('topic').setDescription('Only documents about this').setMaxLength(MAX_TOPIC_CHARS))
        .addStringOption((o) => o.setName('days').setDescription('daily (default), weekdays, weekends, mon-fri, mon,wed,fri').setMaxLength(60)),
    )
    .addSubcommand((sub) => sub.setName('list').setDescription("This server's digests: time, days, topic, next run, paused or not"))
    .addSubcommand((sub) => channelOption(sub.setName('unsubscribe').setDescription("Remove a channel's digest"), 'The channel whose digest to remove'))
    .addSubcommand((sub) => channelOption(sub.setName('pause').setDescription("Pause a channel's digest"), 'The channel whose digest to pause'))
    .addSubcommand((sub) => channelOption(sub.setName('resume').setDescription("Resume a channel's paused digest"), 'The channel whose digest to resume'))
    .addSubcommand((sub) => channelOption(sub.setName('preview').setDescription('Show me what the next digest would say (only you see it)'), 'The channel whose digest to preview'))
    .addSubcommand((sub) => channelOption(sub.setName('now').setDescription("Post a channel's digest now"), 'The channel to post the digest in')),

  async execute(interaction, context) {
    try {
      await run(interaction, context);
    } catch (error) {
      // After deferring, a user error edits the deferred reply (a follow-up would leave "thinking…" behind).
      if (interaction.deferred && isDigestError(error)) {
        context.log.info('digest command answered with a user error', { interactionId: interaction.id, identifier: error.identifier });
        await interaction.editReply(renderNotice(userMessageFor(error, interaction.id)));
        return;
      }
      throw error;
    }
  },

  async autocomplete(interaction, context) {
    const focused = interaction.options.getFocused(true);
    if (focused.name !== 'timezone') {
      await interaction.respond([]);
      return;
    }
    // Time-zone names need no Redis: suggest them even when digests are off.
    const names = context.digests ? context.digests.timezoneSuggestions(focused.value) : timezoneSuggestions(focused.value);
    await interaction.respond(renderChoices(names.slice(0, MAX_TIMEZONE_SUGGESTIONS)));
  },
} satisfies SlashCommand;

async function run(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<void> {
  if (!interaction.inGuild()) {
    await interaction.reply({ ...renderNotice('Digests are set up per server: use /digest in a server channel.', 'info'), ...EPHEMERAL });
    return;
  }
  if (!interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
    context.log.info('digest command refused: the member lacks Manage Server', { interactionId: interaction.id, user: interaction.user.id });
    await interaction.reply({ ...renderDigestNotAllowed(), ...EPHEMERAL });
    return;
  }
  const digests = service(context);
  const guildId = interaction.guildId;
  const sub = interaction.options.getSubcommand(true);

  if (sub === 'list') {
    await interaction.reply({ ...renderDigestList(await digests.list(guildId)), ...EPHEMERAL });
    return;
  }
  const channel = targetChannel(interaction);
  // A channel of another server is refused with the words used for a channel of this server
  // without a digest (for subscribe: for a channel it cannot post in), so nothing is revealed.
  let channelGuild: string | null | undefined = cachedGuildOf(interaction, channel.id);
  if (channelGuild === undefined) {
    // Asking Discord may not fit in the 3 s with the rest: acknowledge first.
    await interaction.deferReply(EPHEMERAL);
    channelGuild = await fetchGuildOf(interaction, channel.id);
  }
  if (channelGuild !== guildId) {
    context.log.info('digest command refused: the channel is not in this server', { interactionId: interaction.id, channelId: channel.id });
    throw sub === 'subscribe'
      ? new DigestError('InvalidChannel', 'the channel is not in this server', { channelId: channel.id })
      : new DigestError('NotSubscribed', 'this channel has no digest', { guildId, channelId: channel.id });
  }
  switch (sub) {
    case 'subscribe': {
      const days = optionalString(interaction, 'days');
      const { subscription, created } = await digests.subscribe({
        guildId,
        channelId: channel.id,
        time: interaction.options.getString('time', true),
        timezone: interaction.options.getString('timezone', true),
        ...(days ? { days } : {}),
        topic: optionalString(interaction, 'topic') ?? null,
        createdBy: interaction.user.id,
      });
      await respond(interaction, renderDigestChange(created ? 'created' : 'replaced', subscription, permissionWarnings(interaction, channel.id)));
      return;
    }
    case 'unsubscribe': {
      const removed = await digests.unsubscribe(guildId, channel.id);
      await respond(interaction, renderDigestChange('removed', { ...removed, nextRunAt: null }));
      return;
    }
    case 'pause': {
      const paused = await digests.pause(guildId, channel.id, `paused by ${interaction.user.username} with /digest pause`);
      await respond(interaction, renderDigestChange('paused', paused));
      return;
    }
    case 'resume': {
      const resumed = await digests.resume(guildId, channel.id);
      await respond(interaction, renderDigestChange('resumed', resumed, permissionWarnings(interaction, channel.id)));
      return;
    }
    case 'preview': {
      // Building a digest reads Redis and searches the corpus: acknowledge first.
      if (!interaction.deferred) await interaction.deferReply(EPHEMERAL);
      const { digest: next, messages } = await digests.preview(guildId, channel.id);
      const [first, ...rest] = renderDigestPreview(channel.id, next.sinceMs, messages);
      await interaction.editReply(first!);
      for (const part of rest) await interaction.followUp({ ...part, ...EPHEMERAL });
      return;
    }
    case 'now': {
      const subscription = await owned(digests, guildId, channel.id);
      if (subscription.paused) {
        // The worker skips paused digests: say so rather than promise a post.
        await respond(interaction, renderDigestChange('paused', subscription));
        return;
      }
      if (!interaction.deferred) await interaction.deferReply(EPHEMERAL);
      const { digest: next, messages } = await digests.preview(guildId, channel.id);
      if (messages.length > 0) await digests.postNow(guildId, channel.id);
      await interaction.editReply(renderDigestPostNow(channel.id, next.sinceMs, next.documents.length, messages.length));
      return;
    }
    default:
      throw new Error(`/digest: unknown subcommand ${sub}`);
  }
}

/** Throws DigestError('NotSubscribed') unless this server has a digest in the channel. */
async function owned(digests: DigestService, guildId: string, channelId: string): Promise<SubscriptionView> {
  const subscription = (await digests.list(guildId)).find((s) => s.channelId === channelId);
  if (!subscription) throw new DigestError('NotSubscribed', 'this channel has no digest', { guildId, channelId });
  return subscription;
}

export default digest;
