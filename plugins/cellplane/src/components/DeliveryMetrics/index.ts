export { DeliveryMetricsView } from './DeliveryMetricsView';
export type { DeliveryMetricsViewProps } from './DeliveryMetricsView';
export { EntityDeliveryContent } from './EntityDeliveryContent';
export { DeliveryPage } from './DeliveryPage';
