import { InputError } from '@backstage/errors';
import { OPENCHOREO_ANNOTATIONS } from '@cellplane/backstage-plugin-common';
import { createHash } from 'node:crypto';
import type { CellplaneActionOptions } from './actionOptions';
import type { ProductionChange } from './productionChanges';
import { redactUrl } from './pullRequestCommon';

/**
 * How a write is published by pull request when it is, besides what its input says: where an
 * environment or a promotion path asks for a review, a pull request is the approval.
 */
export interface PullRequestPolicy {
  /** The pull request's branch unless `publish.branch` names one (default `cellplane/<task id>`). */
  branch?: string;
  /**
   * Why this write goes by pull request whatever the environments it alters say, e.g. "the
   * promotion path staging → production of DeploymentPipeline standard requires approval".
   */
  requiredBy?: string;
}

/** Thrown from a commit's computation when the change turns out to need a pull request. */
export class PullRequestRequired extends Error {
  constructor(readonly reasons: string[]) {
    super(`publishes by pull request: ${reasons.join('; ')}`);
    this.name = 'PullRequestRequired';
  }
}

/** Why a change goes by pull request: the policy's reason and each pull-request environment it alters. */
export function pullRequestReasons(policy: PullRequestPolicy | undefined, environments: ProductionChange[]): string[] {
  return [
    ...(policy?.requiredBy ? [policy.requiredBy] : []),
    ...environments.map(({ environment }) => `Environment ${environment} says ${OPENCHOREO_ANNOTATIONS.publish}: pull-request`),
  ];
}

/**
 * The mode a write publishes in. Without reasons for a pull request, what the input asks
 * (`commit` by default). With reasons, `pull-request`: an explicit `publish.mode: commit` is
 * refused (the review is the approval the environment or path asks for), and so is a
 * repository that has no Git host to open a pull request on. Throws InputError saying what to
 * change.
 */
export function choosePublishMode(
  options: Pick<CellplaneActionOptions, 'repository' | 'integrations'>,
  requested: 'commit' | 'pull-request' | undefined,
  reasons: string[],
): 'commit' | 'pull-request' {
  if (reasons.length === 0) return requested ?? 'commit';
  if (requested === 'commit') {
    throw new InputError(
      `publish.mode 'commit' is refused: ${reasons.join('; ')}, so this change goes by pull request, whose review is the approval. Leave publish.mode out (or set it to 'pull-request')${
        reasons.some(reason => reason.startsWith('Environment ')) ? `, or set ${OPENCHOREO_ANNOTATIONS.publish}: commit on the environment` : ''
      }.`,
    );
  }
  requirePullRequestHost(options, reasons);
  return 'pull-request';
}

/** Refuses a pull-request write to a repository whose host Cellplane cannot open pull requests on. */
function requirePullRequestHost(options: Pick<CellplaneActionOptions, 'repository' | 'integrations'>, reasons: string[]): void {
  const url = options.repository.url;
  const why = `This change must be published by pull request (${reasons.join('; ')})`;
  const orCommit = `or, to publish by commit instead, set ${OPENCHOREO_ANNOTATIONS.publish}: commit on the environment (or remove the annotation)`;
  if (!/^https:\/\//.test(url)) {
    // The local path is the server's business: the message names the setting, not the path.
    throw new InputError(
      `${why}, but the GitOps repository is a local repository with no Git host to open one on. Set cellplane.gitops.url to the https URL of a GitHub or GitLab repository and configure its host under integrations.github or integrations.gitlab in app-config; ${orCommit}.`,
    );
  }
  if (!options.integrations?.github.byUrl(url) && !options.integrations?.gitlab.byUrl(url)) {
    const host = new URL(url).host;
    throw new InputError(
      `${why}, but no Backstage integration is configured for the host of cellplane.gitops.url (${redactUrl(url)}): add ${host} under integrations.github (host, token or GitHub App) or integrations.gitlab (host, token, and apiBaseUrl for a self-hosted server) in app-config; ${orCommit}.`,
    );
  }
}

/** A short, stable id of a scaffolder task for branch names: a retry of the task names the same branch. */
export function taskShortId(taskId: string | undefined): string {
  return createHash('sha256').update(taskId ?? 'task').digest('hex').slice(0, 8);
}
