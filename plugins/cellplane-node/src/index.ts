/**
 * Cellplane's backend library: the GitOps repository as a model (load, index, cross-check),
 * its layout, and the writer that commits changes to it safely under concurrency.
 *
 * @packageDocumentation
 */

export { parseYamlDocuments } from './yaml/parseYamlDocuments';
export { kubernetesReadsPlainAsString } from './yaml/kubernetesYamlSchema';
export type { ParsedYamlDocument, YamlLimits, YamlParseResult } from './yaml/parseYamlDocuments';
export * from './layout/gitOpsLayout';
export { readWorkingTree } from './repository/sources';
export type { GitBlob, GitTreeFile, RepositoryFile, RepositorySnapshot } from './repository/sources';
export * from './repository/RepositoryModel';
export { ParsedFileCache, RepositoryModelBuilder, loadRepositoryModel, loadRepositoryModelFromGit } from './repository/loadRepositoryModel';
export type { LoadRepositoryModelOptions } from './repository/loadRepositoryModel';
export { applyChanges } from './repository/applyChanges';
export type { FileChange } from './repository/applyChanges';
export { EventLoopSlicer } from './async/cooperative';
export type { Steps } from './async/cooperative';
export * from './gitops/GitOpsRepository';
export * from './config/readGitOpsConfig';
export * from './gitOpsRepositoryService/gitOpsRepositoryServiceRef';
export { buildComponentRelease, canonicalJson } from './releases/componentRelease';
export type { BuiltComponentRelease } from './releases/componentRelease';
export { resourceToYaml } from './releases/resourceYaml';
export * from './dataplanes/readDataPlanesConfig';
export * from './dataplanes/dataPlanesServiceRef';
export { githubRepositoryOf, gitlabProjectPath, parsePromotionBranch, promotionBranchName } from './gitHosts/promotionBranch';
export type { PromotionAction, PromotionBranch } from './gitHosts/promotionBranch';
