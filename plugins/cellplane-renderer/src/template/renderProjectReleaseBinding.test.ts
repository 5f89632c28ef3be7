import { loadAll } from 'js-yaml';
import { formatProblem } from '@cellplane/backstage-plugin-common';
import type { RepositoryModel } from '@cellplane/backstage-plugin-node';
import { renderRepository } from '../renderRepository';
import { exampleDocument, exampleModel } from './__testUtils__/models';
import { kubernetesNamespaceFor, RELEASE_HASH_KEY, renderProjectReleaseBinding } from '.';

/**
 * Project-level resources: a ProjectReleaseBinding renders its project's (Cluster)ProjectType
 * into the project's cell namespace (OpenChoreo's internal/pipeline/project, and
 * api/v1alpha1/projecttype_types.go: includeWhen, forEach, validations; metadata.cellNamespace).
 */

const PROJECT = 'namespaces/acme/projects/payments/project.yaml';
const BINDING = 'namespaces/acme/projects/payments/release-bindings/payments-development.yaml';

const projectType = {
  apiVersion: 'openchoreo.dev/v1alpha1',
  kind: 'ClusterProjectType',
  metadata: { name: 'standard-cell' },
  spec: {
    parameters: {
      openAPIV3Schema: {
        type: 'object',
        properties: { team: { type: 'string' }, cpu: { type: 'string', default: '4' } },
      },
    },
    environmentConfigs: {
      openAPIV3Schema: { type: 'object', properties: { limits: { type: 'boolean', default: false } } },
    },
    validations: [{ rule: '${has(parameters.team)}', message: 'A standard cell needs a team.' }],
    resources: [
      {
        id: 'namespace',
        template: {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: '${metadata.cellNamespace}', labels: { team: '${parameters.team}' } },
        },
      },
      {
        id: 'quota',
        template: {
          apiVersion: 'v1',
          kind: 'ResourceQuota',
          metadata: { name: 'cell-quota', namespace: '${metadata.cellNamespace}', labels: '${metadata.labels}' },
          spec: { hard: { 'requests.cpu': '${parameters.cpu}' } },
        },
      },
      {
        id: 'limits',
        includeWhen: '${environmentConfigs.limits}',
        template: {
          apiVersion: 'v1',
          kind: 'LimitRange',
          metadata: { name: 'cell-limits', namespace: '${metadata.cellNamespace}' },
          spec: { limits: [{ type: 'Container', default: { memory: '512Mi' } }] },
        },
      },
    ],
  },
};

async function projectModel(binding: object = { limits: true }, parameters: object = { team: 'payments-team' }): Promise<RepositoryModel> {
  const project = await exampleDocument(PROJECT);
  project.spec.type = { kind: 'ClusterProjectType', name: 'standard-cell' };
  project.spec.parameters = parameters;
  return exampleModel({
    'platform-shared/project-types/standard-cell.yaml': projectType,
    [PROJECT]: project,
    [BINDING]: {
      apiVersion: 'openchoreo.dev/v1alpha1',
      kind: 'ProjectReleaseBinding',
      metadata: { name: 'payments-development', namespace: 'acme' },
      spec: { owner: { projectName: 'payments' }, environment: 'development', environmentConfigs: binding },
    },
  });
}

const render = (model: RepositoryModel) =>
  renderProjectReleaseBinding(model, model.get('ProjectReleaseBinding', 'payments-development', 'acme')!);

describe('renderProjectReleaseBinding', () => {
  it("renders the project type's resources into the cell namespace, with includeWhen and defaults", async () => {
    const model = await projectModel();
    expect(model.problems.filter(p => p.severity === 'error').map(formatProblem)).toEqual([]);
    const { target, objects, problems } = render(model);
    expect(problems).toEqual([]);
    const cell = kubernetesNamespaceFor('acme', 'payments', 'development');
    expect(target).toMatchObject({ project: 'payments', environment: 'development', kubernetesNamespace: cell });
    expect(objects.map(o => `${o.kind} ${o.metadata.name}`)).toEqual(['LimitRange cell-limits', `Namespace ${cell}`, 'ResourceQuota cell-quota']);
    const quota = objects.find(o => o.kind === 'ResourceQuota') as any;
    expect(quota.metadata.namespace).toBe(cell);
    expect(quota.spec.hard).toEqual({ 'requests.cpu': '4' });
    expect(quota.metadata.labels).toMatchObject({
      'openchoreo.dev/namespace': 'acme',
      'openchoreo.dev/project': 'payments',
      'openchoreo.dev/environment': 'development',
      [RELEASE_HASH_KEY]: target!.releaseHash,
    });
    // includeWhen false: the LimitRange is left out.
    expect(render(await projectModel({ limits: false })).objects.map(o => o.kind)).toEqual(['Namespace', 'ResourceQuota']);
  });

  it("fails on the project type's validation rule, naming it", async () => {
    const { objects, problems } = render(await projectModel({}, {}));
    expect(objects).toEqual([]);
    expect(problems.map(p => `${p.field}: ${p.message}`)).toEqual([
      'spec.validations[0].rule: ClusterProjectType standard-cell: rule ${has(parameters.team)} evaluated to false: A standard cell needs a team.',
    ]);
  });

  it('writes project.yaml beside the cell, and the cell keeps one Namespace with the project type\'s labels', async () => {
    const rendered = await renderRepository(await projectModel());
    expect(rendered.problems.filter(p => p.severity === 'error').map(formatProblem)).toEqual([]);
    const folder = 'rendered/default/acme/development/payments';
    const project = loadAll(rendered.files.get(`${folder}/project.yaml`)!) as any[];
    expect(project.map(o => o.kind)).toEqual(['LimitRange', 'ResourceQuota']);
    const namespaces = [...rendered.files]
      .filter(([path]) => path.startsWith('rendered/default/acme/development/'))
      .flatMap(([, content]) => loadAll(content) as any[])
      .filter(o => o?.kind === 'Namespace' && o.metadata.name === kubernetesNamespaceFor('acme', 'payments', 'development'));
    expect(namespaces).toHaveLength(1);
    expect(namespaces[0].metadata.labels).toMatchObject({ team: 'payments-team', 'cellplane.dev/cell': 'true' });
  });
});
