/**
 * A backend with Backstage's real Kubernetes plugin and Cellplane's module on the sandbox, run as
 * its own Node process (`node --import tsx`) by kubernetesProxy.test.ts: the plugin loads
 * `@kubernetes/client-node` with dynamic imports, which Jest's module sandbox cannot run.
 *
 * It deploys cart-api to the sandbox, serves a stand-in catalog with its entity, prints one JSON
 * line `{ "url": ... }` when ready, and stops when its stdin closes.
 */
import {
  createBackendModule,
  createBackendPlugin,
  coreServices,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import Router from 'express-promise-router';
import { AddressInfo } from 'node:net';
import { cellplaneDataPlanesServiceRef } from '@cellplane/backstage-plugin-node';
import { renderedComponent } from '@cellplane/backstage-plugin-node/testUtils';
import { sandboxDataPlanesServiceFactory } from '@cellplane/sandbox';
import { kubernetesModuleCellplane } from '../module';

export const CART_API = {
  project: 'storefront',
  component: 'cart-api',
  environment: 'production',
  replicas: 1,
};

export const cartApiEntity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'cart-api',
    namespace: 'acme',
    annotations: {
      'backstage.io/kubernetes-label-selector':
        'openchoreo.dev/component=cart-api,openchoreo.dev/project=storefront',
    },
  },
  spec: {
    type: 'service',
    owner: 'group:acme/storefront',
    lifecycle: 'production',
  },
};

/** Deploys cart-api to the sandbox before the backend answers, and waits for its pod. */
const deployCartApi = createBackendModule({
  pluginId: 'kubernetes',
  moduleId: 'test-deploy-cart-api',
  register(reg) {
    reg.registerInit({
      deps: { dataPlanes: cellplaneDataPlanesServiceRef },
      async init({ dataPlanes }) {
        await dataPlanes.applyRevision!(
          'a'.repeat(40),
          renderedComponent(CART_API),
        );
      },
    });
  },
});

/** The catalog the Kubernetes plugin asks for the entity (by name), with cart-api in it. */
const catalogStandIn = createBackendPlugin({
  pluginId: 'catalog',
  register(reg) {
    reg.registerInit({
      deps: { httpRouter: coreServices.httpRouter },
      async init({ httpRouter }) {
        const router = Router();
        router.get('/entities/by-name/component/acme/cart-api', (_req, res) => {
          res.json(cartApiEntity);
        });
        httpRouter.use(router);
        httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
      },
    });
  },
});

async function main() {
  const backend = await startTestBackend({
    features: [
      kubernetesPlugin,
      kubernetesModuleCellplane,
      sandboxDataPlanesServiceFactory,
      deployCartApi,
      catalogStandIn,
      mockServices.rootConfig.factory({
        data: { kubernetes: { serviceLocatorMethod: { type: 'multiTenant' } } },
      }),
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  process.stdout.write(
    `${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`,
  );
  process.stdin.resume();
  process.stdin.on('end', async () => {
    await backend.stop();
    process.exit(0);
  });
}

if (require.main === module) {
  main().catch(error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  });
}
