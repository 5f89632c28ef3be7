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

/**
 * A strategic merge patch, simplified: a JSON merge patch where the lists
 * in `strategicMergeKeys` merge item by item on their key, and an item
 * `{"$patch": "delete", <key>: ...}` removes one. Other directives
 * (`$retainKeys`, `$setElementOrder`, `$deleteFromPrimitiveList`) are not
 * understood and are rejected.
 */
export function strategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: Record<string, any> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) {
      throw new ApiError(
        422,
        'Invalid',
        `strategic merge patch directive "${key}" is not supported by the test server`,
      );
    }
    const mergeKey = strategicMergeKeys[key];
    if (value === null) {
      delete result[key];
    } else if (mergeKey && Array.isArray(value) && Array.isArray(result[key])) {
      const merged: any[] = [...result[key]];
      for (const item of value) {
        const index = isObject(item)
          ? merged.findIndex(m => isObject(m) && m[mergeKey] === item[mergeKey])
          : -1;
        if (isObject(item) && item.$patch === 'delete') {
          if (index >= 0) merged.splice(index, 1);
        } else if (index >= 0) {
          merged[index] = strategicMergePatch(merged[index], item);
        } else {
          merged.push(item);
        }
      }
      result[key] = merged;
    } else {
      result[key] = strategicMergePatch(result[key], value);
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
