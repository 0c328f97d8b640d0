// A small LRU of compiled JOLT specs, keyed by the spec's content (for specs that come from expressions).
import type { JsonValue } from '../../core/json.js';
import type { JoltTransform } from '../../jolt/index.js';

/** Bounded least-recently-used cache: `get` compiles on a miss and evicts the oldest entry when full. */
export class SpecCache {
  private readonly entries = new Map<string, JoltTransform>();
  /** Number of compilations performed (observable in tests). */
  compiles = 0;

  constructor(
    private readonly capacity: number,
    private readonly compile: (spec: JsonValue) => JoltTransform,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(spec: JsonValue): JoltTransform {
    const key = typeof spec === 'string' ? `s${spec}` : `j${JSON.stringify(spec)}`;
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      // Re-insert to mark as most recently used (Map keeps insertion order).
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    this.compiles++;
    const compiled = this.compile(spec);
    this.entries.set(key, compiled);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return compiled;
  }
}
