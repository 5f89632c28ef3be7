import { InputError } from '@backstage/errors';
import { OpenChoreoResource, ResourceKind } from '@cellplane/backstage-plugin-common';
import {
  assertSafeRepositoryPath,
  FileChange,
  gitOpsLayout,
  NewResourceNeighbours,
  RepositoryModel,
  RepositoryRevision,
  resourceToYaml,
} from '@cellplane/backstage-plugin-node';
import { YamlDocumentsFile } from './yaml/yamlDocumentsFile';

/** A resource as one write last left it: the file that holds it and what it says; null once removed. */
type Placed = { file: string; documentIndex: number; resource: OpenChoreoResource } | null;

/** A resource's kind, namespace and name. */
export interface ResourceName {
  kind: ResourceKind;
  name: string;
  namespace?: string;
}

const withoutNamespace = (resource: OpenChoreoResource): OpenChoreoResource => {
  const { namespace: _namespace, ...metadata } = resource.metadata;
  return { ...resource, metadata } as OpenChoreoResource;
};
const keyOf = ({ kind, name, namespace }: ResourceName) => `${kind}/${namespace ?? ''}/${name}`;
const nameOf = (resource: OpenChoreoResource): ResourceName => ({
  kind: resource.kind,
  name: resource.metadata.name,
  namespace: resource.metadata.namespace,
});

/**
 * The files of one write, resource by resource, against the revision it lands on.
 *
 * A resource the repository has is changed where the loader found it, whatever the layout: in
 * a file of its own or as one document of a multi-document file, where only what the write
 * changed is edited and the other documents, the comments and the key order stay (see
 * YamlDocumentsFile). Removing one removes its document only. A new resource goes where the
 * layout places it next to its owner and siblings (gitOpsLayout.placeNew); a file of its own
 * is written as Cellplane writes every resource (resourceToYaml), and a document added to an
 * existing file follows that file's style.
 *
 * Several resources of one write may share a file (a Component, its Workload and a
 * ReleaseBinding, say): their edits add up in that file.
 */
export class ResourceFiles {
  private readonly files = new Map<string, { file: YamlDocumentsFile; existed: boolean }>();
  private readonly placed = new Map<string, Placed>();
  private documentsPerFile: Map<string, number> | undefined;

  constructor(
    /** The model of the revision the write lands on. */
    readonly model: RepositoryModel,
    private readonly base: Pick<RepositoryRevision, 'readFile'>,
  ) {}

  /** The files a write computes with `edit` against `base`: the `changes` a WriteRequest returns. */
  static async changesOf(
    base: RepositoryRevision,
    edit: (files: ResourceFiles, model: RepositoryModel) => Promise<void> | void,
  ): Promise<FileChange[]> {
    const files = new ResourceFiles(await base.model(), base);
    await edit(files, files.model);
    return files.changes();
  }

  /** Writes `resource`: changed where it lives, or added where the layout places it. */
  async write(resource: OpenChoreoResource): Promise<void> {
    const name = nameOf(resource);
    const known = this.whereIs(name);
    if (known) {
      const file = await this.openExisting(known.file);
      const index = this.requireDocument(file, name, known.documentIndex);
      // A document that leaves its namespace to its folder keeps doing so.
      const written =
        known.resource.metadata.namespace === undefined && resource.metadata.namespace !== undefined
          ? withoutNamespace(resource)
          : resource;
      file.update(index, known.resource, written);
      this.placed.set(keyOf(name), { file: known.file, documentIndex: index, resource: written });
      return;
    }
    const path = assertSafeRepositoryPath(gitOpsLayout.placeNew(resource, this.neighboursOf(resource)));
    const file = await this.open(path);
    if (!file) {
      this.files.set(path, { file: YamlDocumentsFile.parse(path, resourceToYaml(resource)), existed: false });
      this.placed.set(keyOf(name), { file: path, documentIndex: 0, resource });
      return;
    }
    // A document of this resource that the loader refused (an invalid one) is replaced, not repeated.
    let index = file.indexOf(name);
    if (index === undefined) {
      file.append(resource);
      index = file.documentCount - 1;
    } else {
      file.update(index, file.valueAt(index), resource);
    }
    this.placed.set(keyOf(name), { file: path, documentIndex: index, resource });
  }

  /** Removes a resource: its file when it is the only document there, else its document only. */
  async remove(name: ResourceName): Promise<void> {
    const known = this.whereIs(name);
    if (!known) return;
    const file = await this.openExisting(known.file);
    file.remove(this.requireDocument(file, name, known.documentIndex));
    this.placed.set(keyOf(name), null);
    // Documents after it moved up by one.
    for (const [key, other] of this.placed) {
      if (other && other.file === known.file && other.documentIndex > known.documentIndex) {
        this.placed.set(key, { ...other, documentIndex: other.documentIndex - 1 });
      }
    }
  }

  /** The file changes so far: changed files with their new content, emptied ones deleted. */
  changes(): FileChange[] {
    const changes: FileChange[] = [];
    for (const [path, { file, existed }] of this.files) {
      if (existed && !file.changed) continue;
      if (file.empty) {
        if (existed) changes.push({ path, content: null });
        continue;
      }
      changes.push({ path, content: file.text });
    }
    return changes;
  }

  /** Where a resource is now: as this write left it, or as the model read it. */
  private whereIs(name: ResourceName): Placed | undefined {
    const key = keyOf(name);
    if (this.placed.has(key)) return this.placed.get(key) ?? undefined;
    // The model keys a resource by the namespace the loader gave it (its folder's, if need be).
    const entry = this.model.get(name.kind, name.name, name.namespace);
    // An implied resource (autoDeploy's ReleaseBinding) is in no file yet: writing it adds it.
    return entry && !entry.implied ? { file: entry.file, documentIndex: entry.documentIndex, resource: entry.resource } : undefined;
  }

  private async open(path: string): Promise<YamlDocumentsFile | undefined> {
    const open = this.files.get(path);
    if (open) return open.file;
    const content = await this.base.readFile(path);
    if (content === undefined) return undefined;
    const file = YamlDocumentsFile.parse(path, content);
    this.files.set(path, { file, existed: true });
    return file;
  }

  private async openExisting(path: string): Promise<YamlDocumentsFile> {
    const file = await this.open(path);
    if (!file) throw new InputError(`${path} is gone from the repository; try again`);
    return file;
  }

  private requireDocument(file: YamlDocumentsFile, name: ResourceName, hint: number): number {
    const index = file.indexOf(name, hint);
    if (index === undefined) throw new InputError(`${file.path} no longer holds ${name.kind} ${name.name}; try again`);
    return index;
  }

  /** Where a new resource's owner and siblings live, as this write leaves them. */
  private neighboursOf(resource: OpenChoreoResource): NewResourceNeighbours {
    const namespace = resource.metadata.namespace;
    const at = (name: ResourceName) => {
      const placed = this.whereIs(name);
      if (!placed) return undefined;
      const open = this.files.get(placed.file)?.file;
      return { file: placed.file, documents: open ? open.documentCount : this.documentsIn(placed.file) };
    };
    const siblings = (resources: Array<{ resource: OpenChoreoResource }>) =>
      resources.map(({ resource: sibling }) => at(nameOf(sibling))).filter(<T>(value: T | undefined): value is T => value !== undefined);
    switch (resource.kind) {
      case 'Workload':
        return { owner: at({ kind: 'Component', name: resource.spec.owner.componentName, namespace }) };
      case 'ComponentRelease': {
        const component = resource.spec.owner.componentName;
        return {
          owner: at({ kind: 'Component', name: component, namespace }),
          siblings: namespace ? siblings(this.model.componentReleases(namespace, component)) : [],
        };
      }
      case 'ReleaseBinding': {
        const component = resource.spec.owner.componentName;
        return {
          owner: at({ kind: 'Component', name: component, namespace }),
          siblings: namespace ? siblings(this.model.releaseBindings(namespace, component)) : [],
        };
      }
      case 'ResourceReleaseBinding': {
        const owner = resource.spec.owner.resourceName;
        return {
          owner: at({ kind: 'Resource', name: owner, namespace }),
          siblings: namespace ? siblings(this.model.resourceReleaseBindings(namespace, owner)) : [],
        };
      }
      default:
        return {};
    }
  }

  /** How many resources the model read from a file. */
  private documentsIn(file: string): number {
    this.documentsPerFile ??= this.model.entries().reduce(
      (counts, entry) => counts.set(entry.file, (counts.get(entry.file) ?? 0) + 1),
      new Map<string, number>(),
    );
    return this.documentsPerFile.get(file) ?? 1;
  }
}
