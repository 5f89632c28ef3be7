import { Entity } from '@backstage/catalog-model';
import { JsonObject, JsonValue } from '@backstage/types';
import { OPENCHOREO_ANNOTATIONS, ResourceOfKind } from '@cellplane/backstage-plugin-common';
import { RepositoryModel } from '@cellplane/backstage-plugin-node';
import { createHash } from 'node:crypto';

/** A ComponentType or ClusterComponentType of the repository. @public */
export type ComponentTypeResource = ResourceOfKind<'ComponentType'> | ResourceOfKind<'ClusterComponentType'>;

/** JSON-schema keywords the scaffolder's form understands; Kubernetes extensions are dropped. */
const FORM_KEYWORDS = new Set([
  'type', 'title', 'description', 'default', 'enum', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'minLength', 'maxLength', 'pattern', 'format', 'items', 'required', 'minItems', 'maxItems', 'uniqueItems',
  'additionalProperties', 'examples',
]);

/** An openAPIV3Schema as a form the scaffolder can render (react-jsonschema-form). @public */
export function schemaToForm(schema: unknown): JsonObject {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return {};
  const source = schema as Record<string, unknown>;
  const form: JsonObject = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === 'properties' && value && typeof value === 'object') {
      form.properties = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, schemaToForm(child)]));
    } else if (key === 'items') {
      form.items = schemaToForm(value);
    } else if (key === 'additionalProperties' && typeof value === 'object') {
      form.additionalProperties = schemaToForm(value);
    } else if (FORM_KEYWORDS.has(key)) {
      form[key] = value as JsonValue;
    }
  }
  if (source['x-kubernetes-preserve-unknown-fields'] && !form.type) form.type = 'object';
  return form;
}

/** The catalog name of a ComponentType's template: `new-<type>` (or with a hash when too long). */
export function templateName(type: ComponentTypeResource): string {
  const scope = type.kind === 'ClusterComponentType' ? '' : `${type.metadata.namespace}-`;
  const name = `new-${scope}${type.metadata.name}`;
  if (name.length <= 63) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, 54).replace(/-+$/, '')}-${hash}`;
}

const NAME_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

/** What endpoint a type's wizard asks for (see endpointPolicy). */
export type EndpointPolicy = 'none' | 'required' | 'http';

/**
 * Whether a type's components have endpoints, read from its validation rules as OpenChoreo's
 * samples write them: `size(workload.endpoints) == 0` (none, e.g. a worker or scheduled task),
 * `size(workload.endpoints) > 0` (at least one, e.g. a service), or
 * `workload.endpoints.exists(..., ... 'HTTP')` (an HTTP one, e.g. a web application, which is
 * browser-facing and so published on the public gateway by default). A type whose rules say
 * nothing gets no endpoint in its wizard (the add-endpoint template adds one later).
 */
export function endpointPolicy(type: ComponentTypeResource): EndpointPolicy {
  const spec = type.spec as { validations?: Array<{ rule?: unknown }>; preRenderValidations?: Array<{ rule?: unknown }> };
  const rules = [...(spec.preRenderValidations ?? []), ...(spec.validations ?? [])]
    .map(v => (typeof v?.rule === 'string' ? v.rule.replace(/\s+/g, '') : ''));
  if (type.spec.workloadType === 'cronjob' || type.spec.workloadType === 'job') return 'none';
  if (rules.some(r => r.includes('size(workload.endpoints)==0'))) return 'none';
  if (rules.some(r => /workload\.endpoints\.exists\(.*['"]HTTP['"]/.test(r))) return 'http';
  if (rules.some(r => /size\(workload\.endpoints\)(>0|>=1|!=0)/.test(r))) return 'required';
  return 'none';
}

/** The environment settings a developer sets at creation: the type's top-level scalar fields with a title. */
function firstEnvironmentForm(schema: unknown): JsonObject | undefined {
  const properties = (schemaToForm(schema).properties ?? {}) as Record<string, JsonObject>;
  const fields = Object.entries(properties).filter(
    ([, field]) => typeof field.title === 'string' && ['string', 'integer', 'number', 'boolean'].includes(field.type as string),
  );
  if (fields.length === 0) return undefined;
  return {
    type: 'object',
    // No defaults in the form: an empty field leaves the type's default in force rather than
    // pinning today's default on the binding.
    properties: Object.fromEntries(
      fields.map(([name, { default: byDefault, ...field }]) => [
        name,
        {
          ...field,
          ...(byDefault !== undefined
            ? { description: `${field.description ? `${field.description} ` : ''}Leave empty for the type's default, ${JSON.stringify(byDefault)}.` }
            : {}),
        },
      ]),
    ),
  };
}

/** Run a container image, or build one from a Git repository (a workflow builds it). */
const SOURCE_PAGE = {
  title: 'Source',
  properties: {
    from: {
      title: 'Run',
      type: 'string',
      enum: ['image', 'source'],
      enumNames: ['A container image', 'A Git repository (built by a workflow)'],
      default: 'image',
    },
  },
  dependencies: {
    from: {
      oneOf: [
        {
          properties: {
            from: { const: 'image' },
            // The form's quick check; the action checks the full image reference grammar.
            image: { title: 'Container image', type: 'string', description: 'e.g. ghcr.io/acme/orders:1.0.0', pattern: '^[^\\s]+$', maxLength: 512 },
          },
          required: ['image'],
        },
        {
          properties: {
            from: { const: 'source' },
            repository: { title: 'Repository (https URL)', type: 'string', pattern: '^https://[^\\s]+$', maxLength: 2048 },
            branch: { title: 'Branch', type: 'string', default: 'main', pattern: '^[^-\\s][^\\s]*$', maxLength: 255 },
          },
          required: ['repository'],
        },
      ],
    },
  },
};

const ENV_NAME = { title: 'Name', type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$', maxLength: 253 };
/**
 * Environment variables of the container: a plain value, or a key of a SecretReference, so a
 * secret reaches Git only as a reference (the action refuses a value that looks like a secret).
 */
const ENVIRONMENT_PAGE = {
  title: 'Environment variables',
  properties: {
    env: {
      title: 'Environment variables',
      type: 'array',
      maxItems: 50,
      // Each item is exactly what cellplane:component:create takes: {key, value} or {key, secretRef}.
      items: {
        type: 'object',
        oneOf: [
          {
            title: 'A plain value (written to Git)',
            required: ['key', 'value'],
            properties: { key: ENV_NAME, value: { title: 'Value', type: 'string', maxLength: 65536 } },
          },
          {
            title: 'A secret (only the reference to it is written)',
            required: ['key', 'secretRef'],
            properties: {
              key: ENV_NAME,
              secretRef: {
                title: 'Secret',
                type: 'object',
                required: ['name', 'key'],
                properties: {
                  name: { title: 'SecretReference', type: 'string', description: "A SecretReference of the component's namespace" },
                  key: { title: 'Key', type: 'string', description: 'One of its keys' },
                },
              },
            },
          },
        ],
      },
    },
  },
};

function endpointPage(policy: EndpointPolicy) {
  return {
    title: 'Endpoint',
    required: ['port'],
    properties: {
      port: { title: 'HTTP port', type: 'integer', default: 8080, minimum: 1, maximum: 65535 },
      visibility: {
        title: 'Who may call it',
        type: 'string',
        enum: ['project', 'namespace', 'internal', 'external'],
        enumNames: ['Its project', 'Every project of the namespace', 'The internal gateway', 'The public gateway'],
        default: policy === 'http' ? 'external' : 'project',
      },
    },
  };
}

/** Where a task's outcome is: the commit or pull request, the trace of the commit, the component. */
function outputLinks(stepId: string, entityRef: string, displayName: string) {
  return [
    { title: 'Commit', url: `\${{ steps.${stepId}.output.commitUrl }}` },
    // Set in pull-request mode only; the scaffolder shows a link only when it has a URL.
    { title: 'Pull request', url: `\${{ steps.${stepId}.output.pullRequestUrl }}` },
    { title: 'Trace: did it land?', url: `\${{ steps.${stepId}.output.traceUrl }}` },
    { title: `Open the ${displayName}`, icon: 'catalog', entityRef },
  ];
}

/**
 * A scaffolder Template for one ComponentType, the one golden path for its kind of component:
 * name, project, description and owner on the first page; the image to run or the repository
 * to build; the endpoint when the type's rules require one (see `endpointPolicy`); the
 * type's own parameters (from its openAPIV3Schema), environment variables (plain values, or keys
 * of SecretReferences for secrets) and the titled settings of the first environment (a scheduled
 * task's schedule); the publish mode; and one
 * `cellplane:component:create` step whose output links to the commit (or pull request), the
 * trace of the commit and the component. A platform engineer adds a ComponentType to Git and its
 * wizard appears in "Create".
 *
 * @public
 */
export function componentTypeTemplate(type: ComponentTypeResource, options: { owner: string; locationRef: string }): Entity {
  const displayName =
    (type.spec as { displayName?: string }).displayName ??
    type.metadata.annotations?.[OPENCHOREO_ANNOTATIONS.displayName] ??
    type.metadata.name;
  const description =
    type.metadata.annotations?.[OPENCHOREO_ANNOTATIONS.description]?.trim() ?? `A new ${displayName} component (${type.kind} ${type.metadata.name}).`;
  const typeRef = `${type.spec.workloadType}/${type.metadata.name}`;
  const settings = schemaToForm(type.spec.parameters?.openAPIV3Schema);
  const hasSettings = Object.keys((settings.properties as object | undefined) ?? {}).length > 0;
  const firstEnvironment = firstEnvironmentForm(type.spec.environmentConfigs?.openAPIV3Schema);
  const endpoints = endpointPolicy(type);
  const projectFilter: Record<string, string> = { kind: 'System' };
  if (type.kind === 'ComponentType') projectFilter['metadata.namespace'] = type.metadata.namespace ?? 'default';
  const scheduled = type.spec.workloadType === 'cronjob' || type.spec.workloadType === 'job';
  let kindOfComponent = 'service';
  if (scheduled) kindOfComponent = 'scheduled-task';
  else if (endpoints === 'http') kindOfComponent = 'website';
  const componentRef = "component:${{ parameters.project | parseEntityRef | pick('namespace') }}/${{ parameters.name }}";
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name: templateName(type),
      namespace: 'default',
      title: `New ${displayName}`,
      description,
      tags: ['cellplane', 'openchoreo', type.spec.workloadType],
      annotations: {
        'backstage.io/managed-by-location': options.locationRef,
        'backstage.io/managed-by-origin-location': options.locationRef,
        'cellplane.dev/component-type': `${type.kind}:${type.metadata.namespace ? `${type.metadata.namespace}/` : ''}${type.metadata.name}`,
      },
    },
    spec: {
      owner: options.owner,
      type: kindOfComponent,
      parameters: [
        {
          title: `New ${displayName}`,
          required: ['project', 'name'],
          properties: {
            project: {
              title: 'Project',
              type: 'string',
              description: 'The project (a System in the catalog) the component belongs to',
              'ui:field': 'EntityPicker',
              'ui:options': { catalogFilter: [projectFilter], defaultKind: 'System', allowArbitraryValues: false },
            },
            name: { title: 'Name', type: 'string', pattern: NAME_PATTERN, maxLength: 63, description: 'Lowercase letters, digits and -' },
            description: { title: 'Description', type: 'string' },
            owner: { title: 'Owner', type: 'string', 'ui:field': 'OwnerPicker', 'ui:options': { catalogFilter: { kind: 'Group' } } },
          },
        },
        SOURCE_PAGE,
        ...(endpoints !== 'none' ? [endpointPage(endpoints)] : []),
        ...(hasSettings ? [{ title: `${displayName} settings`, properties: { settings: { ...settings, title: `${displayName} settings` } } }] : []),
        ENVIRONMENT_PAGE,
        ...(firstEnvironment
          ? [{ title: 'First environment', properties: { firstEnvironment: { ...firstEnvironment, title: 'Settings of the first environment it deploys to' } } }]
          : []),
        {
          title: 'Publish',
          properties: {
            publishMode: { title: 'Publish as', type: 'string', enum: ['commit', 'pull-request'], default: 'commit' },
          },
        },
      ],
      steps: [
        {
          id: 'create',
          name: `Create the ${displayName}`,
          action: 'cellplane:component:create',
          input: {
            namespace: "${{ parameters.project | parseEntityRef | pick('namespace') }}",
            project: "${{ parameters.project | parseEntityRef | pick('name') }}",
            name: '${{ parameters.name }}',
            description: '${{ parameters.description }}',
            owner: '${{ parameters.owner }}',
            componentType: typeRef,
            componentTypeKind: type.kind,
            // The form fills one of the two; the action takes an empty one as none.
            image: '${{ parameters.image }}',
            source: { repository: '${{ parameters.repository }}', branch: '${{ parameters.branch }}' },
            ...(endpoints !== 'none'
              ? { endpoints: { http: { type: 'HTTP', port: '${{ parameters.port }}', visibility: ['${{ parameters.visibility }}'] } } }
              : {}),
            ...(hasSettings ? { parameters: '${{ parameters.settings }}' } : {}),
            env: '${{ parameters.env }}',
            ...(firstEnvironment ? { environmentConfigs: '${{ parameters.firstEnvironment }}' } : {}),
            publish: { mode: '${{ parameters.publishMode }}' },
          },
        },
      ],
      output: {
        links: outputLinks('create', componentRef, displayName),
        text: [{ title: 'Files in the commit', content: "${{ steps.create.output.changedFiles | join('\\n') }}" }],
      },
    },
  };
}

/** One Template per ComponentType and ClusterComponentType of the repository. @public */
export function componentTypeTemplates(model: RepositoryModel, options: { owner: string; locationRef: string }): Entity[] {
  return [...model.list('ClusterComponentType'), ...model.list('ComponentType')]
    .map(entry => componentTypeTemplate(entry.resource, options))
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}
