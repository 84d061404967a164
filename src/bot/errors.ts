/**
 * The one place where errors become words for a Discord user. A SitrepError
 * (engine) or DigestError (scheduled digests) carries an identifier and
 * context; anything else is a bug, answered with a short apology and a
 * reference the logs can be searched for.
 */
import { DiscordAPIError } from 'discord.js';
import { isDigestError, type DigestError } from '../digest/errors.js';
import { isSitrepError, type SitrepError } from '../engine/errors.js';
import { escapeAndFit } from './render.js';

/** Discord error codes that mean "too late or already answered": nothing left to tell the user. */
export const UNKNOWN_INTERACTION = 10062;
export const ALREADY_ACKNOWLEDGED = 40060;

/** True for errors that only mean the interaction can no longer be answered (10062, 40060). */
export function isUnanswerable(error: unknown): boolean {
  return error instanceof DiscordAPIError && (error.code === UNKNOWN_INTERACTION || error.code === ALREADY_ACKNOWLEDGED);
}

function quoted(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `“${escapeAndFit(text ?? '', 100)}”`;
}

/** Words for an engine error; exhaustive over SitrepErrorId. */
export function describeSitrepError(error: SitrepError): string {
  const context = error.context;
  switch (error.identifier) {
    case 'CorpusMissing':
      return 'The news corpus is not loaded, so there is nothing to brief from. An administrator needs to check the corpus folder.';
    case 'EmptyQuery':
      return 'There is nothing to search for: type a few words.';
    case 'NothingToSearch':
      return 'That has only punctuation or very common words. Try a name, a place or a topic.';
    case 'InvalidDate':
      if (context.option === 'since' || context.option === 'until') {
        return `${quoted(context.value)} is not a time I can read for ${context.option}. Use 24h, 3d, 1w or a date (2024-03-27).`;
      }
      if ('reason' in context) return `${quoted(context.value)} is not a date: ${String(context.reason)}.`;
      return `${'value' in context ? quoted(context.value) : 'That'} is not a date I can read. Use a year (2024), a month (2024-03) or a day (2024-03-24).`;
    case 'InvalidDateRange':
      return `The range ends before it starts: from ${quoted(context.from)} is after to ${quoted(context.to)}. Swap them.`;
    case 'InvalidOption':
      return `${'option' in context ? `The option ${quoted(context.option)}` : 'An option'} has a value I cannot use${'value' in context ? `: ${quoted(context.value)}` : ''}.`;
    default: {
      const unreachable: never = error.identifier;
      return `Something about that request is not right (${String(unreachable)}).`;
    }
  }
}

const SNOWFLAKE = /^\d{17,20}$/;

/** "<#id>" for a channel id (a mention shows the channel's name and never pings), else "That channel". */
function channelRef(value: unknown): string {
  return typeof value === 'string' && SNOWFLAKE.test(value) ? `<#${value}>` : 'That channel';
}

/** The core's reason for rejecting a value ("the hour is 00 to 23"), when it gave one. */
function reasonOf(context: Record<string, unknown>): string {
  return typeof context.reason === 'string' && context.reason ? `: ${escapeAndFit(context.reason, 200)}` : '';
}

/** Words for a digest error; exhaustive over DigestErrorId. */
export function describeDigestError(error: DigestError): string {
  const context = error.context;
  const value = 'value' in context ? quoted(context.value) : null;
  switch (error.identifier) {
    case 'DigestsNeedRedis':
      return 'Scheduled digests are switched off: the bot was started without REDIS_URL (the Redis server that keeps the schedules). An administrator can set REDIS_URL and restart the bot. Every other command works without it.';
    case 'DigestsUnavailable':
      return 'Scheduled digests are unavailable right now (the Redis server that keeps them cannot be reached); other commands work. Try again in a few minutes.';
    case 'InvalidTime':
      return `${value ?? 'That'} is not a time of day I can use${reasonOf(context)}. Nothing was saved. Give the time as HH:MM, 24-hour, such as 09:00 or 18:30.`;
    case 'InvalidTimezone': {
      const suggestions = Array.isArray(context.suggestions) ? context.suggestions.filter((s): s is string => typeof s === 'string').slice(0, 5) : [];
      const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => escapeAndFit(s, 60)).join(', ')}?` : '';
      return `${value ?? 'That'} is not a time zone I know. Nothing was saved. Use an IANA name such as Europe/Berlin or America/New_York (start typing and pick one from the list).${hint}`;
    }
    case 'InvalidDays':
      return `${value ?? 'That'} is not a set of days${reasonOf(context)}. Nothing was saved. Use daily, weekdays, weekends, a range such as mon-fri, or a list such as mon,wed,fri.`;
    case 'InvalidTopic':
      return `The topic is too long${typeof context.max === 'number' ? `: at most ${context.max} characters` : ''}. Nothing was saved.`;
    case 'InvalidChannel':
      return 'That is not a channel I can post digests in. Pick a text channel of this server.';
    case 'NotSubscribed':
      return `${channelRef(context.channelId)} has no digest. Set one up with /digest subscribe.`;
    default: {
      const unreachable: never = error.identifier;
      return `Something about that digest request is not right (${String(unreachable)}).`;
    }
  }
}

/** discord.js's errors for an option that is missing, empty or of another type than the command defines. */
const OPTION_ERROR_CODES = new Set(['CommandInteractionOptionNotFound', 'CommandInteractionOptionType', 'CommandInteractionOptionEmpty', 'CommandInteractionOptionNoSubcommand', 'CommandInteractionOptionNoSubcommandGroup', 'CommandInteractionOptionInvalidChannelType']);

/**
 * True when discord.js refused to read an option: the interaction does not
 * match the command's definition (an old definition, or a forged payload).
 * The user is told to run the command again; it is not a bug of Sitrep.
 */
export function isOptionError(error: unknown): error is Error & { code: string } {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && OPTION_ERROR_CODES.has(code);
}

/** Words for an option discord.js could not read, naming the option when its message does. */
export function describeOptionError(error: Error): string {
  const name = /"([^"]{1,100})"/.exec(error.message)?.[1];
  const which = name ? `the option ${quoted(name)}` : 'an option';
  return `That command arrived without ${which}, or with a value of the wrong kind. Run it again from Discord's command list (type / and pick it).`;
}

/** True for errors the user can correct or should know about (engine and digest errors): expected, not bugs. */
export function isUserError(error: unknown): error is SitrepError | DigestError {
  return isSitrepError(error) || isDigestError(error);
}

/** The user-facing text for any error thrown while answering interaction `interactionId`. */
export function userMessageFor(error: unknown, interactionId: string): string {
  if (isSitrepError(error)) return describeSitrepError(error);
  if (isDigestError(error)) return describeDigestError(error);
  if (isOptionError(error)) return describeOptionError(error);
  return `Sorry, something went wrong on my side. It has been logged (reference ${interactionId}).`;
}
