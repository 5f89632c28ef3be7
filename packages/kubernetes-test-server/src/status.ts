import { ResourceType } from './resourceTypes';

/** A `meta.k8s.io/v1` Status object, the body of every error response. @public */
export interface StatusObject {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: Array<{ reason?: string; message?: string; field?: string }>;
    retryAfterSeconds?: number;
  };
  code: number;
}

/** An error the server answers with a Status object. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusObject['details'],
  ) {
    super(message);
  }

  toStatus(): StatusObject {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** `deployments.apps`, or `pods` for the core group, as the API server names a resource in messages. */
export function qualifiedResource(type: { group: string; plural: string }) {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

function qualifiedKind(type: ResourceType) {
  return type.group ? `${type.kind}.${type.group}` : type.kind;
}

export const errors = {
  notFound(type: { group: string; plural: string }, name: string) {
    return new ApiError(
      404,
      'NotFound',
      `${qualifiedResource(type)} "${name}" not found`,
      { name, group: type.group || undefined, kind: type.plural },
    );
  },
  /** The path names no served resource. */
  noRoute() {
    return new ApiError(
      404,
      'NotFound',
      'the server could not find the requested resource',
      {},
    );
  },
  alreadyExists(type: ResourceType, name: string) {
    return new ApiError(
      409,
      'AlreadyExists',
      `${qualifiedResource(type)} "${name}" already exists`,
      { name, group: type.group || undefined, kind: type.plural },
    );
  },
  conflict(type: ResourceType, name: string, why: string) {
    return new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualifiedResource(
        type,
      )} "${name}": ${why}`,
      { name, group: type.group || undefined, kind: type.plural },
    );
  },
  staleResourceVersion(type: ResourceType, name: string) {
    return errors.conflict(
      type,
      name,
      'the object has been modified; please apply your changes to the latest version and try again',
    );
  },
  invalid(
    type: ResourceType,
    name: string,
    causes: Array<{ field: string; message: string; reason?: string }>,
  ) {
    return new ApiError(
      422,
      'Invalid',
      `${qualifiedKind(type)} "${name}" is invalid: ${causes
        .map(c => `${c.field}: ${c.message}`)
        .join(', ')}`,
      {
        name,
        group: type.group || undefined,
        kind: type.kind,
        causes: causes.map(c => ({
          reason: c.reason ?? 'FieldValueInvalid',
          message: c.message,
          field: c.field,
        })),
      },
    );
  },
  badRequest(message: string) {
    return new ApiError(400, 'BadRequest', message);
  },
  unauthorized() {
    return new ApiError(401, 'Unauthorized', 'Unauthorized');
  },
  forbidden(
    user: string,
    verb: string,
    type: { group: string; plural: string },
    namespace: string | undefined,
    name?: string,
    subresource?: string,
  ) {
    const resource = subresource
      ? `${type.plural}/${subresource}`
      : type.plural;
    const where = namespace
      ? `in the namespace "${namespace}"`
      : 'at the cluster scope';
    return new ApiError(
      403,
      'Forbidden',
      `${qualifiedResource(type)}${
        name ? ` "${name}"` : ''
      } is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${
        type.group
      }" ${where}`,
      { name, group: type.group || undefined, kind: type.plural },
    );
  },
  expired(message: string) {
    return new ApiError(410, 'Expired', message);
  },
  methodNotAllowed(method: string) {
    return new ApiError(
      405,
      'MethodNotAllowed',
      `the server does not allow this method on the requested resource (${method})`,
    );
  },
  unsupportedMediaType(contentType: string) {
    return new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got "${contentType}")`,
    );
  },
  internal(message: string) {
    return new ApiError(
      500,
      'InternalError',
      `Internal error occurred: ${message}`,
      { causes: [{ message }] },
    );
  },
};
