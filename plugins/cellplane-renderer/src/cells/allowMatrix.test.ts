import { loadAll } from 'js-yaml';
import { resolve } from 'node:path';
import { loadRepositoryModel, readWorkingTree, RepositoryModel } from '@cellplane/backstage-plugin-node';
import { renderRepository } from '../renderRepository';
import type { RenderedObject } from '../template/types';
import { metricsPathOf } from '../observability/observability';
import { allowMatrix, Pods, podsOf } from './allowMatrix';

const EXAMPLE = resolve(__dirname, '../../../../examples/gitops');

/** Pods outside the cells: what the policies must let in or keep out. */
const OUTSIDERS: Pods[] = [
  { id: 'gateway:external', namespace: 'openchoreo-data-plane', labels: { 'gateway.networking.k8s.io/gateway-name': 'gateway-default' }, ports: [] },
  { id: 'gateway:internal', namespace: 'openchoreo-data-plane', labels: { 'gateway.networking.k8s.io/gateway-name': 'gateway-internal' }, ports: [] },
  { id: 'prometheus', namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' }, ports: [] },
  { id: 'dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, ports: ['53/TCP', '53/UDP'] },
  { id: 'stranger', namespace: 'default', labels: { app: 'stranger' }, ports: ['8080/TCP'] },
];

const podId = (o: { metadata: { labels?: Record<string, string> } }, labels = o.metadata.labels ?? {}) =>
  `${labels['openchoreo.dev/project']}/${labels['openchoreo.dev/component'] ?? labels['cellplane.dev/resource']}@${labels['openchoreo.dev/environment']}`;

let model: RepositoryModel;
let objects: RenderedObject[];
let pods: Pods[];
let namespaceLabels: Record<string, Record<string, string>>;

beforeAll(async () => {
  model = loadRepositoryModel(await readWorkingTree(EXAMPLE));
  const rendered = await renderRepository(model);
  objects = [...rendered.files]
    .filter(([path]) => path.endsWith('.yaml') && !path.startsWith('rendered/_'))
    .flatMap(([, content]) => loadAll(content) as RenderedObject[]);
  const cellPods = podsOf(objects, object => podId(object, podTemplateLabels(object)));
  pods = [...cellPods, ...OUTSIDERS];
  namespaceLabels = Object.fromEntries(
    objects.filter(o => o.kind === 'Namespace').map(o => [o.metadata.name, o.metadata.labels ?? {}]),
  );
});

function podTemplateLabels(object: RenderedObject): Record<string, string> {
  const spec = object.spec as any;
  return (object.kind === 'CronJob' ? spec.jobTemplate.spec.template : spec.template).metadata.labels;
}

/** Who is deployed where, from the model: `project/component@environment` → its workload. */
function deployed() {
  const components = new Map<string, { namespace: string; project: string; environment: string; workload: any }>();
  for (const { resource, namespace } of model.list('ReleaseBinding')) {
    if (resource.spec.state === 'Undeploy') continue;
    const { projectName: project, componentName } = resource.spec.owner;
    const workload = model.workload(namespace!, componentName)!.resource.spec;
    components.set(`${project}/${componentName}@${resource.spec.environment}`, {
      namespace: namespace!,
      project,
      environment: resource.spec.environment,
      workload,
    });
  }
  const resources = new Set(
    model.list('ResourceReleaseBinding').map(({ resource }) => `${resource.spec.owner.projectName}/${resource.spec.owner.resourceName}@${resource.spec.environment}`),
  );
  return { components, resources };
}

const port = (endpoint: any) => `${endpoint.targetPort ?? endpoint.port}/${endpoint.type === 'UDP' ? 'UDP' : 'TCP'}`;
const isCellPod = (id: string) => id.includes('@');

describe('the allow-matrix of the example repository', () => {
  it('opens exactly the declared dependencies, gateway visibilities, metrics scraping, self-traffic and DNS', () => {
    const { components, resources } = deployed();
    const expected = new Set<string>();
    for (const [id, { project, environment, workload }] of components) {
      for (const dependency of workload.dependencies?.endpoints ?? []) {
        const target = `${dependency.project ?? project}/${dependency.component}@${environment}`;
        const provider = components.get(target);
        if (provider) expected.add(`${id} -> ${target}:${port(provider.workload.endpoints[dependency.name])}`);
      }
      for (const dependency of workload.dependencies?.resources ?? []) {
        const target = `${project}/${dependency.ref}@${environment}`;
        if (resources.has(target)) expected.add(`${id} -> ${target}:5432/TCP`);
      }
      for (const [name, endpoint] of Object.entries<any>(workload.endpoints ?? {})) {
        expected.add(`${id} -> ${id}:${port(endpoint)}`); // replicas of one component
        for (const gateway of ['internal', 'external']) {
          if (endpoint.visibility?.includes(gateway)) expected.add(`gateway:${gateway} -> ${id}:${port(endpoint)}`);
        }
        if (metricsPathOf(name, endpoint)) expected.add(`prometheus -> ${id}:${port(endpoint)}`);
      }
      expected.add(`${id} -> dns:53/TCP`).add(`${id} -> dns:53/UDP`);
    }
    for (const id of resources) {
      expected.add(`${id} -> ${id}:5432/TCP`).add(`${id} -> dns:53/TCP`).add(`${id} -> dns:53/UDP`);
    }

    const actual = allowMatrix(objects, pods, namespaceLabels).filter(entry => {
      const [source, destination] = entry.split(' -> ');
      return isCellPod(source) || isCellPod(destination.split(':')[0]);
    });
    expect(actual).toEqual([...expected].sort());
    // Spot checks a reader can follow.
    expect(actual).toContain('storefront/web-shop@development -> payments/payments-api@development:8080/TCP');
    expect(actual).not.toContain('storefront/web-shop@development -> payments/fraud-detector@development:9090/TCP');
    expect(actual.some(entry => entry.startsWith('stranger'))).toBe(false);
  });

  it('lets each endpoint accept exactly whom its visibility names (ingress side alone)', () => {
    const { components } = deployed();
    const expected = new Set<string>();
    const cellPods = pods.filter(p => isCellPod(p.id));
    for (const [id, { namespace, project, environment, workload }] of components) {
      for (const [name, endpoint] of Object.entries<any>(workload.endpoints ?? {})) {
        const visibility: string[] = endpoint.visibility ?? [];
        for (const source of cellPods) {
          const [sourceProject, rest] = source.id.split('/');
          const sameEnvironment = rest.endsWith(`@${environment}`);
          const sameNamespace = namespaceLabels[source.namespace]['openchoreo.dev/namespace'] === namespace;
          if (sameEnvironment && (sourceProject === project || (visibility.includes('namespace') && sameNamespace))) {
            expected.add(`${source.id} -> ${id}:${port(endpoint)}`);
          }
        }
        for (const gateway of ['internal', 'external']) {
          if (visibility.includes(gateway)) expected.add(`gateway:${gateway} -> ${id}:${port(endpoint)}`);
        }
        if (metricsPathOf(name, endpoint)) expected.add(`prometheus -> ${id}:${port(endpoint)}`);
      }
    }
    const actual = allowMatrix(objects, pods, namespaceLabels, 'ingress').filter(entry => {
      const destination = entry.split(' -> ')[1].split(':')[0];
      return isCellPod(destination) && !destination.startsWith('payments/payments-db');
    });
    expect(actual).toEqual([...expected].sort());
  });
});
