import { HttpAuthService, PermissionsService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { GitOpsRepository } from '@cellplane/backstage-plugin-node';
import { DataPlaneObservability, explainInvalidTracingTemplate } from './readDataPlaneObservability';
import express from 'express';
import Router from 'express-promise-router';
import { omitClientErrorStacks } from '../http/clientErrors';
import { readQuery, resourceName, shown } from '../http/requestParameters';
import { metricsQueries } from './metricsQueries';
import { OBSERVABILITY_ANNOTATIONS, ObservedComponent, observedComponent, renderedScope } from './observedComponent';
import { PrometheusQueryError } from './PrometheusClient';
import { prometheusOf } from './prometheusOf';
import { fillTracingTemplate } from './tracingLink';
import {
  ComponentMetrics,
  METRICS_RANGES,
  MetricsNotConfigured,
  MetricsRange,
  MetricsScope,
  TracingAnswer,
  cellplaneStatusReadPermission,
} from '@cellplane/backstage-plugin-common';
import { requirePermission } from '../http/requirePermission';

/** @public */
export interface MetricsRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  repository: GitOpsRepository;
  /** `cellplane.dataPlanes[].prometheus` and `.tracing` by data plane name (readDataPlaneObservabilityConfig). */
  observability: Map<string, DataPlaneObservability>;
}

/** Prometheus refuses a range query of more points than this. */
const MAX_POINTS = 11_000;
/** About this many points per chart by default: enough for a smooth line, few enough to draw fast. */
const DEFAULT_POINTS = 120;
const DURATION = /^([1-9][0-9]{0,6})(s|m|h)?$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600 } as const;

/**
 * `GET /metrics/:namespace/:component/:environment?range=&step=&end=`: the component's request
 * rate, error rate, latency percentiles, and CPU and memory per pod, from the Prometheus of the
 * environment's data plane (see metricsQueries for the PromQL, which each chart carries).
 * `GET /tracing/:namespace/:component/:environment`: the link into the data plane's tracing UI.
 * Both answer `configured: false` with what to configure when the data plane names none, and a
 * failed query is a 502 with Prometheus' own message. Metrics are live status of what runs:
 * `cellplane.status.read`, like the status routes.
 *
 * @public
 */
export function createMetricsRouter(options: MetricsRouterOptions): express.Router {
  const { httpAuth, permissions, repository, observability } = options;
  const router = Router();
  const scopes = new Map<string, MetricsScope | undefined>();

  const authorizedTarget = async (req: express.Request, what: string) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const target = {
      namespace: resourceName(req.params.namespace, 'namespace'),
      component: resourceName(req.params.component, 'component'),
      environment: resourceName(req.params.environment, 'environment'),
    };
    await requirePermission(permissions, credentials, cellplaneStatusReadPermission, `reading ${what}`);
    return target;
  };

  /** The rendered scope at the head, cached per revision (a revision never changes). */
  const scopeOf = async (revision: string | undefined, observed: ObservedComponent) => {
    if (!revision) return undefined;
    const key = [revision, observed.namespace, observed.component, observed.environment].join('\u0000');
    if (!scopes.has(key)) {
      if (scopes.size >= 500) scopes.delete(scopes.keys().next().value!);
      scopes.set(key, await renderedScope(repository, revision, observed));
    }
    return scopes.get(key);
  };

  router.get('/metrics/:namespace/:component/:environment', async (req, res) => {
    const query = readQuery(req, ['range', 'step', 'end']);
    const target = await authorizedTarget(req, 'metrics');
    const window = timeWindow(query);
    const model = await repository.model();
    const observed = observedComponent(model, observability, target);
    const prometheus = prometheusOf(observed);
    if ('configured' in prometheus) {
      res.json(prometheus);
      return;
    }
    const scope = await scopeOf(model.revision, observed);
    if (!scope) {
      throw new NotFoundError(
        `nothing rendered for ${target.component} in ${target.environment} at ${model.revision?.slice(0, 12) ?? 'the empty repository'}: no workload under rendered/ (see the repository's problems)`,
      );
    }
    try {
      const charts = await Promise.all(
        metricsQueries(scope, window.step).map(async chart => ({
          ...chart,
          series: (
            await Promise.all(chart.queries.map(q => prometheus.queryRange({ promql: q.promql, ...window }, q.legend)))
          ).flat(),
        })),
      );
      const answer: ComponentMetrics = { configured: true, ...target, dataPlane: observed.dataPlane.name, ...window, scope, charts };
      res.json(answer);
    } catch (error) {
      if (!(error instanceof PrometheusQueryError)) throw error;
      // Not the backend's fault and not the caller's: a bad gateway, in Backstage's error shape.
      res.status(502).json({
        error: { name: error.name, message: error.message },
        request: { method: req.method, url: req.originalUrl },
        response: { statusCode: 502 },
      });
    }
  });

  router.get('/tracing/:namespace/:component/:environment', async (req, res) => {
    readQuery(req, []);
    const target = await authorizedTarget(req, 'the tracing link');
    const model = await repository.model();
    const observed = observedComponent(model, observability, target);
    const configured = observed.configured?.tracing;
    const annotated = observed.dataPlane.annotations[OBSERVABILITY_ANNOTATIONS.tracingUrl];
    const template = configured?.urlTemplate ?? annotated;
    const notConfigured = (reason: string): MetricsNotConfigured => ({
      configured: false,
      dataPlane: observed.dataPlane.name,
      reason,
      configure: `set cellplane.dataPlanes[].tracing (urlTemplate, or preset jaeger|tempo with url) for data plane "${observed.dataPlane.name}" in app-config.yaml, or annotate its ${observed.dataPlane.kind} with ${OBSERVABILITY_ANNOTATIONS.tracingUrl}: <URL template with {service} and {environment}>`,
    });
    let answer: TracingAnswer;
    if (!template) {
      answer = notConfigured(`no tracing UI is configured for data plane "${observed.dataPlane.name}"`);
    } else if (!configured && explainInvalidTracingTemplate(template)) {
      answer = notConfigured(`the ${OBSERVABILITY_ANNOTATIONS.tracingUrl} annotation of ${observed.dataPlane.kind} ${observed.dataPlane.name} ${explainInvalidTracingTemplate(template)}`);
    } else {
      const kubernetesNamespace = template.includes('{kubernetesNamespace}') ? (await scopeOf(model.revision, observed))?.kubernetesNamespace : undefined;
      answer = {
        configured: true,
        dataPlane: observed.dataPlane.name,
        url: fillTracingTemplate(template, { ...observed, kubernetesNamespace }),
        ui: configured?.ui ?? 'custom',
        service: observed.component,
        environment: observed.environment,
      };
    }
    res.json(answer);
  });

  router.use(omitClientErrorStacks);
  return router;
}

/** The range, step and end of a query, from `range` (default 1h), `step` and `end` (default now). */
export function timeWindow(query: { range?: string; step?: string; end?: string }, now = Date.now() / 1000) {
  const range = (query.range ?? '1h') as MetricsRange;
  if (!Object.hasOwn(METRICS_RANGES, range)) {
    throw new InputError(`range must be one of ${Object.keys(METRICS_RANGES).join(', ')}, got ${shown(query.range!)}`);
  }
  const seconds = METRICS_RANGES[range];
  let step = Math.max(15, Math.ceil(seconds / DEFAULT_POINTS));
  if (query.step !== undefined) {
    const match = DURATION.exec(query.step);
    if (!match) throw new InputError(`step must be a duration such as 30s, 5m or 1h (or seconds), got ${shown(query.step)}`);
    step = Number(match[1]) * UNIT_SECONDS[(match[2] ?? 's') as keyof typeof UNIT_SECONDS];
    if (step > seconds) throw new InputError(`step must not be longer than the range ${range}, got ${query.step}`);
    if (seconds / step > MAX_POINTS) {
      throw new InputError(`step ${query.step} gives more than ${MAX_POINTS} points over ${range}: use at least ${Math.ceil(seconds / MAX_POINTS)}s`);
    }
  }
  let end = Math.floor(now);
  if (query.end !== undefined) {
    const parsed = /^[0-9]{1,12}(\.[0-9]{1,3})?$/.test(query.end) ? Number(query.end) : Date.parse(query.end) / 1000;
    if (!Number.isFinite(parsed) || !/^[0-9]/.test(query.end)) {
      throw new InputError(`end must be unix seconds or an RFC 3339 time, got ${shown(query.end)}`);
    }
    if (parsed > now + 86_400) throw new InputError(`end must not be more than a day ahead, got ${shown(query.end)}`);
    end = parsed;
  }
  return { range, start: end - seconds, end, step };
}
