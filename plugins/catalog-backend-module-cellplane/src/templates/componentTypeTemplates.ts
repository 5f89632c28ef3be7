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

/**
 * A scaffolder Template for one ComponentType: the component's name, project and image on the
 * first page, the type's own parameters (from its openAPIV3Schema) on the second, and one
 * `cellplane:component:create` step. A platform engineer adds a ComponentType to Git and its
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
    type.metadata.annotations?.[OPENCHOREO_ANNOTATIONS.description] ?? `A new ${displayName} component (${type.kind} ${type.metadata.name}).`;
  const typeRef = `${type.spec.workloadType}/${type.metadata.name}`;
  const settings = schemaToForm(type.spec.parameters?.openAPIV3Schema);
  const hasSettings = Object.keys((settings.properties as object | undefined) ?? {}).length > 0;
  const projectFilter: Record<string, string> = { kind: 'System' };
  if (type.kind === 'ComponentType') projectFilter['metadata.namespace'] = type.metadata.namespace ?? 'default';
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
      type: type.spec.workloadType === 'cronjob' || type.spec.workloadType === 'job' ? 'scheduled-task' : 'service',
      parameters: [
        {
          title: `New ${displayName}`,
          required: ['project', 'name', 'image'],
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
            image: { title: 'Container image', type: 'string', description: 'e.g. ghcr.io/acme/orders:1.0.0' },
          },
        },
        ...(hasSettings ? [{ title: `${displayName} settings`, properties: { settings: { ...settings, title: `${displayName} settings` } } }] : []),
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
            image: '${{ parameters.image }}',
            ...(hasSettings ? { parameters: '${{ parameters.settings }}' } : {}),
            publish: { mode: '${{ parameters.publishMode }}' },
          },
        },
      ],
      output: {
        links: [
          { title: 'Commit', url: '${{ steps.create.output.commitUrl }}' },
          {
            title: 'Open the component',
            icon: 'catalog',
            entityRef: "component:${{ parameters.project | parseEntityRef | pick('namespace') }}/${{ parameters.name }}",
          },
        ],
        text: [{ title: 'Files', content: "${{ steps.create.output.changedFiles | join('\\n') }}" }],
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
