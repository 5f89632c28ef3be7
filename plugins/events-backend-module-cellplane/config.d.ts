export interface Config {
  cellplane?: {
    /**
     * Secrets of the push webhooks (`POST /api/events/http/<topic>`) that tell the portal to read
     * a new commit of the GitOps repository at once. A webhook whose secret is set accepts only
     * requests that prove they hold it (401 without the proof, 403 with a wrong one); without a
     * secret it accepts anyone who can reach the backend, and the backend logs a warning at start.
     */
    webhooks?: {
      /**
       * `github.push`: GitHub's webhook secret; requests must carry `X-Hub-Signature-256`
       * (HMAC-SHA256 of the body). Set the same value as the webhook's secret on GitHub.
       */
      github?: {
        /** @visibility secret */
        secret?: string;
      };
      /**
       * `gitlab.push`: GitLab's webhook secret token; requests must carry it in `X-Gitlab-Token`.
       */
      gitlab?: {
        /** @visibility secret */
        secret?: string;
      };
      /**
       * `cellplane.gitops.push`: the secret of a post-receive hook on the GitOps repository;
       * requests must carry `X-Cellplane-Signature-256: sha256=<hex HMAC-SHA256 of the body>`,
       * as GitHub signs (see the module's README for the hook).
       */
      cellplane?: {
        /** @visibility secret */
        secret?: string;
      };
    };
  };
}
