export { DeliveryPipelineCard } from './DeliveryPipelineCard';
export type { DeliveryPipelineCardProps } from './DeliveryPipelineCard';
