export * from './constants';
export * from './names';
export * from './kinds';
export * from './validateResource';
export * from './imageReference';
export * from './references';
export * from './crossReferences';
