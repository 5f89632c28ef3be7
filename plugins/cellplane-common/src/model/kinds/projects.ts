import { z } from 'zod';
import { resourceTemplate } from './platform';
import {
  freeform,
  kubernetesName,
  nonEmptyString,
  resourceOf,
  schemaSection,
  validationRule,
} from './shared';

/**
 * Project-level kinds: the (Cluster)ProjectType a Project names in `spec.type`, the
 * ProjectRelease snapshots of a project and the ProjectReleaseBindings that apply a project's
 * resources to the cell namespace of one environment (OpenChoreo's projecttype_types.go,
 * clusterprojecttype_types.go, projectrelease_types.go and projectreleasebinding_types.go).
 */

/** What ProjectType and ClusterProjectType share: OpenChoreo says the two specs mirror each other. */
const projectTypeSpec = () =>
  z
    .strictObject({
      parameters: schemaSection().optional(),
      environmentConfigs: schemaSection().optional(),
      validations: z.array(validationRule()).optional(),
      resources: z.array(resourceTemplate()).min(1, 'must define at least one resource'),
    })
    .superRefine((spec, ctx) => {
      // `+listType=map, +listMapKey=id`: the API server refuses two entries of one id.
      const ids = new Set<string>();
      spec.resources.forEach((resource, index) => {
        if (ids.has(resource.id)) {
          ctx.addIssue({ code: 'custom', path: ['resources', index, 'id'], message: `duplicate resource id '${resource.id}'` });
        }
        ids.add(resource.id);
      });
    });

/** The schema of a ProjectType document. @public */
export const projectTypeSchema = resourceOf('ProjectType', projectTypeSpec());
/** The schema of a ClusterProjectType document. @public */
export const clusterProjectTypeSchema = resourceOf('ClusterProjectType', projectTypeSpec());

const projectOwner = () => z.strictObject({ projectName: kubernetesName() });

/** The schema of a ProjectRelease document: an immutable snapshot of a project and its type. @public */
export const projectReleaseSchema = resourceOf(
  'ProjectRelease',
  z.strictObject({
    owner: projectOwner(),
    projectType: z.strictObject({
      kind: z.enum(['ProjectType', 'ClusterProjectType']),
      name: nonEmptyString(),
      spec: freeform(),
    }),
    parameters: freeform().optional(),
  }),
  'dns-subdomain',
);

/**
 * The schema of a ProjectReleaseBinding document: a project in one environment, optionally
 * pinned to a ProjectRelease, with the environment's values for its type's environmentConfigs.
 *
 * @public
 */
export const projectReleaseBindingSchema = resourceOf(
  'ProjectReleaseBinding',
  z.strictObject({
    owner: projectOwner(),
    environment: kubernetesName(),
    projectRelease: kubernetesName('dns-subdomain').optional(),
    environmentConfigs: freeform().optional(),
  }),
  'dns-subdomain',
);
