export { MetricsView } from './MetricsView';
export { EntityMetricsContent } from './EntityMetricsContent';
export { CellplaneMetricsClient, cellplaneMetricsApiRef } from './metricsApi';
export type { CellplaneMetricsApi, MetricsTarget } from './metricsApi';
