/**
 * Cellplane's shared model: the OpenChoreo resource kinds (`openchoreo.dev/v1alpha1`), their
 * validation, and the problem type every package reports in. Isomorphic: used by the backend
 * and by the browser.
 *
 * @packageDocumentation
 */

export * from './model';
export * from './problems';
export * from './status';
export * from './permissions';
export * from './releases';
export * from './commits';
export * from './activity';
export * from './trace';
export * from './entities';
export * from './pipeline/types';
export * from './platform';
export * from './delivery';
export * from './metrics';
