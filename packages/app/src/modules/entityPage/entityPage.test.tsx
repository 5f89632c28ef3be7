import { Entity } from '@backstage/catalog-model';
import { FrontendFeature, fetchApiRef } from '@backstage/frontend-plugin-api';
import { renderTestApp } from '@backstage/frontend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import cellplanePlugin, { cellplaneStatusApiRef } from '@cellplane/backstage-plugin';
import { screen, waitFor } from '@testing-library/react';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { entityPageModule } from '.';

/**
 * The `entity-card:` extensions app-config.yaml lists under app.extensions, in its order (a plain
 * reading of that one list: the app has no YAML parser of its own).
 */
function cardOrderOfAppConfig(): string[] {
  const text = readFileSync(resolve(__dirname, '../../../../../app-config.yaml'), 'utf8');
  return [...text.matchAll(/^ {4}- (entity-card:[\w/-]+)\s*$/gm)].map(match => match[1]);
}

const webShop: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'web-shop',
    namespace: 'acme',
    annotations: {
      'cellplane.dev/namespace': 'acme',
      'cellplane.dev/component': 'web-shop',
      'cellplane.dev/problems': JSON.stringify(['workload.yaml:43: Workload acme/web-shop: Component catalog-api has no endpoint "soap"']),
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'group:acme/team-storefront', system: 'storefront' },
};
// Generic cards this entity gets: labels (an info card, like About), and the catalog's relation
// cards (content cards).
webShop.metadata.labels = { tier: 'frontend' };

/** A status API that never answers: the cards show their loading state, titles included. */
const silentStatusApi = {
  getComponentStatus: () => new Promise<never>(() => {}),
  getProjectStatus: () => new Promise<never>(() => {}),
  getEnvironmentStatus: () => new Promise<never>(() => {}),
  watchStatus: () => () => {},
};

/**
 * The card titles of the page, in document order: InfoCard's (Cellplane's cards) and
 * EntityInfoCard's (the catalog's, a heading in @backstage/ui's card header).
 */
const cardTitles = () => [...document.querySelectorAll('.MuiCardHeader-title, .bui-CardHeader h3')].map(title => title.textContent);

describe("a Cellplane component's page", () => {
  it("lists Cellplane's cards first in app-config.yaml's app.extensions", () => {
    expect(cardOrderOfAppConfig()).toEqual(['entity-card:cellplane/delivery-pipeline', 'entity-card:cellplane/repository-problems']);
  });

  it("shows Cellplane's delivery pipeline and the repository's problems before the generic cards (labels, relations)", async () => {
    renderTestApp({
      // The catalog plugin is typed against its own copy of frontend-plugin-api; the app takes it alike.
      features: [catalogPlugin as unknown as FrontendFeature, cellplanePlugin, entityPageModule],
      config: {
        app: {
          extensions: [
            ...cardOrderOfAppConfig(),
            // The About and links cards need the legacy app context, which this test app lacks;
            // the labels card is an info card as they are, and placed alike.
            { 'entity-card:catalog/about': false },
            { 'entity-card:catalog/links': false },
          ],
        },
        backend: { baseUrl: 'http://localhost:7007' },
      },
      initialRouteEntries: ['/catalog/acme/component/web-shop'],
      apis: [
        [catalogApiRef, catalogApiMock({ entities: [webShop] })],
        [cellplaneStatusApiRef, silentStatusApi],
        // The delivery pipeline's own reads, unanswered alike.
        [fetchApiRef, { fetch: () => new Promise<never>(() => {}) }],
      ],
    });
    expect(await screen.findByText('Delivery pipeline')).toBeInTheDocument();
    expect(await screen.findByText('Labels')).toBeInTheDocument();
    // The catalog's relation cards too (their data comes a moment later).
    await waitFor(() => expect(cardTitles().length).toBeGreaterThan(3));
    const titles = cardTitles();
    expect(titles.slice(0, 2)).toEqual(['Delivery pipeline', 'Problems in the GitOps repository']);
    expect(titles[titles.length - 1]).toBe('Labels');
  });
});
