/**
 * A multimap whose buckets mostly hold one value: a bucket of one is stored as
 * the value itself, a bucket of two or more as a Set (insertion order kept, as
 * a Set of Sets would). The entity table keeps about 200,000 buckets, most of
 * them of one record; as Sets they cost some 200 bytes each (at BBC ×10, 40 MB
 * of heap), as themselves nothing.
 *
 * Values are objects that are not Sets (a Set is how a bucket of several is told apart).
 */
const NONE: readonly never[] = Object.freeze([]);

export class Buckets<K, V extends object> {
  private readonly map = new Map<K, V | Set<V>>();

  add(key: K, value: V): void {
    const bucket = this.map.get(key);
    if (bucket === undefined) this.map.set(key, value);
    else if (bucket instanceof Set) bucket.add(value);
    else if (bucket !== value) this.map.set(key, new Set([bucket, value]));
  }

  /** Removes `value` from the bucket of `key` (the bucket goes when empty). */
  remove(key: K, value: V): void {
    const bucket = this.map.get(key);
    if (bucket === undefined) return;
    if (!(bucket instanceof Set)) {
      if (bucket === value) this.map.delete(key);
      return;
    }
    bucket.delete(value);
    if (bucket.size === 1) this.map.set(key, bucket.values().next().value!);
  }

  /** Drops the bucket of `key`. */
  delete(key: K): void {
    this.map.delete(key);
  }

  /** The values under `key`, in the order they were added (empty when none). Not to be changed while iterated. */
  get(key: K): Iterable<V> {
    const bucket = this.map.get(key);
    if (bucket === undefined) return NONE;
    return bucket instanceof Set ? bucket : [bucket];
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /** Whether `value` is in the bucket of `key`. */
  contains(key: K, value: V): boolean {
    const bucket = this.map.get(key);
    return bucket instanceof Set ? bucket.has(value) : bucket === value;
  }

  /** How many values are under `key`. */
  count(key: K): number {
    const bucket = this.map.get(key);
    return bucket === undefined ? 0 : bucket instanceof Set ? bucket.size : 1;
  }
}
