/**
 * Live sources inside the bot: the service `/article` and `/feeds` talk to,
 * the feed schedule (BullMQ with REDIS_URL, else a timer in this process),
 * and the one place where newly stored articles reach the engine
 * (`notifyStored`). With REDIS_URL, what one process stores (or removes) is
 * also announced on a Redis channel, so the engines of the other processes
 * (the bot's, when an `npm run worker` polled the feed; shard processes) take
 * it in at once rather than at their next rescan. A feed that pauses itself
 * is said once in the channel where it was added.
 */
import { MessageFlags, PermissionFlagsBits, Routes, type ChatInputCommandInteraction, type REST } from 'discord.js';
import type { CommandContext } from './command.js';
import { renderNotice } from './render.js';
import type { Logger } from '../log.js';
import type { SitrepConfig } from '../config.js';
import type { AddressPolicy } from '../sources/guard.js';
import { SourceError } from '../sources/errors.js';
import type { Added } from '../sources/ingest.js';
import { Sources } from '../sources/index.js';
import type { PollReport } from '../sources/poll.js';
import type { FeedView } from '../sources/registry.js';
import { startFeedScheduler, type FeedScheduler } from '../sources/schedule.js';
import { StoredAnnouncer } from '../sources/announce.js';
import type { StoredArticle } from '../sources/store.js';
import { renderFeedPaused, renderSourcesNotAllowed } from './render-sources.js';

/** The engine as the bot holds it: LiveBriefing fits (refresh re-reads the folder and swaps in the new snapshot). */
export interface RefreshableEngine {
  refresh(): Promise<unknown>;
  /** Makes the given corpus files answerable without a rescan (src/engine/live.ts). */
  addFiles?(paths: readonly string[]): Promise<unknown>;
}

export interface StartSourcesOptions {
  corpusDir: string;
  fetchedDir: string | null;
  addresses: AddressPolicy;
  timeoutMs?: number;
  redisUrl: string | null;
  /** Redis key prefix (tests use a fresh one). */
  prefix?: string;
  live: RefreshableEngine;
  /** The bot's REST client, to say in a channel that its feed paused. */
  rest: REST | null;
  log: Logger;
  /** Poll feeds in this process (the bot's main process; not shard children). */
  runScheduler: boolean;
  /** Tests shorten the per-site pause. */
  hostIntervalMs?: number;
  maxFailures?: number;
  reconcileMs?: number;
}

/**
 * Tells the engine that articles were stored: today a rescan of the folder
 * (LiveBriefing.refresh, which reads only new files). The one call site to
 * switch when the engine takes documents incrementally.
 */
export async function notifyStored(live: RefreshableEngine, added: readonly Pick<Added, 'doc'>[], log?: Logger): Promise<void> {
  if (added.length === 0) return;
  try {
    // Straight into the engine (a second index segment), unless a file lies outside the corpus folder
    // (a FETCHED_DIR elsewhere): then a rescan, which reads only what changed.
    const inside = added.every((a) => !a.doc.startsWith('../'));
    if (live.addFiles && inside) await live.addFiles(added.map((a) => a.doc));
    else await live.refresh();
  } catch (error) {
    log?.warn('the engine did not reload after new articles were stored; the next rescan picks them up', { error });
  }
}

export class SourcesService {
  constructor(
    readonly sources: Sources,
    private readonly scheduler: FeedScheduler | null,
    /** Tells the other processes what this one stored (with Redis). */
    readonly announcer: StoredAnnouncer | null = null,
  ) {}

  /** Fetches a link and stores the article. */
  async addLink(url: string, by: { guild: string; member: string }): Promise<Added> {
    const added = await this.sources.ingest.addUrl(url, by);
    await this.stored([added]);
    return added;
  }

  /** Fetches an uploaded file (.txt/.md/.html, ≤ 5 MB) and stores the article. */
  async addAttachment(name: string, url: string, size: number | null, by: { guild: string; member: string }): Promise<Added> {
    const added = await this.sources.ingest.addAttachment(name, url, size, by);
    await this.stored([added]);
    return added;
  }

  private stored: (added: Added[]) => Promise<void> = async () => undefined;
  /** @internal set by startSources */
  setStored(fn: (added: Added[]) => Promise<void>): void {
    this.stored = fn;
  }

  /** Follows a feed and polls it at once (the first poll stores every item it lists). */
  async addFeed(url: string, every: number | undefined, by: { guild: string; member: string; channel: string }): Promise<{ feed: FeedView; resumed: boolean; poll: PollReport }> {
    const { feed, resumed } = await this.sources.addFeed(url, { ...(every !== undefined ? { every } : {}), ...by });
    const [poll] = await this.sources.poll(feed.url);
    await this.scheduler?.reconcile().catch(() => undefined);
    return { feed: poll?.view ?? feed, resumed, poll: poll! };
  }

  /** Brings the feed schedule in line with the feed files now (it also does so every minute by itself). */
  async reconcile(): Promise<void> {
    await this.scheduler?.reconcile();
  }

  listFeeds(): Promise<FeedView[]> {
    return this.sources.listFeeds();
  }

  async removeFeed(url: string, guild: string): Promise<FeedView> {
    const removed = await this.sources.removeFeed(url, guild);
    await this.scheduler?.reconcile().catch(() => undefined);
    return removed;
  }

  /** Articles added from Discord or feeds (for autocomplete and removal). */
  listArticles(): Promise<StoredArticle[]> {
    return this.sources.store.list();
  }

  /** Removes an added article; only the server that added it (or whose feed did) may. */
  async removeArticle(doc: string, guild: string): Promise<StoredArticle> {
    const article = await this.sources.store.find(doc);
    if (!article) throw new SourceError('ArticleNotFound', `no added article is stored as ${doc}`, { doc });
    // Added from Discord: that server; from a feed: the server that added the feed.
    const owner = article.guild ?? (article.feed ? ((await this.sources.registry.get(article.feed))?.guild ?? null) : null);
    if (owner !== guild) throw new SourceError('NotYourFeed', 'that article was added by another server (or from the command line); only its managers can remove it', { doc });
    const removed = await this.sources.store.remove(article.doc);
    await this.stored([{ doc: removed.doc, title: removed.title, outlet: removed.outlet, published: removed.published, url: removed.url, words: removed.words }]);
    return removed;
  }

  async close(): Promise<void> {
    await this.scheduler?.close();
    await this.announcer?.close();
    await this.sources.close();
  }
}

/** Opens live sources for the bot; the schedule starts when `runScheduler` is set. */
export async function startSources(options: StartSourcesOptions): Promise<SourcesService> {
  const log = options.log.child({ component: 'sources' });
  const rest = options.rest;
  // Stored here: into this engine, then told to the other processes (with Redis), whose engines read the files at once.
  const announcer = options.redisUrl
    ? new StoredAnnouncer(options.redisUrl, options.prefix ?? 'sitrep:', (docs) => notifyStored(options.live, docs.map((doc) => ({ doc })), log), log)
    : null;
  const onStored = async (added: Added[]): Promise<void> => {
    await notifyStored(options.live, added, log);
    await announcer?.publish(added.map((a) => a.doc));
  };
  const sources = new Sources({
    corpusDir: options.corpusDir,
    fetchedDir: options.fetchedDir,
    addresses: options.addresses,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.hostIntervalMs !== undefined ? { hostIntervalMs: options.hostIntervalMs } : {}),
    ...(options.maxFailures !== undefined ? { maxFailures: options.maxFailures } : {}),
    // With Redis, one request per site per second holds across every process (src/sources/pacing.ts).
    redisUrl: options.redisUrl,
    ...(options.prefix ? { prefix: options.prefix } : {}),
    log,
    onStored,
    onPaused: async (feed) => {
      log.warn('feed paused', { feed: feed.url, reason: feed.paused });
      if (!rest || !feed.channel) return;
      const message = renderFeedPaused(feed);
      await rest.post(Routes.channelMessages(feed.channel), { body: { content: message.content, embeds: message.embeds, allowed_mentions: message.allowedMentions } });
    },
  });
  const scheduler = options.runScheduler
    ? await startFeedScheduler({
        sources,
        log,
        redisUrl: options.redisUrl,
        ...(options.prefix ? { prefix: options.prefix } : {}),
        ...(options.reconcileMs ? { reconcileMs: options.reconcileMs } : {}),
      })
    : null;
  const service = new SourcesService(sources, scheduler, announcer);
  service.setStored(onStored);
  log.info('live sources are on', { fetchedDir: sources.fetchedDir, polling: options.runScheduler ? (options.redisUrl ? 'BullMQ' : 'timer in this process') : 'elsewhere' });
  return service;
}

/** startSources with the settings taken from the configuration (the bot and `npm run worker` both open them so). */
export function startSourcesFromConfig(
  config: Pick<SitrepConfig, 'corpusDir' | 'fetchedDir' | 'fetchAllowPrivate' | 'fetchTimeoutSeconds' | 'redisUrl'>,
  run: Pick<StartSourcesOptions, 'live' | 'rest' | 'log' | 'runScheduler'>,
): Promise<SourcesService> {
  return startSources({
    corpusDir: config.corpusDir,
    fetchedDir: config.fetchedDir,
    addresses: config.fetchAllowPrivate,
    timeoutMs: config.fetchTimeoutSeconds * 1000,
    redisUrl: config.redisUrl,
    ...run,
  });
}

/** Every answer of /article and /feeds is seen only by the member who asked. */
export const EPHEMERAL = { flags: MessageFlags.Ephemeral } as const;

/** The live-sources service, or null after telling the member it is not open yet. */
export async function sourcesOrExplain(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<SourcesService | null> {
  if (!interaction.inGuild()) {
    await interaction.reply({ ...renderNotice('Sources are managed per server: use this command in a server channel.', 'info'), ...EPHEMERAL });
    return null;
  }
  if (!interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
    context.log.info('sources command refused: the member lacks Manage Server', { interactionId: interaction.id, user: interaction.user.id });
    await interaction.reply({ ...renderSourcesNotAllowed(), ...EPHEMERAL });
    return null;
  }
  if (!context.sources) {
    await interaction.reply({ ...renderNotice('Live sources are still starting (the corpus is loading). Try again in a moment.', 'info'), ...EPHEMERAL });
    return null;
  }
  return context.sources;
}

