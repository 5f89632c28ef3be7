import { renderTestApp } from '@backstage/frontend-test-utils';
import { screen, within } from '@testing-library/react';
import { cellplaneStatusApiRef } from '../../api';
import { cellplanePlugin } from '../../plugin';
import { FakeStatusApi } from '../../testing/fakes';
import { cellplanePlatformApiRef } from './platformApi';

describe('the platform page extension', () => {
  it('serves /cellplane/platform under the title Platform, with a nav item leading there', async () => {
    renderTestApp({
      features: [cellplanePlugin],
      initialRouteEntries: ['/cellplane/platform'],
      apis: [
        [cellplaneStatusApiRef, new FakeStatusApi([])],
        [
          cellplanePlatformApiRef,
          {
            getPlatform: async () => ({
              revision: null,
              sandbox: false,
              environments: [],
              pipelines: [],
              dataPlanes: [],
              otherClusters: [],
              componentTypes: [],
              traits: [],
              statuses: [],
            }),
          },
        ],
      ],
    });
    expect(await screen.findByText(/has no environments or pipelines yet/)).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Platform' })).toBeInTheDocument();
    const sidebar = screen.getByRole('navigation', { name: 'sidebar nav' });
    expect(within(sidebar).getByRole('link', { name: 'Platform' })).toHaveAttribute('href', '/cellplane/platform');
  });
});
