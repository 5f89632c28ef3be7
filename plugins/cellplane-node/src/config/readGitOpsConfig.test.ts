import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { isAbsolute } from 'node:path';
import { gitCredentialsEnv } from './gitCredentials';
import { readGitOpsConfig } from './readGitOpsConfig';

const read = (gitops?: unknown) =>
  readGitOpsConfig(new ConfigReader(gitops === undefined ? {} : { cellplane: { gitops } }));

describe('readGitOpsConfig', () => {
  it('defaults to a local repository seeded with the example organisation', () => {
    const config = read();
    expect(config).toMatchObject({ isLocal: true, branch: 'main' });
    expect(config.url).toMatch(/\/\.cellplane\/gitops\.git$/);
    expect(isAbsolute(config.url)).toBe(true);
    expect(config.seedFrom).toMatch(/\/examples\/gitops$/);
  });

  it('does not seed a configured repository unless asked to', () => {
    expect(read({ url: '/srv/gitops.git' })).toMatchObject({ url: '/srv/gitops.git', seedFrom: undefined });
    expect(read({ url: '/srv/gitops.git', seedFrom: '/srv/seed' }).seedFrom).toBe('/srv/seed');
    expect(read({ seedFrom: false }).seedFrom).toBeUndefined();
  });

  it('recognises remote URLs', () => {
    for (const url of ['https://github.com/acme/gitops.git', 'ssh://git@host/acme.git', 'git@github.com:acme/gitops.git']) {
      expect(read({ url })).toMatchObject({ url, isLocal: false });
    }
  });

  it('answers bad values with the key that is wrong', () => {
    expect(() => read({ url: '' })).toThrow(/cellplane\.gitops\.url/);
    expect(() => read({ url: '  ' })).toThrow('cellplane.gitops.url must not be empty');
    expect(() => read({ url: 'https://me:token@github.com/acme/gitops.git' })).toThrow(/must not contain credentials/);
    expect(() => read({ url: 42 })).toThrow(/cellplane\.gitops\.url/);
    expect(() => read({ seedFrom: 3 })).toThrow('cellplane.gitops.seedFrom must be a folder path, or false to never seed');
    expect(() => read({ url: 'https://github.com/a/b.git', seedFrom: 'examples/gitops' })).toThrow(
      /seedFrom only applies to a repository on local disk/,
    );
  });
});

describe('gitCredentialsEnv', () => {
  const integrations = ScmIntegrations.fromConfig(
    new ConfigReader({
      integrations: {
        github: [{ host: 'github.com', token: 'ghp_secret' }],
        gitlab: [{ host: 'gitlab.example.com', apiBaseUrl: 'https://gitlab.example.com/api/v4', token: 'glpat_secret' }],
      },
    }),
  );

  it('passes the integration token as an HTTP header in the environment, not the URL', async () => {
    const env = await gitCredentialsEnv('https://github.com/acme/gitops.git', integrations);
    expect(env).toEqual({
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.extraHeader',
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from('x-access-token:ghp_secret').toString('base64')}`,
    });
    const gitlab = await gitCredentialsEnv('https://gitlab.example.com/acme/gitops.git', integrations);
    expect(gitlab?.GIT_CONFIG_VALUE_0).toBe(`Authorization: Basic ${Buffer.from('oauth2:glpat_secret').toString('base64')}`);
  });

  it('adds nothing for ssh, local paths and hosts without an integration', async () => {
    expect(await gitCredentialsEnv('git@github.com:acme/gitops.git', integrations)).toBeUndefined();
    expect(await gitCredentialsEnv('/srv/gitops.git', integrations)).toBeUndefined();
    expect(await gitCredentialsEnv('https://example.org/gitops.git', integrations)).toBeUndefined();
  });
});
