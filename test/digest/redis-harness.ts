/**
 * A private redis-server for one test file: a free port, a temporary folder,
 * no persistence (`--save "" --appendonly no`) unless started with
 * `{ appendOnly: true }` (AOF, fsync on every write). `restart()` stops it and
 * starts it again on the same port (so clients reconnect to an empty Redis, or
 * with AOF to the same data); `kill()` and `launch()` do the halves, for an
 * outage of a chosen length; `stop()` kills it and removes the folder.
 */
import { after, before } from 'node:test';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** The redis-server binary: REDIS_SERVER, else Debian's path, else whatever PATH finds (install it: `apt-get install redis-server`). */
export const REDIS_SERVER = process.env.REDIS_SERVER ?? (existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : 'redis-server');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPing(url: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined); // not up yet: try again below
    try {
      await client.connect();
      await client.ping();
      client.disconnect();
      return;
    } catch (error) {
      client.disconnect();
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

export class RedisHarness {
  readonly port: number;
  readonly dir: string;
  readonly appendOnly: boolean;
  private child: ChildProcess | null = null;

  private constructor(port: number, dir: string, appendOnly: boolean) {
    this.port = port;
    this.dir = dir;
    this.appendOnly = appendOnly;
  }

  static async start(options: { appendOnly?: boolean } = {}): Promise<RedisHarness> {
    const harness = new RedisHarness(await freePort(), mkdtempSync(join(tmpdir(), 'sitrep-redis-')), options.appendOnly ?? false);
    await harness.launch();
    return harness;
  }

  /** True while the server process runs. */
  get running(): boolean {
    return this.child !== null && this.child.exitCode === null;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again) on its port and folder; resolves when it answers PING. */
  async launch(): Promise<void> {
    const persistence = this.appendOnly ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
    this.child = spawn(REDIS_SERVER, ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--dir', this.dir, '--loglevel', 'warning'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitForPing(this.url);
  }

  /** Kills the server (SIGKILL, as a crash would); its folder stays for `launch()`. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  /** Kills the server and starts a new, empty one on the same port. */
  async restart(): Promise<void> {
    await this.kill();
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A client for assertions; the caller disconnects it. */
  client(): Redis {
    const client = new Redis(this.url, { maxRetriesPerRequest: 3 });
    client.on('error', () => undefined); // reconnects by itself after restart()
    return client;
  }
}

/** A key prefix (and so queue namespace) no other test uses. */
export function freshPrefix(): string {
  return `t${randomBytes(4).toString('hex')}:`;
}

/** Deletes every key under a prefix. */
export async function cleanPrefix(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await client.del(...keys);
  } while (cursor !== '0');
}

/** A private Redis for the current test file: started before its tests, stopped after, with cleanups run first (last added first). */
export interface FileRedis {
  readonly redis: RedisHarness;
  readonly client: Redis;
  /** Work to undo after the file's tests (workers to close, prefixes to clean). */
  readonly cleanups: (() => Promise<void>)[];
}

export function useRedisPerFile(): FileRedis {
  let redis: RedisHarness | null = null;
  let client: Redis | null = null;
  const cleanups: (() => Promise<void>)[] = [];
  before(async () => {
    redis = await RedisHarness.start();
    client = redis.client();
  });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    client?.disconnect();
    await redis?.stop();
  });
  return {
    get redis() {
      if (!redis) throw new Error('redis-harness: Redis is not started yet (use it inside a test)');
      return redis;
    },
    get client() {
      if (!client) throw new Error('redis-harness: Redis is not started yet (use it inside a test)');
      return client;
    },
    cleanups,
  };
}
