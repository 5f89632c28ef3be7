export * from './createProject';
export * from './createComponent';
export * from './addEndpoint';
export * from './addDependency';
export * from './overrideEnvironment';
export * from './promoteComponent';
export * from './rollbackComponent';
export * from './claimResource';
