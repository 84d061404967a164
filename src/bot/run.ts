import type { SitrepConfig } from '../config.js';

/** Placeholder until the Discord bot lands: says so instead of pretending to connect. */
export async function runBot(_config: SitrepConfig): Promise<number> {
  process.stderr.write('sitrep: the Discord bot is not built yet in this version; unset DISCORD_TOKEN to use the console.\n');
  return 1;
}
