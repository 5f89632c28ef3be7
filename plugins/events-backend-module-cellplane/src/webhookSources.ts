import { Config } from '@backstage/config';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A sender of push webhooks and how it proves who it is: the topic it posts to
 * (`POST /api/events/http/<topic>`), the config key of its secret and the header that carries
 * the proof.
 */
export interface WebhookSource {
  /** The config key under `cellplane.webhooks`, e.g. `github`. */
  id: 'github' | 'gitlab' | 'cellplane';
  /** Who sends it, in log lines and error messages. */
  sender: string;
  topic: string;
  /** The header carrying the proof, as the sender spells it. */
  header: string;
  /** Whether `proof` (the header's value) proves that `body` was sent by a holder of `secret`. */
  verify(secret: string, body: Buffer, proof: string): boolean;
}

/**
 * GitHub's scheme, also used by Cellplane's own post-receive hook so one `openssl dgst` line can
 * sign: `sha256=` and the hex HMAC-SHA256 of the raw body, keyed with the secret.
 * https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
 */
function verifyHmacSha256(secret: string, body: Buffer, proof: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`, 'utf8');
  const given = Buffer.from(proof.trim(), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * GitLab sends the secret itself in `X-Gitlab-Token`. Both sides are hashed first so the
 * comparison takes the same time whatever the length of the guess.
 * https://docs.gitlab.com/user/project/integrations/webhooks/#create-a-webhook
 */
function verifyToken(secret: string, _body: Buffer, proof: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(proof), digest(secret));
}

/** The senders Cellplane verifies, one per push topic the portal reacts to. */
export const WEBHOOK_SOURCES: readonly WebhookSource[] = [
  {
    id: 'cellplane',
    sender: "the GitOps repository's post-receive hook",
    topic: 'cellplane.gitops.push',
    header: 'X-Cellplane-Signature-256',
    verify: verifyHmacSha256,
  },
  { id: 'github', sender: 'GitHub', topic: 'github.push', header: 'X-Hub-Signature-256', verify: verifyHmacSha256 },
  { id: 'gitlab', sender: 'GitLab', topic: 'gitlab.push', header: 'X-Gitlab-Token', verify: verifyToken },
];

/** The config key holding a source's secret. */
export function secretKey(source: WebhookSource): string {
  return `cellplane.webhooks.${source.id}.secret`;
}

/** The configured secret of a source, or undefined when its webhook is left unauthenticated. */
export function readWebhookSecret(config: Config, source: WebhookSource): string | undefined {
  const secret = config.getOptionalString(secretKey(source));
  return secret?.length ? secret : undefined;
}
