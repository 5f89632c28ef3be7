import { canonicalJson } from '@cellplane/backstage-plugin-node';

/** Whether two JSON values are equal, whatever their key order. */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
