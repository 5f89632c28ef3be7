/**
 * Cellplane's backend plugin.
 *
 * @packageDocumentation
 */
export { cellplanePlugin as default } from './plugin';
export { kubernetesModuleCellplane } from './kubernetes/kubernetesModuleCellplane';
export { cellplaneDataPlanesServiceRef } from './dataplanes/dataPlanesServiceRef';
export type { CellplaneDataPlanes } from './dataplanes/dataPlanesServiceRef';
