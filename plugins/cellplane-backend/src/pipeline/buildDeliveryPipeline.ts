import { NotFoundError } from '@backstage/errors';
import {
  ComponentEnvironmentStatus,
  ComponentReleaseList,
  DeliveryPipeline,
  PipelineEnvironment,
  PipelineRelease,
  PipelinePullRequest,
  PublishMode,
  publishModeOfEnvironment,
} from '@cellplane/backstage-plugin-common';
import { ModelEntry, RepositoryModel, buildComponentRelease } from '@cellplane/backstage-plugin-node';
import { pipelineGraph } from './pipelineGraph';

/** What the component as it is at head would be as a release, and the commit that last changed it. */
export interface FollowedRelease {
  name: string;
  images: string[];
  commit?: string;
  createdAt?: string;
}

/** Everything the pipeline is made of, read by the route; this function only arranges it. */
export interface DeliveryPipelineInputs {
  model: RepositoryModel;
  namespace: string;
  component: string;
  /** The component's releases at the same revision (listComponentReleases). */
  releases: ComponentReleaseList;
  /** What environments that pin no release run; undefined when the component cannot be snapshotted. */
  followed?: FollowedRelease;
  /** Statuses by environment; undefined when status cannot be read (with the reason). */
  statuses?: ComponentEnvironmentStatus[];
  statusUnavailable?: string;
  /** Open promotion pull requests by target environment. */
  pullRequests?: Map<string, PipelinePullRequest[]>;
  pullRequestsUnavailable?: string;
}

/**
 * The publish mode an Environment's annotation asks for. A value that is neither mode is a
 * model problem the repository card reports (and writes refuse); the column shows a commit.
 */
export function publishModeOf(entry: ModelEntry | undefined): PublishMode {
  return (entry && publishModeOfEnvironment(entry.resource)) ?? 'commit';
}

/**
 * A component's delivery pipeline: the project's DeploymentPipeline as columns, and per
 * environment its publish mode, whether it is production or needs an approval, the component's
 * binding, the release it runs (from Git) and its live status. Environments the component is
 * bound to outside the pipeline come last, in a column of their own.
 *
 * Throws NotFoundError when the component is not in the model.
 */
export function buildDeliveryPipeline(inputs: DeliveryPipelineInputs): DeliveryPipeline {
  const { model, namespace, component, releases, followed } = inputs;
  const componentEntry = model.get('Component', component, namespace);
  if (!componentEntry) {
    throw new NotFoundError(`Component ${JSON.stringify(component)} not found in namespace ${namespace}`);
  }
  const project = componentEntry.resource.spec.owner.projectName;
  const graph = pipelineGraph(model, namespace, project);
  const bindings = new Map(model.releaseBindings(namespace, component).map(entry => [entry.resource.spec.environment, entry]));

  const lastStage = Math.max(-1, ...graph.stage.values());
  const outside = [...bindings.keys()].filter(name => !graph.stage.has(name)).sort();
  const names = [...graph.order, ...outside];

  const environments = names.map((name): PipelineEnvironment => {
    const environment = model.get('Environment', name, namespace);
    const binding = bindings.get(name);
    const spec = binding?.resource.spec;
    const status = inputs.statuses?.find(s => s.environment === name);
    const displayName = environment?.resource.metadata.annotations?.['openchoreo.dev/display-name'];
    const previous = graph.previous.get(name) ?? [];
    return {
      name,
      ...(displayName ? { displayName } : {}),
      stage: graph.stage.get(name) ?? lastStage + 1,
      next: graph.next.get(name) ?? [],
      previous,
      isProduction: Boolean((environment?.resource.spec as any)?.isProduction),
      requiresApproval: previous.some(source => graph.next.get(source)?.some(t => t.environment === name && t.requiresApproval)),
      publish: publishModeOf(environment),
      ...(spec
        ? {
            binding: {
              ...(spec.releaseName ? { releaseName: spec.releaseName } : {}),
              followsComponent: !spec.releaseName,
              state: spec.state ?? 'Active',
              ...(binding.implied ? { implied: binding.implied.reason } : {}),
            },
          }
        : {}),
      ...releaseOf(spec, releases, followed),
      ...(status ? { status } : {}),
      pullRequests: inputs.pullRequests?.get(name) ?? [],
    };
  });

  return {
    namespace,
    component,
    project,
    pipeline: graph.pipeline,
    revision: model.revision ?? null,
    environments,
    releases: releases.items,
    ...(inputs.statusUnavailable ? { statusUnavailable: inputs.statusUnavailable } : {}),
    ...(inputs.pullRequestsUnavailable ? { pullRequestsUnavailable: inputs.pullRequestsUnavailable } : {}),
  };
}

function releaseOf(
  spec: { releaseName?: string; state?: string } | undefined,
  releases: ComponentReleaseList,
  followed: FollowedRelease | undefined,
): { release?: PipelineRelease } {
  if (!spec || spec.state === 'Undeploy') return {};
  const name = spec.releaseName ?? followed?.name;
  if (!name) return {};
  const summary = releases.items.find(item => item.name === name);
  if (summary) {
    return {
      release: {
        name,
        images: summary.images,
        ...(summary.commit ? { commit: summary.commit } : {}),
        ...(summary.createdAt ? { createdAt: summary.createdAt } : {}),
      },
    };
  }
  // A followed component with no release file yet: its images and last change are the release.
  if (!spec.releaseName && followed) return { release: { ...followed } };
  return { release: { name, images: [] } };
}

/** What an unpinned environment runs: the component snapshotted now; undefined when it cannot be. */
export function followedReleaseName(model: RepositoryModel, namespace: string, component: string): FollowedRelease | undefined {
  try {
    const built = buildComponentRelease(model, namespace, component);
    return { name: built.name, images: [built.resource.spec.workload.container.image] };
  } catch {
    return undefined;
  }
}
