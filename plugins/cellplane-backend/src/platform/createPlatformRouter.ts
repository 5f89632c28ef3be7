import { HttpAuthService, PermissionsService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { ComponentEnvironmentStatus, cellplaneStatusReadPermission } from '@cellplane/backstage-plugin-common';
import { GitOpsRepository, RepositoryModel } from '@cellplane/backstage-plugin-node';
import express from 'express';
import Router from 'express-promise-router';
import { omitClientErrorStacks } from '../http/clientErrors';
import { readQuery } from '../http/requestParameters';
import { StatusService } from '../status/StatusService';
import { platformOverview } from './platformOverview';
import { requirePermission } from '../http/requirePermission';

/** @public */
export interface PlatformRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  repository: GitOpsRepository;
  status: StatusService;
}

/**
 * Every status the status backend holds, project by project. A project the status backend has
 * not read yet (the model is a commit ahead of it) has no statuses for now; the events stream
 * brings them.
 */
function allStatuses(model: RepositoryModel, status: StatusService): ComponentEnvironmentStatus[] {
  return model.list('Project').flatMap(({ resource, namespace }) => {
    try {
      return status.projectStatus(namespace!, resource.metadata.name);
    } catch (error) {
      if (error instanceof NotFoundError) return [];
      throw error;
    }
  });
}

/**
 * `GET /platform`: the platform page's overview (environments and pipelines, data planes and
 * whether each is read, component types and traits with their schemas and users, the status of
 * every component in every environment). It carries status, so like the status routes it
 * requires `cellplane.status.read`. No query parameters.
 *
 * @public
 */
export function createPlatformRouter(options: PlatformRouterOptions): express.Router {
  const { httpAuth, permissions, repository, status } = options;
  const router = Router();

  router.get('/platform', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    await requirePermission(permissions, credentials, cellplaneStatusReadPermission, 'reading the platform overview');
    readQuery(req, []);
    const model = await repository.model();
    res.json(platformOverview({ model, clusters: status.dataPlanes(), statuses: allStatuses(model, status) }));
  });

  router.use(omitClientErrorStacks);
  return router;
}
