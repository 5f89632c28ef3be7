import { discoveryApiRef, fetchApiRef, useApi } from '@backstage/frontend-plugin-api';
import { DeliveryPipeline } from '@cellplane/backstage-plugin-common';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { fetchDeliveryPipeline } from '../../api/pipeline';
import { readPipelineAhead, takePipelineReadAhead } from './pipelineReadAhead';

export interface DeliveryPipelineState {
  loading: boolean;
  error?: Error;
  pipeline?: DeliveryPipeline;
  /**
   * Reads the pipeline again (after a promotion or rollback, or a new commit the status stream
   * saw), asking the Git host afresh for open pull requests: the one just opened, or just merged.
   */
  reload(): void;
}

/**
 * The component's delivery pipeline, read again when `seenRevision` (the commit the live status
 * says Git wants) moves past the one it was read at: a promotion made anywhere (this card,
 * another tab, a pull request merged) changes which release each environment runs.
 */
export function useDeliveryPipeline(namespace: string, component: string, seenRevision?: string): DeliveryPipelineState {
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const [state, setState] = useState<Omit<DeliveryPipelineState, 'reload'>>({ loading: true });
  const [generation, setGeneration] = useState(0);
  const requested = useRef<string | undefined>(undefined);
  const reload = useCallback(() => setGeneration(g => g + 1), []);
  // In the render, not the effect: React may render the card long before it shows it (see pipelineReadAhead).
  useState(() => readPipelineAhead({ discoveryApi, fetchApi }, namespace, component));

  // A layout effect: a pipeline read ahead that has already answered is drawn in the card's first
  // paint, without a frame of the loading state.
  useLayoutEffect(() => {
    const controller = new AbortController();
    const readAhead = generation === 0 ? takePipelineReadAhead(fetchApi, namespace, component) : undefined;
    if (readAhead?.answer) {
      setState({ loading: false, pipeline: readAhead.answer });
      return undefined;
    }
    setState(s => ({ ...s, loading: true }));
    const read =
      readAhead?.pipeline ??
      fetchDeliveryPipeline({ discoveryApi, fetchApi }, namespace, component, controller.signal, { freshPullRequests: generation > 0 });
    read.then(
      pipeline => !controller.signal.aborted && setState({ loading: false, pipeline }),
      error => !controller.signal.aborted && setState(s => ({ ...s, loading: false, error })),
    );
    return () => controller.abort();
  }, [discoveryApi, fetchApi, namespace, component, generation]);

  const readRevision = state.pipeline?.revision ?? undefined;
  useEffect(() => {
    // Once per new revision: the status may name it before the pipeline route has fetched it.
    if (seenRevision && readRevision && seenRevision !== readRevision && requested.current !== seenRevision) {
      requested.current = seenRevision;
      reload();
    }
  }, [seenRevision, readRevision, reload]);

  return { ...state, reload };
}
