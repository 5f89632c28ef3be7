import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { eventsExtensionPoint } from '@backstage/plugin-events-node/alpha';
import { createSignatureValidator } from './createSignatureValidator';
import { normalizeContentType } from './normalizeContentType';
import { parseJsonBody } from './parseJsonBody';
import { WEBHOOK_SOURCES, readWebhookSecret, secretKey } from './webhookSources';

/**
 * Push webhooks for the GitOps repository on the events plugin:
 * `POST /api/events/http/{cellplane.gitops.push,github.push,gitlab.push}`. Each is verified with
 * its sender's scheme when `cellplane.webhooks.<sender>.secret` is set (GitHub's
 * `X-Hub-Signature-256`, GitLab's `X-Gitlab-Token`, `X-Cellplane-Signature-256` from a
 * post-receive hook); without a secret it stays open, and the backend says so once at start.
 * Malformed requests answer 400 (415 for another type than JSON) instead of 500.
 *
 * @public
 */
export const eventsModuleCellplaneWebhooks = createBackendModule({
  pluginId: 'events',
  moduleId: 'cellplane-webhooks',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        events: eventsExtensionPoint,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
      },
      async init({ config, events, httpRouter, logger }) {
        const open: string[] = [];
        for (const source of WEBHOOK_SOURCES) {
          const secret = readWebhookSecret(config, source);
          if (!secret) open.push(`${source.topic} (set ${secretKey(source)})`);
          events.addHttpPostIngress({
            topic: source.topic,
            validator: secret ? createSignatureValidator(source, secret) : undefined,
          });
        }
        events.addHttpPostBodyParser({ contentType: 'application/json', parser: parseJsonBody });
        // Module routes are mounted before the events plugin's own, so this sees requests first.
        httpRouter.use(normalizeContentType(WEBHOOK_SOURCES.map(source => source.topic)));
        if (open.length) {
          logger.warn(
            `Push webhooks without a secret accept unauthenticated requests from anyone who can reach the backend: ${open.join(
              ', ',
            )}. See plugins/events-backend-module-cellplane/README.md.`,
          );
        }
      },
    });
  },
});
