import { NotFoundError } from '@backstage/errors';
import { GitOpsRepository, RepositoryModel, parseYamlDocuments } from '@cellplane/backstage-plugin-node';
import { DataPlaneObservability } from './readDataPlaneObservability';
import { WORKLOAD_KINDS, podNamePattern } from './metricsQueries';
import { MetricsScope } from '@cellplane/backstage-plugin-common';

/** The DataPlane / ClusterDataPlane annotations that name its Prometheus and tracing UI. */
export const OBSERVABILITY_ANNOTATIONS = {
  prometheusUrl: 'cellplane.dev/prometheus-url',
  tracingUrl: 'cellplane.dev/tracing-url',
} as const;

/** A component in an environment, as the metrics and tracing routes need it. */
export interface ObservedComponent {
  namespace: string;
  project: string;
  component: string;
  environment: string;
  dataPlane: { kind: 'DataPlane' | 'ClusterDataPlane'; name: string; annotations: Record<string, string> };
  /** What `cellplane.dataPlanes` says about the data plane's Prometheus and tracing. */
  configured?: DataPlaneObservability;
}

/**
 * The component in the environment, from the GitOps repository at its head: its project, and the
 * data plane the environment deploys to (with its annotations and its config). 404 when the
 * repository has no such component, environment, or binding of the one to the other.
 */
export function observedComponent(
  model: RepositoryModel,
  observability: Map<string, DataPlaneObservability>,
  target: { namespace: string; component: string; environment: string },
): ObservedComponent {
  const { namespace, component, environment } = target;
  const entry = model.get('Component', component, namespace);
  if (!entry) throw new NotFoundError(`Component ${JSON.stringify(component)} not found in namespace ${namespace}`);
  const env = model.get('Environment', environment, namespace);
  if (!env) throw new NotFoundError(`Environment ${JSON.stringify(environment)} not found in namespace ${namespace}`);
  if (!model.releaseBindings(namespace, component).some(binding => binding.resource.spec.environment === environment)) {
    throw new NotFoundError(`Component ${component} is not deployed to ${environment}: it has no ReleaseBinding for that environment`);
  }
  const plane = dataPlaneOf(env.resource.spec.dataPlaneRef);
  const resource = plane.kind === 'ClusterDataPlane' ? model.get('ClusterDataPlane', plane.name) : model.get('DataPlane', plane.name, namespace);
  return {
    namespace,
    project: entry.resource.spec.owner.projectName,
    component,
    environment,
    dataPlane: { ...plane, annotations: { ...(resource?.resource.metadata.annotations ?? {}) } },
    configured: observability.get(plane.name),
  };
}

/** The data plane an Environment names: a plain name is a DataPlane; none is ClusterDataPlane "default". */
function dataPlaneOf(
  ref: string | { kind: 'DataPlane' | 'ClusterDataPlane'; name: string } | undefined,
): { kind: 'DataPlane' | 'ClusterDataPlane'; name: string } {
  if (ref === undefined) return { kind: 'ClusterDataPlane', name: 'default' };
  return typeof ref === 'string' ? { kind: 'DataPlane', name: ref } : ref;
}

/**
 * Where the component runs in its data plane: the Kubernetes namespace and workloads of its
 * rendered manifests (`rendered/<plane>/<ns>/<env>/<project>/components/<component>.yaml` at the
 * head), so the queries see every pod its workloads ever had in the range, not only today's.
 */
export async function renderedScope(
  repository: Pick<GitOpsRepository, 'readFiles'>,
  revision: string,
  target: ObservedComponent,
): Promise<MetricsScope | undefined> {
  const path = `rendered/${target.dataPlane.name}/${target.namespace}/${target.environment}/${target.project}/components/${target.component}.yaml`;
  const folder = path.slice(0, path.lastIndexOf('/') + 1);
  const workloads: Array<{ kind: string; name: string }> = [];
  let kubernetesNamespace: string | undefined;
  for await (const file of repository.readFiles(revision, { under: folder, skip: blob => blob.path !== path })) {
    const parsed = parseYamlDocuments(file.content);
    if (!parsed.ok) continue;
    for (const document of parsed.documents) {
      const object = document.value as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } | null;
      if (typeof object?.kind !== 'string' || !WORKLOAD_KINDS.includes(object.kind) || typeof object.metadata?.name !== 'string') continue;
      workloads.push({ kind: object.kind, name: object.metadata.name });
      if (typeof object.metadata.namespace === 'string') kubernetesNamespace ??= object.metadata.namespace;
    }
  }
  if (!kubernetesNamespace || workloads.length === 0) return undefined;
  return { kubernetesNamespace, pods: podNamePattern(workloads), workloads };
}
