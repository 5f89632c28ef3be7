export * from './types';
export * from './compare';
