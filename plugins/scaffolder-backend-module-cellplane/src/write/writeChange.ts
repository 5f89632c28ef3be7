import { DiscoveryService, PermissionsService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { EventsService } from '@backstage/plugin-events-node';
import { AuthorizeResult, BasicPermission } from '@backstage/plugin-permission-common';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import { GITOPS_PUSH_EVENT_TOPIC } from '@cellplane/backstage-plugin-common';
import {
  CommitAuthor,
  FileChange,
  GitOpsRepository,
  RepositoryRevision,
} from '@cellplane/backstage-plugin-node';
import { effectiveChanges, unifiedDiff } from './diff';
import { commitWebUrl, openPullRequest } from './pullRequest';

/**
 * Brings `rendered/` up to date for a change: given the revision a change lands on and the
 * change's files, the rendered manifests to write in the same commit. Plug in the renderer
 * here; without one, writes carry the model only.
 *
 * @public
 */
export type Rerender = (base: RepositoryRevision, changes: FileChange[]) => Promise<FileChange[]>;

/** What every Cellplane action is built from. @public */
export interface CellplaneActionOptions {
  repository: GitOpsRepository;
  permissions: PermissionsService;
  events?: EventsService;
  integrations?: ScmIntegrationRegistry;
  discovery?: DiscoveryService;
  rerender?: Rerender;
}

/** How a change reaches the repository. @public */
export type PublishInput = { mode?: 'commit' | 'pull-request'; branch?: string; title?: string };

/** The zod (v3, as the scaffolder's actions use) input shared by every action: how to publish. */
export const publishInputSchema = (z: any) =>
  z
    .object({
      mode: z
        .enum(['commit', 'pull-request'])
        .optional()
        .describe("'commit' (default) pushes one commit to the GitOps branch; 'pull-request' opens a pull request with it"),
      branch: z.string().optional().describe('Branch of the pull request (default cellplane/<task id>)'),
      title: z.string().optional().describe('Pull request title (default: the commit summary)'),
    })
    .optional()
    .describe('How to publish the change');

/** Outputs every action sets. */
export const writeOutputSchema = {
  commitSha: (z: any) => z.string().optional().describe('The commit made (or, when nothing changed, the head it matched)'),
  commitUrl: (z: any) => z.string().optional().describe('A link to the commit, or to the pull request'),
  pullRequestUrl: (z: any) => z.string().optional().describe('The pull request, in pull-request mode'),
  changedFiles: (z: any) => z.array(z.string()).describe('Repository paths the change writes'),
  diff: (z: any) => z.string().optional().describe('The unified diff (dry run)'),
};

/** One change an action asks for. */
export interface WriteRequest {
  /** Permissions the task's user must hold; any denial writes nothing. */
  permissions: BasicPermission[];
  /** The commit summary line. */
  summary: string;
  /**
   * The files to write, computed from the revision the change lands on (again, when another
   * writer got there first). Throw InputError to refuse with nothing written.
   */
  changes(base: RepositoryRevision): Promise<FileChange[]> | FileChange[];
  publish?: PublishInput;
}

/**
 * Runs one change as one commit (or one pull request): checks the permissions with the task's
 * credentials, computes and validates the change against the repository's head, and then
 * either returns the diff (dry run), commits and pushes it, or opens a pull request. Sets the
 * action's outputs and tells the catalog about the new commit.
 */
export async function writeChange(
  ctx: ActionContext<any, any>,
  options: CellplaneActionOptions,
  request: WriteRequest,
): Promise<void> {
  const credentials = await ctx.getInitiatorCredentials();
  const decisions = await options.permissions.authorize(
    request.permissions.map(permission => ({ permission })),
    { credentials },
  );
  const denied = request.permissions.filter((_, i) => decisions[i]?.result !== AuthorizeResult.ALLOW);
  if (denied.length > 0) {
    throw new NotAllowedError(`not allowed: you lack the permission ${denied.map(p => p.name).join(', ')}`);
  }

  const withRendered = async (base: RepositoryRevision) => {
    const changes = await request.changes(base);
    return options.rerender ? [...changes, ...(await options.rerender(base, changes))] : changes;
  };
  const author = authorOf(ctx);
  const message = `${request.summary}\n\nRequested by ${ctx.user?.ref ?? 'an unknown user'} through the Cellplane scaffolder${
    ctx.templateInfo?.entityRef ? ` (template ${ctx.templateInfo.entityRef})` : ''
  }.`;

  if (ctx.isDryRun) {
    const base = await options.repository.revision();
    const changes = await effectiveChanges(base, await withRendered(base));
    ctx.output('changedFiles', changes.map(c => c.path));
    ctx.output('diff', unifiedDiff(changes));
    if (base.commit) ctx.output('commitSha', base.commit);
    ctx.logger.info(`Dry run: ${changes.length} file(s) would change; nothing was written`);
    return;
  }

  if (request.publish?.mode === 'pull-request') {
    const opened = await ctx.checkpoint({
      key: `cellplane.pull-request.${ctx.step?.id ?? 'step'}`,
      fn: async () => {
        const base = await options.repository.revision();
        const changes = await effectiveChanges(base, await withRendered(base));
        if (changes.length === 0 || !base.commit) {
          return { url: null, commit: base.commit ?? null, files: [] as string[] };
        }
        const pull = await openPullRequest(requireIntegrations(options), {
          repositoryUrl: options.repository.url,
          baseBranch: options.repository.branch,
          baseCommit: base.commit,
          branch: request.publish?.branch ?? `cellplane/${ctx.task.id}`,
          title: request.publish?.title ?? request.summary,
          body: message.split('\n\n').slice(1).join('\n\n'),
          changes,
          author,
        });
        return { url: pull.url, commit: pull.commit, files: changes.map(c => c.path) };
      },
    });
    ctx.output('changedFiles', opened.files);
    if (opened.commit) ctx.output('commitSha', opened.commit);
    if (opened.url) {
      ctx.output('pullRequestUrl', opened.url);
      ctx.output('commitUrl', opened.url);
      ctx.logger.info(`Opened ${opened.url}`);
    } else {
      ctx.logger.info('Nothing to change: the repository already holds this; no pull request opened');
    }
    return;
  }

  const result = await ctx.checkpoint({
    key: `cellplane.commit.${ctx.step?.id ?? 'step'}`,
    fn: async () => {
      const committed = await options.repository.commit({ message, author, changes: withRendered });
      return {
        commit: committed.commit ?? null,
        parent: committed.parent ?? null,
        files: committed.changedPaths,
      };
    },
  });
  const sha = result.commit ?? result.parent ?? undefined;
  ctx.output('changedFiles', result.files);
  if (sha) {
    ctx.output('commitSha', sha);
    const url = commitWebUrl(options.integrations, options.repository.url, sha) ?? (await repositoryRoute(options, sha));
    if (url) ctx.output('commitUrl', url);
  }
  if (result.commit) {
    ctx.logger.info(`Committed ${result.commit} (${result.files.length} file(s)) to ${options.repository.branch}`);
    await options.events
      ?.publish({
        topic: GITOPS_PUSH_EVENT_TOPIC,
        eventPayload: { commit: result.commit, branch: options.repository.branch, files: result.files } as JsonObject,
      })
      .catch(error => ctx.logger.warn(`Could not tell the catalog about ${result.commit}: ${error}`));
  } else {
    ctx.logger.info('Nothing to change: the repository already holds this; no commit made');
  }
}

function requireIntegrations(options: CellplaneActionOptions) {
  if (!options.integrations) {
    throw new NotAllowedError('pull requests need Backstage SCM integrations, which this backend did not provide');
  }
  return options.integrations;
}

/** For a repository without a web host (the on-disk default), the Cellplane route that shows it. */
async function repositoryRoute(options: CellplaneActionOptions, sha: string): Promise<string | undefined> {
  const base = await options.discovery?.getExternalBaseUrl('cellplane').catch(() => undefined);
  return base ? `${base}/repository?revision=${sha}` : undefined;
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
