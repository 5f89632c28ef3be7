import { KubeObject } from './ObjectStore';
import { ResourceType } from './resourceTypes';
import { errors } from './status';

function get(object: any, path: string): unknown {
  let current = object;
  for (const key of path.replace(/^\./, '').split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = current[key];
  }
  return current;
}

function set(object: any, path: string, value: unknown) {
  const keys = path.replace(/^\./, '').split('.');
  let current = object;
  for (const key of keys.slice(0, -1)) {
    if (current[key] === null || typeof current[key] !== 'object')
      current[key] = {};
    current = current[key];
  }
  current[keys[keys.length - 1]] = value;
}

/** `matchLabels` and `matchExpressions` as the selector string the Scale status carries. */
function selectorString(selector: any): string | undefined {
  if (!selector || typeof selector !== 'object') return undefined;
  const parts = Object.entries(selector.matchLabels ?? {}).map(
    ([k, v]) => `${k}=${v}`,
  );
  for (const e of selector.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

/** The `autoscaling/v1` Scale of an object. */
export function toScale(type: ResourceType, object: KubeObject) {
  const scale = type.scale!;
  const { name, namespace, uid, resourceVersion, creationTimestamp } =
    object.metadata;
  const selector = scale.labelSelectorPath
    ? get(object, scale.labelSelectorPath)
    : selectorString((object as any).spec?.selector);
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: get(object, scale.specReplicasPath) ?? 0 },
    status: {
      replicas: get(object, scale.statusReplicasPath) ?? 0,
      ...(selector ? { selector } : {}),
    },
  };
}

/** The object with the replicas a Scale asks for; 422 naming `spec.replicas` when it is not a count. */
export function applyScale(
  type: ResourceType,
  object: KubeObject,
  scale: any,
): KubeObject {
  const replicas = scale?.spec?.replicas;
  if (!Number.isInteger(replicas) || replicas < 0) {
    throw errors.invalid(type, object.metadata.name!, [
      {
        field: 'spec.replicas',
        message: `Invalid value: ${JSON.stringify(
          replicas,
        )}: must be greater than or equal to 0`,
      },
    ]);
  }
  const next = JSON.parse(JSON.stringify(object));
  set(next, type.scale!.specReplicasPath, replicas);
  return next;
}
