/**
 * One build per cache folder: when several processes (shards) start with no
 * saved state, the first to take CACHE_DIR/build.lock builds and saves the
 * snapshot; the others wait for it and start from the snapshot instead of
 * building the same thing again. A lock left by a process that died is taken
 * over.
 */
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

const LOCK_FILE = 'build.lock';

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the build lock; returns its release, or null when a live process holds it. */
export async function takeBuildLock(cacheDir: string): Promise<(() => Promise<void>) | null> {
  await mkdir(cacheDir, { recursive: true });
  const path = join(cacheDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return async () => {
        const holder = await readFile(path, 'utf8').catch(() => '');
        if (holder === String(process.pid)) await rm(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(await readFile(path, 'utf8').catch(() => ''));
      if (Number.isInteger(holder) && holder > 0 && alive(holder)) return null;
      await rm(path, { force: true }); // stale: its process is gone
    }
  }
  return null;
}

/** True while a live process (other than this one) holds the build lock. */
export async function buildLockHeld(cacheDir: string): Promise<boolean> {
  const holder = Number(await readFile(join(cacheDir, LOCK_FILE), 'utf8').catch(() => ''));
  return Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder);
}
