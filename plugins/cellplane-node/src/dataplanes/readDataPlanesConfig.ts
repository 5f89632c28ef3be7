import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { KubeConfig } from '@kubernetes/client-node';
import { isValidName } from '@cellplane/backstage-plugin-common';

/**
 * How Backstage's Kubernetes plugin may reach a data plane (`cellplane.dataPlanes[].kubernetesPlugin`).
 * Whoever holds `kubernetes.proxy` sends any request with these credentials, so what they may do
 * is what the cluster's RBAC lets the credentials do.
 *
 * @public
 */
export interface KubernetesPluginAccess {
  /**
   * - `readOnly` (the default): handed over only while the cluster answers (SelfSubjectAccessReview)
   *   that the credentials cannot write;
   * - `readWrite`: handed over as they are;
   * - `none`: the data plane is not shown in the Kubernetes tab.
   */
  access: 'readOnly' | 'readWrite' | 'none';
  /** A bearer token for the Kubernetes plugin only; without it, the data plane's own credentials. */
  serviceAccountToken?: string;
}

/** One configured data plane: its name in Git and how to reach its API server. @public */
export interface DataPlaneConnection {
  name: string;
  /** A KubeConfig whose current context reaches the cluster. */
  kubeConfig: KubeConfig;
  /** The API server, for messages (never carries credentials). */
  server: string;
  /** True for an embedded sandbox data plane (`@cellplane/sandbox`), false for a configured cluster. */
  sandbox: boolean;
  /** What Backstage's Kubernetes plugin gets; default `{ access: 'readOnly' }` with the credentials above. */
  kubernetesPlugin?: KubernetesPluginAccess;
}

const KUBERNETES_PLUGIN_ACCESS = ['readOnly', 'readWrite', 'none'] as const;

const AUTH_KEYS = ['serviceAccountToken', 'kubeconfig', 'inCluster'] as const;

/**
 * Reads `cellplane.dataPlanes`. Returns undefined when the key is not set (a backend may then bring its
 * own data planes, as the sandbox does). Every mistake is an InputError naming the key, so a bad config fails at start, not at
 * the first watch.
 *
 * @public
 */
export function readDataPlanesConfig(config: Config): DataPlaneConnection[] | undefined {
  if (!config.has('cellplane.dataPlanes')) return undefined;
  const raw = config.getOptional('cellplane.dataPlanes');
  if (!Array.isArray(raw)) {
    throw new InputError('cellplane.dataPlanes must be a list of data planes');
  }
  const entries = config.getConfigArray('cellplane.dataPlanes');
  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const key = `cellplane.dataPlanes[${index}]`;
    const name = entry.getOptionalString('name');
    if (!name || !isValidName(name)) {
      throw new InputError(`${key}.name must be the name of a DataPlane or ClusterDataPlane (RFC 1123 label), got ${JSON.stringify(name ?? null)}`);
    }
    if (seen.has(name)) {
      throw new InputError(`${key}.name: data plane ${JSON.stringify(name)} is configured twice`);
    }
    seen.add(name);
    const url = entry.getOptionalString('url');
    if (url !== undefined && !/^https?:\/\/[^/@\s]+(\/.*)?$/.test(url)) {
      throw new InputError(`${key}.url must be an http(s) URL of the API server without credentials, got ${JSON.stringify(url)}`);
    }
    const caData = entry.getOptionalString('caData');
    const caFile = entry.getOptionalString('caFile');
    if (caData && caFile) {
      throw new InputError(`${key}: set caData or caFile, not both`);
    }
    const skipTLSVerify = entry.getOptionalBoolean('skipTLSVerify') ?? false;
    const auth = entry.getOptionalConfig('auth');
    const given = AUTH_KEYS.filter(k => auth?.has(k));
    if (given.length !== 1) {
      throw new InputError(`${key}.auth must set exactly one of ${AUTH_KEYS.join(', ')}${given.length ? `, got ${given.join(' and ')}` : ''}`);
    }
    const kubeConfig = new KubeConfig();
    const cluster = { name, server: url ?? '', caData, caFile, skipTLSVerify };
    switch (given[0]) {
      case 'serviceAccountToken': {
        const token = auth!.getString('serviceAccountToken');
        if (!token.trim()) throw new InputError(`${key}.auth.serviceAccountToken must not be empty`);
        if (!url) throw new InputError(`${key}.url is required with auth.serviceAccountToken`);
        kubeConfig.loadFromOptions({
          clusters: [cluster],
          users: [{ name, token }],
          contexts: [{ name, cluster: name, user: name }],
          currentContext: name,
        });
        break;
      }
      case 'kubeconfig': {
        const file = auth!.getOptionalString('kubeconfig.file');
        const context = auth!.getOptionalString('kubeconfig.context');
        try {
          if (file) kubeConfig.loadFromFile(file);
          else kubeConfig.loadFromDefault();
        } catch (error) {
          throw new InputError(`${key}.auth.kubeconfig.file: cannot read ${file ?? 'the default kubeconfig'}: ${(error as Error).message}`);
        }
        if (context) {
          if (!kubeConfig.getContextObject(context)) {
            throw new InputError(`${key}.auth.kubeconfig.context: no context ${JSON.stringify(context)} in ${file ?? 'the default kubeconfig'}`);
          }
          kubeConfig.setCurrentContext(context);
        }
        overrideCluster(kubeConfig, { url, caData, caFile, skipTLSVerify: entry.getOptionalBoolean('skipTLSVerify') });
        if (!kubeConfig.getCurrentCluster()) {
          throw new InputError(`${key}.auth.kubeconfig: the kubeconfig has no current cluster; set auth.kubeconfig.context`);
        }
        break;
      }
      default: {
        if (auth!.getBoolean('inCluster') !== true) {
          throw new InputError(`${key}.auth.inCluster must be true when set`);
        }
        if (!process.env.KUBERNETES_SERVICE_HOST || !process.env.KUBERNETES_SERVICE_PORT) {
          throw new InputError(`${key}.auth.inCluster: not running in a cluster (KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set)`);
        }
        try {
          kubeConfig.loadFromCluster();
        } catch (error) {
          throw new InputError(`${key}.auth.inCluster: not running in a cluster: ${(error as Error).message}`);
        }
        overrideCluster(kubeConfig, { url, caData, caFile, skipTLSVerify: entry.getOptionalBoolean('skipTLSVerify') });
      }
    }
    return {
      name,
      kubeConfig,
      server: kubeConfig.getCurrentCluster()?.server ?? url ?? '',
      sandbox: false,
      kubernetesPlugin: readKubernetesPluginAccess(entry, key),
    };
  });
}

function readKubernetesPluginAccess(entry: Config, key: string): KubernetesPluginAccess {
  const access = entry.getOptionalString('kubernetesPlugin.access') ?? 'readOnly';
  if (!(KUBERNETES_PLUGIN_ACCESS as readonly string[]).includes(access)) {
    throw new InputError(
      `${key}.kubernetesPlugin.access must be one of ${KUBERNETES_PLUGIN_ACCESS.join(', ')}, got ${JSON.stringify(access)}`,
    );
  }
  const token = entry.getOptionalString('kubernetesPlugin.serviceAccountToken');
  if (token !== undefined && !token.trim()) {
    throw new InputError(`${key}.kubernetesPlugin.serviceAccountToken must not be empty`);
  }
  return { access: access as KubernetesPluginAccess['access'], ...(token ? { serviceAccountToken: token } : {}) };
}

/** URL and CA from app-config win over the kubeconfig's, so one file can serve several planes. */
function overrideCluster(
  kubeConfig: KubeConfig,
  overrides: { url?: string; caData?: string; caFile?: string; skipTLSVerify?: boolean },
) {
  const current = kubeConfig.getCurrentCluster();
  if (!current) return;
  const cluster = {
    ...current,
    ...(overrides.url ? { server: overrides.url } : {}),
    ...(overrides.caData ? { caData: overrides.caData, caFile: undefined } : {}),
    ...(overrides.caFile ? { caFile: overrides.caFile, caData: undefined } : {}),
    ...(overrides.skipTLSVerify !== undefined ? { skipTLSVerify: overrides.skipTLSVerify } : {}),
  };
  const context = kubeConfig.getContextObject(kubeConfig.getCurrentContext())!;
  kubeConfig.loadFromOptions({
    clusters: kubeConfig.getClusters().map(c => (c.name === current.name ? cluster : c)),
    users: kubeConfig.getUsers(),
    contexts: kubeConfig.getContexts(),
    currentContext: context.name,
  });
}
