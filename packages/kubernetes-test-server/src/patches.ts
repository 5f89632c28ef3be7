import { applyPatch, Operation, validate } from 'fast-json-patch';
import { jsonClone } from './json';
import { ApiError } from './status';

/** The PATCH content types the API server accepts (besides apply, handled on its own). */
export const patchContentTypes = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 7386 JSON merge patch: objects merge, `null` deletes, everything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: Record<string, any> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/**
 * The list fields whose items a strategic merge patch merges by key instead
 * of replacing (the `patchMergeKey`s of the built-in types most often
 * patched). Every other list is replaced, as in a JSON merge patch.
 */
const strategicMergeKeys: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  env: 'name',
  volumeMounts: 'mountPath',
  imagePullSecrets: 'name',
  conditions: 'type',
};

/** Put the items of `list` named in `order` first, in that order (`$setElementOrder`). */
function ordered(
  list: unknown[],
  order: unknown[],
  mergeKey?: string,
): unknown[] {
  const keyOf = (item: unknown) =>
    mergeKey && isObject(item) ? item[mergeKey] : item;
  const wanted = order.map(keyOf);
  const rank = (item: unknown) => {
    const index = wanted.indexOf(keyOf(item));
    return index < 0 ? wanted.length : index;
  };
  return list
    .map((item, index) => ({ item, index }))
    .sort((a, b) => rank(a.item) - rank(b.item) || a.index - b.index)
    .map(({ item }) => item);
}

function unsupported(directive: string): never {
  throw new ApiError(
    422,
    'Invalid',
    `strategic merge patch directive "${directive}" is not supported by the test server`,
  );
}

/**
 * A strategic merge patch, simplified: a JSON merge patch where the lists in
 * `strategicMergeKeys` merge item by item on their key (decided by field
 * name, not by the type's schema), with the directives kubectl sends:
 * `$patch: delete|replace|merge`, `$setElementOrder/<list>`,
 * `$deleteFromPrimitiveList/<list>` and `$retainKeys`. Other lists are
 * replaced.
 */
export function strategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const directive = patch.$patch;
  if (
    directive !== undefined &&
    !['merge', 'replace', 'delete'].includes(directive)
  ) {
    unsupported(`$patch: ${directive}`);
  }
  if (directive === 'delete') return undefined;
  const base = directive === 'replace' || !isObject(target) ? {} : target;
  const result: Record<string, any> = { ...base };
  const orders: Array<[string, unknown[]]> = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch') continue;
    if (key.startsWith('$setElementOrder/')) {
      if (Array.isArray(value))
        orders.push([key.slice('$setElementOrder/'.length), value]);
      continue;
    }
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(result[field]) && Array.isArray(value)) {
        result[field] = result[field].filter(
          (v: unknown) => !value.includes(v),
        );
      }
      continue;
    }
    if (key === '$retainKeys') continue;
    if (key.startsWith('$')) unsupported(key);
    const mergeKey = strategicMergeKeys[key];
    if (value === null) {
      delete result[key];
    } else if (mergeKey && Array.isArray(value) && Array.isArray(result[key])) {
      const merged: any[] = [...result[key]];
      for (const item of value) {
        const index = isObject(item)
          ? merged.findIndex(m => isObject(m) && m[mergeKey] === item[mergeKey])
          : -1;
        const next = strategicMergePatch(
          index >= 0 ? merged[index] : undefined,
          item,
        );
        if (index >= 0 && next === undefined) merged.splice(index, 1);
        else if (index >= 0) merged[index] = next;
        else if (next !== undefined) merged.push(next);
      }
      result[key] = merged;
    } else if (Array.isArray(value)) {
      result[key] = value
        .map(item => strategicMergePatch(undefined, item))
        .filter(item => item !== undefined);
    } else {
      const next = strategicMergePatch(result[key], value);
      if (next === undefined) delete result[key];
      else result[key] = next;
    }
  }
  for (const [field, order] of orders) {
    if (Array.isArray(result[field])) {
      result[field] = ordered(result[field], order, strategicMergeKeys[field]);
    }
  }
  if (Array.isArray(patch.$retainKeys)) {
    for (const key of Object.keys(result)) {
      if (!patch.$retainKeys.includes(key)) delete result[key];
    }
  }
  return result;
}

/** RFC 6902 JSON patch; a failing `test` or a missing path is a 422 as on the real server. */
export function jsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) {
    throw new ApiError(
      400,
      'BadRequest',
      'json: cannot unmarshal object into Go value of type jsonpatch.Patch: a JSON patch must be an array of operations',
    );
  }
  const document = jsonClone(target);
  const error = validate(patch as Operation[], document);
  if (error) {
    throw new ApiError(
      422,
      'Invalid',
      `the server rejected our request due to an error in our request: ${
        error.name
      } at operation ${error.index}: ${error.message.split('\n')[0]}`,
    );
  }
  try {
    return applyPatch(document, patch as Operation[], false, true).newDocument;
  } catch (e) {
    throw new ApiError(
      422,
      'Invalid',
      `the server rejected our request due to an error in our request: ${
        (e as Error).message.split('\n')[0]
      }`,
    );
  }
}
