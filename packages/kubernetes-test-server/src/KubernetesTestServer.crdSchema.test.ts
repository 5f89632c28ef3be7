import {
  ApiextensionsV1Api,
  CustomObjectsApi,
  V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { KubernetesTestServer } from './KubernetesTestServer';
import { builtinResourceTypes } from './resourceTypes';
import { statusOf } from './testing/fixtures';

/**
 * A CRD with a real structural schema (shaped like OpenChoreo's ReleaseBinding), in
 * client-node's typed form (`_default`, `_enum`, `x_kubernetes_…`), which it serializes to JSON.
 */
const bindings: V1CustomResourceDefinition = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'bindings.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { kind: 'Binding', plural: 'bindings' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['owner', 'environment'],
                properties: {
                  owner: {
                    type: 'object',
                    required: ['projectName'],
                    properties: {
                      projectName: { type: 'string', minLength: 1 },
                    },
                  },
                  environment: { type: 'string' },
                  state: {
                    type: 'string',
                    _default: 'Active',
                    _enum: ['Active', 'Undeploy'],
                  },
                  overrides: {
                    type: 'object',
                    x_kubernetes_preserve_unknown_fields: true,
                  },
                },
              },
              status: {
                type: 'object',
                properties: {
                  observedGeneration: { type: 'integer', minimum: 0 },
                  conditions: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['type', 'status'],
                      properties: {
                        type: { type: 'string' },
                        // Under `items` (typed any) client-node sends the keys as written.
                        status: {
                          type: 'string',
                          enum: ['True', 'False', 'Unknown'],
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    ],
  },
};

describe('KubernetesTestServer: custom resources against their CRD schema', () => {
  let server: KubernetesTestServer;
  let custom: CustomObjectsApi;
  const address = {
    group: 'example.com',
    version: 'v1',
    namespace: 'default',
    plural: 'bindings',
  };

  beforeEach(async () => {
    server = await KubernetesTestServer.start({
      resourceTypes: builtinResourceTypes,
    });
    const kc = server.kubeConfig();
    await kc
      .makeApiClient(ApiextensionsV1Api)
      .createCustomResourceDefinition({ body: bindings });
    custom = kc.makeApiClient(CustomObjectsApi);
  });
  afterEach(() => server.close());

  const binding = (spec: any, name = 'cart-development') => ({
    apiVersion: 'example.com/v1',
    kind: 'Binding',
    metadata: { name },
    spec,
  });

  it('prunes undeclared fields, keeps preserved ones and applies defaults', async () => {
    const created: any = await custom.createNamespacedCustomObject({
      ...address,
      body: binding({
        owner: { projectName: 'shop', colour: 'red' },
        environment: 'development',
        overrides: { anything: { goes: true } },
        typo: 'dropped',
      }),
    });
    expect(created.spec).toEqual({
      owner: { projectName: 'shop' },
      environment: 'development',
      overrides: { anything: { goes: true } },
      state: 'Active',
    });
  });

  it('refuses what the schema forbids with 422 Invalid, naming every field', async () => {
    const invalid = await statusOf(
      custom.createNamespacedCustomObject({
        ...address,
        body: binding({ owner: { projectName: '' }, state: 'Paused' }),
      }),
    );
    expect(invalid).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(invalid.message).toBe(
      'Binding.example.com "cart-development" is invalid: ' +
        'spec.owner.projectName: Invalid value: "": spec.owner.projectName in body should be at least 1 chars long, ' +
        'spec.state: Unsupported value: "Paused": supported values: "Active", "Undeploy", ' +
        'spec.environment: Required value',
    );
    expect(invalid.details.causes.map((c: any) => [c.field, c.reason])).toEqual(
      [
        ['spec.owner.projectName', 'FieldValueInvalid'],
        ['spec.state', 'FieldValueNotSupported'],
        ['spec.environment', 'FieldValueRequired'],
      ],
    );
    const wrongType = await statusOf(
      custom.createNamespacedCustomObject({
        ...address,
        body: binding({ owner: { projectName: 'shop' }, environment: 7 }),
      }),
    );
    expect(wrongType.details.causes[0]).toMatchObject({
      field: 'spec.environment',
      message:
        'Invalid value: "integer": spec.environment in body must be of type string: "integer"',
    });
  });

  it('checks what a controller writes to the status subresource', async () => {
    await custom.createNamespacedCustomObject({
      ...address,
      body: binding({ owner: { projectName: 'shop' }, environment: 'dev' }),
    });
    const stored: any = await custom.getNamespacedCustomObject({
      ...address,
      name: 'cart-development',
    });
    const invalid = await statusOf(
      custom.replaceNamespacedCustomObjectStatus({
        ...address,
        name: 'cart-development',
        body: { ...stored, status: { conditions: [{ type: 'Ready', status: 'Yes' }] } },
      }),
    );
    expect(invalid.details.causes[0]).toMatchObject({
      field: 'status.conditions[0].status',
      reason: 'FieldValueNotSupported',
    });
    const updated: any = await custom.replaceNamespacedCustomObjectStatus({
      ...address,
      name: 'cart-development',
      body: {
        ...stored,
        status: { observedGeneration: 1, conditions: [{ type: 'Ready', status: 'True' }] },
      },
    });
    expect(updated.status.conditions).toEqual([{ type: 'Ready', status: 'True' }]);
    // Seeding through server.objects is checked alike.
    expect(() =>
      server.objects.put({
        ...binding({ owner: { projectName: 'shop' }, environment: 'dev' }, 'seeded'),
        metadata: { name: 'seeded', namespace: 'default' },
        status: { observedGeneration: -1 },
      }),
    ).toThrow(
      'status.observedGeneration: Invalid value: -1: status.observedGeneration in body should be greater than or equal to 0',
    );
  });
});
