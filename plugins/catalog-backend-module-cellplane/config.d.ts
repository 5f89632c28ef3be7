export interface Config {
  catalog?: {
    providers?: {
      /** The Cellplane entity provider: the GitOps repository (`cellplane.gitops`) as entities. */
      cellplane?: {
        /**
         * Owner of entities whose project and component name none (annotation
         * `cellplane.dev/owner`). Default: `group:default/team-platform`.
         */
        defaultOwner?: string;
        /** Only publish these OpenChoreo namespaces. Default: all. */
        namespaces?: string[];
        /**
         * How often to look for a new commit when no push event arrives. Default: every 5
         * seconds (a fetch from an unchanged repository costs one `git fetch`).
         */
        schedule?: {
          frequency: { seconds?: number; minutes?: number; hours?: number } | string;
          timeout: { seconds?: number; minutes?: number; hours?: number } | string;
          initialDelay?: { seconds?: number; minutes?: number } | string;
          scope?: 'global' | 'local';
        };
      };
    };
  };
}
