/*
 * Hi!
 *
 * Note that this is an EXAMPLE Backstage backend. Please check the README.
 *
 * Happy hacking!
 */

import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// scaffolder plugin
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);

// techdocs plugin
backend.add(import('@backstage/plugin-techdocs-backend'));

// auth plugin
backend.add(import('@backstage/plugin-auth-backend'));
// See https://backstage.io/docs/backend-system/building-backends/migrating#the-auth-plugin
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// See https://backstage.io/docs/auth/guest/provider

// catalog plugin
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);

// See https://backstage.io/docs/features/software-catalog/configuration#subscribing-to-catalog-errors
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// permission plugin
backend.add(import('@backstage/plugin-permission-backend'));
// Cellplane's example policy: allow all, except changing production, which needs team-platform
// (see ./permissionPolicy.ts and https://backstage.io/docs/permissions/getting-started).
backend.add(import('./permissionPolicy'));

// search plugin
backend.add(import('@backstage/plugin-search-backend'));

// search engine
// See https://backstage.io/docs/features/search/search-engines
backend.add(import('@backstage/plugin-search-backend-module-pg'));

// search collators
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));

// kubernetes plugin; its clusters are Cellplane's data planes (with none configured, the sandbox)
backend.add(import('@backstage/plugin-kubernetes-backend'));
backend.add(import('@cellplane/backstage-plugin-kubernetes-backend-module'));

// user settings plugin
backend.add(import('@backstage/plugin-user-settings-backend'));

// notifications and signals plugins
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// mcp actions plugin
backend.add(import('@backstage/plugin-mcp-actions-backend'));

// events: the bus between plugins and HTTP ingress for webhooks (POST /api/events/http/<topic>)
backend.add(import('@backstage/plugin-events-backend'));
// the GitOps repository's push webhooks, verified when cellplane.webhooks.*.secret is set
backend.add(import('@cellplane/backstage-plugin-events-backend-module'));

// Cellplane: the GitOps repository as a platform (see docs/architecture.md)
backend.add(import('@cellplane/backstage-plugin-backend'));
// the repository's resources as catalog entities, and a Template per ComponentType
backend.add(import('@cellplane/backstage-plugin-catalog-backend-module'));
// the write path: cellplane:* scaffolder actions
backend.add(import('@cellplane/backstage-plugin-scaffolder-backend-module'));
// With no cellplane.dataPlanes configured, an embedded sandbox data plane that applies rendered/
// at each commit, so the portal shows components running without a cluster.
backend.add(import('@cellplane/sandbox'));

backend.start();
