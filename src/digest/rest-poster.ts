/**
 * DigestPoster over `@discordjs/rest` (re-exported by discord.js): used by the
 * standalone worker (`npm run worker`), and usable by the bot with its
 * client's `rest`. The API base is configurable so tests can point it at a
 * local HTTP server.
 */
import { REST, Routes } from 'discord.js';
import type { DigestPoster } from './poster.js';
import type { DigestMessage } from '../bot/render.js';

export interface RestPosterOptions {
  /** Bot token. */
  token: string;
  /** REST base such as http://127.0.0.1:3000/api; default Discord's. */
  api?: string | null;
  /** Per-request timeout in ms (default 15000). */
  timeout?: number;
}

export class RestDigestPoster implements DigestPoster {
  readonly rest: REST;

  /** Takes a ready REST client (a discord.js Client's `rest`) or the options to make one. */
  constructor(restOrOptions: REST | RestPosterOptions) {
    if (restOrOptions instanceof REST) {
      this.rest = restOrOptions;
    } else {
      // retries: 0 — the digest queue retries with its own backoff and knows which failures to count.
      this.rest = new REST({ retries: 0, timeout: restOrOptions.timeout ?? 15_000, ...(restOrOptions.api ? { api: restOrOptions.api } : {}) }).setToken(restOrOptions.token);
    }
  }

  async post(channelId: string, payload: DigestMessage, nonce: string): Promise<{ id: string }> {
    const body = { ...payload, nonce, enforce_nonce: true };
    const message = (await this.rest.post(Routes.channelMessages(channelId), { body })) as { id?: unknown };
    if (typeof message.id !== 'string') throw new Error('sitrep digest: Discord answered a message post without an id');
    return { id: message.id };
  }
}
