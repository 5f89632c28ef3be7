import { ActivityKind } from '@cellplane/backstage-plugin-common';

/** What a commit's message says about it. */
export interface CommitClassification {
  kind: ActivityKind;
  pullRequest?: { number: number };
  /** The user the scaffolder's message names as having asked for the change. */
  requestedBy?: string;
  /** Environments the message names (`Promote ... to <env>`, `Roll back ... in <env>`, `Override ... in <env>`). */
  environments: string[];
}

/** The pull or merge request a Git host's merge or squash message names. */
function pullRequestOf(subject: string, body: string): number | undefined {
  const match =
    /^Merge pull request #(\d+) /.exec(subject) ?? /\(#(\d+)\)$/.exec(subject) ?? /^See merge request \S*!(\d+)$/m.exec(body);
  return match ? Number(match[1]) : undefined;
}

/**
 * A commit's kind, from the wording of the write path's messages (`Create ...`, `Promote ...`,
 * `Roll back ...`; see the scaffolder module's actions) and of Git hosts' merges: a merge commit
 * (`Merge pull request #12 ...`, GitLab's `See merge request group/repo!12`, or two parents) is a
 * pull request merge; a squashed one (`... (#12)`) keeps the kind of its own words and names the
 * pull request. `isOldest` marks the first commit of the entity's history: the one that created it,
 * whatever its message says (a seed, a hand-written commit).
 */
export function classifyCommit(commit: { message: string; parents: string[] }, isOldest: boolean): CommitClassification {
  const [subject = '', ...rest] = commit.message.split('\n');
  const body = rest.join('\n');
  const number = pullRequestOf(subject, body);
  const pullRequest = number !== undefined ? { number } : undefined;
  const requestedBy = /^Requested by (\S+:\S+) through the Cellplane scaffolder/m.exec(body)?.[1];
  const environments = [
    /^Promote \S+ from \S+ to (\S+)/.exec(subject)?.[1],
    /^Roll back \S+ in (\S+) to /.exec(subject)?.[1],
    /^Override \S+ in (\S+)$/.exec(subject)?.[1],
  ].filter((name): name is string => Boolean(name));

  let kind: ActivityKind;
  if (commit.parents.length > 1 || /^Merge (pull request|branch) /.test(subject)) kind = 'pull-request-merge';
  else if (/^Promote /.test(subject)) kind = 'promotion';
  else if (/^(Roll back|Rollback|Revert) /i.test(subject)) kind = 'rollback';
  else if (/^Create /.test(subject) || isOldest) kind = 'create';
  else kind = 'edit';
  return { kind, ...(pullRequest ? { pullRequest } : {}), ...(requestedBy ? { requestedBy } : {}), environments };
}
