export { ActivityView } from './ActivityView';
export type { ActivityViewProps } from './ActivityView';
