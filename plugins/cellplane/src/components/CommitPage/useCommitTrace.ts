import { discoveryApiRef, fetchApiRef, useApi } from '@backstage/frontend-plugin-api';
import { CommitTrace } from '@cellplane/backstage-plugin-common';
import { useEffect, useState } from 'react';
import { cellplaneStatusApiRef, fetchCommitTrace } from '../../api';

export interface CommitTraceState {
  loading: boolean;
  trace?: CommitTrace;
  /** Why the trace could not be read; the page shows it above the commit, which may still load. */
  error?: Error;
  /** Set while the status stream is down: the trace shown may be behind. */
  streamError?: Error;
}

/**
 * The trace of `sha` (narrowed to `component` when given), live: every status change of a
 * component the commit changed reads the trace again, since a step moves when its status does.
 * The events stream is narrowed to the component when there is one. Reads that overlap are
 * coalesced: one more read after the one in flight.
 */
export function useCommitTrace(sha: string, component?: string): CommitTraceState {
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const statusApi = useApi(cellplaneStatusApiRef);
  const [state, setState] = useState<CommitTraceState>({ loading: true });

  useEffect(() => {
    const controller = new AbortController();
    let reading = false;
    let again = false;
    let traced: CommitTrace | undefined;
    const update = (change: (s: CommitTraceState) => CommitTraceState) => !controller.signal.aborted && setState(change);
    const read = async () => {
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        traced = await fetchCommitTrace({ discoveryApi, fetchApi }, sha, { component, signal: controller.signal });
        update(s => ({ ...s, loading: false, error: undefined, trace: traced }));
      } catch (error) {
        update(s => ({ ...s, loading: false, error: error as Error }));
      } finally {
        reading = false;
        if (again && !controller.signal.aborted) {
          again = false;
          void read();
        }
      }
    };
    setState({ loading: true });
    void read();
    const [namespace, name] = component?.split('/') ?? [];
    const close = statusApi.watchStatus(name ? { namespace, component: name } : {}, {
      // Changes made while the stream was down were not delivered: read again at each (re)connect.
      onOpen: () => {
        update(s => ({ ...s, streamError: undefined }));
        void read();
      },
      onStatus: status => {
        if (traced?.items.some(i => i.namespace === status.namespace && i.component === status.component && i.environment === status.environment)) {
          void read();
        }
      },
      onError: streamError => update(s => ({ ...s, streamError })),
    });
    return () => {
      controller.abort();
      close();
    };
  }, [discoveryApi, fetchApi, statusApi, sha, component]);

  return state;
}
