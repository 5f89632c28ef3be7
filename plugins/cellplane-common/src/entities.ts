/**
 * The catalog entity contract between Cellplane's catalog module, which writes the entities,
 * and the portal, which reads them: the annotation keys that tie an entity back to the
 * OpenChoreo resource (and the repository file) it was generated from, the custom kinds for
 * platform resources Backstage has no kind for, and the shape of the problems annotation.
 */

/**
 * Annotations Cellplane stamps on the entities it generates.
 *
 * @public
 */
export const CELLPLANE_ANNOTATIONS = {
  /** The OpenChoreo namespace of the resource. */
  namespace: 'cellplane.dev/namespace',
  /** The OpenChoreo project a System, Component, API or Resource belongs to. */
  project: 'cellplane.dev/project',
  /** The OpenChoreo component an API or Component comes from. */
  component: 'cellplane.dev/component',
  /** The Workload endpoint an API describes. */
  endpoint: 'cellplane.dev/endpoint',
  /** Who may reach the endpoint, comma-separated, narrowest first; always starts with `project`. */
  endpointVisibility: 'cellplane.dev/endpoint-visibility',
  /** Repository-relative path of the file the entity was generated from. */
  sourceFile: 'cellplane.dev/source-file',
  /**
   * What is wrong in the GitOps repository about the entity: a JSON list of one-line messages
   * (see {@link encodeProblemsAnnotation} and {@link parseProblemsAnnotation}). Absent when
   * nothing is.
   */
  problems: 'cellplane.dev/problems',
} as const;

/**
 * The annotation Backstage's Kubernetes plugin uses to find the workloads of an entity; the
 * catalog module sets it on the components it generates.
 *
 * @public
 */
export const KUBERNETES_LABEL_SELECTOR_ANNOTATION = 'backstage.io/kubernetes-label-selector';

/**
 * apiVersion of Cellplane's custom catalog kinds.
 *
 * @public
 */
export const CELLPLANE_ENTITY_API_VERSION = 'cellplane.dev/v1alpha1';

/**
 * Custom catalog kinds (under {@link CELLPLANE_ENTITY_API_VERSION}) for OpenChoreo platform
 * resources.
 *
 * @public
 */
export const CELLPLANE_ENTITY_KINDS = {
  environment: 'Environment',
  deploymentPipeline: 'DeploymentPipeline',
  dataPlane: 'DataPlane',
  componentType: 'ComponentType',
} as const;

/**
 * One of {@link CELLPLANE_ENTITY_KINDS}.
 *
 * @public
 */
export type CellplaneEntityKind = (typeof CELLPLANE_ENTITY_KINDS)[keyof typeof CELLPLANE_ENTITY_KINDS];

/**
 * The part of a catalog entity the readers here look at; a `@backstage/catalog-model` `Entity`
 * is one.
 *
 * @public
 */
export interface CellplaneAnnotatedEntity {
  metadata: { annotations?: Record<string, string> };
}

/**
 * Where an entity sits in the OpenChoreo model, read from its annotations.
 *
 * @public
 */
export interface CellplaneCoordinates {
  namespace: string;
  project?: string;
  component?: string;
  endpoint?: string;
  /** Who may reach an endpoint, narrowest first (`project` always). */
  endpointVisibility?: string[];
}

/**
 * The coordinates of an entity Cellplane generated, or undefined for any other entity (one
 * without the {@link CELLPLANE_ANNOTATIONS} `namespace` annotation).
 *
 * @public
 */
export function cellplaneCoordinatesOf(entity: CellplaneAnnotatedEntity): CellplaneCoordinates | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const namespace = annotations[CELLPLANE_ANNOTATIONS.namespace];
  if (!namespace) return undefined;
  const visibility = annotations[CELLPLANE_ANNOTATIONS.endpointVisibility];
  return {
    namespace,
    project: annotations[CELLPLANE_ANNOTATIONS.project] || undefined,
    component: annotations[CELLPLANE_ANNOTATIONS.component] || undefined,
    endpoint: annotations[CELLPLANE_ANNOTATIONS.endpoint] || undefined,
    endpointVisibility: visibility
      ? visibility
          .split(',')
          .map(v => v.trim())
          .filter(Boolean)
      : undefined,
  };
}

/**
 * The problems annotation as read: the messages to show, and whether the annotation was not
 * what the catalog module writes.
 *
 * @public
 */
export interface ProblemsAnnotation {
  /** One line each; empty when the annotation is absent or an empty list. */
  problems: string[];
  /**
   * Set when the annotation is not a JSON list of strings, saying what it is instead. Nothing is
   * hidden then: `problems` holds the annotation's text when it is not JSON, the value when it is
   * JSON but not a list, and each entry as text when the list holds more than strings.
   */
  malformed?: string;
}

/**
 * The value of the problems annotation ({@link CELLPLANE_ANNOTATIONS} `problems`) for these
 * messages.
 *
 * @public
 */
export function encodeProblemsAnnotation(problems: readonly string[]): string {
  return JSON.stringify(problems);
}

/**
 * Reads a problems annotation's value (see {@link encodeProblemsAnnotation}). Never throws: an
 * entity page shows whatever an annotation holds, and says nothing is wrong when it is absent.
 *
 * @public
 */
export function parseProblemsAnnotation(value: string | undefined): ProblemsAnnotation {
  if (!value) return { problems: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return { problems: [value], malformed: 'not JSON' };
  }
  if (!Array.isArray(parsed)) {
    return { problems: [asText(parsed)], malformed: `a JSON ${parsed === null ? 'null' : typeof parsed}, not a list` };
  }
  if (!parsed.every(problem => typeof problem === 'string')) {
    return { problems: parsed.map(asText), malformed: 'a list with entries that are not strings' };
  }
  return { problems: parsed };
}

/** A parsed JSON value as text, as `String` has it; JSON when `String` cannot (`{"toString": 1}`). */
function asText(value: unknown): string {
  try {
    return String(value);
  } catch {
    return JSON.stringify(value);
  }
}

/**
 * The problems the catalog module found in the repository about an entity; empty when there are
 * none. Never throws (see {@link parseProblemsAnnotation}).
 *
 * @public
 */
export function cellplaneProblemsOf(entity: CellplaneAnnotatedEntity): string[] {
  return parseProblemsAnnotation(entity.metadata.annotations?.[CELLPLANE_ANNOTATIONS.problems]).problems;
}
