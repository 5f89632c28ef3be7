import { LoggerService } from '@backstage/backend-plugin-api';
import { existsSync, promises as fs } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { runGit } from '../git/runGit';
import { GitOpsRepository } from '../gitops/GitOpsRepository';

/**
 * Creates the local bare repository the first time the portal starts, and commits the seed
 * folder (the example organisation) as its first commit. A repository that exists is left as it
 * is, whatever it holds.
 *
 * @internal
 */
export async function ensureLocalRepository(options: {
  path: string;
  branch: string;
  seedFrom?: string;
  repository: GitOpsRepository;
  logger: LoggerService;
}): Promise<'created' | 'existing'> {
  const { path, branch, seedFrom, repository, logger } = options;
  if (existsSync(path)) {
    return 'existing';
  }
  await fs.mkdir(dirname(path), { recursive: true });
  await runGit(['init', '--quiet', '--bare', `--initial-branch=${branch}`, path], { cwd: dirname(path) });
  logger.info(`Created the GitOps repository ${path}`);
  if (!seedFrom) {
    return 'created';
  }
  const files = (await fs.readdir(seedFrom, { recursive: true, withFileTypes: true }))
    .filter(entry => entry.isFile())
    .map(entry => relative(seedFrom, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
  const result = await repository.commit({
    message: `Seed the GitOps repository from ${relative(process.cwd(), seedFrom) || seedFrom}`,
    author: { name: 'Cellplane', email: 'cellplane@localhost' },
    changes: async () =>
      Promise.all(files.map(async file => ({ path: file, content: await fs.readFile(join(seedFrom, file)) }))),
  });
  logger.info(`Seeded ${path} with ${files.length} files from ${seedFrom} (commit ${result.commit?.slice(0, 12)})`);
  return 'created';
}
