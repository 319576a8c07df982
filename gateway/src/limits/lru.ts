/**
 * A cache with a bound: at most `max` entries and, when `sizeOf` is given, at most `maxSize` of
 * their summed sizes. Past either, the least recently used entries go first. A request can bring
 * keys the gateway has never seen (a new document, a token's role strings, an enquiry id), so
 * anything kept per such key must be kept in one of these, or memory grows with the traffic.
 *
 * A Map keeps insertion order, so an entry read is moved to the end and the first is the oldest.
 */
export interface LruOptions<V> {
  max: number;
  /** Each value's share of `maxSize` (bytes, characters: the caller's unit). */
  sizeOf?: (value: V) => number;
  maxSize?: number;
}

export class Lru<K, V> {
  private readonly entries = new Map<K, { value: V; size: number }>();
  private total = 0;
  readonly max: number;
  readonly maxSize: number;
  private readonly sizeOf: ((value: V) => number) | undefined;

  constructor(options: LruOptions<V>) {
    if (!(options.max >= 1)) throw new RangeError("an Lru needs room for at least one entry");
    this.max = options.max;
    this.maxSize = options.maxSize ?? Number.POSITIVE_INFINITY;
    this.sizeOf = options.sizeOf;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The summed sizes of the entries (0 without `sizeOf`). */
  get totalSize(): number {
    return this.total;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** The value, now the most recently used; undefined if not kept. */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** The value, its recency unchanged. */
  peek(key: K): V | undefined {
    return this.entries.get(key)?.value;
  }

  /**
   * Keeps the value as the most recently used, evicting the oldest past the bounds. A value larger
   * than `maxSize` alone is not kept (it would evict everything and then itself).
   */
  set(key: K, value: V): this {
    this.delete(key);
    const size = this.sizeOf ? Math.max(0, this.sizeOf(value)) : 0;
    if (size > this.maxSize) return this;
    while (
      this.entries.size > 0 &&
      (this.entries.size >= this.max || this.total + size > this.maxSize)
    ) {
      this.delete(this.entries.keys().next().value as K);
    }
    this.entries.set(key, { value, size });
    this.total += size;
    return this;
  }

  /** The kept value, or `make`'s, kept. */
  getOrSet(key: K, make: () => V): V {
    if (this.entries.has(key)) return this.get(key) as V;
    const value = make();
    this.set(key, value);
    return value;
  }

  delete(key: K): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    this.total -= entry.size;
    return true;
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }

  /** Keys, least recently used first. */
  keys(): IterableIterator<K> {
    return this.entries.keys();
  }
}
