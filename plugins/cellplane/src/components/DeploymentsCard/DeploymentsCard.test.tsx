import { ResponseError } from '@backstage/errors';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { act, screen, waitFor, within } from '@testing-library/react';
import { cellplaneStatusApiRef } from '../../api';
import { FakeStatusApi, status } from '../../testing/fakes';
import { DeploymentsCard } from './DeploymentsCard';

const webShop = (environment: string, overrides = {}) => status({ component: 'web-shop', environment, ...overrides });

function renderCard(api: FakeStatusApi, component = 'web-shop') {
  return renderInTestApp(<DeploymentsCard namespace="acme" component={component} />, {
    apis: [[cellplaneStatusApiRef, api]],
  });
}

const row = (environment: string) => screen.getByRole('row', { name: new RegExp(`^${environment}:`) });

describe('DeploymentsCard', () => {
  it('lists each environment in pipeline order with health, revisions, rollout, pods, causes and the data plane', async () => {
    const api = new FakeStatusApi([
      webShop('development'),
      webShop('staging', {
        health: 'Degraded',
        reason: 'container main cannot pull image ghcr.io/acme/web-shop:9.9: Back-off pulling image',
        desired: { commit: 'b'.repeat(40), releaseHash: 'web-shop-9f8e7d6c5b' },
        rollout: { desiredReplicas: 2, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1, generationObserved: true, complete: false },
        pods: { ready: 1, total: 2, restarts: 5 },
        causes: [
          {
            type: 'ImagePullBackOff',
            message: 'container main cannot pull image ghcr.io/acme/web-shop:9.9: Back-off pulling image',
            object: { apiVersion: 'v1', kind: 'Pod', name: 'web-shop-2', namespace: 'storefront-staging' },
            image: 'ghcr.io/acme/web-shop:9.9',
          },
          {
            type: 'CrashLoopBackOff',
            message: 'container main keeps crashing',
            object: { apiVersion: 'v1', kind: 'Pod', name: 'web-shop-3', namespace: 'storefront-staging' },
            exitCode: 3,
            restartCount: 5,
          },
        ],
      }),
      webShop('production', { health: 'NotDeployed', reason: 'not deployed to production', desired: undefined, synced: undefined, rollout: undefined, pods: { ready: 0, total: 0, restarts: 0 }, dataPlane: { name: 'eu-prod', sandbox: false } }),
    ]);
    renderCard(api);

    const rows = await screen.findAllByRole('row', { name: /^(development|staging|production):/ });
    expect(rows.map(r => r.getAttribute('aria-label'))).toEqual(['development: Healthy', 'staging: Degraded', 'production: NotDeployed']);

    const development = row('development');
    expect(within(development).getByText('Healthy')).toBeInTheDocument();
    expect(within(development).getAllByText('3f9c2a1')).toHaveLength(2); // desired and synced
    // Release hashes show their first 8 digits, the whole hash on hover.
    expect(within(development).getByTitle('web-shop-1a2b3c4d5e')).toHaveTextContent('web-shop');
    expect(within(development).getByText(/by Argo CD \(Synced\)/)).toBeInTheDocument();
    expect(within(development).getByText('complete, 2/2 ready')).toBeInTheDocument();
    expect(within(development).getByText('2/2 ready')).toBeInTheDocument();

    const staging = row('staging');
    expect(within(staging).getByText('Degraded')).toBeInTheDocument();
    expect(within(staging).getByText('1/2 updated, 1 ready')).toBeInTheDocument();
    expect(within(staging).getByText('1/2 ready')).toBeInTheDocument();
    expect(within(staging).getByText('5 restarts')).toBeInTheDocument();
    const causes = within(staging).getByRole('list', { name: 'Causes' });
    expect(within(causes).getByText('ImagePullBackOff')).toBeInTheDocument();
    expect(within(causes).getByText(/cannot pull image ghcr\.io\/acme\/web-shop:9\.9/)).toBeInTheDocument();
    expect(within(causes).getByText('container main keeps crashing (exit code 3, 5 restarts)')).toBeInTheDocument();
    expect(within(causes).getByText('Pod storefront-staging/web-shop-2')).toBeInTheDocument();
    // The synced commit lags the desired one.
    expect(within(staging).getByText('bbbbbbb')).toBeInTheDocument();

    const production = row('production');
    expect(within(production).getByText('Not deployed')).toBeInTheDocument();
    expect(within(production).getByText('eu-prod')).toBeInTheDocument();
    expect(within(production).queryByText('Sandbox')).not.toBeInTheDocument();
  });

  it('labels status from the sandbox data plane', async () => {
    renderCard(new FakeStatusApi([webShop('development')]));
    await screen.findByRole('row', { name: /^development:/ });
    // In the card's header and on the row of each environment the sandbox serves.
    expect(screen.getAllByText('Sandbox')).toHaveLength(2);
    expect(within(row('development')).getByText('sandbox')).toBeInTheDocument();
    expect(screen.getAllByLabelText(/Status from the sandbox data plane "sandbox"/).length).toBeGreaterThan(0);
  });

  it('shows no sandbox label when every environment runs on a real data plane', async () => {
    renderCard(new FakeStatusApi([webShop('development', { dataPlane: { name: 'eu-1', sandbox: false } })]));
    await screen.findByRole('row', { name: /^development:/ });
    expect(screen.queryByText('Sandbox')).not.toBeInTheDocument();
  });

  it('updates a row in place when the stream reports a change', async () => {
    const api = new FakeStatusApi([webShop('development'), webShop('staging')]);
    renderCard(api);
    await screen.findByRole('row', { name: 'staging: Healthy' });
    expect(api.watches[0].filter).toEqual({ namespace: 'acme', component: 'web-shop' });

    act(() =>
      api.emit(
        webShop('staging', {
          health: 'Progressing',
          reason: 'rollout: 1/2 ready, 1 updated',
          rollout: { desiredReplicas: 2, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1, generationObserved: true, complete: false },
        }),
      ),
    );
    expect(await screen.findByRole('row', { name: 'staging: Progressing' })).toBeInTheDocument();
    expect(within(row('staging')).getByText('rollout: 1/2 ready, 1 updated')).toBeInTheDocument();
    expect(screen.getByRole('row', { name: 'development: Healthy' })).toBeInTheDocument();
    // Another component's change does not reach this card.
    act(() => api.emit(status({ component: 'cart-api', environment: 'staging', health: 'Degraded' })));
    expect(screen.getAllByRole('row', { name: /^(development|staging):/ })).toHaveLength(2);
  });

  describe("with OpenChoreo's control plane", () => {
    const binding = (conditions: any[], extra = {}) => ({
      kind: 'ReleaseBinding' as const,
      name: 'web-shop-staging',
      namespace: 'acme',
      releaseName: 'web-shop-5d9c',
      state: 'Active',
      reconciled: true,
      conditions,
      ...extra,
    });
    const renderedRelease = {
      kind: 'RenderedRelease' as const,
      name: 'web-shop-staging',
      namespace: 'acme',
      targetPlane: 'dataplane',
      reconciled: true,
      conditions: [{ type: 'ResourcesApplied', status: 'True', reason: 'ApplySucceeded', message: 'All resources applied successfully' }],
      resources: { total: 3, healthy: 2, progressing: 0, degraded: 1, suspended: 0, unknown: 0 },
    };

    it("shows OpenChoreo's conditions beside Cellplane's view: type, status, reason and message", async () => {
      const api = new FakeStatusApi([
        webShop('development'),
        webShop('staging', {
          health: 'Degraded',
          reason: 'OpenChoreo ReleaseBinding web-shop-staging: ResourcesDegraded: Primary workload Deployment/web-shop is degraded',
          openChoreo: {
            controlPlane: { name: 'control-plane', available: true },
            releaseBinding: binding([
              { type: 'ReleaseSynced', status: 'True', reason: 'ReleaseSynced', message: 'Release is up to date' },
              { type: 'ResourcesReady', status: 'False', reason: 'ResourcesDegraded', message: 'Primary workload Deployment/web-shop is degraded' },
              { type: 'Ready', status: 'False', reason: 'ResourcesDegraded', message: 'Primary workload Deployment/web-shop is degraded' },
            ]),
            renderedReleases: [renderedRelease],
          },
        }),
      ]);
      renderCard(api);
      await screen.findByRole('row', { name: 'staging: Degraded' });
      expect(screen.getByRole('columnheader', { name: 'OpenChoreo' })).toBeInTheDocument();

      const staging = row('staging');
      const conditions = within(staging).getByRole('list', { name: 'OpenChoreo conditions of ReleaseBinding web-shop-staging' });
      const ready = within(conditions).getByRole('listitem', { name: 'Ready: False' });
      expect(ready).toHaveTextContent('Ready False · ResourcesDegraded');
      expect(within(ready).getByText('Primary workload Deployment/web-shop is degraded')).toBeInTheDocument();
      expect(within(conditions).getByRole('listitem', { name: 'ReleaseSynced: True' })).toHaveTextContent('Release is up to date');
      expect(within(staging).getByText('ReleaseBinding web-shop-staging (release web-shop-5d9c)')).toBeInTheDocument();

      const applied = within(staging).getByRole('list', { name: 'OpenChoreo conditions of RenderedRelease web-shop-staging' });
      expect(within(applied).getByRole('listitem', { name: 'ResourcesApplied: True' })).toHaveTextContent('ResourcesApplied True · ApplySucceeded');
      expect(within(staging).getByText('RenderedRelease web-shop-staging (2/3 resources healthy)')).toBeInTheDocument();
      // Environments OpenChoreo says nothing about show a dash in its column.
      expect(within(row('development')).getAllByText('—').length).toBeGreaterThan(0);
    });

    it('updates the conditions live, and says when the control plane cannot be read', async () => {
      const api = new FakeStatusApi([
        webShop('staging', {
          openChoreo: {
            controlPlane: { name: 'control-plane', available: true },
            releaseBinding: binding([{ type: 'Ready', status: 'False', reason: 'ResourcesProgressing', message: 'Primary workload Deployment/web-shop is progressing' }]),
            renderedReleases: [],
          },
        }),
      ]);
      renderCard(api);
      expect(await screen.findByRole('listitem', { name: 'Ready: False' })).toHaveTextContent('ResourcesProgressing');

      act(() =>
        api.emit(
          webShop('staging', {
            openChoreo: {
              controlPlane: { name: 'control-plane', available: true },
              releaseBinding: binding([{ type: 'Ready', status: 'True', reason: 'Ready', message: 'ReleaseBinding is ready' }]),
              renderedReleases: [],
            },
          }),
        ),
      );
      expect(await screen.findByRole('listitem', { name: 'Ready: True' })).toHaveTextContent('ReleaseBinding is ready');
      expect(screen.queryByRole('listitem', { name: 'Ready: False' })).not.toBeInTheDocument();

      act(() =>
        api.emit(
          webShop('staging', {
            openChoreo: {
              controlPlane: { name: 'control-plane', available: false, reason: 'data plane control-plane (https://cp.example:6443): HTTP 401: Unauthorized' },
              renderedReleases: [],
            },
          }),
        ),
      );
      expect(
        await within(row('staging')).findByText('control plane control-plane cannot be read: data plane control-plane (https://cp.example:6443): HTTP 401: Unauthorized'),
      ).toBeInTheDocument();
    });

    it('shows no OpenChoreo column where no control plane is read', async () => {
      renderCard(new FakeStatusApi([webShop('development')]));
      await screen.findByRole('row', { name: /^development:/ });
      expect(screen.queryByRole('columnheader', { name: 'OpenChoreo' })).not.toBeInTheDocument();
    });
  });

  it('says when live updates are paused, keeps the last status, and catches up on reconnect', async () => {
    const api = new FakeStatusApi([webShop('development')]);
    renderCard(api);
    await screen.findByText('● Live');
    act(() => api.breakStream(new Error('network error')));
    expect(await screen.findByText('○ Reconnecting…')).toBeInTheDocument();
    expect(row('development')).toBeInTheDocument();
    // What changed while the stream was down is read again when it reconnects.
    api.items = [webShop('development', { health: 'Degraded', reason: 'container main keeps crashing' })];
    act(() => api.watches[0].handlers.onOpen?.());
    expect(await screen.findByText('● Live')).toBeInTheDocument();
    expect(await screen.findByRole('row', { name: 'development: Degraded' })).toBeInTheDocument();
  });

  it('explains a missing permission', async () => {
    const error = await ResponseError.fromResponse(
      new Response(JSON.stringify({ error: { name: 'NotAllowedError', message: 'reading status requires the cellplane.status.read permission' }, response: { statusCode: 403 } }), {
        status: 403,
        statusText: 'Forbidden',
        headers: { 'Content-Type': 'application/json' },
      }) as any,
    );
    renderCard(new FakeStatusApi([], error));
    expect(await screen.findByText('Error: You may not read the status of component acme/web-shop')).toBeInTheDocument();
    expect(screen.getAllByText(/cellplane\.status\.read permission/).length).toBeGreaterThan(0);
  });

  it('says when Cellplane does not know the component', async () => {
    const error = await ResponseError.fromResponse(
      new Response(JSON.stringify({ error: { name: 'NotFoundError', message: 'no component acme/gone in the GitOps repository' }, response: { statusCode: 404 } }), {
        status: 404,
        statusText: 'Not Found',
        headers: { 'Content-Type': 'application/json' },
      }) as any,
    );
    renderCard(new FakeStatusApi([], error), 'gone');
    expect(await screen.findByText('Error: Cellplane does not know component acme/gone')).toBeInTheDocument();
    expect(screen.getByText('no component acme/gone in the GitOps repository')).toBeInTheDocument();
  });

  it('says when the backend cannot be reached', async () => {
    renderCard(new FakeStatusApi([], new TypeError('Failed to fetch')));
    expect(await screen.findByText('Error: The Cellplane status service cannot be reached')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByText(/Failed to fetch/)).toBeInTheDocument());
  });
});
