import {
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { isValidName } from '@cellplane/backstage-plugin-common';
import { readDefaultOwner } from './readDefaultOwner';

/** `catalog.providers.cellplane`, resolved. */
export interface CellplaneProviderConfig {
  /** Names the provider (`cellplane-provider:<id>`), so logs and catalog errors say which source. */
  id: string;
  /** Owner of entities whose project or component names none (annotation cellplane.dev/owner). */
  defaultOwner: string;
  /** Only these OpenChoreo namespaces are published; undefined: all. */
  namespaces?: string[];
  /** How often to look for a new commit when no push event said so. */
  schedule: SchedulerServiceTaskScheduleDefinition;
}

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { seconds: 5 },
  timeout: { minutes: 3 },
};

export function readProviderConfig(config: Config): CellplaneProviderConfig {
  const provider = config.getOptionalConfig('catalog.providers.cellplane');
  const defaultOwner = readDefaultOwner(config);
  const namespaces = provider?.getOptionalStringArray('namespaces');
  for (const namespace of namespaces ?? []) {
    if (!isValidName(namespace)) {
      throw new InputError(
        `catalog.providers.cellplane.namespaces contains ${JSON.stringify(namespace)}, which is not a namespace name (RFC 1123 label)`,
      );
    }
  }
  const schedule = provider?.has('schedule')
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(provider.getConfig('schedule'))
    : DEFAULT_SCHEDULE;
  return { id: 'default', defaultOwner, namespaces, schedule };
}
