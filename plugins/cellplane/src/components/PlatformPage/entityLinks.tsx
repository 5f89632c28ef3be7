import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { PlatformComponentRef } from '@cellplane/backstage-plugin-common';

/** The route of entity pages; without it (an app that has no catalog pages) names are plain text. */
function useEntityRoute() {
  try {
    return useRouteRef(entityRouteRef);
  } catch {
    return undefined;
  }
}

/** A component's name, linked to its catalog page (Cellplane publishes each Component as one). */
export function ComponentLink(props: { component: Omit<PlatformComponentRef, 'project'> & { project?: string }; label?: string }) {
  const { component, label } = props;
  const entityRoute = useEntityRoute();
  const text = label ?? `${component.namespace}/${component.name}`;
  if (!entityRoute) return <>{text}</>;
  return <Link to={entityRoute({ kind: 'component', namespace: component.namespace.toLocaleLowerCase('en-US'), name: component.name })}>{text}</Link>;
}
