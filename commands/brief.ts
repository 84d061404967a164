import { SlashCommandBuilder } from 'discord.js';
import type { CommandContext, SlashCommand } from '../src/bot/command.js';
import { INPUT_LIMITS, renderBrief, renderChoices, renderNotice } from '../src/bot/render.js';
import { isEphemeral, optionalString, withPublicOption } from '../src/bot/visibility.js';
import { isRelativeWhen, MAX_WHEN_CHARS } from '../src/engine/when.js';
import type { CorpusDocument } from '../src/types.js';

/** What `since` offers as you type; a date (2024-03-27) works too. */
const SINCE_CHOICES = ['24h', '3d', '1w', 'last digest'] as const;
const LAST_DIGEST = /^last[\s-]*digest$/i;

/** When this channel's digest last posted, or null when it has none (or digests are off). */
async function lastDigestOf(guildId: string | null, channelId: string | null, context: CommandContext): Promise<string | null> {
  if (!guildId || !channelId || !context.digests) return null;
  const digest = (await context.digests.list(guildId)).find((s) => s.channelId === channelId);
  return digest ? (digest.lastDigestAt ?? digest.createdAt) : null;
}

/**
 * The window's clock: with digests on, when Sitrep first saw each document
 * (the record digests use, so "since last digest" is what was new to the
 * channel); a document loaded since the record was last read is new, so
 * counts as seen now. Without the record (no Redis, not read yet): nothing,
 * and the brief windows by publication date.
 */
function firstSeenOf(context: CommandContext): { firstSeen?: (document: CorpusDocument) => number } {
  const seen = context.digests?.firstSeenTimes?.() ?? null;
  if (!seen) return {};
  const now = Date.now();
  return { firstSeen: (document) => seen.get(document.hash) ?? now };
}

/** /brief topic? since? — the situation report: what is new, who matters, what happened, who said what. Public by default. */
const brief = {
  kind: 'slash',
  data: withPublicOption(
    new SlashCommandBuilder()
      .setName('brief')
      .setDescription('The situation report: what is new, who matters, what happened, who said what')
      .addStringOption((o) => o.setName('topic').setDescription('Only what is about this').setMaxLength(INPUT_LIMITS.query))
      .addStringOption((o) => o.setName('since').setDescription('24h, 3d, 1w, a date (2024-03-27) or "last digest"').setMaxLength(MAX_WHEN_CHARS).setAutocomplete(true)),
    true,
  ),
  ephemeral: (interaction) => isEphemeral(interaction, true),
  async execute(interaction, context) {
    const topic = optionalString(interaction, 'topic');
    let since: string | undefined = optionalString(interaction, 'since');
    // "Since the last digest" and spans back from now ask what is new to Sitrep (the first-seen record);
    // a calendar date asks what was published since then.
    const newToSitrep = !since || LAST_DIGEST.test(since) || isRelativeWhen(since);
    if (since && LAST_DIGEST.test(since)) {
      const last = await lastDigestOf(interaction.guildId, interaction.channelId, context);
      if (!last) {
        await context.respond(renderNotice('This channel has no digest yet, so there is no "last digest" to start from. Try 24h, 3d, 1w or a date.', 'info'));
        return;
      }
      since = last;
    }
    const options = { ...(topic ? { topic } : {}), ...(since ? { since } : {}), ...(newToSitrep ? firstSeenOf(context) : {}) };
    // What the brief reads from each document of its window is read first, in slices: the event loop keeps turning.
    await context.engine.prepareBrief?.(options);
    const result = context.engine.brief(options);
    await context.respond(renderBrief(result));
  },
  async autocomplete(interaction) {
    const typed = interaction.options.getFocused().trim().toLowerCase();
    const offered: string[] = SINCE_CHOICES.filter((c) => c.startsWith(typed));
    if (typed && !offered.includes(typed)) offered.push(typed.slice(0, MAX_WHEN_CHARS));
    await interaction.respond(renderChoices(offered));
  },
} satisfies SlashCommand;

export default brief;
