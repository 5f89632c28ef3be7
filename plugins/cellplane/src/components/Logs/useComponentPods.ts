import { useApi } from '@backstage/frontend-plugin-api';
import { ComponentEvent, ComponentPods } from '@cellplane/backstage-plugin-common';
import { useCallback, useEffect, useState } from 'react';
import { cellplaneStatusApiRef } from '../../api';
import { LogsTarget, cellplaneLogsApiRef } from './logsApi';


/**
 * The component's pods in an environment for the pickers, and the Kubernetes Events about its
 * objects, read again whenever the status stream says the component changed there (a rollout, a
 * restart), so new pods and restart counts show without a reload.
 */
export function useComponentPods(target: LogsTarget | undefined) {
  const logsApi = useApi(cellplaneLogsApiRef);
  const statusApi = useApi(cellplaneStatusApiRef);
  const [state, setState] = useState<{ loading: boolean; pods?: ComponentPods; events: ComponentEvent[]; error?: Error }>({
    loading: true,
    events: [],
  });
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify([target, generation]);
  useEffect(() => {
    if (!target) return undefined;
    let active = true;
    setState({ loading: true, events: [] });
    const read = () =>
      Promise.all([logsApi.getPods(target), logsApi.getEvents(target).catch(() => ({ items: [] }))]).then(
        ([pods, events]) => active && setState({ loading: false, pods, events: events.items }),
        error => active && setState(s => ({ ...s, loading: false, error })),
      );
    read();
    const close = statusApi.watchStatus(
      { namespace: target.namespace, component: target.component, environment: target.environment },
      { onStatus: () => read() },
    );
    return () => {
      active = false;
      close();
    };
    // target is compared by value (key).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [logsApi, statusApi, key]);
  const reload = useCallback(() => setGeneration(g => g + 1), []);
  return { ...state, reload };
}
