import { formatProblem } from '@cellplane/backstage-plugin-common';
import { RepositoryModel } from '@cellplane/backstage-plugin-node';
import { renderRepository } from '../renderRepository';
import { exampleDocument, exampleModel } from './__testUtils__/models';
import { generateResourceName } from './names';
import { kubernetesNamespaceFor, RenderedObject, renderReleaseBinding } from '.';

/*
 * DataPlane.spec.imagePullSecretRefs (dataplane_types.go): "references to SecretReference
 * resources. These will be converted to ExternalSecrets and added as imagePullSecrets to all
 * deployments" (OpenChoreo's render/external_secret.go).
 */

const DATA_PLANE = 'platform-shared/infra/data-planes/default.yaml';
const REGISTRY = 'namespaces/acme/platform/secret-references/registry-credentials.yaml';

const registryCredentials = {
  apiVersion: 'openchoreo.dev/v1alpha1',
  kind: 'SecretReference',
  metadata: { name: 'registry-credentials', namespace: 'acme' },
  spec: {
    template: { type: 'kubernetes.io/dockerconfigjson' },
    data: [{ secretKey: '.dockerconfigjson', remoteRef: { key: 'acme/registry', property: 'dockerconfigjson' } }],
    refreshInterval: '1h',
  },
};

async function withPullSecrets(refs: string[], change: (dataPlane: any) => void = () => {}) {
  const dataPlane = await exampleDocument(DATA_PLANE);
  dataPlane.spec.imagePullSecretRefs = refs;
  change(dataPlane);
  return exampleModel({ [DATA_PLANE]: dataPlane, [REGISTRY]: registryCredentials });
}

function render(model: RepositoryModel, name: string) {
  return renderReleaseBinding(model, model.get('ReleaseBinding', name, 'acme')!);
}

/** The pod spec of every workload among `objects`. */
function podSpecs(objects: RenderedObject[]): any[] {
  return objects.flatMap((o: any) => {
    const template = o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template : o.spec?.template;
    return template?.spec ? [template.spec] : [];
  });
}

describe('DataPlane.spec.imagePullSecretRefs', () => {
  it('renders an ExternalSecret per reference and adds its Secret to the pods of every workload', async () => {
    const model = await withPullSecrets(['registry-credentials']);
    const result = render(model, 'payments-api-development');
    expect(result.problems).toEqual([]);
    const name = generateResourceName('payments-api-development', 'registry-credentials');
    const externalSecret = result.objects.find(o => o.kind === 'ExternalSecret' && o.metadata.name === name) as any;
    expect(externalSecret).toMatchObject({
      apiVersion: 'external-secrets.io/v1',
      metadata: { namespace: kubernetesNamespaceFor('acme', 'payments', 'development') },
      spec: {
        secretStoreRef: { name: 'default', kind: 'ClusterSecretStore' },
        target: { name, creationPolicy: 'Owner', deletionPolicy: 'Delete', template: { type: 'kubernetes.io/dockerconfigjson' } },
        refreshInterval: '1h',
        data: [{ secretKey: '.dockerconfigjson', remoteRef: { key: 'acme/registry', property: 'dockerconfigjson' } }],
      },
    });
    const pods = podSpecs(result.objects);
    expect(pods.length).toBeGreaterThan(0);
    for (const pod of pods) expect(pod.imagePullSecrets).toEqual([{ name }]);
  });

  it('reaches CronJobs too, and changes the release hash', async () => {
    const model = await withPullSecrets(['registry-credentials']);
    const cronJobs = model.list('ReleaseBinding').filter(b => {
      const result = renderReleaseBinding(model, b);
      return result.objects.some(o => o.kind === 'CronJob');
    });
    expect(cronJobs.length).toBeGreaterThan(0);
    for (const binding of cronJobs) {
      const result = renderReleaseBinding(model, binding);
      const name = generateResourceName(binding.resource.metadata.name, 'registry-credentials');
      for (const pod of podSpecs(result.objects)) expect(pod.imagePullSecrets).toContainEqual({ name });
    }
    const before = render(await exampleModel(), 'payments-api-development');
    expect(render(model, 'payments-api-development').target!.releaseHash).not.toBe(before.target!.releaseHash);
  });

  it('does not add a name a template already lists', async () => {
    const type = await exampleDocument('platform-shared/component-types/service.yaml');
    const deployment = type.spec.resources.find((r: any) => r.template.kind === 'Deployment');
    const name = generateResourceName('payments-api-development', 'registry-credentials');
    deployment.template.spec.template.spec.imagePullSecrets = [{ name: 'own' }, { name }];
    const dataPlane = await exampleDocument(DATA_PLANE);
    dataPlane.spec.imagePullSecretRefs = ['registry-credentials'];
    const model = await exampleModel({
      [DATA_PLANE]: dataPlane,
      [REGISTRY]: registryCredentials,
      'platform-shared/component-types/service.yaml': type,
    });
    const result = render(model, 'payments-api-development');
    const pod = podSpecs(result.objects.filter(o => o.kind === 'Deployment'))[0];
    expect(pod.imagePullSecrets).toEqual([{ name: 'own' }, { name }]);
  });

  it('is an error naming the data plane field when a reference names no SecretReference', async () => {
    const model = await withPullSecrets(['registry-credentials', 'missing-credentials']);
    const result = render(model, 'payments-api-development');
    expect(result.objects).toEqual([]);
    expect(result.problems.map(formatProblem)).toEqual([
      expect.stringContaining(
        "spec.imagePullSecretRefs[1]: ClusterDataPlane default: image pull SecretReference 'missing-credentials' does not exist in namespace 'acme'",
      ),
    ]);
  });

  it('without a secret store, renders none and warns once on the data plane', async () => {
    const model = await withPullSecrets(['registry-credentials'], dataPlane => delete dataPlane.spec.secretStoreRef);
    const rendered = await renderRepository(model);
    // (Components whose templates read dataplane.secretStore fail for their own reason.)
    for (const [path, content] of rendered.files) {
      expect({ path, pullSecrets: /registry-credentials|imagePullSecrets/.test(content) }).toEqual({ path, pullSecrets: false });
    }
    const warnings = rendered.problems.filter(p => p.field === 'spec.imagePullSecretRefs');
    expect(warnings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        file: DATA_PLANE,
        resource: { kind: 'ClusterDataPlane', name: 'default' },
        message: expect.stringContaining('no spec.secretStoreRef'),
      }),
    ]);
  });

  it('renders nothing new for a data plane without references', async () => {
    const result = render(await exampleModel(), 'payments-api-development');
    for (const pod of podSpecs(result.objects)) expect(pod.imagePullSecrets).toBeUndefined();
  });
});
