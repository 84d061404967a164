/**
 * Reading an item of a per-document list without keeping it: lists whose
 * items are parsed on first read and then kept (a snapshot's analyses, and
 * the views over them after changes) register how to make an item without
 * storing it, so writing the next snapshot does not leave every document's
 * analysis parsed in memory.
 */
const peekers = new WeakMap<object, (i: number) => unknown>();

/** Registers how `list` makes item i without keeping it. */
export function registerPeek<T>(list: readonly T[], peek: (i: number) => T): void {
  peekers.set(list, peek as (i: number) => unknown);
}

/** Item i of `list`, without making the list keep it where the list allows that. */
export function peekItem<T>(list: readonly T[], i: number): T {
  const peek = peekers.get(list);
  return peek ? (peek(i) as T) : list[i]!;
}
