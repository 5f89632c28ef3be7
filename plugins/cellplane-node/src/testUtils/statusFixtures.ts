import { LoggerService } from '@backstage/backend-plugin-api';
import { STATUS_LABELS } from '@cellplane/backstage-plugin-common';
import { GitOpsRepository } from '../gitops/GitOpsRepository';
import { EXAMPLE_REPOSITORY, createBareRepository } from './gitFixtures';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A logger that drops everything: fixtures must not need Backstage's test utilities at run time. */
const silentLogger: LoggerService = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child: () => silentLogger,
};

/** The author of test commits. @public */
export const author = { name: 'Test', email: 'test@example.com' };

/**
 * A bare repository seeded with the example organisation, and a GitOpsRepository on it; `cleanup`
 * removes both.
 *
 * @public
 */
export function exampleRepository() {
  const dir = mkdtempSync(join(tmpdir(), 'cellplane-status-'));
  const bare = createBareRepository(dir, EXAMPLE_REPOSITORY);
  const cacheDir = join(dir, 'cache');
  const repository = new GitOpsRepository({ url: bare, branch: 'main', cacheDir, logger: silentLogger });
  return { dir, bare, cacheDir, repository, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A component as rendered into an environment, for the rendered-object fixtures. @public */
export interface RenderedComponentOptions {
  /** The component's namespace in Git (default `acme`). */
  namespace?: string;
  /** Its project. */
  project: string;
  /** Its name. */
  component: string;
  /** The environment it is rendered into. */
  environment: string;
  /** The container image (default `registry.example/<component>:1.0`). */
  image?: string;
  /** The Deployment's replicas (default 1). */
  replicas?: number;
  /** The release hash label (default `r1`). */
  releaseHash?: string;
  /** Leave the Service out. */
  withoutService?: boolean;
}

/** The Kubernetes namespace of a project's cell in an environment (of namespace acme). @public */
export const cellNamespace = (o: { project: string; environment: string }) => `acme-${o.project}-${o.environment}`;

/** The status labels the renderer puts on a component's objects. @public */
export function renderedLabels(o: RenderedComponentOptions) {
  return {
    [STATUS_LABELS.namespace]: o.namespace ?? 'acme',
    [STATUS_LABELS.project]: o.project,
    [STATUS_LABELS.component]: o.component,
    [STATUS_LABELS.environment]: o.environment,
    [STATUS_LABELS.releaseHash]: o.releaseHash ?? 'r1',
  };
}

/** The objects the renderer writes for a component in an environment (a Deployment, a ConfigMap and a Service). @public */
export function renderedComponent(o: RenderedComponentOptions): any[] {
  const labels = renderedLabels(o);
  const namespace = cellNamespace(o);
  const objects: any[] = [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: o.component, namespace, labels },
      spec: {
        replicas: o.replicas ?? 1,
        selector: { matchLabels: { [STATUS_LABELS.component]: o.component } },
        template: {
          metadata: { labels },
          spec: { containers: [{ name: 'main', image: o.image ?? `registry.example/${o.component}:1.0` }] },
        },
      },
    },
  ];
  // Applied by Argo CD but not watched by status: never reported missing.
  objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${o.component}-env`, namespace, labels }, data: { LOG_LEVEL: 'info' } });
  if (!o.withoutService) {
    objects.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: o.component, namespace, labels },
      spec: { selector: { [STATUS_LABELS.component]: o.component }, ports: [{ port: 80 }] },
    });
  }
  return objects;
}

/** The YAML file of rendered objects (JSON is YAML). @public */
export function renderedFile(objects: any[]): string {
  return objects.map(o => JSON.stringify(o, null, 2)).join('\n---\n');
}

/** Where the renderer writes a component's objects for an environment (data plane default, namespace acme). @public */
export const renderedPath = (o: { project: string; component: string; environment: string }) =>
  `rendered/default/acme/${o.environment}/${o.project}/components/${o.component}.yaml`;

/** Waits until `check` passes (it throws until then), for at most `timeoutMs`. @public */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise(r => setTimeout(r, 25));
    }
  }
}
