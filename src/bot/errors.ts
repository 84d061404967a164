/**
 * The one place where errors become words for a Discord user. A SitrepError
 * carries an identifier and context from the engine; anything else is a bug,
 * answered with a short apology and a reference the logs can be searched for.
 */
import { DiscordAPIError } from 'discord.js';
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
      return `${'value' in context ? quoted(context.value) : 'That'} is not a date I can read. Use a year (2024), a month (2024-03) or a day (2024-03-24).`;
    case 'InvalidOption':
      return `${'option' in context ? `The option ${quoted(context.option)}` : 'An option'} has a value I cannot use${'value' in context ? `: ${quoted(context.value)}` : ''}.`;
    default: {
      const unreachable: never = error.identifier;
      return `Something about that request is not right (${String(unreachable)}).`;
    }
  }
}

/** The user-facing text for any error thrown while answering interaction `interactionId`. */
export function userMessageFor(error: unknown, interactionId: string): string {
  if (isSitrepError(error)) return describeSitrepError(error);
  return `Sorry, something went wrong on my side. It has been logged (reference ${interactionId}).`;
}
