/**
 * A copy of some Redis state in one JSON file beside the bot's cache, so it
 * survives a Redis that lost everything. Writes go to a temporary file that
 * is then renamed (a crash leaves the old copy or the new one, never half of
 * one) and are batched: while one write runs, any number of later requests
 * make one more write, of the state as it is then.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export class DiskMirror<T> {
  readonly path: string;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(path: string) {
    this.path = path;
  }

  /** The saved JSON, or null when there is no file yet. Throws when the file is not JSON. */
  read(): unknown {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return null;
    }
    return JSON.parse(text) as unknown;
  }

  write(value: T): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
    renameSync(tmp, this.path);
  }

  /** Writes what `read` returns, soon; resolves when a write that started after this call has finished. */
  request(read: () => Promise<T>): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = async (): Promise<void> => {
      do {
        this.again = false;
        this.write(await read());
      } while (this.again);
    };
    this.running = run().finally(() => {
      this.running = null;
    });
    return this.running;
  }
}
