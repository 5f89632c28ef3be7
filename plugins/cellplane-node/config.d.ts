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
    /**
     * The Kubernetes clusters (data planes) whose status the portal reads. Each entry is matched
     * by name to a DataPlane or ClusterDataPlane resource in the GitOps repository; every
     * Environment whose `spec.dataPlaneRef` names it is read from that cluster.
     *
     * When not set, no cluster is read, unless the backend brings its own data planes: the
     * example backend adds `@cellplane/sandbox`, which then starts an embedded sandbox data plane
     * (an in-process Kubernetes-API test server plus a sync loop standing in for Argo CD) for
     * every environment, labelled `sandbox: true` in the API. Setting this list replaces the
     * sandbox.
     *
     * OpenChoreo's control plane: where a listed cluster serves OpenChoreo's CRDs
     * (`openchoreo.dev/v1alpha1` ReleaseBinding, RenderedRelease), the status also shows the
     * conditions of each component's ReleaseBinding and RenderedReleases, for every environment,
     * whichever data plane runs it; a cluster without them is not asked for them. OpenChoreo keeps
     * them on the cluster its controllers run in: with a single-cluster installation that is the
     * data plane already listed; with a separate control-plane cluster, list it too, under a name
     * no Environment uses (its credentials need get/list/watch on those two kinds).
     */
    dataPlanes?: Array<{
      /** The DataPlane / ClusterDataPlane `metadata.name` in Git, e.g. `default`. */
      name: string;
      /** The API server URL, e.g. `https://10.0.0.1:6443`. Required with `auth.serviceAccountToken`. */
      url?: string;
      /** PEM-encoded CA certificate of the API server, base64-encoded (as in a kubeconfig). */
      caData?: string;
      /** Path to a PEM file with the CA certificate of the API server. */
      caFile?: string;
      /** Skip verifying the API server's certificate (never in production). Default false. */
      skipTLSVerify?: boolean;
      /** How to authenticate; exactly one of the keys. */
      auth: {
        /**
         * A service-account token with get/list/watch on the watched kinds.
         * @visibility secret
         */
        serviceAccountToken?: string;
        /** A kubeconfig file (default: $KUBECONFIG or ~/.kube/config) and optionally one of its contexts. */
        kubeconfig?: {
          file?: string;
          context?: string;
        };
        /** Use the pod's own service account (Backstage running inside this cluster). */
        inCluster?: boolean;
      };
      /**
       * What Backstage's Kubernetes plugin gets for this data plane (Cellplane hands its data
       * planes over, so the Kubernetes tab shows each component's workloads). The plugin's proxy
       * (`/api/kubernetes/proxy`) sends any request of a user holding the `kubernetes.proxy`
       * permission with these credentials, and that permission cannot tell a read from a write:
       * what users can do to the cluster through Backstage is what the cluster's RBAC lets these
       * credentials do. The Kubernetes tab needs only get/list/watch, and `get` on `pods/log` for
       * pod logs: the `view` ClusterRole gives exactly that (and no Secrets).
       *
       * The embedded sandbox always hands over a token of its own that can only read.
       */
      kubernetesPlugin?: {
        /**
         * - `readOnly` (default): before handing the credentials over, and again every 5 minutes,
         *   Cellplane asks the cluster (SelfSubjectAccessReview, in all namespaces) whether they
         *   may exec into or delete pods, create or patch Deployments, patch Services or delete
         *   namespaces; if any is allowed (or the check fails) the data plane is left out of the
         *   Kubernetes tab and an error says why. The check sees cluster-wide grants, not a
         *   RoleBinding limited to some namespaces, and not every verb on every kind: it catches
         *   the usual mistake (an admin or Argo CD token), it does not replace giving a read-only
         *   token.
         * - `readWrite`: hand the credentials over as they are, writes included; restrict
         *   `kubernetes.proxy` in your permission policy then.
         * - `none`: do not show this data plane in the Kubernetes tab.
         */
        access?: 'readOnly' | 'readWrite' | 'none';
        /**
         * A bearer token for the Kubernetes plugin only (e.g. of a service account bound to the
         * `view` ClusterRole), instead of the credentials under `auth`, which Cellplane's status
         * keeps using. Needed to show a data plane reached with client certificates or an exec
         * plugin.
         * @visibility secret
         */
        serviceAccountToken?: string;
      };
      /**
       * The Prometheus that scrapes this data plane, for the component page's Metrics tab
       * (queried through its HTTP API, `/api/v1/query_range`). The URL may instead come from the
       * DataPlane / ClusterDataPlane annotation `cellplane.dev/prometheus-url` in Git; the
       * credentials only ever come from here. The URL here wins over the annotation.
       */
      prometheus?: {
        /** Prometheus' base URL, e.g. `https://prometheus.monitoring.example:9090` (no credentials in it). */
        url?: string;
        /**
         * Sent as `Authorization: Bearer <token>` with every query.
         * @visibility secret
         */
        token?: string;
        /**
         * More headers sent with every query, e.g. `X-Scope-OrgID` for Mimir or Thanos tenants.
         * @visibility secret
         */
        headers?: { [name: string]: string };
        /**
         * With credentials (`token`, `headers`) and no `url`: the hosts (`host[:port]`) the
         * `cellplane.dev/prometheus-url` annotation may name. Anyone who can push to the GitOps
         * repository can change an annotation, so credentials never go to a host not listed here.
         */
        allowedHosts?: string[];
      };
      /**
       * Where this data plane's traces are looked at: the component page links there with the
       * component's service name and environment filled in. Either `urlTemplate`, or `preset`
       * and `url`. The DataPlane / ClusterDataPlane annotation `cellplane.dev/tracing-url` (a URL
       * template) serves when this is not set.
       */
      tracing?: {
        /**
         * Any tracing UI: a URL with placeholders `{service}` (OTEL_SERVICE_NAME: the component),
         * `{environment}` (deployment.environment.name), `{project}` (service.namespace),
         * `{namespace}` (openchoreo.namespace) and `{kubernetesNamespace}` (k8s.namespace.name),
         * each percent-encoded when filled in. E.g.
         * `https://jaeger.example/search?service={service}`.
         */
        urlTemplate?: string;
        /** `jaeger` (Jaeger UI's search) or `tempo` (Grafana's Explore with a TraceQL query). */
        preset?: 'jaeger' | 'tempo';
        /** With `preset`: the base URL of the Jaeger UI, or of the Grafana that has the Tempo data source. */
        url?: string;
        /** With `preset: tempo`: the uid of Grafana's Tempo data source. Default `tempo`. */
        datasource?: string;
      };
    }>;
  };
}
