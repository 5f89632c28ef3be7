import type { RenderedObject } from './template/types';

/**
 * The pod template of a workload object, where one exists: Deployment, StatefulSet,
 * DaemonSet, ReplicaSet and Job (`spec.template`), CronJob (`spec.jobTemplate.spec.template`).
 * Labels, env vars and annotations that must reach running pods go here.
 */
export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: { containers?: Container[]; initContainers?: Container[] };
}

/** The part of a container the renderer touches. */
export interface Container {
  name?: string;
  env?: Array<{ name: string; value?: string; valueFrom?: unknown }>;
  ports?: Array<{ containerPort?: number; name?: string; protocol?: string }>;
  [field: string]: unknown;
}

const WITH_TEMPLATE = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/** The pod template of a workload object (see above), or undefined. */
export function podTemplateOf(object: RenderedObject): PodTemplate | undefined {
  const spec = object.spec as any;
  if (!spec || typeof spec !== 'object') return undefined;
  if (object.kind === 'CronJob') {
    const template = spec.jobTemplate?.spec?.template;
    return template && typeof template === 'object' ? template : undefined;
  }
  if (WITH_TEMPLATE.has(object.kind) && spec.template && typeof spec.template === 'object') {
    return spec.template;
  }
  return undefined;
}

/** Merges labels into an object's metadata and, for workloads, its pod template. */
export function stampLabels(object: RenderedObject, labels: Record<string, string>): void {
  object.metadata.labels = { ...(object.metadata.labels ?? {}), ...labels };
  const template = podTemplateOf(object);
  if (template) {
    template.metadata ??= {};
    template.metadata.labels = { ...(template.metadata.labels ?? {}), ...labels };
  }
}

/** Every container of a pod template, init containers included. */
export function containersOf(template: PodTemplate): Container[] {
  return [...(template.spec?.containers ?? []), ...(template.spec?.initContainers ?? [])];
}
