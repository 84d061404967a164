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
