import { discoveryApiRef, fetchApiRef, useApi } from '@backstage/frontend-plugin-api';
import { ComponentReleaseComparison, ComponentReleaseList } from '@cellplane/backstage-plugin-common';
import { useCallback, useEffect, useState } from 'react';
import { ReleaseComparisonQuery, fetchComponentReleases, fetchReleaseComparison } from '../../api/releases';
import { useDesiredChanges } from './useDesiredChanges';

export type Loadable<T> = { state: 'loading' } | { state: 'loaded'; value: T; refreshing?: boolean } | { state: 'error'; error: Error };

/**
 * The releases of a component, read again when a new commit reaches one of its environments (the
 * list on screen stays while it is read again).
 */
export function useReleases(namespace: string, component: string): Loadable<ComponentReleaseList> {
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const [result, setResult] = useState<Loadable<ComponentReleaseList>>({ state: 'loading' });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration(n => n + 1), []);
  useDesiredChanges({ namespace, component }, reload);

  useEffect(() => {
    const controller = new AbortController();
    setResult(previous => (previous.state === 'loaded' ? { ...previous, refreshing: true } : { state: 'loading' }));
    fetchComponentReleases({ discoveryApi, fetchApi }, namespace, component, controller.signal).then(
      value => !controller.signal.aborted && setResult({ state: 'loaded', value }),
      error => !controller.signal.aborted && setResult({ state: 'error', error }),
    );
    return () => controller.abort();
  }, [discoveryApi, fetchApi, namespace, component, generation]);

  return result;
}

/** The comparison of two releases; idle (undefined) until two are chosen. */
export function useReleaseComparison(
  namespace: string,
  component: string,
  query: ReleaseComparisonQuery | undefined,
): Loadable<ComponentReleaseComparison> | undefined {
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const [result, setResult] = useState<Loadable<ComponentReleaseComparison>>();
  const key = query ? JSON.stringify(query) : undefined;

  useEffect(() => {
    if (!query) {
      setResult(undefined);
      return undefined;
    }
    const controller = new AbortController();
    setResult({ state: 'loading' });
    fetchReleaseComparison({ discoveryApi, fetchApi }, namespace, component, query, controller.signal).then(
      value => !controller.signal.aborted && setResult({ state: 'loaded', value }),
      error => !controller.signal.aborted && setResult({ state: 'error', error }),
    );
    return () => controller.abort();
    // The query is compared by value.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [discoveryApi, fetchApi, namespace, component, key]);

  return result;
}
