/**
 * Cellplane's backend plugin.
 *
 * @packageDocumentation
 */
export { cellplanePlugin as default } from './plugin';
