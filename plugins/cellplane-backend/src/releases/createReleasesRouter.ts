import { HttpAuthService } from '@backstage/backend-plugin-api';
import { ComponentReleaseList } from '@cellplane/backstage-plugin-common';
import { GitOpsRepository } from '@cellplane/backstage-plugin-node';
import express from 'express';
import Router from 'express-promise-router';
import { omitClientErrorStacks } from '../http/clientErrors';
import { listComponentReleases } from './listComponentReleases';
import { readReleaseHistory } from './readReleaseHistory';
import { readQuery, resourceName } from '../http/requestParameters';

/** @public */
export interface ReleasesRouterOptions {
  httpAuth: HttpAuthService;
  /** Where the releases are listed from, and dated by the commits that added them. */
  repository: GitOpsRepository;
}

/** Lists kept per revision; a revision never changes, so neither does its list. */
const CACHE_SIZE = 200;

/**
 * `GET /releases/:namespace/:component`: the component's ComponentReleases at the head of the
 * GitOps repository, newest first, with their images and the environments that pin them (what
 * the scaffolder's release picker shows). Read-only, so like `/repository` it needs a user or
 * service token and no permission.
 *
 * @public
 */
export function createReleasesRouter(options: ReleasesRouterOptions): express.Router {
  const { httpAuth, repository } = options;
  const router = Router();
  const cache = new Map<string, ComponentReleaseList>();

  router.get('/releases/:namespace/:component', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const namespace = resourceName(req.params.namespace, 'namespace');
    const component = resourceName(req.params.component, 'component');
    readQuery(req, []);
    const model = await repository.model();
    const key = `${model.revision}\u0000${namespace}\u0000${component}`;
    let list = cache.get(key);
    if (!list) {
      const files = [...new Set(model.componentReleases(namespace, component).map(entry => entry.file))];
      const origins = model.revision ? await readReleaseHistory(repository, model.revision, files) : new Map();
      list = listComponentReleases(model, namespace, component, origins);
      if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
      cache.set(key, list);
    }
    res.json(list);
  });

  router.use(omitClientErrorStacks);
  return router;
}
