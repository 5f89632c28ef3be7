import { createHash } from 'node:crypto';
import { ENDPOINT_VISIBILITIES, Endpoint } from '@cellplane/backstage-plugin-common';

/** Backstage's limit on entity names. */
const MAX_NAME_LENGTH = 63;

/**
 * The API entity name of a component's endpoint. Component and endpoint names are each valid
 * on their own, but together they can exceed 63 characters; then the name is shortened and a
 * hash of the full name keeps it unique and stable.
 */
export function apiEntityName(component: string, endpoint: string): string {
  const full = `${component}-${endpoint}`;
  if (full.length <= MAX_NAME_LENGTH) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  const prefix = full.slice(0, MAX_NAME_LENGTH - hash.length - 1).replace(/[-_.]+$/, '');
  return `${prefix}-${hash}`;
}

/** Schema types an endpoint may declare, mapped to the API types Backstage's viewers know. */
const SCHEMA_API_TYPES: Record<string, string> = {
  openapi: 'openapi',
  swagger: 'openapi',
  asyncapi: 'asyncapi',
  graphql: 'graphql',
  grpc: 'grpc',
  proto: 'grpc',
  protobuf: 'grpc',
};

/** The Backstage API type; a declared schema type wins over the endpoint's protocol. */
export function apiTypeOf(endpoint: Endpoint): string {
  const declared = endpoint.schema?.type && SCHEMA_API_TYPES[endpoint.schema.type.toLowerCase()];
  if (declared) return declared;
  switch (endpoint.type) {
    case 'HTTP':
      return endpoint.schema?.content ? 'openapi' : 'http';
    case 'GraphQL':
      return 'graphql';
    case 'gRPC':
      return 'grpc';
    case 'Websocket':
      return 'asyncapi';
    default:
      return endpoint.type.toLowerCase();
  }
}

/**
 * The API definition: the endpoint's schema when it has one; otherwise a line describing the
 * endpoint, because Backstage requires a definition and an empty one renders as an error.
 */
export function apiDefinitionOf(endpoint: Endpoint): string {
  if (endpoint.schema?.content) return endpoint.schema.content;
  const basePath = endpoint.basePath ? `, base path ${endpoint.basePath}` : '';
  return `${endpoint.type} endpoint on port ${endpoint.port}${basePath}`;
}

/** Who may reach the endpoint: `project` is implied for every endpoint, so it is always listed. */
export function endpointVisibilities(endpoint: Endpoint): string[] {
  const granted = new Set<string>(['project', ...(endpoint.visibility ?? [])]);
  return ENDPOINT_VISIBILITIES.filter(v => granted.has(v));
}
