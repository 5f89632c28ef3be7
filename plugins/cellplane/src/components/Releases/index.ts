export { ReleasesView } from './ReleasesView';
export type { ReleasesViewProps } from './ReleasesView';
