import { formatProblem } from '@cellplane/backstage-plugin-common';
import * as yaml from 'js-yaml';
import { RepositoryModel } from '@cellplane/backstage-plugin-node';
import { renderRepository } from '../renderRepository';
import { exampleDocument, exampleModel } from './__testUtils__/models';
import { RenderedObject, renderReleaseBinding, renderResourceReleaseBinding } from '.';

/*
 * ResourceReleaseBinding as OpenChoreo's controller has it
 * (internal/controller/resourcereleasebinding): `spec.resourceRelease` renders the snapshot,
 * `retainPolicy: Retain` keeps the objects when the binding goes.
 */

const DB = 'namespaces/acme/projects/payments/resources/payments-db';
const BINDINGS = `${DB}/release-bindings`;
const POSTGRES = 'platform-shared/resource-types/postgres.yaml';

function renderResource(model: RepositoryModel, name: string) {
  const binding = model.get('ResourceReleaseBinding', name, 'acme');
  if (!binding) throw new Error(`no binding ${name}`);
  return renderResourceReleaseBinding(model, binding);
}

function statefulSet(objects: RenderedObject[]): any {
  const found = objects.filter(o => o.kind === 'StatefulSet');
  expect(found).toHaveLength(1);
  return found[0];
}

/** A ResourceRelease of payments-db: the live type and resource, with `change` applied to a copy. */
async function release(name: string, change: (spec: any) => void = () => {}) {
  const type = await exampleDocument(POSTGRES);
  const resource = await exampleDocument(`${DB}/resource.yaml`);
  const spec = {
    owner: { projectName: 'payments', resourceName: 'payments-db' },
    resourceType: { kind: 'ClusterResourceType', name: 'postgres', spec: type.spec },
    parameters: resource.spec.parameters,
  };
  change(spec);
  return { apiVersion: 'openchoreo.dev/v1alpha1', kind: 'ResourceRelease', metadata: { name, namespace: 'acme' }, spec };
}

describe('ResourceReleaseBinding.spec.retainPolicy', () => {
  const RETAIN_ANNOTATIONS = {
    'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
    'kustomize.toolkit.fluxcd.io/prune': 'disabled',
  };

  it("marks every object of a Retain binding so Argo CD and Flux keep it, and a Delete binding's not", async () => {
    const model = await exampleModel();
    const retained = renderResource(model, 'payments-db-production');
    expect(retained.problems).toEqual([]);
    expect(retained.objects.length).toBeGreaterThan(0);
    for (const object of retained.objects) expect(object.metadata.annotations).toMatchObject(RETAIN_ANNOTATIONS);

    const deleted = renderResource(model, 'payments-db-staging');
    for (const object of deleted.objects) {
      expect(object.metadata.annotations).not.toHaveProperty('argocd.argoproj.io/sync-options');
      expect(object.metadata.annotations).not.toHaveProperty('kustomize.toolkit.fluxcd.io/prune');
    }
  });

  it("falls back to the type's retainPolicy, and the binding's wins over it", async () => {
    const type = await exampleDocument(POSTGRES);
    type.spec.retainPolicy = 'Retain';
    const binding = await exampleDocument(`${BINDINGS}/payments-db-development.yaml`);
    delete binding.spec.retainPolicy;
    const model = await exampleModel({ [POSTGRES]: type, [`${BINDINGS}/payments-db-development.yaml`]: binding });
    for (const object of renderResource(model, 'payments-db-development').objects) {
      expect(object.metadata.annotations).toMatchObject(RETAIN_ANNOTATIONS);
    }
    // payments-db-staging says Delete itself.
    for (const object of renderResource(model, 'payments-db-staging').objects) {
      expect(object.metadata.annotations).not.toHaveProperty('kustomize.toolkit.fluxcd.io/prune');
    }
  });

  it('keeps sync options the template set, and the release hash says the objects changed', async () => {
    const type = await exampleDocument(POSTGRES);
    const entry = type.spec.resources.find((r: any) => r.template.kind === 'StatefulSet');
    entry.template.metadata.annotations = { 'argocd.argoproj.io/sync-options': 'ServerSideApply=true, Prune=confirm' };
    const model = await exampleModel({ [POSTGRES]: type });
    const production = renderResource(model, 'payments-db-production');
    expect(statefulSet(production.objects).metadata.annotations['argocd.argoproj.io/sync-options']).toBe(
      'ServerSideApply=true,Prune=false,Delete=false',
    );

    const binding = await exampleDocument(`${BINDINGS}/payments-db-production.yaml`);
    binding.spec.retainPolicy = 'Delete';
    const deleted = renderResource(await exampleModel({ [POSTGRES]: type, [`${BINDINGS}/payments-db-production.yaml`]: binding }), 'payments-db-production');
    expect(deleted.target!.releaseHash).not.toBe(production.target!.releaseHash);
  });

  it("keeps the cell's Namespace too while it holds retained objects (deleting it would delete them)", async () => {
    const rendered = await renderRepository(await exampleModel());
    const cellNamespace = (environment: string) => {
      const file = [...rendered.files].find(([path]) => path === `rendered/default/acme/${environment}/payments/cell.yaml`);
      if (!file) throw new Error(`no cell file for ${environment}`);
      return (yaml.loadAll(file[1]) as RenderedObject[]).find(o => o.kind === 'Namespace')!;
    };
    expect(cellNamespace('production').metadata.annotations).toMatchObject(RETAIN_ANNOTATIONS);
    expect(cellNamespace('staging').metadata.annotations ?? {}).not.toHaveProperty('kustomize.toolkit.fluxcd.io/prune');
  });
});

describe('ResourceReleaseBinding.spec.resourceRelease', () => {
  it('renders the pinned ResourceRelease snapshot, not the live Resource and type', async () => {
    const pinned = await release('payments-db-1111aaaa', spec => {
      spec.parameters = { ...spec.parameters, version: '15' };
      spec.resourceType.spec.environmentConfigs.openAPIV3Schema.properties.storageSize.default = '3Gi';
    });
    const binding = await exampleDocument(`${BINDINGS}/payments-db-staging.yaml`);
    binding.spec.resourceRelease = 'payments-db-1111aaaa';
    const model = await exampleModel({
      [`${DB}/releases/payments-db-1111aaaa.yaml`]: pinned,
      [`${BINDINGS}/payments-db-staging.yaml`]: binding,
    });
    const staging = renderResource(model, 'payments-db-staging');
    expect(staging.problems).toEqual([]);
    const sts = statefulSet(staging.objects);
    expect(sts.spec.template.spec.containers[0].image).toBe('docker.io/library/postgres:15-alpine');
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('3Gi');
    for (const object of staging.objects) expect(object.metadata.annotations?.['cellplane.dev/release']).toBe('payments-db-1111aaaa');

    // Unpinned bindings still render the live resource.
    const development = renderResource(model, 'payments-db-development');
    expect(statefulSet(development.objects).spec.template.spec.containers[0].image).toBe('docker.io/library/postgres:16-alpine');
    expect(staging.target!.releaseHash).not.toBe(renderResource(await exampleModel(), 'payments-db-staging').target!.releaseHash);
  });

  it("takes the snapshot's retainPolicy when the binding sets none", async () => {
    const pinned = await release('payments-db-2222bbbb', spec => {
      spec.resourceType.spec.retainPolicy = 'Retain';
    });
    const binding = await exampleDocument(`${BINDINGS}/payments-db-staging.yaml`);
    binding.spec.resourceRelease = 'payments-db-2222bbbb';
    delete binding.spec.retainPolicy;
    const model = await exampleModel({
      [`${DB}/releases/payments-db-2222bbbb.yaml`]: pinned,
      [`${BINDINGS}/payments-db-staging.yaml`]: binding,
    });
    for (const object of renderResource(model, 'payments-db-staging').objects) {
      expect(object.metadata.annotations?.['kustomize.toolkit.fluxcd.io/prune']).toBe('disabled');
    }
  });

  it("gives consumers the snapshot's outputs", async () => {
    const pinned = await release('payments-db-3333cccc', spec => {
      const port = spec.resourceType.spec.outputs.find((o: any) => o.name === 'port');
      port.value = '6543';
    });
    const binding = await exampleDocument(`${BINDINGS}/payments-db-development.yaml`);
    binding.spec.resourceRelease = 'payments-db-3333cccc';
    const model = await exampleModel({
      [`${DB}/releases/payments-db-3333cccc.yaml`]: pinned,
      [`${BINDINGS}/payments-db-development.yaml`]: binding,
    });
    const api = renderReleaseBinding(model, model.get('ReleaseBinding', 'payments-api-development', 'acme')!);
    expect(api.problems.filter(p => p.severity === 'error')).toEqual([]);
    const env = JSON.stringify(api.objects.filter(o => o.kind === 'Deployment').map(o => (o as any).spec.template.spec.containers[0].env));
    expect(env).toContain('"6543"');
  });

  it("refuses a release that is another resource's, naming the field; the binding renders nothing", async () => {
    const other = await release('ledger-db-4444dddd', spec => {
      spec.owner.resourceName = 'ledger-db';
    });
    const binding = await exampleDocument(`${BINDINGS}/payments-db-staging.yaml`);
    binding.spec.resourceRelease = 'ledger-db-4444dddd';
    const model = await exampleModel({
      [`${DB}/releases/ledger-db-4444dddd.yaml`]: other,
      [`${BINDINGS}/payments-db-staging.yaml`]: binding,
    });
    const result = renderResource(model, 'payments-db-staging');
    expect(result.objects).toEqual([]);
    expect(result.problems.map(formatProblem)).toEqual([
      expect.stringContaining(
        "spec.resourceRelease: ResourceReleaseBinding: ResourceRelease 'ledger-db-4444dddd' belongs to resource 'ledger-db' of project 'payments', not 'payments-db' of 'payments'",
      ),
    ]);
  });

  it('names the field when the pinned release does not exist', async () => {
    const binding = await exampleDocument(`${BINDINGS}/payments-db-staging.yaml`);
    binding.spec.resourceRelease = 'payments-db-00000000';
    const result = renderResource(await exampleModel({ [`${BINDINGS}/payments-db-staging.yaml`]: binding }), 'payments-db-staging');
    expect(result.objects).toEqual([]);
    expect(result.problems.map(formatProblem)).toEqual([
      expect.stringContaining("spec.resourceRelease: ResourceReleaseBinding: ResourceRelease 'payments-db-00000000' does not exist in namespace 'acme'"),
    ]);
    expect(result.target).toBeUndefined();
  });
});
