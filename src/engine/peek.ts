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

/**
 * A per-document list's items as the snapshot saved them (one UTF-8 buffer per item, views of the
 * bytes it still holds), so the next snapshot copies them instead of parsing and writing them again.
 */
const savedForms = new WeakMap<object, (i: number) => readonly Uint8Array[] | null>();

/** Registers how `list` gives item i's saved bytes (null: not held as bytes). */
export function registerSaved(list: readonly unknown[], saved: (i: number) => readonly Uint8Array[] | null): void {
  savedForms.set(list, saved);
}

/** Item i of `list` as saved in the snapshot it was read from, while the list holds those bytes; else null. */
export function savedItem(list: readonly unknown[], i: number): readonly Uint8Array[] | null {
  return savedForms.get(list)?.(i) ?? null;
}
