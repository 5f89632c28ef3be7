/**
 * Test helpers for packages that build on the GitOps repository: real bare Git repositories
 * seeded with the example organisation. Import from `@cellplane/backstage-plugin-node/testUtils`.
 *
 * @packageDocumentation
 */
export { EXAMPLE_REPOSITORY, createBareRepository, git, temporaryDirectory } from './gitFixtures';
export { hostileRepositoryFiles } from './hostileRepositoryFiles';
export type { HostileRepositoryFile } from './hostileRepositoryFiles';
export {
  author,
  cellNamespace,
  eventually,
  exampleRepository,
  renderedComponent,
  renderedFile,
  renderedLabels,
  renderedPath,
} from './statusFixtures';
export type { RenderedComponentOptions } from './statusFixtures';
export { addGithubPullRequest, answerGithub, answerGitlab, fakeGithubState, startFakeGitHost } from './fakeGitHost';
export type {
  FakeGitHost,
  FakeGithubPullRequest,
  FakeGithubState,
  FakeGitlabMergeRequest,
  FakeRequest,
  FakeResponse,
} from './fakeGitHost';
// The types these helpers take and return, so this entry point describes itself.
export type { GitOpsRepository } from '../gitops/GitOpsRepository';
export type { YamlLimits } from '../yaml/parseYamlDocuments';
