export { CommitPage } from './CommitPage';
