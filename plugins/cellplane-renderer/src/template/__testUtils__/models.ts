import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { EXAMPLE_REPOSITORY } from '@cellplane/backstage-plugin-node/testUtils';
import { loadRepositoryModel, readWorkingTree, RepositoryFile, RepositoryModel } from '@cellplane/backstage-plugin-node';

let example: RepositoryFile[] | undefined;

async function exampleFiles(): Promise<RepositoryFile[]> {
  example ??= (await readWorkingTree(EXAMPLE_REPOSITORY)).files;
  return example;
}

/**
 * The example repository with some files replaced, added (`path: content`) or removed
 * (`path: null`); objects are written as YAML.
 */
export async function exampleModel(
  changes: Record<string, string | object | null> = {},
  keep: (path: string) => boolean = () => true,
): Promise<RepositoryModel> {
  const files = new Map((await exampleFiles()).filter(f => keep(f.path)).map(f => [f.path, f.content]));
  for (const [path, content] of Object.entries(changes)) {
    if (content === null) files.delete(path);
    else files.set(path, Buffer.from(typeof content === 'string' ? content : yaml.dump(content)));
  }
  return loadRepositoryModel({ files: [...files].map(([path, content]) => ({ path, content })) });
}

/** A file of the example repository, parsed. */
export async function exampleDocument(path: string): Promise<any> {
  const file = (await exampleFiles()).find(f => f.path === path);
  if (!file) throw new Error(`no example file ${path}`);
  return yaml.load(file.content.toString());
}

/** A verbatim OpenChoreo sample from __fixtures__/openchoreo-samples, parsed. */
export function openChoreoSample(name: string): any {
  return yaml.load(readFileSync(join(__dirname, '../__fixtures__/openchoreo-samples', `${name}.yaml`), 'utf8'));
}
