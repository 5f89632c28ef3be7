import { HttpAuthService, PermissionsService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  ComponentReleaseComparison,
  ComponentReleaseList,
  cellplaneStatusReadPermission,
  explainInvalidName,
} from '@cellplane/backstage-plugin-common';
import { GitOpsRepository } from '@cellplane/backstage-plugin-node';
import express from 'express';
import Router from 'express-promise-router';
import { omitClientErrorStacks } from '../http/clientErrors';
import { readQuery, resourceName, shown } from '../http/requestParameters';
import { BindingStates, bindingStatesIn, readReleaseDeployments } from './readReleaseDeployments';
import { RenderedRelease, compareReleases, renderReleaseInEnvironment } from './compareReleases';
import { listComponentReleases } from './listComponentReleases';
import { readReleaseHistory } from './readReleaseHistory';
import { requirePermission } from '../http/requirePermission';

/** @public */
export interface ReleasesRouterOptions {
  httpAuth: HttpAuthService;
  /** Asked for `cellplane.status.read` before a comparison (the list stays open to any signed-in caller). */
  permissions: PermissionsService;
  /** Where the releases are listed from, and dated by the commits that added them. */
  repository: GitOpsRepository;
}

/** Lists kept per revision; a revision never changes, so neither does its list. */
const CACHE_SIZE = 200;
/** Renders kept (a release in an environment at a revision): each costs one environment's render. */
const RENDER_CACHE_SIZE = 16;
/** Binding files read at a commit, kept: a commit's files never change. */
const BINDING_CACHE_SIZE = 5000;

/** A map that forgets its oldest entry past `size`. */
function remember<V>(cache: Map<string, V>, size: number, key: string, value: V): V {
  if (cache.size >= size) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
  return value;
}

/** A release name in a query: a DNS subdomain, as ComponentRelease names are. */
function releaseName(value: string | undefined, field: string): string {
  if (value === undefined || value === '') throw new InputError(`${field} is required: the name of a release of the component`);
  const problem = explainInvalidName(value, 'dns-subdomain');
  if (problem) throw new InputError(`${field} ${problem}, got ${shown(value)}`);
  return value;
}

/**
 * Releases of a component, read from the head of the GitOps repository:
 * - `GET /releases/:namespace/:component`: its ComponentReleases, newest first, with their
 *   images, the environments that pin them now and where and when they ran (the release picker
 *   and the Releases tab read it). Needs a user or service token and no permission, like `/repository`.
 * - `GET /releases/:namespace/:component/compare?from=&to=[&environment=]`: two releases' snapshots
 *   and the manifests each renders to in an environment. Needs `cellplane.status.read`.
 *
 * @public
 */
export function createReleasesRouter(options: ReleasesRouterOptions): express.Router {
  const { httpAuth, permissions, repository } = options;
  const router = Router();
  const cache = new Map<string, ComponentReleaseList>();
  const renders = new Map<string, Promise<RenderedRelease>>();
  const bindingFiles = new Map<string, BindingStates>();

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
      const readStates = async (reads: Array<{ commit: string; path: string }>) => {
        const keyOf = (read: { commit: string; path: string }) => `${read.commit}:${read.path}\u0000${namespace}/${component}`;
        const missing = reads.filter(read => !bindingFiles.has(keyOf(read)));
        for (const file of await repository.readFilesAtCommits(missing)) {
          remember(bindingFiles, BINDING_CACHE_SIZE, keyOf(file), bindingStatesIn(file.content, namespace, component));
        }
        // An entry the cache dropped meanwhile (a very long history) is parsed again.
        return Promise.all(
          reads.map(async read => bindingFiles.get(keyOf(read)) ?? bindingStatesIn((await repository.readFilesAtCommits([read]))[0]?.content, namespace, component)),
        );
      };
      const deployments = model.get('Component', component, namespace)
        ? await readReleaseDeployments(repository, model, namespace, component, readStates)
        : undefined;
      list = remember(cache, CACHE_SIZE, key, listComponentReleases(model, namespace, component, origins, deployments));
    }
    res.json(list);
  });

  router.get('/releases/:namespace/:component/compare', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    await requirePermission(permissions, credentials, cellplaneStatusReadPermission, 'comparing releases');
    const namespace = resourceName(req.params.namespace, 'namespace');
    const component = resourceName(req.params.component, 'component');
    const query = readQuery(req, ['from', 'to', 'environment']);
    const from = releaseName(query.from, 'from');
    const to = releaseName(query.to, 'to');
    const environment = query.environment === undefined ? undefined : resourceName(query.environment, 'environment');
    const model = await repository.model();
    const comparison: ComponentReleaseComparison = await compareReleases(
      model,
      { namespace, component, from, to, environment },
      (at, request) => {
        const key = [at.revision, request.namespace, request.component, request.release, request.environment].join('\u0000');
        const rendered = renders.get(key) ?? remember(renders, RENDER_CACHE_SIZE, key, renderReleaseInEnvironment(at, request));
        // A failed render is not kept: the next request tries again.
        rendered.catch(() => renders.delete(key));
        return rendered;
      },
    );
    res.json(comparison);
  });

  router.use(omitClientErrorStacks);
  return router;
}
