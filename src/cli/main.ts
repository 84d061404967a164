#!/usr/bin/env node
/** The `sitrep` command. The only place in the CLI that touches process.exit. */
import { runCli } from './run.js';

// A reader that closes early (`sitrep sources | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  stdin: process.stdin,
});
process.exitCode = code;
