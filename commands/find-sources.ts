import { ApplicationCommandType, ContextMenuCommandBuilder, type Message } from 'discord.js';
import type { MessageMenuCommand } from '../src/bot/command.js';
import { renderNotice, renderSearch } from '../src/bot/render.js';

/** How many passages "Find sources" pages through. */
const RELATED_RESULTS = 12;

/** The text of a message: its content and the text of its embeds. */
function messageText(message: Message): string {
  const parts = [message.content];
  for (const embed of message.embeds) parts.push(embed.title ?? '', embed.description ?? '', ...embed.fields.map((f) => `${f.name} ${f.value}`));
  return parts.filter(Boolean).join('\n').trim();
}

/** Message context menu "Find sources": passages that support or relate to a message. Only you see it. */
const findSources = {
  kind: 'message',
  data: new ContextMenuCommandBuilder().setName('Find sources').setType(ApplicationCommandType.Message),
  ephemeral: () => true,
  async execute(interaction, context) {
    const text = messageText(interaction.targetMessage);
    if (!text) {
      await context.respond(renderNotice('That message has no text to find sources for.', 'info'));
      return;
    }
    await context.respond(findSources.page({ t: text }, 0, context));
  },
  page(args, page, { engine }) {
    return renderSearch(engine.related(args.t ?? '', { limit: RELATED_RESULTS }), args, page, 'find-sources', 'Sources for this message');
  },
} satisfies MessageMenuCommand;

export default findSources;
