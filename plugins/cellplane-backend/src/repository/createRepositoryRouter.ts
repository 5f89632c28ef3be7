import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { RESOURCE_KINDS, isResourceKind } from '@cellplane/backstage-plugin-common';
import { GitOpsRepository } from '@cellplane/backstage-plugin-node';
import express from 'express';
import Router from 'express-promise-router';
import { omitClientErrorStacks } from '../http/clientErrors';
import { basename } from 'node:path';
import { commitId, readQuery, shown } from '../http/requestParameters';

const SEVERITIES = ['error', 'warning'] as const;

/** Where the repository lives, as any signed-in user may see it. @public */
export interface RepositoryLocation {
  /** The remote's URL without credentials; null for a repository on the backend's disk. */
  url: string | null;
  /** The repository's name: the last segment of its URL or path (e.g. `gitops.git`). */
  name: string;
  /** True for a repository on the backend's disk, whose path is not shown. */
  local: boolean;
}

/**
 * What `/repository` says about where the repository lives: a remote's URL (credentials, query
 * and fragment removed), but for a repository on disk only its name, since its absolute path
 * tells a user about the server's file system and nothing they can use.
 */
export function repositoryLocation(url: string, isLocal: boolean): RepositoryLocation {
  if (isLocal) {
    return { url: null, name: basename(url.replace(/\/+$/, '')), local: true };
  }
  let shownUrl = url;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    try {
      const parsed = new URL(url);
      // An https user name can be a token; an ssh one (`git@`) is part of the address.
      if (/^https?:$/.test(parsed.protocol)) parsed.username = '';
      parsed.password = '';
      parsed.search = '';
      parsed.hash = '';
      shownUrl = parsed.toString();
    } catch {
      // Git accepts URLs that WHATWG URL does not; cellplane.gitops.url was refused if it had credentials.
    }
  }
  return { url: shownUrl, name: basename(shownUrl.replace(/[:/]+$/, '').replace(/^.*:/, '')), local: false };
}

/** @public */
export interface RepositoryRouterOptions {
  httpAuth: HttpAuthService;
  repository: GitOpsRepository;
}

/**
 * `/repository` and below: where the GitOps repository lives, its head and what it holds, its
 * problems, and one commit for people to read. Read-only, so it needs a user or service token
 * and no permission.
 *
 * @public
 */
export async function createRepositoryRouter(options: RepositoryRouterOptions): Promise<express.Router> {
  const { httpAuth, repository } = options;
  const router = Router();
  const location = repositoryLocation(repository.url, repository.isLocal);

  /** What the portal reads from the GitOps repository right now: where, which commit, how much. */
  router.get('/repository', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    readQuery(req, []);
    const model = await repository.model();
    const counts: Record<string, number> = {};
    for (const entry of model.entries()) {
      counts[entry.resource.kind] = (counts[entry.resource.kind] ?? 0) + 1;
    }
    res.json({
      ...location,
      branch: repository.branch,
      revision: model.revision ?? null,
      namespaces: model.namespaces(),
      counts,
      problems: {
        errors: model.problems.filter(p => p.severity === 'error').length,
        warnings: model.problems.filter(p => p.severity === 'warning').length,
      },
    });
  });

  /** Every problem in the repository, optionally narrowed by severity and kind. */
  router.get('/repository/problems', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const { severity, kind } = readQuery(req, ['severity', 'kind']);
    if (severity !== undefined && !(SEVERITIES as readonly string[]).includes(severity)) {
      throw new InputError(`severity must be one of ${SEVERITIES.join(', ')}, got ${shown(severity)}`);
    }
    if (kind !== undefined && !isResourceKind(kind)) {
      throw new InputError(`kind must be one of ${RESOURCE_KINDS.join(', ')}, got ${shown(kind)}`);
    }
    const model = await repository.model();
    res.json({
      revision: model.revision ?? null,
      items: model.problems.filter(
        p => (!severity || p.severity === severity) && (!kind || p.resource?.kind === kind),
      ),
    });
  });

  /**
   * One commit of the branch for people to read (the portal's commit page): message, author,
   * date, parents, and the changed files with their unified diff, bounded in size.
   */
  router.get('/repository/commits/:sha', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const sha = commitId(req.params.sha, 'sha');
    readQuery(req, []);
    const details = await repository.readCommit(sha);
    if (!details) {
      throw new NotFoundError(`no commit ${sha} on ${repository.branch} of the GitOps repository`);
    }
    res.json(details);
  });

  router.use(omitClientErrorStacks);
  return router;
}
