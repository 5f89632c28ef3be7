import {
  DefaultGithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';

/**
 * Git environment that authenticates HTTPS fetches and pushes with the token Backstage's SCM
 * integrations hold for the URL's host. The token travels as an HTTP header in GIT_CONFIG_*
 * variables: never in the URL, the arguments, the mirror's config or a log line.
 *
 * @internal
 */
export async function gitCredentialsEnv(
  url: string,
  integrations: ScmIntegrationRegistry,
): Promise<Record<string, string> | undefined> {
  if (!/^https?:\/\//.test(url)) {
    return undefined; // ssh and local paths use the machine's own keys and permissions
  }
  let basic: string | undefined;
  if (integrations.github.byUrl(url)) {
    const { token } = await DefaultGithubCredentialsProvider.fromIntegrations(integrations).getCredentials({ url });
    basic = token ? `x-access-token:${token}` : undefined;
  } else {
    const gitlab = integrations.gitlab.byUrl(url);
    if (gitlab?.config.token) {
      basic = `oauth2:${gitlab.config.token}`;
    } else {
      const gitea = integrations.gitea.byUrl(url);
      if (gitea?.config.username && gitea.config.password) {
        basic = `${gitea.config.username}:${gitea.config.password}`;
      }
    }
  }
  if (!basic) {
    return undefined;
  }
  return {
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'http.extraHeader',
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from(basic).toString('base64')}`,
  };
}
