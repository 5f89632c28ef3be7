import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { targetPaths } from '@backstage/cli-common';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { isRemoteGitUrl } from '../git/remoteUrl';

/** The `cellplane.gitops` configuration, resolved. @public */
export interface GitOpsConfig {
  /** A local path (bare repository) or a remote URL (https://, ssh://, git\@host:path). */
  url: string;
  /** True when `url` is a repository on this machine's disk. */
  isLocal: boolean;
  /** The branch Cellplane reads and commits to (default `main`). */
  branch: string;
  /** Folder seeded into a local repository that does not exist yet; undefined: none. */
  seedFrom?: string;
  /** Where this process keeps its mirror of the repository. */
  cacheDir: string;
}

/** Cellplane's zero-setup default: a bare repository on disk, seeded with the example org. */
const DEFAULT_LOCAL_REPOSITORY = '.cellplane/gitops.git';
const DEFAULT_SEED = 'examples/gitops';

/**
 * Reads `cellplane.gitops`. Relative paths resolve against the Backstage repository root, so the
 * same config works whether the backend runs from packages/backend (yarn start) or the root.
 *
 * @public
 */
export function readGitOpsConfig(config: Config): GitOpsConfig {
  const gitops = config.getOptionalConfig('cellplane.gitops');
  const configuredUrl = gitops?.getOptionalString('url');
  const url = configuredUrl ?? DEFAULT_LOCAL_REPOSITORY;
  if (url.trim() === '') {
    throw new InputError('cellplane.gitops.url must not be empty');
  }
  if (/^https?:\/\/[^/]*@/.test(url)) {
    throw new InputError(
      'cellplane.gitops.url must not contain credentials; configure a token under integrations (e.g. integrations.github) instead',
    );
  }
  const isLocal = !isRemoteGitUrl(url);
  const resolvedUrl = isLocal ? resolveFromRoot(url.replace(/^file:\/\//, '')) : url;

  const branch = gitops?.getOptionalString('branch') ?? 'main';

  const seed = gitops?.getOptional('seedFrom');
  if (seed !== undefined && seed !== false && typeof seed !== 'string') {
    throw new InputError('cellplane.gitops.seedFrom must be a folder path, or false to never seed');
  }
  let seedFrom: string | undefined;
  if (typeof seed === 'string') {
    seedFrom = resolveFromRoot(seed);
  } else if (seed === undefined && configuredUrl === undefined) {
    seedFrom = resolveFromRoot(DEFAULT_SEED);
  }
  if (seedFrom && !isLocal) {
    throw new InputError('cellplane.gitops.seedFrom only applies to a repository on local disk');
  }

  const configuredCache = gitops?.getOptionalString('cacheDir');
  const cacheDir = configuredCache
    ? resolveFromRoot(configuredCache)
    : join(tmpdir(), 'cellplane', createHash('sha256').update(`${resolvedUrl}#${branch}`).digest('hex').slice(0, 16));

  return { url: resolvedUrl, isLocal, branch, seedFrom, cacheDir };
}

function resolveFromRoot(path: string): string {
  if (isAbsolute(path)) return path;
  let root: string;
  try {
    root = targetPaths.rootDir;
  } catch {
    root = process.cwd();
  }
  return resolve(root, path);
}
