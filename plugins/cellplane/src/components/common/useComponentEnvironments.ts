import { useApi } from '@backstage/frontend-plugin-api';
import { useEffect, useState } from 'react';
import { cellplaneStatusApiRef } from '../../api';

/** The environments of a component, in pipeline order, from its status. */
export function useComponentEnvironments(namespace: string, component: string) {
  const statusApi = useApi(cellplaneStatusApiRef);
  const [state, setState] = useState<{ loading: boolean; environments: string[]; error?: Error }>({ loading: true, environments: [] });
  useEffect(() => {
    let active = true;
    setState({ loading: true, environments: [] });
    statusApi.getComponentStatus(namespace, component).then(
      snapshot => active && setState({ loading: false, environments: snapshot.items.map(s => s.environment) }),
      error => active && setState({ loading: false, environments: [], error }),
    );
    return () => {
      active = false;
    };
  }, [statusApi, namespace, component]);
  return state;
}
