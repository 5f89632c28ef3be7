export { LogsView } from './LogsView';
export { EntityLogsContent } from './EntityLogsContent';
export { CellplaneLogsClient, cellplaneLogsApiRef } from './logsApi';
export type { CellplaneLogsApi, LogQuery, LogStreamHandlers, LogsTarget } from './logsApi';
