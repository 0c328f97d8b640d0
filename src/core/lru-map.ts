// A bounded map in least-recently-used order with O(1) get, touch, insert, evict and pop-oldest.

interface Node<V> {
  key: string;
  value: V;
  prev: Node<V> | null;
  next: Node<V> | null;
}

/**
 * A Map plus a doubly linked list. (Evicting from a plain Map's front with `keys().next()` is not
 * O(1) in V8: the iterator walks the deleted slots left at the front until the table is rehashed,
 * which made a flood of new keys quadratic.)
 */
export class LruMap<V> {
  readonly #index = new Map<string, Node<V>>();
  #head: Node<V> | null = null;
  #tail: Node<V> | null = null;

  constructor(readonly max: number) {
    if (!(max >= 1)) throw new RangeError('LruMap max must be at least 1');
  }

  get size(): number {
    return this.#index.size;
  }

  /** The value, moved to the most recently used end. */
  get(key: string): V | undefined {
    const n = this.#index.get(key);
    if (!n) return undefined;
    this.#unlink(n);
    this.#append(n);
    return n.value;
  }

  /** Inserts or replaces as most recently used, evicting the least recently used when full. */
  set(key: string, value: V): void {
    const n = this.#index.get(key);
    if (n) {
      n.value = value;
      this.#unlink(n);
      this.#append(n);
      return;
    }
    if (this.#index.size >= this.max) this.shift();
    const node: Node<V> = { key, value, prev: null, next: null };
    this.#index.set(key, node);
    this.#append(node);
  }

  delete(key: string): void {
    const n = this.#index.get(key);
    if (!n) return;
    this.#unlink(n);
    this.#index.delete(key);
  }

  /** The value, without touching it (insertion order is kept: a FIFO map uses this and `set`). */
  peek(key: string): V | undefined {
    return this.#index.get(key)?.value;
  }

  has(key: string): boolean {
    return this.#index.has(key);
  }

  /**
   * The entries, least recently used first. Deleting the entry just yielded while iterating is
   * allowed (the next node is taken before yielding); other changes end or skew the iteration.
   */
  *entries(): IterableIterator<[string, V]> {
    for (let n = this.#head; n;) {
      const next = n.next;
      yield [n.key, n.value];
      n = next;
    }
  }

  /** The least recently used entry, without touching it. */
  oldest(): { key: string; value: V } | undefined {
    return this.#head ? { key: this.#head.key, value: this.#head.value } : undefined;
  }

  /** Removes the least recently used entry. */
  shift(): void {
    if (this.#head) this.delete(this.#head.key);
  }

  clear(): void {
    this.#index.clear();
    this.#head = this.#tail = null;
  }

  #unlink(n: Node<V>): void {
    if (n.prev) n.prev.next = n.next;
    else this.#head = n.next;
    if (n.next) n.next.prev = n.prev;
    else this.#tail = n.prev;
    n.prev = n.next = null;
  }

  #append(n: Node<V>): void {
    n.prev = this.#tail;
    if (this.#tail) this.#tail.next = n;
    else this.#head = n;
    this.#tail = n;
  }
}
