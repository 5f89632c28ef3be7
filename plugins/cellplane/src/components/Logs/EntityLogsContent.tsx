import { useEntity } from '@backstage/plugin-catalog-react';
import { cellplaneCoordinatesOf } from '@cellplane/backstage-plugin-common';
import { LogsView } from './LogsView';

/** The Logs tab of a Cellplane component's page. */
export function EntityLogsContent() {
  const { entity } = useEntity();
  const coordinates = cellplaneCoordinatesOf(entity)!;
  return <LogsView namespace={coordinates.namespace} component={coordinates.component!} />;
}
