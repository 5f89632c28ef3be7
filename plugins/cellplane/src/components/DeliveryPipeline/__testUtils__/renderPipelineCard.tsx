import { FetchApi, discoveryApiRef, fetchApiRef } from '@backstage/frontend-plugin-api';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { scaffolderApiRef } from '@backstage/plugin-scaffolder-react';
import { DeliveryPipeline, PipelineEnvironment } from '@cellplane/backstage-plugin-common';
import { screen } from '@testing-library/react';
import { cellplaneStatusApiRef } from '../../../api';
import { commitRouteRef } from '../../../routes';
import { FakeStatusApi } from '../../../testing/fakes';
import { DeliveryPipelineCard } from '../DeliveryPipelineCard';

/**
 * The delivery pipeline card's edges for its tests: the pipeline route, the status API, the
 * catalog's templates, the scaffolder and the permission API. Several test files share them
 * because permission-react caches decisions per module: each permission scenario gets its own file.
 */

export const COMMIT = '3f9c2a1d8e7b6c5d4f3a2b1c0d9e8f7a6b5c4d3e';
export const OLDER_COMMIT = 'b'.repeat(40);

export const release = (name: string, commit: string, image: string) => ({ name, commit, createdAt: '2026-12-01T10:00:00Z', images: [image] });

export function environment(name: string, stage: number, overrides: Partial<PipelineEnvironment> = {}): PipelineEnvironment {
  return { name, stage, next: [], previous: [], isProduction: false, requiresApproval: false, publish: 'commit', pullRequests: [], ...overrides };
}

/** development → staging → production, web-shop running in development and staging. */
export function linearPipeline(overrides: Partial<Record<string, Partial<PipelineEnvironment>>> = {}): DeliveryPipeline {
  return {
    namespace: 'acme',
    component: 'web-shop',
    project: 'storefront',
    pipeline: 'standard',
    revision: COMMIT,
    environments: [
      environment('development', 0, {
        next: [{ environment: 'staging', requiresApproval: false }],
        binding: { followsComponent: true, state: 'Active' },
        release: release('web-shop-2b3c4d5e6f', COMMIT, 'ghcr.io/acme/web-shop:2.0'),
        ...overrides.development,
      }),
      environment('staging', 1, {
        previous: ['development'],
        next: [{ environment: 'production', requiresApproval: false }],
        binding: { releaseName: 'web-shop-1a2b3c4d5e', followsComponent: false, state: 'Active' },
        release: release('web-shop-1a2b3c4d5e', OLDER_COMMIT, 'ghcr.io/acme/web-shop:1.9'),
        ...overrides.staging,
      }),
      environment('production', 2, { previous: ['staging'], isProduction: true, ...overrides.production }),
    ],
    releases: [
      { ...release('web-shop-2b3c4d5e6f', COMMIT, 'ghcr.io/acme/web-shop:2.0'), environments: [], current: true },
      { ...release('web-shop-1a2b3c4d5e', OLDER_COMMIT, 'ghcr.io/acme/web-shop:1.9'), environments: ['staging'], current: false },
      { ...release('web-shop-0f0f0f0f0f', 'c'.repeat(40), 'ghcr.io/acme/web-shop:1.8'), environments: [], current: false },
    ],
  };
}

/** The pipeline route at the edge: each read answers the next of `answers` (the last one repeats); null never answers. */
export function pipelineBackend(...answers: Array<{ status: number; body: unknown } | null>): { requests: string[]; fetchApi: FetchApi } {
  const requests: string[] = [];
  const fetchApi = mockApis.fetch({
    baseImplementation: async (input: any) => {
      const url = String(input instanceof Request ? input.url : input);
      requests.push(url);
      const answer = answers[Math.min(requests.length - 1, answers.length - 1)];
      if (!answer) return new Promise<Response>(() => {});
      return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } });
    },
  });
  return { requests, fetchApi };
}

/** The golden-path templates as the catalog holds them (templates/promote.yaml and rollback.yaml), reduced to what the card reads. */
export const template = (name: string, stepId: string, action: string, properties: string[]) => ({
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name, namespace: 'default' },
  spec: {
    type: 'operation',
    parameters: [{ properties: Object.fromEntries(properties.map(p => [p, { type: 'string' }])) }],
    steps: [{ id: stepId, name: stepId, action, input: {} }],
    output: { links: [{ title: 'Commit', url: `\${{ steps.${stepId}.output.commitUrl }}` }] },
  },
});
export const templates = [
  template('cellplane-promote', 'promote', 'cellplane:component:promote', ['component', 'to', 'publishMode']),
  template('cellplane-rollback', 'rollback', 'cellplane:component:rollback', ['component', 'environment', 'release', 'publishMode']),
];

export const DIFF = [
  'diff --git a/namespaces/acme/projects/storefront/components/web-shop/release-bindings/web-shop-staging.yaml b/namespaces/acme/projects/storefront/components/web-shop/release-bindings/web-shop-staging.yaml',
  '--- a/namespaces/acme/projects/storefront/components/web-shop/release-bindings/web-shop-staging.yaml',
  '+++ b/namespaces/acme/projects/storefront/components/web-shop/release-bindings/web-shop-staging.yaml',
  '@@ -8,2 +8,2 @@',
  '   environment: staging',
  '-  releaseName: web-shop-1a2b3c4d5e',
  '+  releaseName: web-shop-2b3c4d5e6f',
  'diff --git a/rendered/default/acme/staging/storefront/web-shop.yaml b/rendered/default/acme/staging/storefront/web-shop.yaml',
  '--- a/rendered/default/acme/staging/storefront/web-shop.yaml',
  '+++ b/rendered/default/acme/staging/storefront/web-shop.yaml',
  '@@ -20,1 +20,1 @@',
  '-          image: ghcr.io/acme/web-shop:1.9',
  '+          image: ghcr.io/acme/web-shop:2.0',
  '',
].join('\n');

/** The scaffolder at the edge: records dry runs and tasks; a test pushes the task's events. */
export class FakeScaffolder {
  dryRuns: any[] = [];
  tasks: any[] = [];
  private observers: Array<{ next(event: any): void }> = [];
  dryRunAnswer: () => Promise<any> = async () => ({
    output: { cellplaneDryRunDiff: DIFF, cellplaneDryRunChangedFiles: ['a', 'b'] },
    log: [],
    steps: [],
    directoryContents: [],
  });
  async dryRun(request: any) {
    // As the scaffolder's template schema: besides links and text, every output is a string.
    const { links, text, ...outputs } = request.template.spec.output ?? {};
    const notStrings = Object.keys(outputs).filter(key => typeof outputs[key] !== 'string');
    if (notStrings.length) throw new Error(`Input template is not a template (output ${notStrings.join(', ')} must be strings)`);
    this.dryRuns.push(request);
    return this.dryRunAnswer();
  }
  async scaffold(request: any) {
    this.tasks.push(request);
    return { taskId: 'task-1' };
  }
  streamLogs() {
    return {
      subscribe: (observer: any) => {
        this.observers.push(observer);
        return { unsubscribe: () => {}, closed: false };
      },
    };
  }
  emit(event: any) {
    for (const observer of this.observers) observer.next({ id: 1, taskId: 'task-1', createdAt: '', ...event });
  }
}

export function renderCard(options: {
  backend: ReturnType<typeof pipelineBackend>;
  statuses?: FakeStatusApi;
  scaffolder?: FakeScaffolder;
  allowed?: (permission: string) => boolean;
  /** The permission API's answers never come (the backend is slow): the card must not wait for them. */
  permissionsPending?: boolean;
}) {
  const scaffolder = options.scaffolder ?? new FakeScaffolder();
  const statuses = options.statuses ?? new FakeStatusApi([]);
  const allowed = options.allowed ?? (() => true);
  renderInTestApp(<DeliveryPipelineCard namespace="acme" component="web-shop" />, {
    apis: [
      [discoveryApiRef, mockApis.discovery({ baseUrl: 'http://backend.test' })],
      [fetchApiRef, options.backend.fetchApi],
      [cellplaneStatusApiRef, statuses],
      [catalogApiRef, catalogApiMock({ entities: templates as any })],
      [scaffolderApiRef, scaffolder as any],
      // AuthorizeResult's values, spelled out: the permission-common package is not this plugin's dependency.
      [
        permissionApiRef,
        options.permissionsPending
          ? { authorize: () => new Promise<never>(() => {}) }
          : mockApis.permission({ authorize: request => (allowed(request.permission.name) ? 'ALLOW' : 'DENY') as any }),
      ],
    ],
    mountedRoutes: { '/cellplane/commits/:sha': commitRouteRef },
  });
  return { scaffolder, statuses };
}

export const ok = (body: unknown) => ({ status: 200, body });
export const column = (name: string) => screen.getByTestId(`pipeline-env-${name}`);

