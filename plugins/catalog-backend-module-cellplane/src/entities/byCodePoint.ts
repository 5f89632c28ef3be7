/**
 * Orders strings by code point, as `<` does. The entity mapping is deterministic (the provider
 * diffs revisions by it), and unlike localeCompare this order does not depend on the locale.
 */
export function byCodePoint(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
