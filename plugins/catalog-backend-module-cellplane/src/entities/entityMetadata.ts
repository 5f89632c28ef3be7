import {
  ANNOTATION_EDIT_URL,
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  EntityMeta,
} from '@backstage/catalog-model';
import { CELLPLANE_ANNOTATIONS, OPENCHOREO_ANNOTATIONS } from '@cellplane/backstage-plugin-common';

/** What every generated entity needs to know about where the model came from. */
export interface SourceContext {
  sourceUrl?: (path: string) => string | undefined;
}

type Annotated = { metadata: { annotations?: Record<string, string> } };

export interface MetadataInput {
  name: string;
  namespace: string;
  /** Repository-relative file the entity is generated from. */
  file: string;
  /** The OpenChoreo resource, whose display name and description become title and description. */
  resource?: Annotated;
  /** Overrides the resource's display name (an endpoint has its own). */
  title?: string;
  annotations?: Record<string, string>;
}

/**
 * Metadata shared by all generated entities: the location annotations point at the file in git
 * when the caller can build its URL, so "View source" and "Edit" in Backstage open the file
 * that has to change; otherwise at a `cellplane:` location naming the file, which is still
 * enough for the catalog to tell which entities one file produced.
 */
export function entityMetadata(context: SourceContext, input: MetadataInput): EntityMeta {
  const url = context.sourceUrl?.(input.file);
  const location = url ? `url:${url}` : `cellplane:${input.file}`;
  const own = input.resource?.metadata.annotations ?? {};
  const title = input.title ?? own[OPENCHOREO_ANNOTATIONS.displayName];
  const description = own[OPENCHOREO_ANNOTATIONS.description];
  return {
    name: input.name,
    namespace: input.namespace,
    ...(title ? { title } : {}),
    ...(description ? { description } : {}),
    annotations: {
      [ANNOTATION_LOCATION]: location,
      [ANNOTATION_ORIGIN_LOCATION]: location,
      ...(url ? { [ANNOTATION_SOURCE_LOCATION]: `url:${url}`, [ANNOTATION_EDIT_URL]: url } : {}),
      [CELLPLANE_ANNOTATIONS.sourceFile]: input.file,
      ...input.annotations,
    },
  };
}

/** The Backstage owner a project or component names, if it names one. */
export function declaredOwner(resource: Annotated | undefined): string | undefined {
  return resource?.metadata.annotations?.[OPENCHOREO_ANNOTATIONS.owner] || undefined;
}
