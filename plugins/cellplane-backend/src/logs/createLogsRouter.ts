import { HttpAuthService, PermissionsService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { ComponentEvent, ComponentPods, LOG_STREAM_EVENTS, cellplaneLogsReadPermission } from '@cellplane/backstage-plugin-common';
import express from 'express';
import Router from 'express-promise-router';
import { omitClientErrorStacks } from '../http/clientErrors';
import { readQuery, resourceName as name, shown } from '../http/requestParameters';
import { ComponentLogSources, DataPlaneUnreachableError, LogTarget } from './ComponentLogSources';
import { LogStream } from './LogStream';
import { requirePermission } from '../http/requirePermission';

/** @public */
export interface LogsRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  sources: ComponentLogSources;
  /** Seconds between keep-alive comments on the logs stream (default 15). */
  heartbeatSeconds?: number;
}

/** Lines read when neither since nor tail is given: a log can be gigabytes. */
export const DEFAULT_TAIL_LINES = 1000;
const MAX_TAIL_LINES = 10_000;
const MAX_SINCE_SECONDS = 30 * 24 * 3600;
/** Pods read at once when no pod is named. */
const MAX_PODS_PER_STREAM = 20;
const POD_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

const LOG_PARAMETERS = ['pod', 'container', 'follow', 'previous', 'sinceSeconds', 'tailLines', 'search'] as const;

function integer(value: string | undefined, field: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new InputError(`${field} must be a whole number from ${min} to ${max}, got ${shown(value)}`);
  }
  return Number(value);
}

function flag(value: string | undefined, field: string): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new InputError(`${field} must be true or false, got ${shown(value)}`);
}

/** The query of a log stream, checked before anything is asked of a data plane. */
function readLogQuery(req: express.Request) {
  const query = readQuery(req, LOG_PARAMETERS);
  if (query.pod !== undefined && !POD_NAME.test(query.pod)) throw new InputError(`pod must be a pod name, got ${shown(query.pod)}`);
  const container = query.container === undefined ? undefined : name(query.container, 'container');
  const sinceSeconds = integer(query.sinceSeconds, 'sinceSeconds', 1, MAX_SINCE_SECONDS);
  const tailLines = integer(query.tailLines, 'tailLines', 0, MAX_TAIL_LINES);
  return {
    pod: query.pod,
    container,
    follow: flag(query.follow, 'follow'),
    previous: flag(query.previous, 'previous'),
    sinceSeconds,
    tailLines: tailLines ?? (sinceSeconds === undefined ? DEFAULT_TAIL_LINES : undefined),
    search: query.search || undefined,
  };
}

/**
 * Logs and Kubernetes events of a component in an environment, through the data plane's
 * Kubernetes API with the credentials status uses, behind `cellplane.logs.read`:
 * - `GET /logs/:namespace/:component/:environment/pods` - its pods and containers (restarts, state)
 * - `GET /logs/:namespace/:component/:environment?pod=&container=&follow=&previous=&sinceSeconds=&tailLines=&search=`
 *   - Server-Sent Events (`ready`, `lines`, `kube-event`, `end`, `log-error`; see LOG_STREAM_EVENTS)
 * - `GET /events/:namespace/:component/:environment` - its Kubernetes Events, newest first
 *
 * @public
 */
export function createLogsRouter(options: LogsRouterOptions): express.Router {
  const { httpAuth, permissions, sources } = options;
  const router = Router();

  const authorize = async (req: express.Request) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    await requirePermission(permissions, credentials, cellplaneLogsReadPermission, 'reading logs and events');
  };

  const targetOf = (req: express.Request): LogTarget =>
    sources.target(
      name(req.params.namespace, 'namespace'),
      name(req.params.component, 'component'),
      name(req.params.environment, 'environment'),
    );

  router.get('/logs/:namespace/:component/:environment/pods', async (req, res) => {
    await authorize(req);
    const target = targetOf(req);
    readQuery(req, []);
    try {
      const pods = await sources.pods(target);
      const body: ComponentPods = {
        namespace: target.namespace,
        component: target.component,
        environment: target.environment,
        dataPlane: { name: target.dataPlane.name, sandbox: target.dataPlane.sandbox },
        pods: pods.map(({ defaultContainer: _, ...pod }) => pod),
      };
      res.json(body);
    } catch (error) {
      if (!(error instanceof DataPlaneUnreachableError)) throw error;
      res.status(503).json({ error: { name: 'DataPlaneUnreachable', message: error.message }, dataPlane: error.dataPlane });
    }
  });

  router.get('/events/:namespace/:component/:environment', async (req, res) => {
    await authorize(req);
    const target = targetOf(req);
    readQuery(req, []);
    res.json({ items: sources.events(target) });
  });

  router.get('/logs/:namespace/:component/:environment', async (req, res) => {
    await authorize(req);
    const target = targetOf(req);
    const query = readLogQuery(req);
    await serveLogStream(res, { sources, target, query, heartbeatSeconds: options.heartbeatSeconds ?? 15 });
  });

  router.use(omitClientErrorStacks);
  return router;
}

/** The containers a stream reads: the named pod (404 otherwise) or the newest pods, each its container. */
async function selectSources(sources: ComponentLogSources, target: LogTarget, query: ReturnType<typeof readLogQuery>) {
  const pods = await sources.pods(target);
  const chosen = query.pod ? pods.filter(p => p.name === query.pod) : pods.slice(-MAX_PODS_PER_STREAM);
  if (query.pod && chosen.length === 0) {
    throw new NotFoundError(`pod ${query.pod} is not a pod of ${target.component} in ${target.environment}`);
  }
  return chosen.map(pod => {
    const names = pod.containers.map(c => c.name);
    if (query.container && !names.includes(query.container)) {
      throw new InputError(`container ${shown(query.container)} is not in pod ${pod.name}: choose one of ${names.join(', ')}`);
    }
    return { namespace: pod.namespace, pod: pod.name, container: query.container ?? pod.defaultContainer ?? names[0] };
  });
}

/**
 * The logs stream of a request already authorised and checked: a 404/400 for a pod or container
 * the component does not have, else Server-Sent Events until every source ended or the browser
 * left; a data plane that cannot be asked is a `log-error` event naming it.
 */
async function serveLogStream(
  res: express.Response,
  context: { sources: ComponentLogSources; target: LogTarget; query: ReturnType<typeof readLogQuery>; heartbeatSeconds: number },
) {
  const { sources, target, query } = context;
  let selected: Array<{ namespace: string; pod: string; container: string }> = [];
  let unreachable: DataPlaneUnreachableError | undefined;
  try {
    selected = await selectSources(sources, target, query);
  } catch (error) {
    if (!(error instanceof DataPlaneUnreachableError)) throw error;
    unreachable = error;
  }
  res.status(200);
  res.set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    // no-transform keeps the backend's compression middleware from buffering the stream.
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  let id = 0;
  const write = (text: string) => {
    res.write(text);
    (res as unknown as { flush?: () => void }).flush?.();
  };
  const sink = {
    send: (event: string, data: unknown) => write(`id: ${++id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
    end: () => res.end(),
  };
  if (unreachable) {
    sink.send(LOG_STREAM_EVENTS.error, { message: unreachable.message, dataPlane: unreachable.dataPlane });
    sink.end();
    return;
  }
  const connection = sources.connectionOf(target);
  const stream = new LogStream(
    { ...query, dataPlane: connection.name, server: connection.server, kubeConfig: connection.kubeConfig, sources: selected },
    sink,
  );
  // Events first (oldest first, so a list that prepends ends newest first), then changes as they come.
  const sent = new Map<string, string>();
  const sendEvents = () => {
    const events = sources.events(target);
    for (const event of [...events].reverse()) {
      const version = `${event.count}/${event.lastSeen}/${event.message}`;
      if (sent.get(event.id) === version) continue;
      sent.set(event.id, version);
      stream.event(event as ComponentEvent);
    }
  };
  write('retry: 2000\n\n');
  stream.start();
  sendEvents();
  const stopEvents = sources.onChange(target, sendEvents);
  const heartbeat = setInterval(() => write(': keep-alive\n\n'), context.heartbeatSeconds * 1000);
  const cleanUp = () => {
    clearInterval(heartbeat);
    stopEvents();
    stream.close();
  };
  res.on('close', cleanUp);
  res.on('finish', cleanUp);
}
