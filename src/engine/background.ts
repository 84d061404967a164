/**
 * Background threads — the analysis pool, index builds and merges, the cold build — run at a lower
 * CPU priority than the thread that answers Discord. On a machine with few cores (two here), a
 * restart catching up on new files or a merge of the index would otherwise take both cores while a
 * burst of interactions waits for its acknowledgements (measured at BBC ×10: 316 of 500 within 3 s
 * while the bot analysed and merged 450 new files). Lower priority costs nothing when the cores are
 * free. On Linux a thread's nice value is its own, so setting it in a worker leaves the main thread
 * as it was.
 */
import { getPriority, setPriority } from 'node:os';

/** The nice value of background threads (0 is normal, 19 the lowest priority). */
export const BACKGROUND_NICE = 5;

/** Lowers the calling thread's priority to BACKGROUND_NICE (never raises it); where that is not allowed, runs as it is. */
export function runInBackground(): void {
  try {
    if (getPriority() < BACKGROUND_NICE) setPriority(BACKGROUND_NICE);
  } catch {
    // Not permitted or not supported here: the work still runs, at the usual priority.
  }
}
