/**
 * yarn bench:status: the status of a project page (50 components × 3 environments) from
 * Cellplane's backend vs Backstage's own kubernetes-backend, both reading the same
 * Kubernetes-API test server seeded with 1,000 components × 3 environments (a Deployment, a
 * Service and a pod each).
 *
 * - API-server requests per page view (from the test server's request log). Cellplane answers
 *   from its watch cache: target 0. Backstage's kubernetes-backend lists every kind it knows per
 *   entity and cluster.
 * - p99 latency of a page view: Cellplane's one GET /status/projects/...; Backstage's 50
 *   POST /services/:id (one per component card), in parallel as the browser would. Target ≤ 20 ms.
 * - Change-to-event latency: a pod starts crash-looping in the cluster → the SSE event for its
 *   component arrives. Target ≤ 1 s.
 *
 * Progress goes to stderr; the last stdout line is one JSON object.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import cellplanePlugin from '@cellplane/backstage-plugin-backend';
import { STATUS_LABELS } from '@cellplane/backstage-plugin-common';
import { FileChange, GitOpsRepository } from '@cellplane/backstage-plugin-node';
import { KubernetesTestServer } from '@cellplane/kubernetes-test-server';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateRepository } from './generateRepository';

const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 20);
const COMPONENTS_PER_PROJECT = Number(process.env.BENCH_COMPONENTS_PER_PROJECT ?? 50);
const CELLPLANE_VIEWS = Number(process.env.BENCH_CELLPLANE_VIEWS ?? 500);
const BACKSTAGE_VIEWS = Number(process.env.BENCH_BACKSTAGE_VIEWS ?? 10);
const EVENT_SAMPLES = Number(process.env.BENCH_EVENT_SAMPLES ?? 20);
const ENVIRONMENTS = ['development', 'staging', 'production'];

const log = (message: string) => process.stderr.write(`${message}\n`);
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const round = (n: number) => Math.round(n * 10) / 10;
const now = () => Number(process.hrtime.bigint()) / 1e6;

interface Target {
  project: string;
  component: string;
  environment: string;
}

const cellNamespace = (t: Target) => `acme-${t.project}-${t.environment}`;
const labelsOf = (t: Target) => ({
  [STATUS_LABELS.namespace]: 'acme',
  [STATUS_LABELS.project]: t.project,
  [STATUS_LABELS.component]: t.component,
  [STATUS_LABELS.environment]: t.environment,
  [STATUS_LABELS.releaseHash]: 'bench1',
  // What Backstage's kubernetes plugin finds objects by (backstage.io/kubernetes-id).
  'backstage.io/kubernetes-id': t.component,
});

function rendered(t: Target) {
  const labels = labelsOf(t);
  const namespace = cellNamespace(t);
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: t.component, namespace, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: { [STATUS_LABELS.component]: t.component } },
        template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: `registry.example/${t.component}:1.0` }] } },
      },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: t.component, namespace, labels }, spec: { ports: [{ port: 80 }] } },
  ];
}

function observed(t: Target) {
  const [deployment, service] = rendered(t);
  return [
    { ...deployment, metadata: { ...deployment.metadata, generation: 1 }, status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 } },
    service,
    pod(t, true),
  ];
}

function pod(t: Target, ready: boolean) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `${t.component}-0`, namespace: cellNamespace(t), labels: labelsOf(t) },
    spec: { containers: [{ name: 'main', image: `registry.example/${t.component}:1.0` }] },
    status: ready
      ? { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'main', ready: true, restartCount: 0, state: { running: {} } }] }
      : {
          phase: 'Running',
          conditions: [{ type: 'Ready', status: 'False' }],
          containerStatuses: [{ name: 'main', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1 } } }],
        },
  };
}

/** The response body, and how long it took to arrive in full (parsing it is the browser's part). */
async function timed(server: http.Server, method: string, path: string, body?: unknown): Promise<{ ms: number; body: any }> {
  const { port } = server.address() as AddressInfo;
  const start = now();
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  const ms = now() - start;
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
  return { ms, body: JSON.parse(text) };
}

async function json(server: http.Server, method: string, path: string, body?: unknown): Promise<any> {
  return (await timed(server, method, path, body)).body;
}

const pagePath = (project: string) => `/api/cellplane/status/projects/acme/${project}`;

/** The generated repository and its rendered objects, committed to a bare repository in `dir`. */
async function generateRenderedRepository(dir: string): Promise<{ bare: string; targets: Target[] }> {
  log(`Generating ${PROJECTS * COMPONENTS_PER_PROJECT} components in ${PROJECTS} projects, rendered for ${ENVIRONMENTS.length} environments...`);
  const files = generateRepository({ projects: PROJECTS, componentsPerProject: COMPONENTS_PER_PROJECT }).filter(
    f => !f.path.startsWith('rendered/'),
  );
  const targets: Target[] = [];
  for (const file of files) {
    const match = /^namespaces\/acme\/projects\/([^/]+)\/components\/([^/]+)\/component\.yaml$/.exec(file.path);
    if (!match) continue;
    for (const environment of ENVIRONMENTS) targets.push({ project: match[1], component: match[2], environment });
  }
  const renderedFiles: FileChange[] = targets.map(t => ({
    path: `rendered/default/acme/${t.environment}/${t.project}/components/${t.component}.yaml`,
    content: rendered(t).map(o => JSON.stringify(o)).join('\n---\n'),
  }));
  const bare = join(dir, 'gitops.git');
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', bare]);
  const writer = new GitOpsRepository({ url: bare, branch: 'main', cacheDir: join(dir, 'writer') });
  await writer.commit({ message: 'Generated', author: { name: 'bench', email: 'bench@localhost' }, changes: () => [...files, ...renderedFiles] });

  return { bare, targets };
}

/** Cellplane page views: each project once cold (its view body not cached yet), then warm. */
async function measureCellplaneViews(server: http.Server, cluster: KubernetesTestServer, projects: string[]) {
  await new Promise(r => setTimeout(r, 500)); // let the first bookmarks pass
  const before = cluster.requests.count();
  const coldTimes: number[] = [];
  for (const project of projects) coldTimes.push((await timed(server, 'GET', pagePath(project))).ms);
  log(`Cellplane: first view of each project (cold): p50 ${round(percentile(coldTimes, 50))} ms, max ${round(Math.max(...coldTimes))} ms`);
  const cellplaneTimes: number[] = [];
  for (let view = 0; view < CELLPLANE_VIEWS; view += 1) {
    const { ms, body: page } = await timed(server, 'GET', pagePath(projects[view % projects.length]));
    cellplaneTimes.push(ms);
    if (page.items.length !== COMPONENTS_PER_PROJECT * ENVIRONMENTS.length) throw new Error('incomplete page');
  }
  const cellplaneViews = CELLPLANE_VIEWS + projects.length;
  const cellplaneRequests = cluster.requests.count() - before;
  log(
    `Cellplane: ${cellplaneViews} page views, ${cellplaneRequests} API-server requests, p50 ${round(percentile(cellplaneTimes, 50))} ms, p99 ${round(percentile(cellplaneTimes, 99))} ms`,
  );

  return { cellplaneTimes, cellplaneViews, cellplaneRequests };
}

/** Change → SSE event: a pod starts crash-looping; how long until the stream says Degraded. */
async function measureEventLatency(server: http.Server, cluster: KubernetesTestServer, targets: Target[]): Promise<number[]> {
  const { port } = server.address() as AddressInfo;
  const eventTimes: number[] = [];
  for (let sample = 0; sample < EVENT_SAMPLES; sample += 1) {
    const target = targets[(sample * 7919) % targets.length];
    const latency = await new Promise<number>((resolve, reject) => {
      let changedAt = 0;
      const req = http.get(
        { host: '127.0.0.1', port, path: `/api/cellplane/status/events?component=${target.component}&environment=${target.environment}` },
        res => {
          let buffer = '';
          res.setEncoding('utf8');
          res.on('data', chunk => {
            buffer += chunk;
            if (!changedAt && buffer.includes(': revision')) {
              // The stream is open: the pod starts crash-looping, as the kubelet would report it.
              changedAt = now();
              cluster.objects.put(pod(target, false));
            }
            if (changedAt && buffer.includes('"health":"Degraded"')) {
              req.destroy();
              resolve(now() - changedAt);
            }
          });
        },
      );
      req.on('error', error => (changedAt ? undefined : reject(error)));
      setTimeout(() => reject(new Error('no event within 10 s')), 10_000).unref();
    });
    eventTimes.push(latency);
    // Leave it healthy for the next sample.
    cluster.objects.put(pod(target, true));
  }
  log(`Change → SSE event: p50 ${round(percentile(eventTimes, 50))} ms, max ${round(Math.max(...eventTimes))} ms over ${EVENT_SAMPLES} changes`);
  return eventTimes;
}

/** Backstage's kubernetes-backend, asked for the same 50 components of a project page. */
async function measureBackstage(cluster: KubernetesTestServer, targets: Target[], projects: string[]) {
  const clusterAuth = { url: cluster.url, skipTLSVerify: true };
  const entities: Entity[] = [...new Set(targets.map(t => `${t.project}/${t.component}`))].map(key => {
    const [, component] = key.split('/');
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: component, namespace: 'default', annotations: { 'backstage.io/kubernetes-id': component } },
      spec: { type: 'service', lifecycle: 'production', owner: 'team' },
    };
  });
  const backstage = await startTestBackend({
    features: [
      kubernetesPlugin,
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: {
            serviceLocatorMethod: { type: 'multiTenant' },
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: [
                  { name: 'default', ...clusterAuth, authProvider: 'serviceAccount', serviceAccountToken: cluster.adminToken, skipMetricsLookup: true },
                ],
              },
            ],
          },
        },
      }),
    ],
  });
  const componentsOf = (project: string) => [...new Set(targets.filter(t => t.project === project).map(t => t.component))];
  const backstageTimes: number[] = [];
  const before = cluster.requests.count();
  for (let view = 0; view < BACKSTAGE_VIEWS; view += 1) {
    const components = componentsOf(projects[view % projects.length]);
    const start = now();
    const responses = await Promise.all(
      components.map(component =>
        json(backstage.server, 'POST', `/api/kubernetes/services/${component}`, {
          entity: entities.find(e => e.metadata.name === component),
        }),
      ),
    );
    backstageTimes.push(now() - start);
    const found = responses.reduce((sum, r) => sum + (r.items?.[0]?.resources?.find((x: any) => x.type === 'pods')?.resources?.length ?? 0), 0);
    if (view === 0) log(`Backstage kubernetes-backend: first page view found ${found} pods for ${components.length} components`);
  }
  const backstageRequests = cluster.requests.count() - before;
  log(
    `Backstage kubernetes-backend: ${BACKSTAGE_VIEWS} page views, ${backstageRequests} API-server requests, p50 ${round(percentile(backstageTimes, 50))} ms, p99 ${round(percentile(backstageTimes, 99))} ms`,
  );
  await backstage.stop();

  return { backstageTimes, backstageRequests };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'cellplane-bench-status-'));
  let cluster: KubernetesTestServer | undefined;
  try {
    const { bare, targets } = await generateRenderedRepository(dir);

    log(`Seeding the test server with ${targets.length} component × environment deployments (${targets.length * 3} objects)...`);
    cluster = await KubernetesTestServer.start({ objects: targets.flatMap(observed) as any });

    const clusterAuth = { url: cluster.url, skipTLSVerify: true };
    const start = now();
    const cellplane = await startTestBackend({
      features: [
        cellplanePlugin,
        mockServices.rootConfig.factory({
          data: {
            cellplane: {
              gitops: { url: bare, cacheDir: join(dir, 'cellplane') },
              dataPlanes: [{ name: 'default', ...clusterAuth, auth: { serviceAccountToken: cluster.adminToken } }],
            },
          },
        }),
      ],
    });
    const projects = [...new Set(targets.map(t => t.project))];
    for (;;) {
      const page = await json(cellplane.server, 'GET', pagePath(projects[0])).catch(() => undefined);
      if (page?.items?.length === COMPONENTS_PER_PROJECT * ENVIRONMENTS.length && page.items.every((s: any) => s.health === 'Healthy')) break;
      await new Promise(r => setTimeout(r, 100));
    }
    log(`Cellplane ready (watches listed, statuses derived) in ${round(now() - start)} ms`);

    const { cellplaneTimes, cellplaneViews, cellplaneRequests } = await measureCellplaneViews(cellplane.server, cluster, projects);
    const eventTimes = await measureEventLatency(cellplane.server, cluster, targets);
    await cellplane.stop();

    const { backstageTimes, backstageRequests } = await measureBackstage(cluster, targets, projects);

    console.log(
      JSON.stringify({
        cellplaneRequestsPerView: round(cellplaneRequests / cellplaneViews),
        backstageRequestsPerView: round(backstageRequests / BACKSTAGE_VIEWS),
        p99Ms: round(percentile(cellplaneTimes, 99)),
        backstageP99Ms: round(percentile(backstageTimes, 99)),
        eventLatencyMs: round(percentile(eventTimes, 99)),
      }),
    );
  } finally {
    await cluster?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
