import {
  ANNOTATION_EDIT_URL,
  ANNOTATION_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  DefaultNamespaceEntityPolicy,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  KindValidator,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  stringifyEntityRef,
  systemEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import { CELLPLANE_ANNOTATIONS, KUBERNETES_LABEL_SELECTOR_ANNOTATION } from '@cellplane/backstage-plugin-common';
import {
  RepositoryModel,
  RepositoryModelBuilder,
  loadRepositoryModel,
  readWorkingTree,
} from '@cellplane/backstage-plugin-node';
import { EXAMPLE_REPOSITORY } from '@cellplane/backstage-plugin-node/testUtils';
import { ModelToEntitiesOptions, modelToEntities } from './modelToEntities';

const OPTIONS: ModelToEntitiesOptions = {
  defaultOwner: 'group:default/team-platform',
  locationKey: 'cellplane-provider:default',
};

const byRef = (entities: Entity[], ref: string) => {
  const entity = entities.find(e => stringifyEntityRef(e) === ref);
  if (!entity) throw new Error(`no entity ${ref}`);
  return entity;
};

/** A model from inline files, for cases the example repository does not have. */
function modelOf(files: Record<string, string>, revision?: string): RepositoryModel {
  const builder = new RepositoryModelBuilder();
  for (const [filePath, content] of Object.entries(files)) {
    builder.addFile({ path: filePath, content: Buffer.from(content) });
  }
  return builder.build(revision);
}

describe('modelToEntities', () => {
  let model: RepositoryModel;
  let entities: Entity[];

  beforeAll(async () => {
    model = loadRepositoryModel(await readWorkingTree(EXAMPLE_REPOSITORY));
    entities = modelToEntities(model, OPTIONS);
  });

  it('maps the example repository to the entities it implies, sorted by ref', () => {
    expect(entities.map(e => stringifyEntityRef(e))).toEqual([
      // one API per Workload endpoint
      'api:acme/cart-api-grpc',
      'api:acme/catalog-api-rest',
      'api:acme/events-broker-broker',
      'api:acme/events-broker-cluster',
      'api:acme/fraud-detector-grpc',
      'api:acme/metrics-collector-http',
      'api:acme/metrics-collector-statsd',
      'api:acme/notifications-ws-events',
      'api:acme/payments-api-rest',
      'api:acme/search-api-graphql',
      'api:acme/web-shop-web',
      'component:acme/cart-api',
      'component:acme/catalog-api',
      'component:acme/events-broker',
      'component:acme/fraud-detector',
      'component:acme/ledger-sync',
      'component:acme/metrics-collector',
      'component:acme/notifications-ws',
      'component:acme/payments-api',
      'component:acme/search-api',
      'component:acme/settlement-worker',
      'component:acme/web-shop',
      // ClusterComponentTypes and the ClusterDataPlane are cluster-scoped: Backstage's default namespace
      'componenttype:default/scheduled-task',
      'componenttype:default/service',
      'componenttype:default/web-application',
      'componenttype:default/worker',
      'dataplane:default/default',
      'deploymentpipeline:acme/standard',
      'domain:acme/acme',
      'environment:acme/development',
      'environment:acme/production',
      'environment:acme/staging',
      'resource:acme/payments-db',
      'system:acme/payments',
      'system:acme/platform-data',
      'system:acme/storefront',
    ]);
  });

  it('emits only valid entities', async () => {
    const policy = EntityPolicies.allOf([
      new DefaultNamespaceEntityPolicy(),
      new FieldFormatEntityPolicy(),
      new NoForeignRootFieldsEntityPolicy(),
      new SchemaValidEntityPolicy(),
    ]);
    const kindValidators: Record<string, KindValidator> = {
      API: apiEntityV1alpha1Validator,
      Component: componentEntityV1alpha1Validator,
      Domain: domainEntityV1alpha1Validator,
      Resource: resourceEntityV1alpha1Validator,
      System: systemEntityV1alpha1Validator,
    };
    for (const entity of entities) {
      await expect(policy.enforce(entity)).resolves.toBeDefined();
      expect(entity).not.toHaveProperty('relations');
    }
    for (const entity of entities.filter(e => kindValidators[e.kind])) {
      await expect(kindValidators[entity.kind].check(entity)).resolves.toBe(true);
    }
  });

  it('is deterministic', () => {
    expect(modelToEntities(model, OPTIONS)).toEqual(entities);
  });

  it('maps projects to systems of the namespace domain', () => {
    expect(byRef(entities, 'domain:acme/acme').spec).toEqual({ owner: 'group:default/team-platform' });
    const payments = byRef(entities, 'system:acme/payments');
    expect(payments.metadata.title).toBe('Payments');
    expect(payments.metadata.description).toMatch(/^Payment processing/);
    expect(payments.spec).toEqual({ owner: 'group:default/team-payments', domain: 'acme' });
  });

  it('resolves consumed APIs across projects', () => {
    const webShop = byRef(entities, 'component:acme/web-shop');
    expect(webShop.spec).toMatchObject({ type: 'web-application', lifecycle: 'production', system: 'storefront' });
    expect(webShop.spec?.providesApis).toEqual(['api:acme/web-shop-web']);
    expect(webShop.spec?.consumesApis).toEqual([
      'api:acme/cart-api-grpc',
      'api:acme/catalog-api-rest',
      'api:acme/payments-api-rest',
      'api:acme/search-api-graphql',
    ]);
    expect(byRef(entities, 'component:acme/payments-api').spec).toMatchObject({
      consumesApis: ['api:acme/events-broker-broker', 'api:acme/fraud-detector-grpc'],
      dependsOn: ['resource:acme/payments-db'],
    });
  });

  it('takes the owner from the component, then its project', () => {
    expect(byRef(entities, 'component:acme/catalog-api').spec?.owner).toBe('group:default/team-storefront');
    // cart-api names no owner: its project's owner applies, to the component and its APIs
    expect(model.get('Component', 'cart-api', 'acme')!.resource.metadata.annotations?.['cellplane.dev/owner']).toBeUndefined();
    expect(byRef(entities, 'component:acme/cart-api').spec?.owner).toBe('group:default/team-storefront');
    expect(byRef(entities, 'api:acme/cart-api-grpc').spec?.owner).toBe('group:default/team-storefront');
    expect(byRef(entities, 'resource:acme/payments-db').spec).toEqual({
      type: 'postgres',
      owner: 'group:default/team-payments',
      system: 'payments',
    });
    expect(byRef(entities, 'environment:acme/production').spec?.owner).toBe('group:default/team-platform');
  });

  it('selects the Kubernetes objects OpenChoreo labels for the component', () => {
    expect(byRef(entities, 'component:acme/search-api').metadata.annotations).toMatchObject({
      [KUBERNETES_LABEL_SELECTOR_ANNOTATION]: 'openchoreo.dev/component=search-api,openchoreo.dev/project=storefront',
      [CELLPLANE_ANNOTATIONS.project]: 'storefront',
      [CELLPLANE_ANNOTATIONS.sourceFile]: 'namespaces/acme/projects/storefront/components/search-api/component.yaml',
      [ANNOTATION_LOCATION]: 'cellplane:namespaces/acme/projects/storefront/components/search-api/component.yaml',
    });
  });

  it('publishes an inline OpenAPI schema as the API definition', () => {
    const api = byRef(entities, 'api:acme/catalog-api-rest');
    const endpoint = model.workload('acme', 'catalog-api')!.resource.spec.endpoints!.rest;
    expect(api.spec).toMatchObject({ type: 'openapi', lifecycle: 'production', system: 'storefront' });
    expect(api.spec?.definition).toBe(endpoint.schema!.content);
    expect(api.metadata.title).toBe('Catalog REST API');
    expect(api.metadata.annotations).toMatchObject({
      [CELLPLANE_ANNOTATIONS.endpoint]: 'rest',
      [CELLPLANE_ANNOTATIONS.endpointVisibility]: 'project,namespace,internal',
      [CELLPLANE_ANNOTATIONS.sourceFile]: 'namespaces/acme/projects/storefront/components/catalog-api/workload.yaml',
    });
  });

  it('types APIs by protocol when there is no schema', () => {
    const typeOf = (ref: string) => byRef(entities, ref).spec?.type;
    expect(typeOf('api:acme/cart-api-grpc')).toBe('grpc');
    expect(typeOf('api:acme/search-api-graphql')).toBe('graphql');
    expect(typeOf('api:acme/notifications-ws-events')).toBe('asyncapi');
    expect(typeOf('api:acme/events-broker-broker')).toBe('tcp');
    expect(typeOf('api:acme/metrics-collector-statsd')).toBe('udp');
    expect(typeOf('api:acme/metrics-collector-http')).toBe('http');
    expect(byRef(entities, 'api:acme/payments-api-rest').spec?.definition).toBe(
      'HTTP endpoint on port 8080, base path /payments/v1',
    );
    expect(byRef(entities, 'api:acme/fraud-detector-grpc').metadata.annotations?.[CELLPLANE_ANNOTATIONS.endpointVisibility]).toBe('project');
  });

  it('maps the platform resources to Cellplane kinds', () => {
    const production = byRef(entities, 'environment:acme/production');
    expect(production.apiVersion).toBe('cellplane.dev/v1alpha1');
    expect(production.spec).toEqual({
      isProduction: true,
      dataPlane: 'dataplane:default/default',
      owner: 'group:default/team-platform',
    });
    expect(byRef(entities, 'deploymentpipeline:acme/standard').spec?.promotionPaths).toEqual([
      { source: 'environment:acme/development', targets: ['environment:acme/staging'] },
      { source: 'environment:acme/staging', targets: ['environment:acme/production'] },
    ]);
    expect(byRef(entities, 'dataplane:default/default').spec).toEqual({ owner: 'group:default/team-platform', scope: 'Cluster' });
    expect(byRef(entities, 'componenttype:default/scheduled-task').spec).toEqual({
      workloadType: 'cronjob',
      owner: 'group:default/team-platform',
      scope: 'Cluster',
    });
  });

  it('points source and edit links at the file in git, and stamps no revision (unchanged entities stay unchanged)', () => {
    const revisioned = modelOf(
      { 'namespaces/acme/projects/shop/project.yaml': project('shop') },
      'abc123',
    );
    const [, system] = modelToEntities(revisioned, {
      ...OPTIONS,
      sourceUrl: file => `https://git.example.com/gitops/blob/main/${file}`,
    });
    const url = 'https://git.example.com/gitops/blob/main/namespaces/acme/projects/shop/project.yaml';
    expect(system.metadata.annotations).toEqual({
      'backstage.io/managed-by-location': `url:${url}`,
      'backstage.io/managed-by-origin-location': `url:${url}`,
      [ANNOTATION_SOURCE_LOCATION]: `url:${url}`,
      [ANNOTATION_EDIT_URL]: url,
      [CELLPLANE_ANNOTATIONS.sourceFile]: 'namespaces/acme/projects/shop/project.yaml',
      [CELLPLANE_ANNOTATIONS.namespace]: 'acme',
      [CELLPLANE_ANNOTATIONS.project]: 'shop',
    });
  });

  it('falls back to the default owner, keeps broken resources and drops unresolvable dependencies', () => {
    const longComponent = 'a-component-with-a-rather-long-name-near-the-limit'; // 49 characters
    const broken = modelOf({
      'namespaces/acme/projects/shop/project.yaml': project('shop'),
      'namespaces/acme/projects/shop/components/front/component.yaml': component('front', 'shop'),
      'namespaces/acme/projects/shop/components/front/workload.yaml': workload('front', 'shop', {
        endpoints: { 'public-http-endpoint': { type: 'HTTP', port: 80 } },
        dependencies: {
          endpoints: [
            { component: 'missing', name: 'rest', visibility: 'project', envBindings: {} },
            { component: 'front', name: 'missing', visibility: 'project', envBindings: {} },
          ],
          resources: [{ ref: 'missing-db' }],
        },
      }),
      [`namespaces/acme/projects/shop/components/${longComponent}/component.yaml`]: component(longComponent, 'shop'),
      [`namespaces/acme/projects/shop/components/${longComponent}/workload.yaml`]: workload(longComponent, 'shop', {
        endpoints: { 'public-http-endpoint': { type: 'HTTP', port: 80 } },
      }),
    });
    expect(broken.problems.length).toBeGreaterThan(0);
    const mapped = modelToEntities(broken, OPTIONS);
    const front = byRef(mapped, 'component:acme/front');
    expect(front.spec).toEqual({
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/team-platform',
      system: 'shop',
      providesApis: ['api:acme/front-public-http-endpoint'],
      dependsOn: ['resource:acme/missing-db'],
    });
    // too long for a Backstage name: shortened, with a hash of the full name
    const [longApi] = byRef(mapped, `component:acme/${longComponent}`).spec?.providesApis as string[];
    expect(longApi).toMatch(/^api:acme\/a-component-with-a-rather-long-name-near-the-limit-pub-[0-9a-f]{8}$/);
    expect(longApi.length - 'api:acme/'.length).toBeLessThanOrEqual(63);
    expect(mapped.map(e => stringifyEntityRef(e))).toContain(longApi);
  });
});

function project(name: string): string {
  return `apiVersion: openchoreo.dev/v1alpha1
kind: Project
metadata:
  name: ${name}
  namespace: acme
spec:
  deploymentPipelineRef: standard
`;
}

function component(name: string, projectName: string): string {
  return `apiVersion: openchoreo.dev/v1alpha1
kind: Component
metadata:
  name: ${name}
  namespace: acme
spec:
  owner:
    projectName: ${projectName}
  componentType: deployment/service
`;
}

function workload(name: string, projectName: string, spec: Record<string, unknown>): string {
  return JSON.stringify({
    apiVersion: 'openchoreo.dev/v1alpha1',
    kind: 'Workload',
    metadata: { name, namespace: 'acme' },
    spec: { owner: { projectName, componentName: name }, container: { image: 'example/app:1' }, ...spec },
  });
}
