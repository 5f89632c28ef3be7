import { LoggerService } from '@backstage/backend-plugin-api';
import { ObservedObject, STATUS_LABELS } from '@cellplane/backstage-plugin-common';
import { CustomObjectsApi, KubeConfig, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import type { PodLogs } from '@cellplane/kubernetes-test-server';
import { SandboxRollouts } from './SandboxRollouts';

/** @public */
export interface SandboxSyncOptions {
  kubeConfig: KubeConfig;
  logger: LoggerService;
  /** How long a sandbox pod takes to start (default 1500 ms). */
  podStartMs?: number;
  /** The test server's pod log store: sandbox pods write their lines there (none when absent). */
  logs?: PodLogs;
}

const FIELD_MANAGER = 'cellplane-sandbox';
const APPLICATIONS_NAMESPACE = 'argocd';
/** Like Argo CD's tracking annotation: which sandbox Application applied an object. */
const TRACKING_ANNOTATION = 'cellplane.dev/sandbox-application';

const refKey = (o: { apiVersion: string; kind: string; metadata: { namespace?: string; name: string } }) =>
  `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/**
 * The sandbox's stand-in for Argo CD. At each new commit it applies the rendered/ tree to the
 * sandbox data plane with server-side apply (creating namespaces as Argo CD's
 * `CreateNamespace=true` does), prunes what is no longer in Git, and reports the synced revision
 * on one Argo CD Application per namespace and environment (`argocd/cellplane-<namespace>-<environment>`,
 * as rendered/_bootstrap names them),
 * which the status reads as it reads a real Application. SandboxRollouts then plays the
 * controllers that turn workloads into pods.
 *
 * @public
 */
export class SandboxSync {
  private readonly api: KubernetesObjectApi;
  private readonly customApi: CustomObjectsApi;
  private readonly rollouts: SandboxRollouts;
  /** What the last sync applied, by object, as JSON: unchanged objects are not applied again. */
  private applied = new Map<string, { object: ObservedObject; json: string }>();
  private readonly namespaces = new Set<string>();
  private queue: Promise<void> = Promise.resolve();
  private latest?: { commit: string; objects: ObservedObject[] };
  private stopped = false;
  private lastCommit?: string;

  constructor(private readonly options: SandboxSyncOptions) {
    this.api = KubernetesObjectApi.makeApiClient(options.kubeConfig);
    this.customApi = options.kubeConfig.makeApiClient(CustomObjectsApi);
    this.rollouts = new SandboxRollouts(options.kubeConfig, {
      podStartMs: options.podStartMs ?? 1500,
      logger: options.logger,
      logs: options.logs,
    });
  }

  /** Syncs a commit; syncs are serialised, and only the newest waiting commit is synced. */
  sync(commit: string, objects: ObservedObject[]): Promise<void> {
    this.latest = { commit, objects };
    this.queue = this.queue.then(async () => {
      const next = this.latest;
      this.latest = undefined;
      if (!next || this.stopped || next.commit === this.lastCommit) return;
      await this.syncNow(next.commit, next.objects).catch(error =>
        this.options.logger.error(`sandbox: sync of ${next.commit.slice(0, 12)} failed: ${error}`),
      );
    });
    return this.queue;
  }

  stop() {
    this.stopped = true;
    this.rollouts.stop();
  }

  private async syncNow(commit: string, objects: ObservedObject[]) {
    const started = Date.now();
    const environments = new Map<string, { namespace?: string; environment: string }>();
    for (const object of objects) {
      const scope = applicationScope(object);
      if (scope) environments.set(applicationName(scope), scope);
    }
    for (const scope of environments.values()) {
      await this.reportApplication(scope, commit, { phase: 'Running' });
    }

    await this.installCustomResourceDefinitions(objects);
    const errors = new Map<string, string[]>();
    const next = new Map<string, { object: ObservedObject; json: string }>();
    const appliedNow: any[] = [];
    for (const object of objects) {
      const scope = applicationScope(object);
      const app = scope ? applicationName(scope) : undefined;
      const json = JSON.stringify(object);
      if (this.applied.get(refKey(object))?.json === json) {
        next.set(refKey(object), { object, json });
        continue;
      }
      try {
        if (object.metadata.namespace) await this.ensureNamespace(object.metadata.namespace);
        const body = {
          ...object,
          metadata: {
            ...object.metadata,
            annotations: { ...(object.metadata as any).annotations, ...(app ? { [TRACKING_ANNOTATION]: app } : {}) },
          },
        };
        const result = await this.api.patch(body as any, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
        next.set(refKey(object), { object, json });
        appliedNow.push(result);
      } catch (error) {
        const message = `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}: ${describe(error)}`;
        if (app) errors.set(app, [...(errors.get(app) ?? []), message]);
        else this.options.logger.warn(`sandbox: ${message}`);
      }
    }

    // Prune: whatever the previous sync applied and this commit no longer renders, except what
    // says `Prune=false` (a retained resource), which Argo CD leaves in the cluster, unmanaged.
    const kept = new Map<string, string[]>();
    for (const [k, { object }] of this.applied) {
      if (next.has(k)) continue;
      if (keepsWhenPruned(object)) {
        const scope = applicationScope(object);
        const app = scope ? applicationName(scope) : '';
        kept.set(app, [...(kept.get(app) ?? []), `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`]);
        continue;
      }
      await this.api.delete(object as any).catch(() => undefined);
      await this.rollouts.removed(object);
    }
    this.applied = next;
    this.lastCommit = commit;

    for (const [app, scope] of environments) {
      const failures = errors.get(app);
      const retained = kept.get(app);
      await this.reportApplication(
        scope,
        commit,
        failures
          ? { phase: 'Failed', message: failures.join('; ') }
          : { phase: 'Succeeded', ...(retained ? { message: `successfully synced; not pruned (Prune=false): ${retained.join(', ')}` } : {}) },
      );
    }
    for (const object of appliedNow) await this.rollouts.reconcile(object);
    this.options.logger.info(
      `sandbox: synced ${commit.slice(0, 12)}: ${appliedNow.length} of ${next.size} objects applied in ${environments.size} environments (${Date.now() - started} ms)`,
    );
  }

  /**
   * The sandbox stands for a cluster with every operator the rendered objects need (External
   * Secrets, the Prometheus operator, ...): a kind of a group it does not serve gets a CRD that
   * accepts any content, as installing the operator's CRDs would.
   */
  private async installCustomResourceDefinitions(objects: ObservedObject[]) {
    const kinds = new Map<string, { group: string; version: string; kind: string; namespaced: boolean }>();
    for (const object of objects) {
      const [group, version] = object.apiVersion.split('/');
      if (!version) continue; // the core group has no CRDs
      kinds.set(`${object.apiVersion}/${object.kind}`, { group, version, kind: object.kind, namespaced: !!object.metadata.namespace });
    }
    const served = new Map<string, Promise<string[]>>();
    for (const { group, version, kind, namespaced } of kinds.values()) {
      const apiVersion = `${group}/${version}`;
      if (!served.has(apiVersion)) {
        served.set(
          apiVersion,
          this.customApi.getAPIResources({ group, version }).then(
            list => list.resources.map(r => r.kind),
            () => [],
          ),
        );
      }
      if ((await served.get(apiVersion)!).includes(kind)) continue;
      const plural = pluralOf(kind);
      await this.api
        .patch(
          {
            apiVersion: 'apiextensions.k8s.io/v1',
            kind: 'CustomResourceDefinition',
            metadata: { name: `${plural}.${group}`, labels: { 'cellplane.dev/sandbox': 'true' } },
            spec: {
              group,
              names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
              scope: namespaced ? 'Namespaced' : 'Cluster',
              versions: [
                {
                  name: version,
                  served: true,
                  storage: true,
                  schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
                  subresources: { status: {} },
                },
              ],
            },
          } as any,
          undefined,
          undefined,
          FIELD_MANAGER,
          true,
          PatchStrategy.ServerSideApply,
        )
        .then(
          () => this.options.logger.info(`sandbox: installed a CRD for ${apiVersion} ${kind}`),
          error => this.options.logger.warn(`sandbox: could not install a CRD for ${apiVersion} ${kind}: ${describe(error)}`),
        );
    }
  }

  private async ensureNamespace(name: string) {
    if (this.namespaces.has(name)) return;
    await this.api.patch(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } as any,
      undefined,
      undefined,
      FIELD_MANAGER,
      true,
      PatchStrategy.ServerSideApply,
    );
    this.namespaces.add(name);
  }

  private async reportApplication(
    scope: { namespace?: string; environment: string },
    commit: string,
    operation: { phase: 'Running' | 'Succeeded' | 'Failed'; message?: string },
  ) {
    await this.ensureNamespace(APPLICATIONS_NAMESPACE);
    const name = applicationName(scope);
    const synced = operation.phase === 'Succeeded';
    const application = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name,
        namespace: APPLICATIONS_NAMESPACE,
        labels: {
          [STATUS_LABELS.environment]: scope.environment,
          ...(scope.namespace ? { [STATUS_LABELS.namespace]: scope.namespace } : {}),
          'app.kubernetes.io/managed-by': 'cellplane',
          'cellplane.dev/sandbox': 'true',
        },
      },
      spec: {
        project: 'default',
        source: { repoURL: 'cellplane-gitops', path: 'rendered', targetRevision: 'HEAD' },
        destination: { server: 'https://kubernetes.default.svc' },
        syncPolicy: { automated: { prune: true }, syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'] },
      },
      // Argo CD's Application has no status subresource: its controller writes status like this.
      status: {
        sync: { status: synced ? 'Synced' : 'OutOfSync', revision: synced ? commit : this.lastCommit ?? '' },
        // Argo CD dates each operation: the commit trace shows when a revision was synced.
        reconciledAt: new Date().toISOString(),
        operationState: {
          phase: operation.phase,
          ...(operation.phase === 'Running' ? { startedAt: new Date().toISOString() } : { finishedAt: new Date().toISOString() }),
          message: operation.message ?? (synced ? 'successfully synced (all tasks run)' : 'syncing'),
          syncResult: { revision: commit },
        },
        conditions: operation.phase === 'Failed' ? [{ type: 'SyncError', message: operation.message }] : [],
      },
    };
    await this.api
      .patch(application as any, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply)
      .catch(error => this.options.logger.warn(`sandbox: could not report Application ${name}: ${describe(error)}`));
  }
}

/** Argo CD's `argocd.argoproj.io/sync-options: Prune=false`: the object stays when it leaves Git. */
function keepsWhenPruned(object: ObservedObject): boolean {
  const options = (object.metadata as { annotations?: Record<string, string> }).annotations?.['argocd.argoproj.io/sync-options'] ?? '';
  return options.split(',').some(option => option.trim() === 'Prune=false');
}

function applicationScope(object: ObservedObject) {
  const environment = object.metadata.labels?.[STATUS_LABELS.environment];
  if (!environment) return undefined;
  return { environment, namespace: object.metadata.labels?.[STATUS_LABELS.namespace] };
}

/** The name rendered/_bootstrap gives the Application of a namespace and environment. */
function applicationName(scope: { namespace?: string; environment: string }) {
  return `cellplane-${scope.namespace ?? 'default'}-${scope.environment}`;
}

/** The plural resource name Kubernetes' own conventions give a kind. */
function pluralOf(kind: string) {
  const lower = kind.toLowerCase();
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

function describe(error: any): string {
  if (typeof error?.code === 'number') {
    try {
      const body = typeof error.body === 'string' ? JSON.parse(error.body) : error.body;
      if (body?.message) return `HTTP ${error.code}: ${body.message}`;
    } catch {
      // fall through
    }
    return `HTTP ${error.code}`;
  }
  return String(error?.message ?? error).split('\n')[0];
}
