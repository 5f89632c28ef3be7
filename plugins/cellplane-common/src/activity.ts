/**
 * What a commit did to a component or project, as the activity log tells it: from the write
 * path's commit messages (`Create ...`, `Promote ...`, `Roll back ...`), a Git host's merge
 * messages, and the files the commit changed.
 *
 * @public
 */
export type ActivityKind = 'create' | 'edit' | 'promotion' | 'rollback' | 'pull-request-merge';

/** Every {@link ActivityKind}, in the order filters list them. @public */
export const ACTIVITY_KINDS: readonly ActivityKind[] = ['create', 'edit', 'promotion', 'rollback', 'pull-request-merge'];

/** One commit of the GitOps repository that touched the entity. @public */
export interface ActivityEntry {
  /** The full commit id; the portal's commit page is `/cellplane/commits/<commit>`. */
  commit: string;
  kind: ActivityKind;
  /** The commit message's first line. */
  summary: string;
  /** The commit's author (for a write through the portal: the user who asked). */
  author: { name: string; email: string };
  /** The user a write through the portal's scaffolder names as its requester (`user:default/ada`). */
  requestedBy?: string;
  /** When it was authored, ISO 8601. */
  at: string;
  /** Environments whose binding or rendered manifests the commit changed, or that its message names. */
  environments: string[];
  /** The components it changed (for a project: which of its components). */
  components: string[];
  /** The pull or merge request it came through, when its message says. */
  pullRequest?: { number: number };
  /** How many of the entity's files it changed. */
  files: number;
}

/** The answer of `GET /api/cellplane/activity`. @public */
export interface ActivityPage {
  entity: { kind: 'component' | 'project'; namespace: string; name: string };
  /** The commit the history was read back from. */
  revision: string | null;
  /** Newest first, at most `limit`, matching the filters. */
  items: ActivityEntry[];
  /** Pass as `cursor` to read on from here; absent when the history has no more. */
  nextCursor?: string;
}
