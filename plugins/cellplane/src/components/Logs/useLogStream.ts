import { useApi } from '@backstage/frontend-plugin-api';
import { ComponentEvent, LogStreamEnd } from '@cellplane/backstage-plugin-common';
import { useCallback, useEffect, useState } from 'react';
import { LogQuery, LogsTarget, cellplaneLogsApiRef } from './logsApi';

/** Lines kept in the view: the newest, so a long follow does not grow the page without end. */
export const MAX_LINES = 2000;

/** A line as the view lists it. */
export interface ViewLine {
  id: number;
  pod: string;
  container: string;
  time?: string;
  text: string;
}

export interface LogStreamState {
  /** `connecting` until the backend said which containers it reads; `closed` once the stream is over. */
  phase: 'connecting' | 'open' | 'closed';
  sources: Array<{ pod: string; container: string }>;
  lines: ViewLine[];
  /** Older lines dropped to keep MAX_LINES. */
  dropped: number;
  /** Kubernetes Events about the component, newest first. */
  events: ComponentEvent[];
  ended: LogStreamEnd[];
  /** What the backend reported failing (each names the data plane). */
  problems: string[];
  /** The stream could not be opened (permission, unknown component, backend down). */
  failure?: Error;
}

const initial: LogStreamState = { phase: 'connecting', sources: [], lines: [], dropped: 0, events: [], ended: [], problems: [] };

/** Adds or replaces an event, keeping the list newest first. */
export function withEvent(events: ComponentEvent[], event: ComponentEvent): ComponentEvent[] {
  return [event, ...events.filter(e => e.id !== event.id)].sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''));
}

/**
 * A component's log stream in one environment with one query: lines (the last MAX_LINES),
 * Kubernetes Events as they come, and how the stream ended. Opened again when the target, the
 * query or `podSet` (the pods a stream of every pod reads: a rollout replaced them) changes, or on
 * `reopen()`.
 */
export function useLogStream(target: LogsTarget | undefined, query: LogQuery, podSet = ''): LogStreamState & { reopen(): void } {
  const api = useApi(cellplaneLogsApiRef);
  const [state, setState] = useState<LogStreamState>(initial);
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify([target, query, podSet, generation]);

  useEffect(() => {
    if (!target) return undefined;
    let active = true;
    let nextId = 0;
    const update = (change: (s: LogStreamState) => LogStreamState) => active && setState(change);
    setState(initial);
    const close = api.streamLogs(target, query, {
      onReady: ready => update(s => ({ ...s, phase: 'open', sources: ready.pods })),
      onLines: ({ pod, container, lines }) =>
        update(s => {
          const added = lines.map(line => ({ id: ++nextId, pod, container, ...line }));
          const all = [...s.lines, ...added];
          const over = Math.max(0, all.length - MAX_LINES);
          return { ...s, lines: over ? all.slice(over) : all, dropped: s.dropped + over };
        }),
      onEvent: event => update(s => ({ ...s, events: withEvent(s.events, event) })),
      onEnd: end => update(s => ({ ...s, ended: [...s.ended, end] })),
      onError: error =>
        update(s =>
          error instanceof Error
            ? { ...s, phase: 'closed', failure: s.phase === 'connecting' ? error : undefined, problems: s.phase === 'connecting' ? s.problems : [...s.problems, error.message] }
            : { ...s, problems: [...s.problems, error.message] },
        ),
      onClose: () => update(s => ({ ...s, phase: 'closed' })),
    });
    return () => {
      active = false;
      close();
    };
    // target and query are compared by value (key).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key]);

  const reopen = useCallback(() => setGeneration(g => g + 1), []);
  return { ...state, reopen };
}
