// Parser of Jayway-style JSONPath: steps, slices, unions, deep scan, [?(…)] filters, trailing functions.
import type { JsonValue } from '../../core/json.js';
import { argValueError, limitError } from '../function-def.js';
import { MAX_JSONPATH } from './limits.js';

export type Selector =
  | { k: 'prop'; names: string[] }
  | { k: 'index'; idx: number[] }
  | { k: 'slice'; start: number | null; end: number | null; step: number }
  | { k: 'wild' }
  | { k: 'filter'; expr: FilterExpr };
export interface Step {
  scan: boolean;
  sel: Selector;
}
export interface JsonPath {
  root: '$' | '@';
  steps: Step[];
  /** Trailing function such as length(), min(), max(), avg(), stddev(). */
  fn: string | null;
  /** True when the path names at most one node (Jayway returns the value, not a list). */
  definite: boolean;
}
export type Operand =
  | { k: 'path'; path: JsonPath }
  | { k: 'lit'; v: JsonValue }
  | { k: 'regex'; source: string; flags: string };
export type FilterExpr =
  | { k: 'or' | 'and'; a: FilterExpr; b: FilterExpr }
  | { k: 'not'; e: FilterExpr }
  | { k: 'cmp'; op: string; l: Operand; r: Operand }
  | { k: 'exists'; op: Operand };

export const PATH_FUNCTIONS = new Set([
  'length',
  'size',
  'min',
  'max',
  'avg',
  'stddev',
  'sum',
  'keys',
  'first',
  'last',
]);
const OPERATORS = [
  '==',
  '!=',
  '<=',
  '>=',
  '=~',
  '<',
  '>',
  ' in ',
  ' nin ',
  ' subsetof ',
  ' anyof ',
  ' noneof ',
  ' size ',
  ' empty ',
];

class Parser {
  pos = 0;
  constructor(readonly src: string) {}

  fail(reason: string): never {
    return argValueError('JSONPATH', `${reason} at position ${this.pos} of "${this.src}"`);
  }
  ws(): void {
    while (this.src[this.pos] === ' ') this.pos++;
  }
  eat(s: string): boolean {
    if (this.src.startsWith(s, this.pos)) {
      this.pos += s.length;
      return true;
    }
    return false;
  }
  expect(s: string): void {
    if (!this.eat(s)) this.fail(`expected "${s}"`);
  }

  path(inFilter: boolean): JsonPath {
    const root = this.src[this.pos];
    if (root !== '$' && root !== '@') this.fail('a path starts with $ or @');
    this.pos++;
    const steps: Step[] = [];
    let fn: string | null = null;
    for (;;) {
      if (inFilter) {
        const c = this.src[this.pos];
        if (c !== '.' && c !== '[') break;
      }
      if (this.pos >= this.src.length) break;
      const scan = this.eat('..');
      if (scan) {
        if (this.src[this.pos] === '[') steps.push({ scan, sel: this.bracket() });
        else steps.push({ scan, sel: this.dotName() });
      } else if (this.eat('.')) {
        const fnMatch = /^([a-z]+)\(\)/.exec(this.src.slice(this.pos));
        if (fnMatch && PATH_FUNCTIONS.has(fnMatch[1] as string)) {
          fn = fnMatch[1] as string;
          this.pos += fnMatch[0].length;
          break;
        }
        // Jayway also accepts a dot before brackets: $.[0], $.['a'].
        steps.push({ scan, sel: this.src[this.pos] === '[' ? this.bracket() : this.dotName() });
      } else if (this.src[this.pos] === '[') steps.push({ scan, sel: this.bracket() });
      else this.fail('unexpected character');
    }
    const definite = steps.every(
      (s) =>
        !s.scan &&
        ((s.sel.k === 'prop' && s.sel.names.length === 1) ||
          (s.sel.k === 'index' && s.sel.idx.length === 1)),
    );
    return { root, steps, fn, definite };
  }

  dotName(): Selector {
    if (this.eat('*')) return { k: 'wild' };
    const m = /^[^.[\]()\s=!<>&|,]+/.exec(this.src.slice(this.pos));
    if (!m) return this.fail('expected a property name');
    this.pos += m[0].length;
    return { k: 'prop', names: [m[0]] };
  }

  bracket(): Selector {
    this.expect('[');
    this.ws();
    let sel: Selector;
    if (this.eat('*')) sel = { k: 'wild' };
    else if (this.eat('?')) {
      this.ws();
      this.expect('(');
      const expr = this.or();
      this.ws();
      this.expect(')');
      sel = { k: 'filter', expr };
    } else if (this.src[this.pos] === "'" || this.src[this.pos] === '"') {
      const names: string[] = [];
      do {
        this.ws();
        names.push(this.quoted());
        this.ws();
      } while (this.eat(','));
      sel = { k: 'prop', names };
    } else sel = this.indexes();
    this.ws();
    this.expect(']');
    return sel;
  }

  indexes(): Selector {
    const m = /^(-?\d*)\s*(?::\s*(-?\d*)\s*(?::\s*(-?\d*))?)?/.exec(this.src.slice(this.pos));
    if (m && m[0].includes(':')) {
      this.pos += m[0].length;
      const num = (s: string | undefined): number | null =>
        s === undefined || s === '' ? null : Number(s);
      const step = num(m[3]) ?? 1;
      if (step === 0) this.fail('slice step must not be zero');
      return { k: 'slice', start: num(m[1]), end: num(m[2]), step };
    }
    const idx: number[] = [];
    do {
      this.ws();
      const n = /^-?\d+/.exec(this.src.slice(this.pos));
      if (!n) return this.fail('expected an index');
      this.pos += n[0].length;
      idx.push(Number(n[0]));
      this.ws();
    } while (this.eat(','));
    return { k: 'index', idx };
  }

  quoted(): string {
    const q = this.src[this.pos];
    if (q !== "'" && q !== '"') return this.fail('expected a quoted string');
    let out = '';
    for (this.pos++; this.pos < this.src.length; this.pos++) {
      const c = this.src[this.pos] as string;
      if (c === '\\') out += this.src[++this.pos] ?? '';
      else if (c === q) {
        this.pos++;
        return out;
      } else out += c;
    }
    return this.fail('unterminated string');
  }

  or(): FilterExpr {
    let a = this.and();
    for (this.ws(); this.eat('||'); this.ws()) a = { k: 'or', a, b: this.and() };
    return a;
  }
  and(): FilterExpr {
    let a = this.unary();
    for (this.ws(); this.eat('&&'); this.ws()) a = { k: 'and', a, b: this.unary() };
    return a;
  }
  unary(): FilterExpr {
    this.ws();
    if (this.eat('!')) return { k: 'not', e: this.unary() };
    if (this.src[this.pos] === '(') {
      this.pos++;
      const e = this.or();
      this.ws();
      this.expect(')');
      return e;
    }
    const l = this.operand();
    this.ws();
    const op = OPERATORS.find(
      (o) =>
        this.src.startsWith(o.trim(), this.pos) &&
        (o.trim().length <= 2 || /\W/.test(this.src[this.pos + o.trim().length] ?? ' ')),
    );
    if (op === undefined) return { k: 'exists', op: l };
    this.pos += op.trim().length;
    this.ws();
    const r = op.trim() === '=~' ? this.regex() : this.operand();
    return { k: 'cmp', op: op.trim(), l, r };
  }

  regex(): Operand {
    const m = /^\/((?:\\.|[^/\\])*)\/([a-z]*)/.exec(this.src.slice(this.pos));
    if (!m) return this.fail('expected /regex/');
    this.pos += m[0].length;
    return { k: 'regex', source: m[1] as string, flags: m[2] as string };
  }

  operand(): Operand {
    this.ws();
    const c = this.src[this.pos];
    if (c === '@' || c === '$') return { k: 'path', path: this.path(true) };
    return { k: 'lit', v: this.literal() };
  }

  literal(): JsonValue {
    this.ws();
    const c = this.src[this.pos];
    if (c === "'" || c === '"') return this.quoted();
    if (c === '[') {
      this.pos++;
      const items: JsonValue[] = [];
      this.ws();
      if (this.eat(']')) return items;
      do items.push(this.literal());
      while ((this.ws(), this.eat(',')));
      this.ws();
      this.expect(']');
      return items;
    }
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const)
      if (this.eat(word)) return v;
    const n = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.src.slice(this.pos));
    if (!n) return this.fail('expected a value');
    this.pos += n[0].length;
    return Number(n[0]);
  }
}

const cache = new Map<string, JsonPath>();

/** Parses (and caches) a JSONPath expression. */
export function parseJsonPath(src: string): JsonPath {
  const hit = cache.get(src);
  if (hit) return hit;
  if (src.length > MAX_JSONPATH)
    limitError('JSONPATH', `the path is longer than ${MAX_JSONPATH} characters`);
  const p = new Parser(src.trim());
  const path = p.path(false);
  if (cache.size >= 500) cache.clear();
  cache.set(src, path);
  return path;
}
