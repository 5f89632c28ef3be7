import { useApi } from '@backstage/frontend-plugin-api';
import { useCallback, useEffect, useState } from 'react';
import { cellplaneStatusApiRef } from '../../api';
import { MetricsAnswer, MetricsRange, TracingAnswer } from '@cellplane/backstage-plugin-common';
import { MetricsTarget, cellplaneMetricsApiRef } from './metricsApi';


export interface MetricsState {
  loading: boolean;
  metrics?: MetricsAnswer;
  error?: Error;
  /** When the metrics shown were read. */
  readAt?: Date;
  reload(): void;
}

/**
 * The component's metrics in an environment over a range, read again when the user asks, and
 * whenever the status stream says the component changed there (a rollout brings new pods to
 * draw). A re-read keeps the charts on screen until the new answer replaces them.
 */
export function useMetrics(target: MetricsTarget | undefined, range: MetricsRange): MetricsState {
  const metricsApi = useApi(cellplaneMetricsApiRef);
  const statusApi = useApi(cellplaneStatusApiRef);
  const [state, setState] = useState<Omit<MetricsState, 'reload'>>({ loading: true });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration(g => g + 1), []);
  const key = JSON.stringify(target);

  // A new environment or range is a new question: the old charts go.
  useEffect(() => setState({ loading: true }), [key, range]);

  useEffect(() => {
    if (!target) return undefined;
    let active = true;
    setState(s => ({ ...s, loading: true }));
    metricsApi.getMetrics(target, range).then(
      metrics => active && setState({ loading: false, metrics, readAt: new Date() }),
      error => active && setState(s => ({ ...s, loading: false, error })),
    );
    return () => {
      active = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [metricsApi, key, range, generation]);

  useEffect(() => {
    if (!target) return undefined;
    return statusApi.watchStatus(
      { namespace: target.namespace, component: target.component, environment: target.environment },
      { onStatus: reload },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [statusApi, key, reload]);

  return { ...state, reload };
}

/** The tracing link of the component in the environment; a failure just leaves the button out. */
export function useTracingLink(target: MetricsTarget | undefined): TracingAnswer | undefined {
  const metricsApi = useApi(cellplaneMetricsApiRef);
  const [answer, setAnswer] = useState<TracingAnswer>();
  const key = JSON.stringify(target);
  useEffect(() => {
    setAnswer(undefined);
    if (!target) return undefined;
    let active = true;
    metricsApi.getTracingLink(target).then(
      link => active && setAnswer(link),
      () => undefined,
    );
    return () => {
      active = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [metricsApi, key]);
  return answer;
}
