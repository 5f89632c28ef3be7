import { OPENCHOREO_LABELS } from '../model/constants';

/**
 * The labels status reads from every object Cellplane renders: the component, project and
 * environment it belongs to (OpenChoreo's keys), the namespace of the GitOps repository it comes
 * from, and the hash of the rendered release.
 *
 * @public
 */
export const STATUS_LABELS = {
  component: OPENCHOREO_LABELS.component,
  project: OPENCHOREO_LABELS.project,
  environment: OPENCHOREO_LABELS.environment,
  /** The namespace in the GitOps repository (not the Kubernetes namespace). */
  namespace: 'openchoreo.dev/namespace',
  releaseHash: 'cellplane.dev/release-hash',
} as const;
