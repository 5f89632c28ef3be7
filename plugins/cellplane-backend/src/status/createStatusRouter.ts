import { HttpAuthService, PermissionsService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  ComponentEnvironmentStatus,
  HEALTH_STATES,
  HealthState,
  cellplaneStatusReadPermission,
} from '@cellplane/backstage-plugin-common';
import express from 'express';
import Router from 'express-promise-router';
import { omitClientErrorStacks } from '../http/clientErrors';
import { StatusService } from './StatusService';
import { readQuery, resourceName as name, shown } from '../http/requestParameters';
import { requirePermission } from '../http/requirePermission';

/** @public */
export interface StatusRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  status: StatusService;
  /** Seconds between keep-alive comments on the events stream (default 15). */
  heartbeatSeconds?: number;
}

const FILTERS = ['namespace', 'project', 'component', 'environment'] as const;

/**
 * Status routes, answered from memory:
 * - `GET /status/projects/:namespace/:project` - every component of a project in every environment
 * - `GET /status/components/:namespace/:component` - one component in every environment
 * - `GET /status/environments/:namespace/:environment` - every component in one environment
 * - `GET /status/data-planes` - each data plane, sandbox or not, and whether it can be read
 * - `GET /status/events?namespace=&project=&component=&environment=&health=` - Server-Sent
 *   Events: one `status` event per change of a component's status in an environment
 *
 * Every route requires `cellplane.status.read`.
 *
 * @public
 */
export function createStatusRouter(options: StatusRouterOptions): express.Router {
  const { httpAuth, permissions, status } = options;
  const router = Router();

  const authorize = async (req: express.Request) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    await requirePermission(permissions, credentials, cellplaneStatusReadPermission, 'reading status');
  };

  const respond = (res: express.Response, body: string) => res.type('application/json').send(body);

  router.get('/status/projects/:namespace/:project', async (req, res) => {
    await authorize(req);
    const namespace = name(req.params.namespace, 'namespace');
    const project = name(req.params.project, 'project');
    readQuery(req, []);
    respond(res, status.viewJson('project', namespace, project));
  });

  router.get('/status/components/:namespace/:component', async (req, res) => {
    await authorize(req);
    const namespace = name(req.params.namespace, 'namespace');
    const component = name(req.params.component, 'component');
    readQuery(req, []);
    respond(res, status.viewJson('component', namespace, component));
  });

  router.get('/status/environments/:namespace/:environment', async (req, res) => {
    await authorize(req);
    const namespace = name(req.params.namespace, 'namespace');
    const environment = name(req.params.environment, 'environment');
    readQuery(req, []);
    respond(res, status.viewJson('environment', namespace, environment));
  });

  router.get('/status/data-planes', async (req, res) => {
    await authorize(req);
    readQuery(req, []);
    res.json({ items: status.dataPlanes() });
  });

  router.get('/status/events', async (req, res) => {
    await authorize(req);
    const query = readQuery(req, [...FILTERS, 'health']);
    const filters: Partial<Record<(typeof FILTERS)[number], string>> = {};
    for (const field of FILTERS) {
      const value = query[field];
      if (value !== undefined) filters[field] = name(value, field);
    }
    const health = query.health?.split(',');
    for (const h of health ?? []) {
      if (!(HEALTH_STATES as readonly string[]).includes(h)) {
        throw new InputError(`health must be a comma-separated list of ${HEALTH_STATES.join(', ')}, got ${shown(h)}`);
      }
    }
    const matches = (s: ComponentEnvironmentStatus) =>
      FILTERS.every(f => filters[f] === undefined || s[f] === filters[f]) && (!health || health.includes(s.health as HealthState));

    res.status(200);
    res.set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      // no-transform keeps the backend's compression middleware from buffering the stream.
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    const write = (text: string) => {
      res.write(text);
      (res as unknown as { flush?: () => void }).flush?.();
    };
    write(`retry: 2000\n: revision ${status.revision ?? 'none'}\n\n`);
    let id = 0;
    const unsubscribe = status.subscribe(s => {
      if (matches(s)) write(`id: ${++id}\nevent: status\ndata: ${JSON.stringify(s)}\n\n`);
    });
    const heartbeat = setInterval(() => write(': keep-alive\n\n'), (options.heartbeatSeconds ?? 15) * 1000);
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  });

  router.use(omitClientErrorStacks);
  return router;
}
