import { KubeObject } from './ObjectStore';
import {
  apiVersionOf,
  ResourceType,
  resourceTypesFromCustomResourceDefinition,
} from './resourceTypes';
import { errors } from './status';
import { applyStructuralSchema } from './structuralSchema';

const dnsSubdomain =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const labelKey =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

// Types whose names must be DNS labels (RFC 1123) rather than subdomains.
const dnsLabelNamed = new Set(['namespaces', 'services']);

/** The body names this type (or leaves apiVersion/kind out) and is an object; 400 otherwise. */
export function checkTypeMeta(type: ResourceType, body: any) {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw errors.badRequest('the body of the request must be a JSON object');
  }
  if (body.apiVersion !== undefined && body.apiVersion !== apiVersionOf(type)) {
    throw errors.badRequest(
      `the API version in the data (${
        body.apiVersion
      }) does not match the expected API version (${apiVersionOf(type)})`,
    );
  }
  if (body.kind !== undefined && body.kind !== type.kind) {
    throw errors.badRequest(
      `the kind in the data (${body.kind}) does not match the expected kind (${type.kind})`,
    );
  }
  if (
    body.metadata !== undefined &&
    (body.metadata === null || typeof body.metadata !== 'object')
  ) {
    throw errors.badRequest('metadata: must be an object');
  }
}

/**
 * Names, labels and annotations as the API server validates them (and CRDs), and a custom
 * resource against its CRD's schema (pruned and defaulted in place); 422 with every cause.
 */
export function validateObject(type: ResourceType, object: KubeObject) {
  const name = object.metadata.name!;
  const causes: Array<{ field: string; message: string; reason?: string }> = [];
  if (type.schema) causes.push(...applyStructuralSchema(type.schema, object));
  const pattern = dnsLabelNamed.has(type.plural) ? dnsLabel : dnsSubdomain;
  const max = dnsLabelNamed.has(type.plural) ? 63 : 253;
  if (!pattern.test(name) || name.length > max) {
    causes.push({
      field: 'metadata.name',
      message: `Invalid value: "${name}": a lowercase RFC 1123 ${
        max === 63 ? 'label' : 'subdomain'
      } must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
    });
  }
  for (const [field, map] of [
    ['labels', object.metadata.labels],
    ['annotations', object.metadata.annotations],
  ] as const) {
    if (map === undefined) continue;
    if (map === null || typeof map !== 'object' || Array.isArray(map)) {
      causes.push({
        field: `metadata.${field}`,
        message: 'Invalid value: must be a map of strings',
      });
      continue;
    }
    for (const [key, value] of Object.entries(map)) {
      if (!labelKey.test(key)) {
        causes.push({
          field: `metadata.${field}`,
          message: `Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.'`,
        });
      } else if (typeof value !== 'string') {
        causes.push({
          field: `metadata.${field}.${key}`,
          message: `Invalid value: ${JSON.stringify(value)}: must be a string`,
        });
      } else if (field === 'labels' && !labelValue.test(value)) {
        causes.push({
          field: `metadata.labels`,
          message: `Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
        });
      }
    }
  }
  if (
    type.plural === 'customresourcedefinitions' &&
    type.group === 'apiextensions.k8s.io'
  ) {
    const result = resourceTypesFromCustomResourceDefinition(object);
    if (typeof result === 'string') {
      const [field, ...message] = result.split(': ');
      causes.push({ field, message: message.join(': ') });
    }
  }
  if (causes.length) throw errors.invalid(type, name, causes);
}
