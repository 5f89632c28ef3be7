import { useEntity } from '@backstage/plugin-catalog-react';
import { cellplaneCoordinatesOf } from '@cellplane/backstage-plugin-common';
import { DeliveryPipelineCard } from './DeliveryPipelineCard';

/** The delivery pipeline card for the component entity of the page. */
export function EntityDeliveryPipelineCard() {
  const { entity } = useEntity();
  const coordinates = cellplaneCoordinatesOf(entity);
  if (!coordinates?.component) return null;
  return <DeliveryPipelineCard namespace={coordinates.namespace} component={coordinates.component} />;
}
