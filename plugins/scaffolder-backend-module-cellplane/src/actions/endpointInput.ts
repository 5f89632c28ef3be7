import { InputError } from '@backstage/errors';
import { Endpoint, ENDPOINT_TYPES, ENDPOINT_VISIBILITIES } from '@cellplane/backstage-plugin-common';

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

/** Checks an endpoint field by field, so the error names the one that is wrong. */
export function toEndpoint(field: string, given: EndpointInput): Endpoint {
  // A form leaves unused fields empty rather than absent.
  const input = { ...given, basePath: given.basePath || undefined, displayName: given.displayName || undefined };
  if (!ENDPOINT_TYPES.includes(input.type as any)) {
    throw new InputError(`${field}.type must be one of ${ENDPOINT_TYPES.join(', ')} (got ${JSON.stringify(input.type)})`);
  }
  if (!Number.isInteger(input.port) || input.port < 1 || input.port > 65535) {
    throw new InputError(`${field}.port must be a whole number 1-65535 (got ${JSON.stringify(input.port)})`);
  }
  for (const visibility of input.visibility ?? []) {
    if (!ENDPOINT_VISIBILITIES.includes(visibility as any)) {
      throw new InputError(`${field}.visibility: ${JSON.stringify(visibility)} is not one of ${ENDPOINT_VISIBILITIES.join(', ')}`);
    }
  }
  if (input.basePath !== undefined && !input.basePath.startsWith('/')) {
    throw new InputError(`${field}.basePath must start with '/' (got ${JSON.stringify(input.basePath)})`);
  }
  return {
    type: input.type as Endpoint['type'],
    port: input.port,
    ...(input.visibility?.length ? { visibility: [...new Set(input.visibility)] as Endpoint['visibility'] } : {}),
    ...(input.basePath ? { basePath: input.basePath } : {}),
    ...(input.displayName ? { displayName: input.displayName } : {}),
    ...(input.schema ? { schema: input.schema } : {}),
  };
}
