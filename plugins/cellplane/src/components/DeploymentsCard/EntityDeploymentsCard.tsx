import { useEntity } from '@backstage/plugin-catalog-react';
import { cellplaneCoordinatesOf } from '@cellplane/backstage-plugin-common';
import { DeploymentsCard } from './DeploymentsCard';

/** The Deployments card for the component entity of the page. */
export function EntityDeploymentsCard() {
  const { entity } = useEntity();
  const coordinates = cellplaneCoordinatesOf(entity);
  if (!coordinates?.component) return null;
  return <DeploymentsCard namespace={coordinates.namespace} component={coordinates.component} />;
}
