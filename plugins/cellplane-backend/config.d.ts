export interface Config {
  cellplane?: {
    /**
     * The Kubernetes clusters (data planes) whose status the portal reads. Each entry is matched
     * by name to a DataPlane or ClusterDataPlane resource in the GitOps repository; every
     * Environment whose `spec.dataPlaneRef` names it is read from that cluster.
     *
     * When not set, Cellplane starts an embedded sandbox data plane (an in-process
     * Kubernetes-API test server plus a sync loop standing in for Argo CD) for every environment,
     * labelled `sandbox: true` in the API. Setting this list replaces the sandbox.
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
    }>;
  };
}
