import { discoveryApiRef, fetchApiRef, useApi } from '@backstage/frontend-plugin-api';
import { ComponentReleaseList } from '@cellplane/backstage-plugin-common';
import { useEffect, useState } from 'react';
import { fetchComponentReleases } from '../../api/releases';

export type ReleasesState =
  | { state: 'idle' }
  | { state: 'loading' }
  | { state: 'loaded'; list: ComponentReleaseList }
  | { state: 'error'; error: Error };

/** The releases of a component, re-read when the component changes; idle without one. */
export function useComponentReleases(target: { namespace: string; name: string } | undefined): ReleasesState {
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const [result, setResult] = useState<ReleasesState>({ state: 'idle' });
  const namespace = target?.namespace;
  const name = target?.name;

  useEffect(() => {
    if (!namespace || !name) {
      setResult({ state: 'idle' });
      return undefined;
    }
    // A user switching components quickly must not see the list of the one before.
    const controller = new AbortController();
    setResult({ state: 'loading' });
    fetchComponentReleases({ discoveryApi, fetchApi }, namespace, name, controller.signal).then(
      list => !controller.signal.aborted && setResult({ state: 'loaded', list }),
      error => !controller.signal.aborted && setResult({ state: 'error', error }),
    );
    return () => controller.abort();
  }, [discoveryApi, fetchApi, namespace, name]);

  return result;
}
