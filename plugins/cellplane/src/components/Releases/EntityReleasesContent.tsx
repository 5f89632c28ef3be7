import { useEntity } from '@backstage/plugin-catalog-react';
import { cellplaneCoordinatesOf } from '@cellplane/backstage-plugin-common';
import { ReleasesView } from './ReleasesView';

/** The Releases tab of a Cellplane component's page. */
export function EntityReleasesContent() {
  const { entity } = useEntity();
  const coordinates = cellplaneCoordinatesOf(entity);
  if (!coordinates?.component) return null;
  return <ReleasesView namespace={coordinates.namespace} component={coordinates.component} />;
}
