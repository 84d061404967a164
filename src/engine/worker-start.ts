/**
 * Starts a worker thread on a module beside the caller. Built (.js), the
 * worker runs the file itself. From source (tsx: tests, scripts), Node 20 does
 * not apply the main thread's loader hooks to a worker's entry point
 * (privatenumber/tsx#354), so a one-line bootstrap registers tsx in the worker
 * first and then imports the .ts file.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** `base` is the caller's `import.meta.url`; `name` the worker module's name without extension. */
export function startWorker(base: string, name: string, options: WorkerOptions = {}): Worker {
  const typescript = base.endsWith('.ts');
  const entry = new URL(`./${name}${typescript ? '.ts' : '.js'}`, base);
  if (!typescript) return new Worker(entry, options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}
