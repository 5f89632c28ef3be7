export interface Config {
  /** Cellplane: the OpenChoreo-compatible internal developer platform plugins. */
  cellplane?: {
    /** The GitOps repository that holds the platform's and the teams' resources. */
    gitops?: {
      /**
       * Where the repository lives: a path to a (bare) repository on this machine, relative to
       * the Backstage repository root or absolute, or a remote URL (https://, ssh://,
       * git@host:path). HTTPS remotes authenticate with the token of the matching entry under
       * `integrations` (GitHub, GitLab, Gitea); never put credentials in the URL.
       * Default: `.cellplane/gitops.git`, created and seeded on first start.
       */
      url?: string;
      /** The branch Cellplane reads and commits to. Default: `main`. */
      branch?: string;
      /**
       * A folder whose files become the first commit when the local repository does not exist
       * yet, or `false` to start empty. Default: `examples/gitops` when `url` is not set,
       * otherwise none.
       */
      seedFrom?: string | false;
      /**
       * Where each backend process keeps its private mirror of the repository. Default: a
       * folder under the system's temporary directory, named after the URL and branch.
       */
      cacheDir?: string;
    };
  };
}
