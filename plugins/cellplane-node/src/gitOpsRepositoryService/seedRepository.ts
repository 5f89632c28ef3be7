import { LoggerService } from '@backstage/backend-plugin-api';
import { existsSync, promises as fs } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { runGit } from '../git/runGit';
import { GitOpsRepository } from '../gitops/GitOpsRepository';
import { listFiles } from '../repository/sources';

/**
 * Creates the local bare repository (at `repository.url`, with its branch) the first time the
 * portal starts, and commits the seed folder (the example organisation) as its first commit. A
 * repository that exists is left as it is, whatever it holds.
 *
 * @internal
 */
export async function ensureLocalRepository(options: {
  seedFrom?: string;
  repository: GitOpsRepository;
  logger: LoggerService;
}): Promise<'created' | 'existing'> {
  const { seedFrom, repository, logger } = options;
  const { url: path, branch } = repository;
  if (existsSync(path)) {
    return 'existing';
  }
  await fs.mkdir(dirname(path), { recursive: true });
  await runGit(['init', '--quiet', '--bare', `--initial-branch=${branch}`, path], { cwd: dirname(path) });
  logger.info(`Created the GitOps repository ${path}`);
  if (!seedFrom) {
    return 'created';
  }
  const files = await listFiles(seedFrom);
  const result = await repository.commit({
    message: `Seed the GitOps repository from ${relative(process.cwd(), seedFrom) || seedFrom}`,
    author: { name: 'Cellplane', email: 'cellplane@localhost' },
    changes: async () =>
      Promise.all(files.map(async file => ({ path: file, content: await fs.readFile(join(seedFrom, file)) }))),
  });
  logger.info(`Seeded ${path} with ${files.length} files from ${seedFrom} (commit ${result.commit?.slice(0, 12)})`);
  return 'created';
}
