import { InputError } from '@backstage/errors';
import { Endpoint, ENDPOINT_TYPES, ENDPOINT_VISIBILITIES, explainInvalidUrlPath } from '@cellplane/backstage-plugin-common';
import { requireText, requireThat } from '../write/validate';

/** An endpoint as a template form gives it. @public */
export interface EndpointInput {
  type: string;
  port: number;
  visibility?: string[];
  basePath?: string;
  displayName?: string;
  schema?: { type?: string; content?: string };
}

export const endpointInputSchema = (z: any) =>
  z.object({
    type: z.string().describe(`One of ${ENDPOINT_TYPES.join(', ')}`),
    port: z.number().describe('Container port'),
    visibility: z.array(z.string()).optional().describe(`Any of ${ENDPOINT_VISIBILITIES.join(', ')}`),
    basePath: z.string().optional(),
    displayName: z.string().optional(),
    schema: z.object({ type: z.string().optional(), content: z.string().optional() }).optional(),
  });

/** An API description is kept in the Workload and every release; past this it belongs in its repository. */
const SCHEMA_CONTENT_MAX_LENGTH = 256 * 1024;

/** Checks an endpoint field by field, so the error names the one that is wrong. */
export function toEndpoint(field: string, given: EndpointInput): Endpoint {
  if (!given || typeof given !== 'object') {
    throw new InputError(`${field} must be a mapping with type and port`);
  }
  // A form leaves unused fields empty rather than absent.
  const input = { ...given, basePath: given.basePath || undefined, displayName: given.displayName || undefined };
  if (!ENDPOINT_TYPES.includes(input.type as any)) {
    throw new InputError(`${field}.type must be one of ${ENDPOINT_TYPES.join(', ')} (got ${JSON.stringify(input.type)})`);
  }
  if (!Number.isInteger(input.port) || input.port < 1 || input.port > 65535) {
    throw new InputError(`${field}.port must be a whole number 1-65535 (got ${JSON.stringify(input.port)})`);
  }
  // An item a template rendered to nothing is no visibility: the endpoint keeps the implied
  // `project`, the template's default.
  const visibilities = (input.visibility ?? []).filter(v => v !== undefined && v !== null && v !== '');
  visibilities.forEach((visibility, index) => {
    if (!ENDPOINT_VISIBILITIES.includes(visibility as any)) {
      throw new InputError(
        `${field}.visibility[${index}] must be one of ${ENDPOINT_VISIBILITIES.join(', ')} (got ${JSON.stringify(visibility)})`,
      );
    }
  });
  if (input.basePath !== undefined) requireThat(`${field}.basePath`, input.basePath, explainInvalidUrlPath);
  const displayName = requireText(`${field}.displayName`, input.displayName, 256);
  if (input.schema !== undefined) {
    requireText(`${field}.schema.type`, input.schema?.type, 64);
    requireText(`${field}.schema.content`, input.schema?.content, SCHEMA_CONTENT_MAX_LENGTH, true);
  }
  return {
    type: input.type as Endpoint['type'],
    port: input.port,
    ...(visibilities.length ? { visibility: [...new Set(visibilities)] as Endpoint['visibility'] } : {}),
    ...(input.basePath ? { basePath: input.basePath } : {}),
    ...(displayName ? { displayName } : {}),
    ...(input.schema ? { schema: input.schema } : {}),
  };
}

/**
 * Refuses an endpoint on a port another endpoint of the workload already has: one container
 * port under two names would be one Service port, and one of the two endpoints would vanish.
 */
export function requireFreePort(
  field: string,
  name: string,
  endpoint: Endpoint,
  others: Record<string, Endpoint> | undefined,
): void {
  const taken = Object.entries(others ?? {}).find(([other, e]) => other !== name && e.port === endpoint.port);
  if (taken) {
    throw new InputError(
      `${field}.port: port ${endpoint.port} is already used by endpoint ${taken[0]}; give endpoint ${name} another port`,
    );
  }
}
