import { HttpAuthService, PermissionsService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { ComponentReleaseList, cellplaneStatusReadPermission } from '@cellplane/backstage-plugin-common';
import { GitOpsRepository, RepositoryModel } from '@cellplane/backstage-plugin-node';
import express from 'express';
import Router from 'express-promise-router';
import { omitClientErrorStacks } from '../http/clientErrors';
import { readQuery, resourceName, shown } from '../http/requestParameters';
import { listComponentReleases } from '../releases/listComponentReleases';
import { readReleaseHistory } from '../releases/readReleaseHistory';
import { StatusService } from '../status/StatusService';
import { FollowedRelease, buildDeliveryPipeline, followedReleaseName } from './buildDeliveryPipeline';
import { PromotionPullRequestLister, cachedPullRequests, pullRequestsByEnvironment } from './openPullRequests';
import { requirePermission } from '../http/requirePermission';

/** @public */
export interface PipelineRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  repository: GitOpsRepository;
  /** The live status of each environment, as the status routes serve it. */
  status: Pick<StatusService, 'componentStatus'>;
  /**
   * Lists the open promotion pull requests (`listOpenPromotionPullRequests` with
   * the backend's SCM integrations); without it, no environment shows one awaiting approval.
   */
  listPullRequests?: PromotionPullRequestLister;
}

/** What Git says about a component at one revision; a revision never changes, so neither does this. */
interface GitSide {
  releases: ComponentReleaseList;
  followed?: FollowedRelease;
}

const CACHE_SIZE = 200;

/**
 * `GET /pipeline/:namespace/:component`: the component's delivery pipeline (see
 * buildDeliveryPipeline). It carries live status, so like the status routes it needs
 * `cellplane.status.read`.
 *
 * @public
 */
export function createPipelineRouter(options: PipelineRouterOptions): express.Router {
  const { httpAuth, permissions, repository, status } = options;
  const router = Router();
  const cache = new Map<string, GitSide>();
  const pullRequestsOf = options.listPullRequests ? cachedPullRequests(options.listPullRequests) : undefined;

  const gitSide = async (model: RepositoryModel, namespace: string, component: string): Promise<GitSide> => {
    const key = `${model.revision}\u0000${namespace}\u0000${component}`;
    let side = cache.get(key);
    if (!side) {
      const files = [...new Set(model.componentReleases(namespace, component).map(entry => entry.file))];
      const origins = model.revision ? await readReleaseHistory(repository, model.revision, files) : new Map();
      const releases = listComponentReleases(model, namespace, component, origins);
      const followed = followedReleaseName(model, namespace, component);
      if (followed && model.revision && !releases.items.some(item => item.name === followed.name)) {
        Object.assign(followed, await lastChangeOf(repository, model, namespace, component));
      }
      side = { releases, ...(followed ? { followed } : {}) };
      if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
      cache.set(key, side);
    }
    return side;
  };

  router.get('/pipeline/:namespace/:component', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const namespace = resourceName(req.params.namespace, 'namespace');
    const component = resourceName(req.params.component, 'component');
    const { pullRequests: freshness } = readQuery(req, ['pullRequests']);
    if (freshness !== undefined && freshness !== 'fresh') {
      throw new InputError(`pullRequests must be "fresh" (ask the Git host again rather than use the last 15 s answer), got ${shown(freshness)}`);
    }
    await requirePermission(permissions, credentials, cellplaneStatusReadPermission, 'reading the delivery pipeline');
    const model = await repository.model();
    if (!model.get('Component', component, namespace)) {
      throw new NotFoundError(`Component ${JSON.stringify(component)} not found in namespace ${namespace}`);
    }
    const side = await gitSide(model, namespace, component);
    let statuses;
    let statusUnavailable: string | undefined;
    try {
      statuses = status.componentStatus(namespace, component);
    } catch (error) {
      // The status backend reads each new commit within seconds; until then the column shows Git's side.
      statusUnavailable = error instanceof Error ? error.message : String(error);
    }
    let pullRequests;
    let pullRequestsUnavailable: string | undefined;
    try {
      pullRequests = pullRequestsOf ? pullRequestsByEnvironment(await pullRequestsOf(namespace, component, freshness === 'fresh')) : undefined;
    } catch (error) {
      // The Git host's trouble must not hide what runs: the columns show no pull request, and why.
      pullRequestsUnavailable = `open pull requests cannot be listed: ${error instanceof Error ? error.message : String(error)}`;
    }
    res.json(
      buildDeliveryPipeline({ model, namespace, component, ...side, statuses, statusUnavailable, pullRequests, pullRequestsUnavailable }),
    );
  });

  router.use(omitClientErrorStacks);
  return router;
}

/** The commit that last changed the Component or its Workload: what made the release it is now. */
async function lastChangeOf(repository: GitOpsRepository, model: RepositoryModel, namespace: string, component: string) {
  const files = [model.get('Component', component, namespace)?.file, model.workload(namespace, component)?.file].filter(
    (file): file is string => Boolean(file),
  );
  if (files.length === 0 || !model.revision) return {};
  try {
    const [last] = await repository.historyOfPaths(model.revision, [...new Set(files)], { limit: 1 });
    return last ? { commit: last.commit, createdAt: last.committedAt } : {};
  } catch {
    // A file git will not be asked about (not a path Cellplane writes) leaves the release undated.
    return {};
  }
}
