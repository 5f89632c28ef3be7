import { discoveryApiRef, fetchApiRef, useApi } from '@backstage/frontend-plugin-api';
import { DeliveryMetrics, DeliveryScope } from '@cellplane/backstage-plugin-common';
import { useEffect, useState } from 'react';
import { cellplaneStatusApiRef } from '../../api';
import { fetchDeliveryMetrics } from './deliveryMetricsApi';

export interface DeliveryMetricsState {
  loading: boolean;
  error?: Error;
  metrics?: DeliveryMetrics;
}

const DAY_MS = 86_400_000;

/**
 * The delivery metrics of a scope over the last `days` days, read again whenever a component of
 * the scope changes health or release in an environment (the status history, and so the
 * figures, moved), and when the status stream reconnects. The last figures stay on screen
 * while newer ones are read.
 */
export function useDeliveryMetrics(scope: DeliveryScope, days: number): DeliveryMetricsState {
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const statusApi = useApi(cellplaneStatusApiRef);
  const [state, setState] = useState<DeliveryMetricsState>({ loading: true });
  const [generation, setGeneration] = useState(0);
  const { kind, namespace, name } = scope;

  useEffect(() => {
    const controller = new AbortController();
    setState(s => ({ ...s, loading: true, error: undefined }));
    fetchDeliveryMetrics(
      { discoveryApi, fetchApi },
      { scope: { kind, namespace, name }, from: new Date(Date.now() - days * DAY_MS).toISOString() },
      controller.signal,
    ).then(
      metrics => !controller.signal.aborted && setState({ loading: false, metrics }),
      error => !controller.signal.aborted && setState(s => ({ ...s, loading: false, error })),
    );
    return () => controller.abort();
  }, [discoveryApi, fetchApi, kind, namespace, name, days, generation]);

  useEffect(() => {
    const seen = new Map<string, string>();
    const scoped: Record<string, { component?: string; project?: string }> = { component: { component: name }, project: { project: name } };
    const filter = { namespace, ...(scoped[kind] ?? {}) };
    return statusApi.watchStatus(filter, {
      onOpen: () => setGeneration(n => n + 1),
      onStatus: status => {
        const key = `${status.component}\u0000${status.environment}`;
        const now = `${status.health}\u0000${status.runningReleaseHash ?? status.desired?.releaseHash ?? ''}`;
        const before = seen.get(key);
        seen.set(key, now);
        // Pod counts and causes change often; only what the history records moves a figure (the
        // stream sends changes only, so a first event may be one).
        if (before !== now) setGeneration(n => n + 1);
      },
    });
  }, [statusApi, kind, namespace, name]);

  return state;
}
