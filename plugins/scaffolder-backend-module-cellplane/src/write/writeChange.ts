import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult, BasicPermission } from '@backstage/plugin-permission-common';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import { GITOPS_PUSH_EVENT_TOPIC } from '@cellplane/backstage-plugin-common';
import {
  CommitAuthor,
  FileChange,
  RepositoryRevision,
} from '@cellplane/backstage-plugin-node';
import type { CellplaneActionOptions } from './actionOptions';
import { CheckedChange } from './checkedChange';
import { unifiedDiff } from './diff';
import { traceUrl } from './commitLink';
import { commitWebUrl, openPullRequest } from './gitHosts';
import { maskLikelySecrets } from './likelySecrets';
import { choosePublishMode, PullRequestPolicy, pullRequestReasons, PullRequestRequired } from './publishInput';
import { assertBranchName } from './pullRequestCommon';

export type { CellplaneActionOptions, Rerender } from './actionOptions';

/** How a change reaches the repository. @public */
export type PublishInput = { mode?: 'commit' | 'pull-request'; branch?: string; title?: string };

/** The zod (v3, as the scaffolder's actions use) input shared by every action: how to publish. */
export const publishInputSchema = (z: any) =>
  z
    .object({
      mode: z
        .enum(['commit', 'pull-request'])
        .optional()
        .describe(
          "'commit' (default) pushes one commit to the GitOps branch; 'pull-request' opens a pull request with it. A change to an environment annotated cellplane.dev/publish: pull-request, or a promotion along a path that requires approval, always goes by pull request",
        ),
      branch: z.string().optional().describe('Branch of the pull request (default cellplane/<task id>)'),
      title: z.string().optional().describe('Pull request title (default: the commit summary)'),
    })
    .optional()
    .describe('How to publish the change');

/**
 * The input shared by every action that writes values: plain values that secretlint's
 * recommended rules take for secrets (an AWS key, a GitHub token, a private key…) are refused
 * unless this is true. Read by writeChange from the action's input.
 */
export const allowLikelySecretsInputSchema = (z: any) =>
  z
    .boolean()
    .optional()
    .describe('Write values that look like secrets anyway (default false: they belong in a SecretReference, not in Git)');

/** The longest pull request title accepted (GitHub's limit). */
const MAX_TITLE_LENGTH = 256;

/**
 * Checks how a change is to be published before anything is computed, so a dry run refuses
 * what the real run would: the branch must be a safe Git branch name other than the GitOps
 * branch, and the title one line of sensible length.
 */
export function validatePublishInput(publish: PublishInput | undefined, gitOpsBranch: string): void {
  if (publish === undefined || publish === null) return;
  if (typeof publish !== 'object') throw new InputError('publish must be an object: {mode, branch, title}');
  if (publish.mode !== undefined && publish.mode !== 'commit' && publish.mode !== 'pull-request') {
    throw new InputError(`publish.mode must be 'commit' or 'pull-request' (got ${JSON.stringify(String(publish.mode)).slice(0, 40)})`);
  }
  if (publish.branch !== undefined) {
    if (typeof publish.branch !== 'string') throw new InputError('publish.branch must be a string');
    assertBranchName(publish.branch);
    if (publish.branch === gitOpsBranch) {
      throw new InputError(`publish.branch must be a new branch for the pull request, not the GitOps branch ${gitOpsBranch} itself`);
    }
  }
  if (publish.title !== undefined) {
    if (typeof publish.title !== 'string' || publish.title.trim().length === 0) {
      throw new InputError('publish.title must be a non-empty string');
    }
    if (publish.title.length > MAX_TITLE_LENGTH) {
      throw new InputError(`publish.title is ${publish.title.length} characters long; at most ${MAX_TITLE_LENGTH} fit a pull request title`);
    }
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(publish.title)) {
      throw new InputError('publish.title must be one line: no newlines, tabs or other control characters');
    }
  }
}

/** Outputs every action sets. */
export const writeOutputSchema = {
  commitSha: (z: any) => z.string().optional().describe('The commit made (or, when nothing changed, the head it matched)'),
  commitUrl: (z: any) => z.string().optional().describe('A link to the commit, or to the pull request'),
  traceUrl: (z: any) =>
    z.string().optional().describe("The portal's trace of the commit (did it land?): /cellplane/commits/<sha>?component=<namespace>/<name>"),
  pullRequestUrl: (z: any) => z.string().optional().describe('The pull request, in pull-request mode'),
  changedFiles: (z: any) => z.array(z.string()).describe('Repository paths the change writes'),
  diff: (z: any) => z.string().optional().describe('The unified diff (dry run; likely secrets masked)'),
  publishMode: (z: any) =>
    z
      .enum(['commit', 'pull-request'])
      .optional()
      .describe('How the change is (dry run: would be) published: pull-request when the input, an environment it changes or its promotion path asks for a review'),
  productionEnvironments: (z: any) =>
    z.array(z.string()).optional().describe('The production environments (<namespace>/<environment>) the change alters'),
};

/** One change an action asks for. */
export interface WriteRequest {
  /**
   * Permissions the task's user must hold; any denial writes nothing. Whatever these are, a
   * change that alters a production environment also needs
   * `cellplane.component.promote.production` (writeChange works that out from the files).
   */
  permissions: BasicPermission[];
  /** The commit summary line. */
  summary: string;
  /**
   * The files to write, computed from the revision the change lands on (again, when another
   * writer got there first). Throw InputError to refuse with nothing written.
   */
  changes(base: RepositoryRevision): Promise<FileChange[]> | FileChange[];
  publish?: PublishInput;
  /** When this write goes by pull request whatever its input says, and the pull request's branch. */
  pullRequest?: PullRequestPolicy;
}

/**
 * Runs one change as one commit (or one pull request): checks the permissions with the task's
 * credentials, computes and validates the change against the repository's head, and then
 * either returns the diff (dry run), commits and pushes it, or opens a pull request. Sets the
 * action's outputs and tells the catalog about the new commit.
 *
 * Every time the change is computed (again on a retry after a race, and in a dry run) the
 * computed files are checked, whatever the action:
 * - values that look like secrets are refused (InputError naming file and field, never the
 *   value) unless the action's input says `allowLikelySecrets: true`;
 * - a change that alters an environment marked `isProduction` needs
 *   `cellplane.component.promote.production` too (NotAllowedError naming the environments).
 *   A dry run is refused the same way, so that it predicts the real run: a user who may not
 *   change production does not get to preview a production change either, and an allowed
 *   one sees the environments in the `productionEnvironments` output.
 */
export async function writeChange(
  ctx: ActionContext<any, any>,
  options: CellplaneActionOptions,
  request: WriteRequest,
): Promise<void> {
  validatePublishInput(request.publish, options.repository.branch);
  const credentials = await requirePermissions(ctx, options, request.permissions);
  const change = new CheckedChange(ctx, options, request, credentials);
  if (ctx.isDryRun) {
    await previewChange(ctx, options, request, change);
  } else if (choosePublishMode(options, request.publish?.mode, pullRequestReasons(request.pullRequest, [])) === 'pull-request') {
    await publishPullRequest(ctx, options, request, change);
  } else if ((await publishCommit(ctx, options, request, change)) === 'pull-request') {
    // The change targets an environment that publishes by pull request: nothing was committed.
    await publishPullRequest(ctx, options, request, change);
  }
}

/** Checks the permissions a request names with the task's credentials, and returns them. */
async function requirePermissions(
  ctx: ActionContext<any, any>,
  options: CellplaneActionOptions,
  permissions: BasicPermission[],
): Promise<BackstageCredentials> {
  const credentials = await ctx.getInitiatorCredentials();
  const decisions = await options.permissions.authorize(
    permissions.map(permission => ({ permission })),
    { credentials },
  );
  const denied = permissions.filter((_, i) => decisions[i]?.result !== AuthorizeResult.ALLOW);
  if (denied.length > 0) {
    throw new NotAllowedError(`not allowed: you lack the permission ${denied.map(p => p.name).join(', ')}`);
  }
  return credentials;
}

/** The commit message: the summary, and who asked through which template. */
function commitMessage(ctx: ActionContext<any, any>, summary: string): string {
  return `${summary}\n\nRequested by ${ctx.user?.ref ?? 'an unknown user'} through the Cellplane scaffolder${
    ctx.templateInfo?.entityRef ? ` (template ${ctx.templateInfo.entityRef})` : ''
  }.`;
}

/** A dry run: the change against the head, checked, as a diff (likely secrets masked); nothing is written. */
async function previewChange(
  ctx: ActionContext<any, any>,
  options: CellplaneActionOptions,
  request: WriteRequest,
  change: CheckedChange,
): Promise<void> {
  const base = await options.repository.revision();
  const changes = await change.compute(base);
  // Refused in a dry run as in the real run: a preview promises nothing the write cannot do.
  const mode = choosePublishMode(options, request.publish?.mode, pullRequestReasons(request.pullRequest, change.pullRequestEnvironments));
  change.report();
  ctx.output('publishMode', mode);
  ctx.output('changedFiles', changes.map(c => c.path));
  ctx.output('diff', maskLikelySecrets(unifiedDiff(changes), change.secrets));
  if (base.commit) ctx.output('commitSha', base.commit);
  ctx.logger.info(`Dry run: ${changes.length} file(s) would change; nothing was written`);
}

/** Opens a pull request with the change (once per task step: a resumed task finds it again). */
async function publishPullRequest(
  ctx: ActionContext<any, any>,
  options: CellplaneActionOptions,
  request: WriteRequest,
  change: CheckedChange,
): Promise<void> {
  const message = commitMessage(ctx, request.summary);
  const opened = await ctx.checkpoint({
    key: `cellplane.pull-request.${ctx.step?.id ?? 'step'}`,
    fn: async () => {
      const base = await options.repository.revision();
      const changes = await change.compute(base);
      if (changes.length === 0 || !base.commit) {
        return { url: null, commit: base.commit ?? null, files: [] as string[] };
      }
      const pull = await openPullRequest(requireIntegrations(options), {
        repositoryUrl: options.repository.url,
        baseBranch: options.repository.branch,
        baseCommit: base.commit,
        branch: request.publish?.branch ?? request.pullRequest?.branch ?? `cellplane/${ctx.task.id}`,
        title: request.publish?.title ?? request.summary,
        body: message.split('\n\n').slice(1).join('\n\n'),
        changes,
        author: authorOf(ctx),
      });
      return { url: pull.url, commit: pull.commit, files: changes.map(c => c.path) };
    },
  });
  change.report();
  ctx.output('publishMode', 'pull-request');
  ctx.output('changedFiles', opened.files);
  if (opened.commit) ctx.output('commitSha', opened.commit);
  if (opened.url) {
    ctx.output('pullRequestUrl', opened.url);
    ctx.output('commitUrl', opened.url);
    ctx.logger.info(`Opened ${opened.url}`);
  } else {
    ctx.logger.info('Nothing to change: the repository already holds this; no pull request opened');
  }
}

/**
 * Commits the change to the GitOps branch (once per task step), links the commit and tells the
 * catalog. Answers 'pull-request', having written nothing, when the change turns out to target an
 * environment that publishes by pull request (decided in the step's checkpoint, so a resumed
 * task decides alike).
 */
async function publishCommit(
  ctx: ActionContext<any, any>,
  options: CellplaneActionOptions,
  request: WriteRequest,
  change: CheckedChange,
): Promise<'committed' | 'pull-request'> {
  const result = await ctx.checkpoint({
    key: `cellplane.commit.${ctx.step?.id ?? 'step'}`,
    fn: async () => {
      try {
        const committed = await options.repository.commit({
          message: commitMessage(ctx, request.summary),
          author: authorOf(ctx),
          changes: async base => {
            const changes = await change.compute(base);
            const reasons = pullRequestReasons(request.pullRequest, change.pullRequestEnvironments);
            if (choosePublishMode(options, request.publish?.mode, reasons) === 'pull-request') throw new PullRequestRequired(reasons);
            return changes;
          },
        });
        return {
          commit: committed.commit ?? null,
          parent: committed.parent ?? null,
          files: committed.changedPaths,
          pullRequest: null,
        };
      } catch (error) {
        if (!(error instanceof PullRequestRequired)) throw error;
        return { commit: null, parent: null, files: [] as string[], pullRequest: error.reasons };
      }
    },
  });
  if (result.pullRequest) {
    ctx.logger.info(`Publishing by pull request: ${result.pullRequest.join('; ')}`);
    return 'pull-request';
  }
  change.report();
  ctx.output('publishMode', 'commit');
  const sha = result.commit ?? result.parent ?? undefined;
  ctx.output('changedFiles', result.files);
  if (sha) {
    ctx.output('commitSha', sha);
    const url = commitWebUrl(options.integrations, options.repository.url, sha) ?? commitPageUrl(options, sha);
    if (url) ctx.output('commitUrl', url);
    // Only a commit made now has a way to go; nothing to trace when the head already held the change.
    if (result.commit) ctx.output('traceUrl', traceUrl(result.commit, result.files));
  }
  if (result.commit) {
    ctx.logger.info(`Committed ${result.commit} (${result.files.length} file(s)) to ${options.repository.branch}`);
    await notifyCatalog(ctx, options, result.commit, result.files);
  } else {
    ctx.logger.info('Nothing to change: the repository already holds this; no commit made');
  }
  return 'committed';
}

/** Tells the catalog about a new commit; a failure is logged, since the commit is made. */
async function notifyCatalog(ctx: ActionContext<any, any>, options: CellplaneActionOptions, commit: string, files: string[]) {
  await options.events
    ?.publish({
      topic: GITOPS_PUSH_EVENT_TOPIC,
      eventPayload: { commit, branch: options.repository.branch, files } as JsonObject,
    })
    .catch(error => ctx.logger.warn(`Could not tell the catalog about ${commit}: ${error}`));
}

function requireIntegrations(options: CellplaneActionOptions) {
  if (!options.integrations) {
    throw new NotAllowedError('pull requests need Backstage SCM integrations, which this backend did not provide');
  }
  return options.integrations;
}

/** For a repository without a web host (the on-disk default), the portal's page of the commit. */
function commitPageUrl(options: CellplaneActionOptions, sha: string): string | undefined {
  return options.appBaseUrl ? `${options.appBaseUrl.replace(/\/+$/, '')}/cellplane/commits/${sha}` : undefined;
}

/** The commit author: the Backstage user who ran the template, so the Git history says who. */
export function authorOf(ctx: ActionContext<any, any>): CommitAuthor {
  const profile = ctx.user?.entity?.spec?.profile;
  const ref = ctx.user?.ref ?? 'user:default/unknown';
  const login = ref.replace(/^.*[:/]/, '') || 'unknown';
  const clean = (s: string) => s.replace(/[<>\n\r\0]/g, '').trim();
  return {
    name: clean(profile?.displayName ?? '') || clean(login) || 'Cellplane',
    email: clean(profile?.email ?? '') || `${clean(login) || 'unknown'}@users.cellplane.invalid`,
  };
}
