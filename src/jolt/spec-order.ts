// Precedence of computed (wildcard) spec keys, as upstream's ComputedKeysComparator orders them.
import { type PathElement, canonicalForm } from './path-element.js';

/** The precedence class of an element: "amp", "star1", "star2", "star3" (3+ stars), "starAll", "array". */
export function orderClass(pe: PathElement): string {
  if (pe.kind === 'star') return pe.stars >= 3 ? 'star3' : `star${pe.stars}`;
  return pe.kind;
}

function orderForm(pe: PathElement): string {
  return pe.kind === 'amp' ? pe.orderForm : canonicalForm(pe);
}

/**
 * Sorts in place: by class (per `order`), then longest canonical form first ("rating-range-*" before
 * "rating-*"), then by code-unit order. Deterministic, so results never depend on spec key order.
 */
export function orderComputed<T extends { pe: PathElement }>(
  nodes: T[],
  order: Record<string, number>,
): void {
  nodes.sort((a, b) => {
    const ca = order[orderClass(a.pe)] ?? 99;
    const cb = order[orderClass(b.pe)] ?? 99;
    if (ca !== cb) return ca - cb;
    const fa = orderForm(a.pe);
    const fb = orderForm(b.pe);
    if (fa.length !== fb.length) return fb.length - fa.length;
    return fa < fb ? -1 : fa > fb ? 1 : 0;
  });
}
