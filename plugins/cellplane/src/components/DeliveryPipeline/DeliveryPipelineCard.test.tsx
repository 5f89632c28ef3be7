import { act, getDefaultNormalizer, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeStatusApi, status } from '../../testing/fakes';
import {
  COMMIT,
  FakeScaffolder,
  column,
  environment,
  linearPipeline,
  ok,
  pipelineBackend,
  release,
  renderCard,
} from './__testUtils__/renderPipelineCard';

/** Diff lines keep their spacing: the default matcher would collapse it. */
const exactly = { normalizer: getDefaultNormalizer({ collapseWhitespace: false, trim: false }) };

describe('DeliveryPipelineCard', () => {
  it('shows a loading state until the pipeline is read', async () => {
    renderCard({ backend: pipelineBackend(null) });
    expect(await screen.findByTestId('delivery-pipeline-loading')).toBeInTheDocument();
    expect(screen.queryByTestId('delivery-pipeline')).not.toBeInTheDocument();
  });

  it('says what to do when the pipeline cannot be read', async () => {
    renderCard({
      backend: pipelineBackend({
        status: 404,
        body: { error: { name: 'NotFoundError', message: 'Component "web-shop" not found in namespace acme' }, response: { statusCode: 404 } },
      }),
    });
    expect(await screen.findByText('Error: Cellplane does not know component acme/web-shop')).toBeInTheDocument();
    expect(screen.getByText('Component "web-shop" not found in namespace acme')).toBeInTheDocument();
  });

  it('says when the component is deployed nowhere, and that there is nothing to promote', async () => {
    const pipeline = linearPipeline({
      development: { binding: undefined, release: undefined },
      staging: { binding: undefined, release: undefined },
    });
    renderCard({ backend: pipelineBackend(ok(pipeline)) });
    expect(await screen.findByTestId('delivery-pipeline')).toHaveTextContent('web-shop is not deployed to any environment yet');
    expect(within(column('development')).getByText('Not deployed to development')).toBeInTheDocument();
    expect(within(column('development')).getByRole('button', { name: 'Promote to staging' })).toBeDisabled();
    expect(within(column('development')).getByText('Nothing runs in development to promote')).toBeInTheDocument();
    expect(within(column('development')).queryByRole('button', { name: /Roll back/ })).not.toBeInTheDocument();
  });

  it('shows each environment as a column with its health, release, commit, revisions, rollout and pods, live', async () => {
    const statuses = new FakeStatusApi([
      status({ component: 'web-shop', environment: 'development' }),
      status({
        component: 'web-shop',
        environment: 'staging',
        health: 'Progressing',
        reason: 'rollout: 1/2 ready, 1 updated',
        rollout: { desiredReplicas: 2, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1, generationObserved: true, complete: false },
        pods: { ready: 1, total: 2, restarts: 0 },
      }),
      status({ component: 'web-shop', environment: 'production', health: 'NotDeployed', reason: 'not deployed to production', desired: undefined, synced: undefined, rollout: undefined, pods: { ready: 0, total: 0, restarts: 0 } }),
    ]);
    const backend = pipelineBackend(ok(linearPipeline()));
    renderCard({ backend, statuses });
    await screen.findByTestId('delivery-pipeline');
    // One read: the one started while the card rendered is the one it shows.
    expect(backend.requests).toEqual(['http://backend.test/api/cellplane/pipeline/acme/web-shop']);

    const development = column('development');
    expect(await within(development).findByText('Healthy')).toBeInTheDocument();
    expect(within(development).getByText('web-shop-2b3c4d5e6f')).toBeInTheDocument();
    expect(within(development).getByText('ghcr.io/acme/web-shop:2.0')).toBeInTheDocument();
    expect(within(development).getByText('follows the component (no release pinned)')).toBeInTheDocument();
    // The commit that made the release links to its trace, focused on this component.
    expect(within(development).getByRole('link', { name: 'commit 3f9c2a1: its trace' })).toHaveAttribute(
      'href',
      `/cellplane/commits/${COMMIT}?component=acme/web-shop`,
    );
    expect(within(development).getByText('complete, 2/2 ready')).toBeInTheDocument();
    expect(within(development).getByText('2/2 ready')).toBeInTheDocument();
    expect(within(development).getByText(/by Argo CD \(Synced\)/)).toBeInTheDocument();

    const staging = column('staging');
    expect(within(staging).getByText('Progressing')).toBeInTheDocument();
    expect(within(staging).getByText('rollout: 1/2 ready, 1 updated')).toBeInTheDocument();
    expect(within(staging).getByText('pinned')).toBeInTheDocument();
    expect(within(column('production')).getByText('Not deployed')).toBeInTheDocument();
    expect(within(column('production')).getByText('Production')).toBeInTheDocument();

    act(() =>
      statuses.emit(
        status({
          component: 'web-shop',
          environment: 'staging',
          health: 'Degraded',
          reason: 'container main keeps crashing',
          causes: [
            {
              type: 'CrashLoopBackOff',
              message: 'container main keeps crashing',
              object: { apiVersion: 'v1', kind: 'Pod', name: 'web-shop-2', namespace: 'acme-storefront-staging' },
              exitCode: 3,
            },
          ],
        }),
      ),
    );
    expect(await within(column('staging')).findByText('Degraded')).toBeInTheDocument();
    expect(within(column('staging')).getByText('container main keeps crashing (exit code 3)')).toBeInTheDocument();
  });

  it('stacks the branches of a branching pipeline in one column, with a Promote button to each', async () => {
    const pipeline = linearPipeline();
    pipeline.environments = [
      { ...pipeline.environments[0], next: [{ environment: 'staging', requiresApproval: false }, { environment: 'qa', requiresApproval: false }] },
      environment('qa', 1, { previous: ['development'], next: [{ environment: 'production', requiresApproval: false }] }),
      pipeline.environments[1],
      { ...pipeline.environments[2], previous: ['staging', 'qa'], requiresApproval: true },
    ];
    renderCard({ backend: pipelineBackend(ok(pipeline)) });
    await screen.findByTestId('delivery-pipeline');
    const stages = screen.getAllByRole('list', { name: /^Stage / });
    expect(stages.map(stage => within(stage).getAllByRole('listitem').map(item => item.querySelector('h3')!.textContent))).toEqual([
      ['development'],
      ['qa', 'staging'],
      ['production'],
    ]);
    const development = column('development');
    expect(within(development).getByRole('button', { name: 'Promote to staging' })).toBeEnabled();
    expect(within(development).getByRole('button', { name: 'Promote to qa' })).toBeEnabled();
    expect(within(column('production')).getByText('Approval required')).toBeInTheDocument();
  });

  it('promotes: the dialog shows the dry-run diff, and on confirm follows the task to its links', async () => {
    const backend = pipelineBackend(ok(linearPipeline()));
    const { scaffolder } = renderCard({ backend });
    await screen.findByTestId('delivery-pipeline');
    await userEvent.click(within(column('development')).getByRole('button', { name: 'Promote to staging' }));

    const dialog = await screen.findByRole('dialog', { name: 'Promote web-shop from development to staging' });
    expect(await within(dialog).findByRole('heading', { name: 'Spec (1 file)' })).toBeInTheDocument();
    expect(within(dialog).getByRole('heading', { name: 'Rendered manifests (1 file)' })).toBeInTheDocument();
    const binding = within(dialog).getByRole('region', { name: /web-shop-staging\.yaml: \+1 −1/ });
    expect(within(binding).getByText('-  releaseName: web-shop-1a2b3c4d5e', exactly)).toBeInTheDocument();
    expect(within(binding).getByText('+  releaseName: web-shop-2b3c4d5e6f', exactly)).toBeInTheDocument();
    expect(within(dialog).getByText('+          image: ghcr.io/acme/web-shop:2.0', exactly)).toBeInTheDocument();
    // The dry run ran the promote template with the pipeline's choice, and asked for its step's diff.
    expect(scaffolder.dryRuns[0].values).toEqual({ component: 'component:acme/web-shop', to: 'environment:acme/staging', publishMode: 'commit' });
    expect(scaffolder.dryRuns[0].template.spec.output.cellplaneDryRunDiff).toBe('${{ steps["promote"].output.diff }}');
    expect(scaffolder.tasks).toEqual([]);

    await userEvent.click(within(dialog).getByRole('button', { name: 'Promote' }));
    expect(scaffolder.tasks).toEqual([
      { templateRef: 'template:default/cellplane-promote', values: { component: 'component:acme/web-shop', to: 'environment:acme/staging', publishMode: 'commit' } },
    ]);
    expect(await within(dialog).findByRole('progressbar', { name: 'Task progress' })).toBeInTheDocument();
    act(() => scaffolder.emit({ type: 'log', body: { message: 'Committed 4e5f6a7 (2 file(s)) to main', stepId: 'promote' } }));
    expect(await within(dialog).findByText(/Committed 4e5f6a7/)).toBeInTheDocument();
    act(() =>
      scaffolder.emit({
        type: 'completion',
        body: { message: 'Run completed with status: completed', output: { links: [{ title: 'Commit', url: '/cellplane/commits/4e5f6a7' }, { title: 'Trace', url: '/cellplane/commits/4e5f6a7?component=acme/web-shop' }] } },
      }),
    );
    expect(await within(dialog).findByText('Done.')).toBeInTheDocument();
    expect(within(dialog).getByRole('link', { name: 'Commit' })).toHaveAttribute('href', '/cellplane/commits/4e5f6a7');
    expect(within(dialog).getByRole('link', { name: 'Trace' })).toBeInTheDocument();
    // The card reads the pipeline again to show what runs now.
    await waitFor(() => expect(backend.requests).toHaveLength(2));
  });

  it('says why a dry run was refused, and writes nothing', async () => {
    const scaffolder = new FakeScaffolder();
    scaffolder.dryRunAnswer = async () => {
      throw new Error('from: web-shop has no release deployed in development; deploy one there first');
    };
    renderCard({ backend: pipelineBackend(ok(linearPipeline())), scaffolder });
    await screen.findByTestId('delivery-pipeline');
    await userEvent.click(within(column('development')).getByRole('button', { name: 'Promote to staging' }));
    const dialog = await screen.findByRole('dialog');
    expect(await within(dialog).findByText(/The change cannot be made: from: web-shop has no release deployed in development/)).toBeInTheDocument();
    expect(within(dialog).queryByRole('button', { name: 'Promote' })).not.toBeInTheDocument();
    expect(scaffolder.tasks).toEqual([]);
  });

  it('offers nothing to confirm when the environment already runs that release', async () => {
    const scaffolder = new FakeScaffolder();
    scaffolder.dryRunAnswer = async () => ({ output: { cellplaneDryRunDiff: '', cellplaneDryRunChangedFiles: [] }, log: [], steps: [], directoryContents: [] });
    renderCard({ backend: pipelineBackend(ok(linearPipeline())), scaffolder });
    await screen.findByTestId('delivery-pipeline');
    await userEvent.click(within(column('development')).getByRole('button', { name: 'Promote to staging' }));
    const dialog = await screen.findByRole('dialog');
    expect(await within(dialog).findByText('Nothing would change: the repository already holds this.')).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Promote' })).toBeDisabled();
  });

  it('rolls back to an earlier release chosen from the menu', async () => {
    const { scaffolder } = renderCard({ backend: pipelineBackend(ok(linearPipeline())) });
    await screen.findByTestId('delivery-pipeline');
    await userEvent.click(within(column('staging')).getByRole('button', { name: 'Roll back staging…' }));
    // Only releases older than the one staging runs.
    const items = await screen.findAllByRole('menuitem');
    expect(items.map(item => item.querySelector('p')!.textContent)).toEqual(['web-shop-0f0f0f0f0f']);
    await userEvent.click(items[0]);
    expect(await screen.findByRole('dialog', { name: 'Roll back web-shop in staging to web-shop-0f0f0f0f0f' })).toBeInTheDocument();
    await waitFor(() =>
      expect(scaffolder.dryRuns[0].values).toEqual({
        component: 'component:acme/web-shop',
        environment: 'environment:acme/staging',
        release: 'web-shop-0f0f0f0f0f',
        publishMode: 'commit',
      }),
    );
  });

  it('opens a promotion pull request for a pull-request target, which shows awaiting approval while it runs what it ran', async () => {
    const pipeline = linearPipeline({
      production: {
        publish: 'pull-request',
        binding: { releaseName: 'web-shop-0f0f0f0f0f', followsComponent: false, state: 'Active' },
        release: release('web-shop-0f0f0f0f0f', 'c'.repeat(40), 'ghcr.io/acme/web-shop:1.8'),
        pullRequests: [
          {
            action: 'promote',
            url: 'https://github.com/acme/gitops/pull/12',
            number: 12,
            title: 'Promote web-shop to production',
            author: 'alice',
            reviewers: ['bob', 'acme/team-platform'],
            createdAt: '2026-12-07T08:00:00Z',
          },
        ],
      },
    });
    const { scaffolder } = renderCard({ backend: pipelineBackend(ok(pipeline)) });
    await screen.findByTestId('delivery-pipeline');
    const production = column('production');
    expect(within(production).getByText('Awaiting approval')).toBeInTheDocument();
    expect(within(production).getByRole('link', { name: /^#12 Promote web-shop to production/ })).toHaveAttribute(
      'href',
      'https://github.com/acme/gitops/pull/12',
    );
    expect(within(production).getByText('by alice; reviewers: bob, acme/team-platform')).toBeInTheDocument();
    expect(within(production).getByText('web-shop-0f0f0f0f0f')).toBeInTheDocument();
    expect(within(production).getByText('By pull request')).toBeInTheDocument();

    await userEvent.click(within(column('staging')).getByRole('button', { name: 'Open promotion PR to production' }));
    const dialog = await screen.findByRole('dialog', { name: 'Open a promotion pull request for web-shop from staging to production' });
    expect(await within(dialog).findByRole('button', { name: 'Open promotion PR' })).toBeInTheDocument();
    expect(scaffolder.dryRuns[0].values.publishMode).toBe('pull-request');
  });

  it('opens a pull request for a promotion along a path that requires approval, whatever the target publishes', async () => {
    const pipeline = linearPipeline({
      staging: { next: [{ environment: 'production', requiresApproval: true }] },
      production: { requiresApproval: true },
    });
    const { scaffolder } = renderCard({ backend: pipelineBackend(ok({ ...pipeline, pullRequestsUnavailable: 'open pull requests cannot be listed: GitHub answered 401' })) });
    await screen.findByTestId('delivery-pipeline');
    expect(screen.getByText(/open pull requests cannot be listed: GitHub answered 401/)).toBeInTheDocument();
    await userEvent.click(within(column('staging')).getByRole('button', { name: 'Open promotion PR to production' }));
    await screen.findByRole('dialog', { name: 'Open a promotion pull request for web-shop from staging to production' });
    await waitFor(() => expect(scaffolder.dryRuns[0]?.values.publishMode).toBe('pull-request'));
  });
});
