import { useEntity } from '@backstage/plugin-catalog-react';
import { cellplaneCoordinatesOf } from '@cellplane/backstage-plugin-common';
import { ActivityView } from './ActivityView';

/** The Activity tab of a Cellplane component's or project's page. */
export function EntityActivityContent() {
  const { entity } = useEntity();
  const coordinates = cellplaneCoordinatesOf(entity);
  if (!coordinates) return null;
  if (entity.kind.toLowerCase() === 'component' && coordinates.component) {
    return <ActivityView kind="component" namespace={coordinates.namespace} name={coordinates.component} />;
  }
  if (entity.kind.toLowerCase() === 'system' && coordinates.project) {
    return <ActivityView kind="project" namespace={coordinates.namespace} name={coordinates.project} />;
  }
  return null;
}
