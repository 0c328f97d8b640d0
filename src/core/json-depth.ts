// Nesting depth of a JSON value, measured without recursion (a guard must not overflow the stack it protects).

/**
 * True when `value` has containers nested more than `max` levels deep (a scalar is depth 0, `{}` or
 * `[]` depth 1). Iterative, and stops at the first path past `max`.
 */
export function exceedsDepth(value: unknown, max: number): boolean {
  const stack: { v: unknown; d: number }[] = [{ v: value, d: 0 }];
  while (stack.length > 0) {
    const { v, d } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d + 1 > max) return true;
    const children = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
    for (const c of children)
      if (c !== null && typeof c === 'object') stack.push({ v: c, d: d + 1 });
  }
  return false;
}

/**
 * The deepest `{`/`[` nesting of JSON or YAML flow text, outside quoted strings, stopping once past
 * `max` (a cheap scan run before a parser whose cost grows with nesting).
 */
export function flowNestingExceeds(text: string, max: number): boolean {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '{' || c === '[') {
      if (++depth > max) return true;
    } else if ((c === '}' || c === ']') && depth > 0) depth--;
  }
  return false;
}
