import { useApi } from '@backstage/frontend-plugin-api';
import { ComponentEnvironmentStatus } from '@cellplane/backstage-plugin-common';
import { useEffect, useState } from 'react';
import { CellplaneStatusApi, StatusEventFilter, StatusSnapshot, cellplaneStatusApiRef } from '../../api';

/** What a status view renders: the snapshot kept current by the events stream. */
export interface LiveStatus {
  loading: boolean;
  /** Why the status could not be read; the view shows it instead of the table. */
  error?: Error;
  snapshot?: StatusSnapshot;
  /** Set while the events stream is down: the view still shows the last status it had. */
  streamError?: Error;
}

const sameRow = (a: ComponentEnvironmentStatus, b: ComponentEnvironmentStatus) =>
  a.namespace === b.namespace && a.component === b.component && a.environment === b.environment;

/** Replaces the row an event is about, or adds it when the snapshot did not have it yet. */
export function applyStatusEvent(snapshot: StatusSnapshot, status: ComponentEnvironmentStatus): StatusSnapshot {
  const index = snapshot.items.findIndex(item => sameRow(item, status));
  const items = index >= 0 ? snapshot.items.map((item, i) => (i === index ? status : item)) : [...snapshot.items, status];
  return { ...snapshot, items, sandbox: items.some(item => item.dataPlane?.sandbox) };
}

/**
 * Reads a status snapshot and keeps it live with the events stream. The snapshot is read again
 * each time the stream (re)connects, so no change falls between the first read and the
 * subscription, nor into a gap while the stream was down.
 */
export function useLiveStatus(
  filter: StatusEventFilter,
  load: (api: CellplaneStatusApi) => Promise<StatusSnapshot>,
): LiveStatus {
  const api = useApi(cellplaneStatusApiRef);
  const [state, setState] = useState<LiveStatus>({ loading: true });
  const key = JSON.stringify(filter);

  useEffect(() => {
    let active = true;
    const update = (change: (s: LiveStatus) => LiveStatus) => active && setState(change);
    setState({ loading: true });
    const read = () =>
      load(api).then(
        snapshot => update(s => ({ ...s, loading: false, error: undefined, snapshot })),
        error => update(s => ({ ...s, loading: false, error })),
      );
    read();
    const close = api.watchStatus(filter, {
      // Changes made while the stream was down were not delivered: read again at each (re)connect.
      onOpen: () => {
        update(s => ({ ...s, streamError: undefined }));
        read();
      },
      onStatus: status => update(s => (s.snapshot ? { ...s, snapshot: applyStatusEvent(s.snapshot, status) } : s)),
      onError: streamError => update(s => ({ ...s, streamError })),
    });
    return () => {
      active = false;
      close();
    };
    // The filter is compared by value; load depends only on it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key]);

  return state;
}
