import { useEntity } from '@backstage/plugin-catalog-react';
import { cellplaneCoordinatesOf } from '@cellplane/backstage-plugin-common';
import { MetricsView } from './MetricsView';

/** The Metrics tab of a Cellplane component's page. */
export function EntityMetricsContent() {
  const { entity } = useEntity();
  const coordinates = cellplaneCoordinatesOf(entity)!;
  return <MetricsView namespace={coordinates.namespace} component={coordinates.component!} />;
}
