export { CellView } from './CellView';
