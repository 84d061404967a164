/**
 * Long work written as generators that pause (`yield`) between slices, run
 * either at once or with the event loop turning between slices, so a bot
 * keeps answering while it builds or loads.
 */

/** Runs a generator to completion without pausing. */
export function runSteps<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Lets the event loop turn once. */
export const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Runs a generator, letting the event loop turn whenever a slice has taken more than `budgetMs`. */
export async function runStepsAsync<T>(steps: Generator<void, T>, budgetMs = 8): Promise<T> {
  let last = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - last >= budgetMs) {
      await turn();
      last = performance.now();
    }
  }
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * `values` sorted by code units, as `[...values].sort()` gives them (stable, duplicates kept), in
 * steps: chunks sorted, then merged pairwise, pausing every few thousand strings. One sort of the
 * 100,000 names of a large corpus holds the event loop for hundreds of milliseconds.
 */
export function* sortStringsSteps(values: readonly string[], chunk = 4096): Generator<void, string[]> {
  let runs: string[][] = [];
  for (let i = 0; i < values.length; i += chunk) {
    runs.push(values.slice(i, i + chunk).sort(byCodeUnits));
    yield;
  }
  if (runs.length === 0) return [];
  while (runs.length > 1) {
    const next: string[][] = [];
    for (let r = 0; r < runs.length; r += 2) {
      const a = runs[r]!;
      const b = runs[r + 1];
      if (!b) {
        next.push(a);
        continue;
      }
      const out = new Array<string>(a.length + b.length);
      let i = 0;
      let j = 0;
      let k = 0;
      while (i < a.length && j < b.length) {
        // Ties from the earlier run first: stable, as Array.prototype.sort is.
        out[k++] = a[i]! <= b[j]! ? a[i++]! : b[j++]!;
        if (k % chunk === 0) yield;
      }
      while (i < a.length) out[k++] = a[i++]!;
      while (j < b.length) out[k++] = b[j++]!;
      next.push(out);
    }
    runs = next;
  }
  return runs[0]!;
}
