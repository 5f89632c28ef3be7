import type { ModelProblem } from '@cellplane/backstage-plugin-common';
import type { RepositoryModel } from '@cellplane/backstage-plugin-node';
import { podTemplateOf } from '../workloads';
import type { ResolvedDataPlane } from './context';
import { generateResourceName } from './names';
import type { RenderedObject } from './types';

/**
 * `DataPlane.spec.imagePullSecretRefs`: SecretReferences that, in OpenChoreo's words, "will be
 * converted to ExternalSecrets and added as imagePullSecrets to all deployments". As OpenChoreo's
 * binding renderer does it (`render/external_secret.go`): per binding and reference, one
 * ExternalSecret in the binding's namespace, named `GenerateK8sName(<binding>, <reference>)`,
 * reading from the data plane's ClusterSecretStore and creating a Secret of that name with the
 * SecretReference's type; the Secret's name is added to the pod template of every workload the
 * binding renders. The SecretReferences are looked up in the binding's namespace, a
 * ClusterDataPlane's too.
 */

/** The ExternalSecrets a binding renders for its data plane's pull secrets, and the Secrets they create. */
export interface ImagePullSecrets {
  /** One ExternalSecret per reference, already namespaced. */
  externalSecrets: Record<string, unknown>[];
  /** The Secret names, in the data plane's order, for `imagePullSecrets`. */
  names: string[];
  /** References that name no SecretReference: each an error of the binding. */
  missing: { field: string; message: string }[];
}

const NONE: ImagePullSecrets = { externalSecrets: [], names: [], missing: [] };

export function imagePullSecretsOf(
  model: RepositoryModel,
  namespace: string,
  bindingName: string,
  dataPlane: ResolvedDataPlane,
  kubernetesNamespace: string,
): ImagePullSecrets {
  const spec = dataPlane.resource?.spec;
  const refs = spec?.imagePullSecretRefs ?? [];
  if (refs.length === 0) return NONE;
  // Without a secret store there is nothing to read the credentials from: OpenChoreo skips them
  // too (imagePullSecretProblems says so once per data plane).
  if (!spec?.secretStoreRef) return NONE;
  const plane = `${dataPlane.kind} ${dataPlane.name}`;
  const result: ImagePullSecrets = { externalSecrets: [], names: [], missing: [] };
  refs.forEach((ref, index) => {
    const secretReference = model.get('SecretReference', ref, namespace)?.resource.spec;
    if (!secretReference) {
      result.missing.push({
        field: `spec.imagePullSecretRefs[${index}]`,
        message: `${plane}: image pull SecretReference '${ref}' does not exist in namespace '${namespace}'`,
      });
      return;
    }
    const name = generateResourceName(bindingName, ref);
    const { type, metadata } = secretReference.template;
    result.names.push(name);
    result.externalSecrets.push({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name, namespace: kubernetesNamespace },
      spec: {
        secretStoreRef: { name: spec.secretStoreRef!.name, kind: 'ClusterSecretStore' },
        target: {
          name,
          creationPolicy: 'Owner',
          deletionPolicy: 'Delete',
          template: {
            ...(type ? { type } : {}),
            ...(metadata?.labels || metadata?.annotations ? { metadata } : {}),
          },
        },
        ...(secretReference.refreshInterval ? { refreshInterval: secretReference.refreshInterval } : {}),
        data: secretReference.data.map(d => ({ secretKey: d.secretKey, remoteRef: d.remoteRef })),
      },
    });
  });
  return result;
}

/** Adds the Secrets to `imagePullSecrets` of every pod template among `objects`, each name once. */
export function addImagePullSecrets(objects: Record<string, unknown>[], names: string[]): void {
  if (names.length === 0) return;
  for (const object of objects) {
    const template = podTemplateOf(object as RenderedObject);
    if (!template) continue;
    const spec = (template.spec ??= {}) as { imagePullSecrets?: { name?: string }[] };
    const current = Array.isArray(spec.imagePullSecrets) ? spec.imagePullSecrets : [];
    const have = new Set(current.map(s => s?.name));
    spec.imagePullSecrets = [...current, ...names.filter(n => !have.has(n)).map(name => ({ name }))];
  }
}

/** One warning per data plane that lists imagePullSecretRefs but has no secret store to read them from. */
export function imagePullSecretProblems(model: RepositoryModel): ModelProblem[] {
  const problems: ModelProblem[] = [];
  for (const entry of [...model.list('DataPlane'), ...model.list('ClusterDataPlane')]) {
    const { spec, kind, metadata } = entry.resource;
    if (!spec.imagePullSecretRefs?.length || spec.secretStoreRef) continue;
    problems.push({
      severity: 'warning',
      file: entry.file,
      resource: { kind, name: metadata.name, ...(entry.namespace ? { namespace: entry.namespace } : {}) },
      field: 'spec.imagePullSecretRefs',
      message: 'lists image pull secrets but has no spec.secretStoreRef to read them from; pods get no imagePullSecrets',
    });
  }
  return problems;
}
