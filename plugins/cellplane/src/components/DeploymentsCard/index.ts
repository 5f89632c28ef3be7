export { DeploymentsCard, DeploymentsTable } from './DeploymentsCard';
export type { DeploymentsCardProps } from './DeploymentsCard';
