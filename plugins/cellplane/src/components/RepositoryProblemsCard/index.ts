export { RepositoryProblemsCard } from './RepositoryProblemsCard';
export type { RepositoryProblemsCardProps } from './RepositoryProblemsCard';
