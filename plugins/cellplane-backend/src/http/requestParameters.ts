import { InputError } from '@backstage/errors';
import { COMMIT_ID_PATTERN, explainInvalidName } from '@cellplane/backstage-plugin-common';

/** Longer query values are refused before anything reads them. */
export const MAX_QUERY_VALUE_LENGTH = 256;

/** A name or value as an error message shows it: quoted, and cut when long. */
export function shown(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

/**
 * The query parameters of a route, each given at most once and no longer than
 * MAX_QUERY_VALUE_LENGTH; anything else answers 400 naming the parameter, so a misspelt
 * `?severty=error` is not silently ignored. Read from the raw query string, not Express's parsed
 * `req.query`, which drops some names (`__proto__`) and turns `a[b]=c` into objects.
 */
export function readQuery<Name extends string>(
  req: { originalUrl: string },
  allowed: readonly Name[],
): Partial<Record<Name, string>> {
  const search = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '';
  const params = new URLSearchParams(search);
  const names = [...new Set(params.keys())];
  const unknown = names.filter(name => !(allowed as readonly string[]).includes(name));
  if (unknown.length) {
    throw new InputError(
      `unknown query parameter${unknown.length > 1 ? 's' : ''} ${unknown.slice(0, 5).map(shown).join(', ')}: ${
        allowed.length ? `this route takes ${allowed.join(', ')}` : 'this route takes none'
      }`,
    );
  }
  const values: Partial<Record<Name, string>> = {};
  for (const name of allowed) {
    const given = params.getAll(name);
    if (given.length === 0) continue;
    if (given.length > 1) {
      throw new InputError(`${name} must be given once`);
    }
    if (given[0].length > MAX_QUERY_VALUE_LENGTH) {
      throw new InputError(`${name} must be at most ${MAX_QUERY_VALUE_LENGTH} characters, got ${given[0].length}`);
    }
    values[name] = given[0];
  }
  return values;
}

/**
 * A path parameter that names a resource: an RFC 1123 label, as every OpenChoreo name and every
 * Kubernetes namespace the status derives from it, so no `..` or `/` ever reaches a path.
 */
export function resourceName(value: string, field: string): string {
  const problem = explainInvalidName(value);
  if (problem) throw new InputError(`${field} ${problem}`);
  return value;
}

/** A commit id in a path: 7 to 40 hexadecimal digits, lower-cased. */
export function commitId(value: string, field: string): string {
  const lower = value.toLowerCase();
  if (!COMMIT_ID_PATTERN.test(lower)) {
    throw new InputError(`${field} must be a commit id of 7 to 40 hexadecimal digits, got ${shown(value)}`);
  }
  return lower;
}
