import { useApi } from '@backstage/frontend-plugin-api';
import { useEffect, useRef } from 'react';
import { StatusEventFilter, cellplaneStatusApiRef } from '../../api';

/**
 * Calls `onChange` when what Git wants somewhere in `filter` changes (a commit that changed a
 * component's rendered release reached an environment), as the status stream tells it: the
 * releases and the activity of a component are Git's, and a new commit is when they change. The
 * first status seen of each component and environment is the baseline, not a change.
 */
export function useDesiredChanges(filter: StatusEventFilter, onChange: () => void): void {
  const api = useApi(cellplaneStatusApiRef);
  const latest = useRef(onChange);
  latest.current = onChange;
  const key = JSON.stringify(filter);

  useEffect(() => {
    const seen = new Map<string, string>();
    return api.watchStatus(filter, {
      onStatus: status => {
        const where = `${status.namespace}/${status.component}/${status.environment}`;
        const desired = `${status.desired?.commit ?? ''} ${status.desired?.releaseHash ?? ''}`;
        const before = seen.get(where);
        seen.set(where, desired);
        if (before !== undefined && before !== desired) latest.current();
      },
    });
    // The filter is compared by value.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key]);
}
