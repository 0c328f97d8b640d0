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
