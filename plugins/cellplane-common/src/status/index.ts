export * from './types';
export * from './labels';
export * from './deriveStatus';
export * from './permissions';
export * from './logs';
