export * from './componentRelease';
export * from './resourceYaml';
