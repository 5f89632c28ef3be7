import { RENDERED_FOLDER } from '@cellplane/backstage-plugin-node';
import type { BindingRenderTarget } from './template/types';

/**
 * Where rendered manifests go (`gitOpsLayout` in `@cellplane/backstage-plugin-node` has the whole
 * repository):
 *
 * ```
 * rendered/
 *   index.txt                                   <git blob id> <path> of every other file
 *   <data plane>/<namespace>/<environment>/     one folder per Argo CD Application / Flux Kustomization
 *     <project>/cell.yaml                       the cell: Namespace, default-deny + DNS policies, mTLS
 *     <project>/components/<component>.yaml     a ReleaseBinding's objects + its network policy (+ PodMonitors)
 *     <project>/resources/<resource>.yaml       a ResourceReleaseBinding's objects + its network policy
 *     <project>/project.yaml                    a ProjectReleaseBinding's objects (its ProjectType's resources)
 *   _bootstrap/<data plane>.yaml                Argo CD Applications or Flux GitRepository + Kustomizations
 *   _observability-plane/<namespace>/<environment>/<project>/<component>.yaml   targetPlane: observabilityplane
 * ```
 *
 * `<data plane>` is a ClusterDataPlane's name, or `<namespace>.<name>` for a namespaced DataPlane
 * (names are RFC 1123 labels, so neither can contain a dot or start with `_`, and no path can
 * collide). All names come from validated model resources, so every path is safe.
 *
 * @public
 */
export const renderedLayout = {
  indexFile: `${RENDERED_FOLDER}/index.txt`,
  dataPlaneFolder(target: Pick<BindingRenderTarget, 'dataPlane' | 'dataPlaneKind' | 'namespace'>): string {
    return target.dataPlaneKind === 'ClusterDataPlane' ? target.dataPlane : `${target.namespace}.${target.dataPlane}`;
  },
  environmentFolder(target: BindingRenderTarget): string {
    return `${RENDERED_FOLDER}/${this.dataPlaneFolder(target)}/${target.namespace}/${target.environment}`;
  },
  cellFile(target: BindingRenderTarget): string {
    return `${this.environmentFolder(target)}/${target.project}/cell.yaml`;
  },
  projectFile(target: BindingRenderTarget): string {
    return `${this.environmentFolder(target)}/${target.project}/project.yaml`;
  },
  memberFile(target: BindingRenderTarget, kind: 'component' | 'resource'): string {
    return `${this.environmentFolder(target)}/${target.project}/${kind === 'component' ? 'components' : 'resources'}/${target.component}.yaml`;
  },
  observabilityFile(target: BindingRenderTarget): string {
    return `${RENDERED_FOLDER}/_observability-plane/${target.namespace}/${target.environment}/${target.project}/${target.component}.yaml`;
  },
  bootstrapFile(dataPlaneFolder: string): string {
    return `${RENDERED_FOLDER}/_bootstrap/${dataPlaneFolder}.yaml`;
  },
};
