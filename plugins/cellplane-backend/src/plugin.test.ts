import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { EXAMPLE_REPOSITORY } from '@cellplane/backstage-plugin-node/testUtils';
import { cellplanePlugin } from './plugin';

describe('cellplane backend plugin', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cellplane-backend-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const start = (gitops: Record<string, unknown>) =>
    startTestBackend({
      features: [
        cellplanePlugin,
        mockServices.rootConfig.factory({
          data: { cellplane: { gitops: { cacheDir: join(dir, 'cache'), ...gitops } }, events: { useEventBus: 'never' } },
        }),
      ],
    });

  it('creates and seeds the local repository on first start, and serves its summary', async () => {
    const repositoryPath = join(dir, 'gitops.git');
    const { server } = await start({ url: repositoryPath, seedFrom: EXAMPLE_REPOSITORY });

    const log = execFileSync('git', ['log', '--format=%an|%s', 'main'], { cwd: repositoryPath, encoding: 'utf8' });
    expect(log.trim()).toMatch(/^Cellplane\|Seed the GitOps repository from /);

    const response = await request(server).get('/api/cellplane/repository');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      url: null,
      name: 'gitops.git',
      local: true,
      branch: 'main',
      revision: expect.stringMatching(/^[0-9a-f]{40}$/),
      namespaces: ['acme'],
      counts: expect.objectContaining({ Project: 3, Environment: 3, DeploymentPipeline: 1 }),
      problems: { errors: 0, warnings: 0 },
    });
    expect(response.body.counts.Component).toBeGreaterThanOrEqual(10);
  });

  it('leaves an existing repository as it is', async () => {
    const repositoryPath = join(dir, 'gitops.git');
    execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', repositoryPath]);
    const { server } = await start({ url: repositoryPath, seedFrom: EXAMPLE_REPOSITORY });
    const response = await request(server).get('/api/cellplane/repository');
    expect(response.body).toMatchObject({ revision: null, counts: {}, namespaces: [] });
  });

  it('lists problems and answers bad query parameters with 400', async () => {
    const { server } = await start({ url: join(dir, 'gitops.git'), seedFrom: EXAMPLE_REPOSITORY });

    await request(server).get('/api/cellplane/repository/problems?severity=error').expect(200, {
      revision: (await request(server).get('/api/cellplane/repository')).body.revision,
      items: [],
    });
    const badSeverity = await request(server).get('/api/cellplane/repository/problems?severity=fatal');
    expect(badSeverity.status).toBe(400);
    expect(badSeverity.body.error.message).toBe('severity must be one of error, warning, got "fatal"');
    const badKind = await request(server).get('/api/cellplane/repository/problems?kind=Pod');
    expect(badKind.status).toBe(400);
    expect(badKind.body.error.message).toMatch(/^kind must be one of Namespace, Project, /);
    const twice = await request(server).get('/api/cellplane/repository/problems?kind=Project&kind=Component');
    expect(twice.status).toBe(400);
    expect(twice.body.error.message).toBe('kind must be given once');
  });

  it('refuses to start on a remote URL that carries credentials', async () => {
    await expect(start({ url: 'https://user:secret@github.com/acme/gitops.git' })).rejects.toThrow(
      /cellplane.gitops.url must not contain credentials/,
    );
  });

  it('refuses an invalid branch name', async () => {
    await expect(start({ url: join(dir, 'gitops.git'), branch: 'bad..branch' })).rejects.toThrow(
      /not a valid Git branch name/,
    );
  });
});
