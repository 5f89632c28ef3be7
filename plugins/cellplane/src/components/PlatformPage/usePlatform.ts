import { useApi } from '@backstage/frontend-plugin-api';
import { ComponentEnvironmentStatus, PlatformOverview } from '@cellplane/backstage-plugin-common';
import { useEffect, useState } from 'react';
import { cellplaneStatusApiRef } from '../../api';
import { cellplanePlatformApiRef } from './platformApi';

/** What the platform page renders: the overview, its statuses kept live by the events stream. */
export interface LivePlatform {
  loading: boolean;
  error?: Error;
  overview?: PlatformOverview;
  /** Set while the events stream is down: the page still shows the last statuses it had. */
  streamError?: Error;
}

const sameRow = (a: ComponentEnvironmentStatus, b: ComponentEnvironmentStatus) =>
  a.namespace === b.namespace && a.component === b.component && a.environment === b.environment;

/** The overview with one status replaced (or added, for a component it did not have yet). */
export function withStatus(overview: PlatformOverview, status: ComponentEnvironmentStatus): PlatformOverview {
  const index = overview.statuses.findIndex(s => sameRow(s, status));
  const statuses = index >= 0 ? overview.statuses.map((s, i) => (i === index ? status : s)) : [...overview.statuses, status];
  return { ...overview, statuses };
}

/**
 * Reads the overview and keeps its statuses live with the status events stream (every
 * component, every environment). The overview is read again each time the stream (re)connects,
 * so no change falls between the first read and the subscription, nor into a gap while the
 * stream was down; that read also brings new environments, types and traits.
 */
export function usePlatform(): LivePlatform {
  const platformApi = useApi(cellplanePlatformApiRef);
  const statusApi = useApi(cellplaneStatusApiRef);
  const [state, setState] = useState<LivePlatform>({ loading: true });

  useEffect(() => {
    let active = true;
    const update = (change: (s: LivePlatform) => LivePlatform) => active && setState(change);
    const read = () =>
      platformApi.getPlatform().then(
        overview => update(s => ({ ...s, loading: false, error: undefined, overview })),
        error => update(s => ({ ...s, loading: false, error })),
      );
    read();
    const close = statusApi.watchStatus(
      {},
      {
        onOpen: () => {
          update(s => ({ ...s, streamError: undefined }));
          read();
        },
        onStatus: status => update(s => (s.overview ? { ...s, overview: withStatus(s.overview, status) } : s)),
        onError: streamError => update(s => ({ ...s, streamError })),
      },
    );
    return () => {
      active = false;
      close();
    };
  }, [platformApi, statusApi]);

  return state;
}
