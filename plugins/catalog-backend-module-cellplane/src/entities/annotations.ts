/**
 * The catalog vocabulary Cellplane adds to Backstage (annotation keys that tie an entity back to
 * the OpenChoreo resource and the repository file it was generated from, and the custom kinds
 * for platform resources Backstage has no kind for) is the contract between this module and the
 * portal, so it lives in `@cellplane/backstage-plugin-common` (`entities.ts`), once. This module
 * still exports these names for its users.
 */
export {
  CELLPLANE_ANNOTATIONS,
  CELLPLANE_ENTITY_API_VERSION,
  CELLPLANE_ENTITY_KINDS,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
} from '@cellplane/backstage-plugin-common';
export type { CellplaneEntityKind } from '@cellplane/backstage-plugin-common';
