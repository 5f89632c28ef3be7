/**
 * Cellplane's module for Backstage's Kubernetes plugin: Cellplane's data planes as its clusters,
 * handed over read-only unless configured otherwise.
 *
 * @packageDocumentation
 */
export { kubernetesModuleCellplane as default } from './module';
