import { discoveryApiRef, fetchApiRef, useApi } from '@backstage/frontend-plugin-api';
import { ActivityEntry, ActivityKind } from '@cellplane/backstage-plugin-common';
import { useCallback, useEffect, useState } from 'react';
import { fetchActivity } from '../../api/activity';
import { StatusEventFilter } from '../../api';
import { useDesiredChanges } from '../Releases/useDesiredChanges';

/** The filters a reader sets. */
export interface ActivityFilterValues {
  kinds: ActivityKind[];
  author: string;
  environment: string;
  /** A date (yyyy-mm-dd), or ''. */
  since: string;
}

export interface ActivityState {
  loading: boolean;
  error?: Error;
  items: ActivityEntry[];
  /** Set while older entries can be read with `loadMore`. */
  nextCursor?: string;
  loadingMore: boolean;
  loadMore(): void;
}

const PAGE_SIZE = 25;

/**
 * The activity of a component or project under the filters, a page at a time; the first page is
 * read again when a new commit reaches one of its environments.
 */
export function useActivity(entity: string, watch: StatusEventFilter, filters: ActivityFilterValues): ActivityState {
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const [state, setState] = useState<Omit<ActivityState, 'loadMore'>>({ loading: true, items: [], loadingMore: false });
  const [generation, setGeneration] = useState(0);
  useDesiredChanges(watch, useCallback(() => setGeneration(n => n + 1), []));
  const key = JSON.stringify(filters);

  const query = useCallback(
    (cursor?: string) => ({
      entity,
      kinds: filters.kinds,
      author: filters.author.trim() || undefined,
      environment: filters.environment.trim() || undefined,
      since: filters.since || undefined,
      limit: PAGE_SIZE,
      cursor,
    }),
    // The filters are compared by value.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [entity, key],
  );

  useEffect(() => {
    const controller = new AbortController();
    setState(s => ({ ...s, loading: true, error: undefined }));
    fetchActivity({ discoveryApi, fetchApi }, query(), controller.signal).then(
      page => !controller.signal.aborted && setState({ loading: false, items: page.items, nextCursor: page.nextCursor, loadingMore: false }),
      error => !controller.signal.aborted && setState({ loading: false, error, items: [], loadingMore: false }),
    );
    return () => controller.abort();
  }, [discoveryApi, fetchApi, query, generation]);

  const loadMore = useCallback(() => {
    if (!state.nextCursor) return;
    setState(s => ({ ...s, loadingMore: true }));
    fetchActivity({ discoveryApi, fetchApi }, query(state.nextCursor)).then(
      page => setState(s => ({ ...s, items: [...s.items, ...page.items], nextCursor: page.nextCursor, loadingMore: false })),
      error => setState(s => ({ ...s, error, loadingMore: false })),
    );
  }, [discoveryApi, fetchApi, query, state.nextCursor]);

  return { ...state, loadMore };
}
