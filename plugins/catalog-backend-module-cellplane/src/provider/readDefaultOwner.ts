import { parseEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/**
 * `catalog.providers.cellplane.defaultOwner`: who owns what the repository names no owner for.
 * Read in one place because this module's entity provider (projects, components) and its
 * ComponentType templates provider must agree on it.
 */
export function readDefaultOwner(config: Config): string {
  const defaultOwner = config.getOptionalString('catalog.providers.cellplane.defaultOwner') ?? 'group:default/team-platform';
  try {
    parseEntityRef(defaultOwner, { defaultKind: 'group', defaultNamespace: 'default' });
  } catch (error) {
    throw new InputError(`catalog.providers.cellplane.defaultOwner is not an entity reference: ${error}`);
  }
  return defaultOwner;
}
