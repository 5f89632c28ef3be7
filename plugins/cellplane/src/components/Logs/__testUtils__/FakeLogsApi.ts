import { ComponentEvent, ComponentPods, LogPod } from '@cellplane/backstage-plugin-common';
import { waitFor } from '@testing-library/react';
import { CellplaneLogsApi, LogQuery, LogStreamHandlers, LogsTarget } from '../logsApi';

/** The logs API at the edge of the view: pods per environment, and streams a test drives. */
export class FakeLogsApi implements CellplaneLogsApi {
  readonly streams: Array<{ target: LogsTarget; query: LogQuery; handlers: LogStreamHandlers; closed: boolean }> = [];
  podsError?: Error;
  events: ComponentEvent[] = [];
  constructor(public pods: Record<string, LogPod[]>) {}

  async getPods(target: LogsTarget): Promise<ComponentPods> {
    if (this.podsError) throw this.podsError;
    return { ...target, dataPlane: { name: 'sandbox', sandbox: true }, pods: this.pods[target.environment] ?? [] };
  }
  async getEvents() {
    return { items: this.events };
  }
  streamLogs(target: LogsTarget, query: LogQuery, handlers: LogStreamHandlers) {
    const stream = { target, query, handlers, closed: false };
    this.streams.push(stream);
    return () => {
      stream.closed = true;
    };
  }
  /** The open stream, once the view opened it. */
  async open() {
    await waitFor(() => {
      const open = this.streams.filter(s => !s.closed).length;
      if (open !== 1) throw new Error(`${open} streams open, waiting for one`);
    });
    return this.streams.filter(s => !s.closed)[0];
  }
}

