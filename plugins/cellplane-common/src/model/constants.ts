/**
 * The API group and version of every OpenChoreo resource Cellplane reads and writes.
 *
 * @public
 */
export const OPENCHOREO_API_VERSION = 'openchoreo.dev/v1alpha1';

/**
 * Labels and annotations OpenChoreo itself uses; Cellplane reads and stamps the same keys so a
 * repository stays usable by OpenChoreo's own control plane.
 *
 * @public
 */
export const OPENCHOREO_LABELS = {
  project: 'openchoreo.dev/project',
  component: 'openchoreo.dev/component',
  componentType: 'openchoreo.dev/component-type',
  environment: 'openchoreo.dev/environment',
  name: 'openchoreo.dev/name',
  dataPlane: 'openchoreo.dev/dataplane',
  endpointName: 'openchoreo.dev/endpoint-name',
  endpointVisibility: 'openchoreo.dev/endpoint-visibility',
  controlPlaneNamespace: 'openchoreo.dev/controlplane-namespace',
} as const;

/** @public */
export const OPENCHOREO_ANNOTATIONS = {
  displayName: 'openchoreo.dev/display-name',
  description: 'openchoreo.dev/description',
  /** Cellplane's own: the Backstage owner of a project or component (e.g. `group:default/team-a`). */
  owner: 'cellplane.dev/owner',
  /**
   * Cellplane's own, on an Environment: how a write that changes the environment is published,
   * `commit` (the default: pushed to the GitOps branch) or `pull-request` (opened as a pull
   * request, whose review is the approval). See {@link publishModeOfEnvironment}.
   */
  publish: 'cellplane.dev/publish',
} as const;

/** The values of the {@link OPENCHOREO_ANNOTATIONS} `publish` annotation. @public */
export const PUBLISH_MODES = ['commit', 'pull-request'] as const;

/**
 * How writes that change an environment are published, from its `cellplane.dev/publish`
 * annotation: `commit` when it has none, undefined when its value is neither mode (the model
 * reports that as a problem, and writes refuse rather than guess).
 *
 * @public
 */
export function publishModeOfEnvironment(environment: {
  metadata: { annotations?: Record<string, string> };
}): (typeof PUBLISH_MODES)[number] | undefined {
  const value = environment.metadata.annotations?.[OPENCHOREO_ANNOTATIONS.publish];
  if (value === undefined) return 'commit';
  return PUBLISH_MODES.find(mode => mode === value);
}

/** The event topic Cellplane publishes (on Backstage's events service) after each commit it pushes. @public */
export const GITOPS_PUSH_EVENT_TOPIC = 'cellplane.gitops.push';

/**
 * Topics after which readers of the GitOps repository (catalog, status) look for a new commit at
 * once instead of at the next poll: Cellplane's own, and the Git hosts' push webhooks.
 *
 * @public
 */
export const GITOPS_PUSH_EVENT_TOPICS: readonly string[] = [GITOPS_PUSH_EVENT_TOPIC, 'github.push', 'gitlab.push'];

/**
 * The most replicas Cellplane writes or accepts for one component in one environment, whatever
 * its ComponentType's or Trait's schema allows (`replicas`, `minReplicas` and `maxReplicas` in
 * parameters and environment configs).
 *
 * @public
 */
export const MAX_REPLICAS = 1000;

/** The parameter and environment config fields {@link MAX_REPLICAS} bounds. @public */
export const REPLICA_FIELDS = ['replicas', 'minReplicas', 'maxReplicas'] as const;
