import { KubeConfig } from '@kubernetes/client-node';

/** @public */
export interface KubeConfigOptions {
  /** The API server URL, e.g. `http://127.0.0.1:36443`. */
  server: string;
  /** Bearer token of the user. */
  token: string;
  /** Default namespace of the context. */
  namespace?: string;
  /** PEM CA certificate the server's TLS certificate is signed with. */
  caData?: string;
  /**
   * Skip TLS verification (self-signed certificates in tests). Default true
   * for `http:` URLs: client-node 1.x refuses plain HTTP unless it is set.
   */
  skipTLSVerify?: boolean;
  /** Name of the cluster, user and context; default `kubernetes-test-server`. */
  name?: string;
}

/**
 * A KubeConfig with one cluster, user and context, the way a kubeconfig
 * file for kind or k3d looks; pass it to the same client code that talks to
 * real clusters.
 *
 * @public
 */
export function createKubeConfig(options: KubeConfigOptions): KubeConfig {
  const name = options.name ?? 'kubernetes-test-server';
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [
      {
        name,
        server: options.server,
        skipTLSVerify:
          options.skipTLSVerify ?? options.server.startsWith('http:'),
        ...(options.caData
          ? { caData: Buffer.from(options.caData).toString('base64') }
          : {}),
      },
    ],
    users: [{ name, token: options.token }],
    contexts: [
      {
        name,
        cluster: name,
        user: name,
        ...(options.namespace ? { namespace: options.namespace } : {}),
      },
    ],
    currentContext: name,
  });
  return kubeConfig;
}
