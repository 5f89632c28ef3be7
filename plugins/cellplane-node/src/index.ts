/**
 * Cellplane's backend library: the GitOps repository as a model (load, index, cross-check),
 * its layout, and the writer that commits changes to it safely under concurrency.
 *
 * @packageDocumentation
 */

export * from './git/runGit';
export * from './yaml/parseYamlDocuments';
export * from './layout/gitOpsLayout';
export * from './repository/sources';
export * from './repository/RepositoryModel';
export * from './repository/loadRepositoryModel';
export { EventLoopSlicer } from './repository/cooperative';
export * from './gitops/GitOpsRepository';
export * from './config/readGitOpsConfig';
export * from './config/readDefaultOwner';
export * from './config/gitCredentials';
export * from './gitOpsRepositoryService/seedRepository';
export * from './gitOpsRepositoryService/gitOpsRepositoryServiceRef';
export * from './releases';
export * from './dataplanes/readDataPlanesConfig';
export * from './dataplanes/dataPlanesServiceRef';
