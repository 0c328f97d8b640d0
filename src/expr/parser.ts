// Scannerless recursive-descent parser for Double Braces templates (`text {{ expr }} text`).
import { PlatformError } from '../errors/index.js';
import type { ExprNode, Scope, TemplateAst } from './ast.js';
import { SCOPES } from './ast.js';

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;
/** Characters that end a dotted path segment. */
const SEGMENT_END = new Set([' ', '\t', '\n', '\r', '.', '[', ']', '(', ')', ',', '{', '}', ':', '"']);
/** Expressions nest at most this deep (calls, arrays, objects) — a bound on recursion. */
const MAX_DEPTH = 64;

/** Error raised while parsing; `offset` is relative to the template source. */
export function syntaxError(offset: number, reason: string): PlatformError {
  return new PlatformError('ERR_EXPR_SYNTAX', { column: offset + 1, reason, offset });
}

/** Parses a template into text parts and expression nodes. */
export function parseTemplate(source: string): TemplateAst {
  const parts: TemplateAst['parts'] = [];
  let pos = 0;
  while (pos < source.length) {
    const open = source.indexOf('{{', pos);
    if (open < 0) break;
    if (open > pos) parts.push(source.slice(pos, open));
    const parser = new Parser(source, open + 2);
    const node = parser.parseExpression();
    parser.skipWs();
    if (!source.startsWith('}}', parser.pos)) {
      throw parser.pos >= source.length
        ? syntaxError(open, 'missing closing "}}"')
        : syntaxError(parser.pos, `unexpected "${source[parser.pos]}", expected "}}"`);
    }
    parts.push({ node, start: open, end: parser.pos + 2 });
    pos = parser.pos + 2;
  }
  if (pos < source.length) parts.push(source.slice(pos));
  return { parts };
}

/** True when the text contains the start of an expression. */
export function hasExpression(text: string): boolean {
  return text.includes('{{');
}

class Parser {
  depth = 0;
  constructor(
    readonly src: string,
    public pos: number,
  ) {}

  skipWs(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos]!)) this.pos++;
  }

  parseExpression(): ExprNode {
    this.skipWs();
    const start = this.pos;
    const ch = this.src[this.pos];
    if (ch === undefined) throw syntaxError(start, 'unexpected end of expression');
    if (++this.depth > MAX_DEPTH) throw syntaxError(start, `nesting deeper than ${MAX_DEPTH}`);
    try {
      if (ch === '"') return { t: 'lit', value: this.parseString(), start };
      if (ch === '-' || (ch >= '0' && ch <= '9')) return { t: 'lit', value: this.parseNumber(), start };
      if (ch === '{') return this.parseObject();
      if (ch === '[') return this.parseArray();
      if (IDENT_START.test(ch)) return this.parseIdentifierExpression();
      if (ch === '}' && this.src[this.pos + 1] === '}') throw syntaxError(start, 'empty expression');
      throw syntaxError(start, `unexpected "${ch}"`);
    } finally {
      this.depth--;
    }
  }

  private parseIdentifierExpression(): ExprNode {
    const start = this.pos;
    while (this.pos < this.src.length && IDENT_PART.test(this.src[this.pos]!)) this.pos++;
    const name = this.src.slice(start, this.pos);
    const afterName = this.pos;
    this.skipWs();
    if (this.src[this.pos] === '(') return this.parseCall(name, start);
    this.pos = afterName;
    if (name === 'true') return { t: 'lit', value: true, start };
    if (name === 'false') return { t: 'lit', value: false, start };
    if (name === 'null') return { t: 'lit', value: null, start };
    if (!(SCOPES as readonly string[]).includes(name)) {
      throw new PlatformError('ERR_EXPR_UNKNOWN_SCOPE', { name, column: start + 1, offset: start });
    }
    return { t: 'ref', root: name as Scope, path: this.parsePath(), start };
  }

  private parsePath(): (string | number)[] {
    const path: (string | number)[] = [];
    for (;;) {
      const ch = this.src[this.pos];
      if (ch === '.') {
        this.pos++;
        const segStart = this.pos;
        while (this.pos < this.src.length && !SEGMENT_END.has(this.src[this.pos]!)) this.pos++;
        if (this.pos === segStart) throw syntaxError(segStart, 'expected a name after "."');
        path.push(this.src.slice(segStart, this.pos));
      } else if (ch === '[') {
        this.pos++;
        this.skipWs();
        const keyStart = this.pos;
        const c = this.src[this.pos];
        if (c === '"') path.push(this.parseString());
        else if (c !== undefined && c >= '0' && c <= '9') {
          const n = this.parseNumber();
          if (!Number.isInteger(n)) throw syntaxError(keyStart, 'an index must be a whole number');
          path.push(n);
        } else throw syntaxError(keyStart, 'expected a quoted key or an index inside "[ ]"');
        this.skipWs();
        this.expect(']');
      } else {
        return path;
      }
    }
  }

  private parseCall(name: string, start: number): ExprNode {
    this.expect('(');
    const args: ExprNode[] = [];
    this.skipWs();
    if (this.src[this.pos] === ')') {
      this.pos++;
      return { t: 'call', name, args, start };
    }
    for (;;) {
      args.push(this.parseExpression());
      this.skipWs();
      const ch = this.src[this.pos];
      if (ch === ',') {
        this.pos++;
        continue;
      }
      if (ch === ')') {
        this.pos++;
        return { t: 'call', name, args, start };
      }
      throw ch === undefined
        ? syntaxError(start, `missing ")" to close ${name}(`)
        : syntaxError(this.pos, `expected "," or ")" in the arguments of ${name}, found "${ch}"`);
    }
  }

  private parseObject(): ExprNode {
    const start = this.pos;
    this.expect('{');
    const entries: [string, ExprNode][] = [];
    this.skipWs();
    if (this.src[this.pos] === '}') {
      this.pos++;
      return { t: 'obj', entries, start };
    }
    for (;;) {
      this.skipWs();
      if (this.src[this.pos] !== '"') throw syntaxError(this.pos, 'object keys must be quoted strings');
      const key = this.parseString();
      this.skipWs();
      this.expect(':');
      entries.push([key, this.parseExpression()]);
      this.skipWs();
      const ch = this.src[this.pos];
      this.pos++;
      if (ch === ',') continue;
      if (ch === '}') return { t: 'obj', entries, start };
      throw syntaxError(this.pos - 1, 'expected "," or "}" in an object');
    }
  }

  private parseArray(): ExprNode {
    const start = this.pos;
    this.expect('[');
    const items: ExprNode[] = [];
    this.skipWs();
    if (this.src[this.pos] === ']') {
      this.pos++;
      return { t: 'arr', items, start };
    }
    for (;;) {
      items.push(this.parseExpression());
      this.skipWs();
      const ch = this.src[this.pos];
      this.pos++;
      if (ch === ',') continue;
      if (ch === ']') return { t: 'arr', items, start };
      throw syntaxError(this.pos - 1, 'expected "," or "]" in an array');
    }
  }

  private parseString(): string {
    const start = this.pos;
    this.pos++; // opening quote
    let out = '';
    for (;;) {
      const ch = this.src[this.pos];
      if (ch === undefined) throw syntaxError(start, 'unterminated string');
      if (ch === '"') {
        this.pos++;
        return out;
      }
      if (ch === '\\') {
        const esc = this.src[this.pos + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (esc !== undefined && simple[esc] !== undefined) {
          out += simple[esc];
          this.pos += 2;
        } else if (esc === 'u' && /^[0-9a-fA-F]{4}$/.test(this.src.slice(this.pos + 2, this.pos + 6))) {
          out += String.fromCharCode(parseInt(this.src.slice(this.pos + 2, this.pos + 6), 16));
          this.pos += 6;
        } else {
          throw syntaxError(this.pos, 'invalid escape in string');
        }
        continue;
      }
      out += ch;
      this.pos++;
    }
  }

  private parseNumber(): number {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.src.slice(this.pos, this.pos + 400));
    if (!m) throw syntaxError(this.pos, 'invalid number');
    this.pos += m[0].length;
    return Number(m[0]);
  }

  private expect(ch: string): void {
    if (this.src[this.pos] !== ch) {
      const found = this.src[this.pos];
      throw syntaxError(this.pos, found === undefined ? `expected "${ch}"` : `expected "${ch}", found "${found}"`);
    }
    this.pos++;
  }
}
