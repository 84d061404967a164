/**
 * `npm start`: runs the Discord bot when DISCORD_TOKEN is set; otherwise says
 * so and opens the interactive console over the same engine.
 */
import { loadConfigOrReport } from './config.js';
import { isSitrepError } from './engine/errors.js';
import { openBriefing } from './engine/open.js';
import { createLogger } from './log.js';
import { runConsole } from './cli/console.js';

async function main(): Promise<number> {
  const config = loadConfigOrReport();
  if (!config) return 2;
  if (config.discordToken) {
    const { runBot } = await import('./bot/run.js');
    const code = await runBot(config);
    // runBot has closed everything it opened; should a library still hold a handle, do not let it hang the exit.
    setTimeout(() => process.exit(code), 3000).unref();
    return code;
  }
  const log = createLogger({ level: config.logLevel, format: 'pretty' });
  process.stderr.write(
    'sitrep: DISCORD_TOKEN is not set, so the Discord bot is not started.\n' +
      '        Set it (see .env.example) to run the bot; meanwhile, here is the offline console.\n',
  );
  try {
    const { briefing } = await openBriefing(config.corpusDir, log, { cacheDir: config.cacheDir, answerFromSnapshot: true });
    await runConsole(briefing, { input: process.stdin, write: (t) => process.stdout.write(t) });
    return 0;
  } catch (error) {
    if (isSitrepError(error)) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

process.exitCode = await main();
