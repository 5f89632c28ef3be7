import { useEntity } from '@backstage/plugin-catalog-react';
import { cellplaneCoordinatesOf } from '@cellplane/backstage-plugin-common';
import { DeliveryMetricsView } from './DeliveryMetricsView';

/** The Delivery tab of a Cellplane component's or project's page. */
export function EntityDeliveryContent() {
  const { entity } = useEntity();
  const coordinates = cellplaneCoordinatesOf(entity);
  if (!coordinates) return null;
  if (entity.kind.toLowerCase() === 'component' && coordinates.component) {
    return <DeliveryMetricsView scope={{ kind: 'component', namespace: coordinates.namespace, name: coordinates.component }} />;
  }
  if (entity.kind.toLowerCase() === 'system' && coordinates.project) {
    return <DeliveryMetricsView scope={{ kind: 'project', namespace: coordinates.namespace, name: coordinates.project }} />;
  }
  return null;
}
