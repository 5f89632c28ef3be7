export { checkReferences } from './checkReferences';
export type { ReferenceIndex, Steps } from './checkReferences';
export { parseFieldPath, problemAt, withLine } from './pendingProblem';
export type { FieldPath, IndexedResource, PendingProblem } from './pendingProblem';
