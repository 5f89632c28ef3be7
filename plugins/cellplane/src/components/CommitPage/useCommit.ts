import { discoveryApiRef, fetchApiRef, useApi } from '@backstage/frontend-plugin-api';
import { CommitDetails } from '@cellplane/backstage-plugin-common';
import { useEffect, useState } from 'react';
import { fetchCommit } from '../../api/commits';

export type CommitState =
  | { state: 'loading' }
  | { state: 'loaded'; commit: CommitDetails }
  | { state: 'error'; error: Error };

/** The commit `sha`, read again when it changes (following a parent link). */
export function useCommit(sha: string): CommitState {
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const [result, setResult] = useState<CommitState>({ state: 'loading' });

  useEffect(() => {
    // Moving to a parent must not show the child's diff under the parent's id.
    const controller = new AbortController();
    setResult({ state: 'loading' });
    fetchCommit({ discoveryApi, fetchApi }, sha, controller.signal).then(
      commit => !controller.signal.aborted && setResult({ state: 'loaded', commit }),
      error => !controller.signal.aborted && setResult({ state: 'error', error }),
    );
    return () => controller.abort();
  }, [discoveryApi, fetchApi, sha]);

  return result;
}
