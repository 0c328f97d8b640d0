// Rewrites `:name` bind parameters to driver placeholders ($1… or ?), skipping quotes, comments and `::` casts.

/** A statement ready for a driver: text with placeholders and the parameter name of each, in order. */
export interface BoundStatement {
  text: string;
  names: string[];
}

/**
 * Scans `sql` once. Quoted strings ('…', "…", `…`), dollar-quoted strings ($tag$…$tag$), line and
 * block comments are copied untouched; `::` (a PostgreSQL cast) is not a parameter. Values are never
 * written into the text: they are bound by the driver.
 */
export function bindNamed(sql: string, dialect: 'postgres' | 'mysql'): BoundStatement {
  const names: string[] = [];
  const index = new Map<string, number>();
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === "'" || c === '"' || c === '`') {
      const end = closingQuote(sql, i, c, dialect);
      out += sql.slice(i, end);
      i = end;
    } else if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end < 0 ? sql.length : end + 2;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '$' && dialect === 'postgres' && /^\$[A-Za-z_]?\w*\$/.test(sql.slice(i))) {
      const tag = /^\$[A-Za-z_]?\w*\$/.exec(sql.slice(i))![0];
      if (/^\$\d+\$?$/.test(tag)) {
        out += c;
        i += 1;
        continue;
      }
      const end = sql.indexOf(tag, i + tag.length);
      const stop = end < 0 ? sql.length : end + tag.length;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === ':' && next === ':') {
      out += '::';
      i += 2;
    } else if (c === ':' && next !== undefined && /[A-Za-z_]/.test(next) && sql[i - 1] !== ':') {
      const name = /^[A-Za-z_]\w*/.exec(sql.slice(i + 1))![0];
      if (dialect === 'postgres') {
        let n = index.get(name);
        if (n === undefined) {
          names.push(name);
          n = names.length;
          index.set(name, n);
        }
        out += `$${n}`;
      } else {
        names.push(name);
        out += '?';
      }
      i += 1 + name.length;
    } else {
      out += c;
      i += 1;
    }
  }
  return { text: out, names };
}

function closingQuote(sql: string, start: number, quote: string, dialect: 'postgres' | 'mysql'): number {
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === '\\' && dialect === 'mysql' && quote !== '`') {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i += 1;
  }
  return sql.length;
}

/** The distinct parameter names a statement uses (load-time checks). */
export function parameterNames(sql: string): string[] {
  return [...new Set(bindNamed(sql, 'postgres').names)];
}
