/**
 * Cellplane's frontend plugin: the delivery pipeline card of a component and the Cell view of a
 * project, the card of an entity's problems in the GitOps repository, and the scaffolder's
 * release picker, on Backstage's new frontend system.
 *
 * @packageDocumentation
 */

export { cellplanePlugin as default } from './plugin';
export * from './api';
export * from './entities';
export { DeploymentsCard, DeploymentsTable } from './components/DeploymentsCard';
export type { DeploymentsCardProps } from './components/DeploymentsCard';
export { DeliveryPipelineCard } from './components/DeliveryPipeline';
export type { DeliveryPipelineCardProps } from './components/DeliveryPipeline';
export { CellView } from './components/CellView';
export { RepositoryProblemsCard } from './components/RepositoryProblemsCard';
export type { RepositoryProblemsCardProps } from './components/RepositoryProblemsCard';
export { ReleasePicker } from './components/ReleasePicker';
export type { ReleasePickerProps, ReleasePickerUiOptions } from './components/ReleasePicker';
export { commitRouteRef, platformRouteRef } from './routes';
export { CommitPage } from './components/CommitPage';
export { ReleasesView } from './components/Releases';
export type { ReleasesViewProps } from './components/Releases';
export { ActivityView } from './components/Activity';
export type { ActivityViewProps } from './components/Activity';
export { DeliveryMetricsView } from './components/DeliveryMetrics';
export type { DeliveryMetricsViewProps } from './components/DeliveryMetrics';
export { deliveryRouteRef } from './components/DeliveryMetrics/routes';
