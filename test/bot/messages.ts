/** Checks shared by the renderer tests. */
import type { BotMessage } from '../../src/bot/render.js';
import { validateMessage } from '../fake-discord/limits.js';

/** What the fake Discord would reject in `message`, sent as discord.js sends it ("path: CODE"); empty when Discord accepts it. */
export function discordErrors(message: BotMessage): string[] {
  return validateMessage({ content: message.content, embeds: message.embeds, components: message.components }).map((e) => `${e.path.join('.')}: ${e.code}`);
}
