// An immutable route table: literal and `:param` segments, literal-first matching, conflict detection.
import { PlatformError } from '../errors/index.js';

/** Paths the gateway itself answers; no pipeline route may start with them. */
export const RESERVED_PREFIXES = [
  '/admin',
  '/healthz',
  '/readyz',
  '/.well-known',
  '/oauth2',
  '/openapi.json',
  '/metrics',
] as const;

/** One path a deployed pipeline serves. */
export interface RouteEntry<T> {
  /** The path pattern, e.g. `/pipeline/local/v1/orders/:id`. */
  pattern: string;
  /** The deployed pipeline, e.g. `orders@1` (for conflict messages). */
  owner: string;
  target: T;
}

interface Compiled<T> {
  entry: RouteEntry<T>;
  segments: string[];
  /** Param names by segment index (null for literal segments). */
  params: (string | null)[];
  /** The shape used for conflicts: every param replaced by `:`. */
  shape: string;
}

/** A route found for a path, with its decoded params. */
export interface RouteMatch<T> {
  entry: RouteEntry<T>;
  params: Record<string, string>;
}

/**
 * Whether `path` is already in the form the table keys exact routes by (`'/' + segments.join('/')`):
 * a leading slash, no empty segment, no trailing slash (or just `/`). Request paths nearly always are.
 */
function isNormalPath(path: string): boolean {
  return (
    path.charCodeAt(0) === 47 &&
    (path.length === 1 || path.charCodeAt(path.length - 1) !== 47) &&
    !path.includes('//')
  );
}

function splitPath(path: string): string[] {
  if (isNormalPath(path)) return path.length === 1 ? [] : path.slice(1).split('/');
  return path.split('/').filter((s) => s.length > 0);
}

function compile<T>(entry: RouteEntry<T>): Compiled<T> {
  const segments = splitPath(entry.pattern);
  const params = segments.map((s) => (s.startsWith(':') ? s.slice(1) : null));
  return {
    entry,
    segments,
    params,
    shape: '/' + segments.map((s, i) => (params[i] === null ? s : ':')).join('/'),
  };
}

/** Literal segments before params, left to right, so `/a/b` wins over `/a/:id`. */
function compareSpecificity<T>(a: Compiled<T>, b: Compiled<T>): number {
  for (let i = 0; i < a.segments.length; i++) {
    const al = a.params[i] === null;
    const bl = b.params[i] === null;
    if (al !== bl) return al ? -1 : 1;
  }
  return 0;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Routes of all active deployments. Two patterns conflict when they have the same shape (same
 * literals, params in the same places, whatever the param names): no path could tell them apart.
 * Overlapping but distinguishable patterns (`/a/b` and `/a/:id`) are allowed; the literal wins.
 */
export class RouteTable<T> {
  readonly #exact = new Map<string, Compiled<T>>();
  readonly #byLength = new Map<number, Compiled<T>[]>();
  readonly #byShape = new Map<string, Compiled<T>>();

  /** Builds the table; ERR_GATEWAY_ROUTE_CONFLICT names both pipelines when two entries clash. */
  constructor(entries: readonly RouteEntry<T>[]) {
    for (const entry of entries) {
      const c = compile(entry);
      const reserved = RESERVED_PREFIXES.find((p) => c.shape === p || c.shape.startsWith(`${p}/`));
      if (reserved) {
        throw new PlatformError('ERR_GATEWAY_ROUTE_RESERVED', {
          route: entry.pattern,
          pipeline: entry.owner,
          prefix: reserved,
        });
      }
      const other = this.#byShape.get(c.shape);
      if (other && other.entry.owner !== entry.owner) {
        throw new PlatformError('ERR_GATEWAY_ROUTE_CONFLICT', {
          route: entry.pattern,
          pipeline: entry.owner,
          otherRoute: other.entry.pattern,
          other: other.entry.owner,
        });
      }
      if (other) continue;
      this.#byShape.set(c.shape, c);
      if (c.params.every((p) => p === null)) this.#exact.set(c.shape, c);
      else {
        const list = this.#byLength.get(c.segments.length) ?? [];
        list.push(c);
        list.sort(compareSpecificity);
        this.#byLength.set(c.segments.length, list);
      }
    }
  }

  /** The route serving `path` (no query string), or null. */
  match(path: string): RouteMatch<T> | null {
    const normal = isNormalPath(path);
    if (normal) {
      // The path is its own exact key: no split, no join.
      const exact = this.#exact.get(path);
      if (exact) return { entry: exact.entry, params: {} };
    }
    const segments = splitPath(path);
    if (!normal) {
      const exact = this.#exact.get('/' + segments.join('/'));
      if (exact) return { entry: exact.entry, params: {} };
    }
    for (const c of this.#byLength.get(segments.length) ?? []) {
      let ok = true;
      for (let i = 0; i < segments.length && ok; i++)
        ok = c.params[i] !== null || c.segments[i] === segments[i];
      if (!ok) continue;
      const params: Record<string, string> = {};
      c.params.forEach((name, i) => {
        if (name !== null) params[name] = safeDecode(segments[i]!);
      });
      return { entry: c.entry, params };
    }
    return null;
  }

  get size(): number {
    return this.#byShape.size;
  }
}
