import { HttpAuthService, PermissionsService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { cellplaneStatusReadPermission } from '@cellplane/backstage-plugin-common';
import express from 'express';
import Router from 'express-promise-router';
import { omitClientErrorStacks } from '../http/clientErrors';
import { commitId, readQuery, resourceName, shown } from '../http/requestParameters';
import { CommitTracer } from './CommitTracer';
import { requirePermission } from '../http/requirePermission';

/** @public */
export interface TraceRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  tracer: CommitTracer;
}

/**
 * `GET /trace/:sha[?component=<namespace>/<name>]`: the trace of a commit, "did my commit
 * land?" (see CommitTracer). It shows status, so like the status routes it needs
 * `cellplane.status.read`. A sha that is not 7 to 40 hexadecimal digits is a 400, a commit the
 * branch does not have a 404 naming it.
 *
 * @public
 */
export function createTraceRouter(options: TraceRouterOptions): express.Router {
  const { httpAuth, permissions, tracer } = options;
  const router = Router();

  router.get('/trace/:sha', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    await requirePermission(permissions, credentials, cellplaneStatusReadPermission, 'tracing a commit');
    const sha = commitId(req.params.sha, 'sha');
    const { component } = readQuery(req, ['component']);
    res.json(await tracer.trace(sha, component === undefined ? undefined : componentRef(component)));
  });

  router.use(omitClientErrorStacks);
  return router;
}

/** `<namespace>/<name>`, both RFC 1123 labels. */
function componentRef(value: string): { namespace: string; component: string } {
  const parts = value.split('/');
  if (parts.length !== 2) {
    throw new InputError(`component must be <namespace>/<name>, got ${shown(value)}`);
  }
  return { namespace: resourceName(parts[0], 'component namespace'), component: resourceName(parts[1], 'component name') };
}
