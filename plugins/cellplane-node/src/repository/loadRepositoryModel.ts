import {
  ENDPOINT_VISIBILITIES,
  ModelProblem,
  OpenChoreoResource,
  formatFieldPath,
  isClusterScoped,
  validateResource,
} from '@cellplane/backstage-plugin-common';
import { gitOpsLayout } from '../layout/gitOpsLayout';
import { DEFAULT_YAML_LIMITS, YamlLimits, locateField, parseYamlDocuments } from '../yaml/parseYamlDocuments';
import { ModelEntry, RepositoryModel } from './RepositoryModel';
import { RepositoryFile, RepositorySnapshot, streamGitBlobs, streamGitTree } from './sources';

type FieldPath = Array<string | number>;

interface PendingProblem extends Omit<ModelProblem, 'field'> {
  fieldPath?: FieldPath;
  documentIndex?: number;
}

/** @public */
export interface LoadRepositoryModelOptions {
  yamlLimits?: YamlLimits;
}

/** What one file holds, independent of every other file: cacheable by path and content. */
interface FileAnalysis {
  content: Buffer;
  problems: PendingProblem[];
  /** Valid resources, with the namespace they belong to. */
  entries: ModelEntry[];
}

/**
 * Parses and validates each file once per content: a cache of file analyses keyed by path and
 * Git blob id, shared between the loads of successive commits, so that loading a commit costs
 * reading and parsing only the files it changed (plus the cross-reference checks, which always
 * see the whole model). Resources in the cache are shared by the models built from it and must
 * be treated as read-only, as RepositoryModel already requires.
 *
 * @public
 */
export class ParsedFileCache {
  private files = new Map<string, FileAnalysis>();
  private used = new Set<string>();

  /** How many files the last load took from the cache, and how many it had to parse. */
  lastLoad = { reused: 0, parsed: 0 };

  /** @internal */
  get(path: string, blob: string): FileAnalysis | undefined {
    const key = `${path}\u0000${blob}`;
    const analysis = this.files.get(key);
    if (analysis) this.used.add(key);
    return analysis;
  }

  /** @internal */
  set(path: string, blob: string, analysis: FileAnalysis) {
    const key = `${path}\u0000${blob}`;
    this.files.set(key, analysis);
    this.used.add(key);
  }

  /** Forgets what the last load did not use, so the cache holds one revision's files. @internal */
  endLoad(reused: number, parsed: number) {
    for (const key of this.files.keys()) {
      if (!this.used.has(key)) this.files.delete(key);
    }
    this.used = new Set();
    this.lastLoad = { reused, parsed };
  }
}

/**
 * Builds a RepositoryModel file by file, so that files can be parsed while they are still being
 * read (see loadRepositoryModelFromGit). Nothing stops the load: an unparsable file, an invalid
 * document, a duplicate or a dangling reference becomes a problem naming the file and field,
 * and everything else is still in the model.
 *
 * @public
 */
export class RepositoryModelBuilder {
  private readonly limits: YamlLimits;
  private readonly problems: PendingProblem[] = [];
  private readonly entries = new Map<string, ModelEntry>();
  /** Kept to find the line of a problem found later, by the cross-reference checks. */
  private readonly contents = new Map<string, Buffer>();

  constructor(options: LoadRepositoryModelOptions = {}) {
    this.limits = options.yamlLimits ?? DEFAULT_YAML_LIMITS;
  }

  addFile(file: RepositoryFile): void {
    this.addAnalysedFile(file.path, analyseFile(file, this.limits));
  }

  /** @internal */
  analyse(file: RepositoryFile): FileAnalysis {
    return analyseFile(file, this.limits);
  }

  /** Adds a file analysed before (by analyse, possibly for an earlier load). @internal */
  addAnalysedFile(path: string, analysis: FileAnalysis): void {
    const { problems, entries } = this;
    this.contents.set(path, analysis.content);
    problems.push(...analysis.problems);
    for (const entry of analysis.entries) {
      const { resource } = entry;
      const id = `${resource.kind}\u0000${entry.namespace ?? ''}\u0000${resource.metadata.name}`;
      const existing = entries.get(id);
      if (existing) {
        problems.push({
          file: entry.file,
          documentIndex: entry.documentIndex,
          severity: 'error',
          resource: resourceRef(resource, entry.namespace),
          fieldPath: ['metadata', 'name'],
          message: `duplicate ${resource.kind}: already defined in ${existing.file}; this one is ignored`,
        });
        continue;
      }
      entries.set(id, entry);
    }
  }

  /** Cross-checks the references and returns the model; the builder is spent afterwards. */
  build(revision?: string): RepositoryModel {
    const problems: ModelProblem[] = [];
    const model = new RepositoryModel(revision, [...this.entries.values()], problems);
    // The model is complete but for its problems, which the reference checks need it to find.
    problems.push(...locateProblems([...this.problems, ...checkReferences(model)], this.contents));
    return model;
  }
}

/** Parses and validates one file on its own: everything that does not need the other files. */
function analyseFile(file: RepositoryFile, limits: YamlLimits): FileAnalysis {
  const analysis: FileAnalysis = { content: file.content, problems: [], entries: [] };
  const { problems, entries } = analysis;
  const parsed = parseYamlDocuments(file.content, limits);
  if (!parsed.ok) {
    problems.push({ severity: 'error', file: file.path, line: parsed.line, message: parsed.message });
    return analysis;
  }
  const folderNamespace = gitOpsLayout.namespaceOfPath(file.path);
  for (const document of parsed.documents) {
    const result = validateResource(document.value);
    for (const problem of result.problems) {
      const { field, ...rest } = problem;
      problems.push({
        ...rest,
        file: file.path,
        documentIndex: document.index,
        fieldPath: field ? parseFieldPath(field) : undefined,
      });
    }
    const resource = result.resource;
    if (!resource) continue;
    const at = { file: file.path, documentIndex: document.index };
    const ref = resourceRef(resource);

    let namespace: string | undefined;
    if (resource.kind !== 'Namespace' && !isClusterScoped(resource.kind)) {
      namespace = resource.metadata.namespace ?? folderNamespace;
      if (!namespace) {
        problems.push({
          ...at,
          severity: 'error',
          resource: ref,
          fieldPath: ['metadata', 'namespace'],
          message: `is required for a ${resource.kind} outside namespaces/<namespace>/`,
        });
        continue;
      }
      if (folderNamespace && namespace !== folderNamespace) {
        problems.push({
          ...at,
          severity: 'error',
          resource: ref,
          fieldPath: ['metadata', 'namespace'],
          message: `is ${JSON.stringify(namespace)} but the file is under namespaces/${folderNamespace}/; move the file or fix the namespace`,
        });
        continue;
      }
    }
    entries.push({ resource, ...at, ...(namespace ? { namespace } : {}) });
  }
  return analysis;
}

/**
 * Loads a repository snapshot into a RepositoryModel (see RepositoryModelBuilder).
 *
 * @public
 */
export function loadRepositoryModel(
  snapshot: RepositorySnapshot,
  options: LoadRepositoryModelOptions = {},
): RepositoryModel {
  const builder = new RepositoryModelBuilder(options);
  for (const file of snapshot.files) {
    builder.addFile(file);
  }
  return builder.build(snapshot.revision);
}

/**
 * Loads the model of a commit straight from a Git repository, parsing each file as git streams
 * it out, so that git (reading objects) and Node (parsing them) work at the same time. With a
 * `cache`, files whose content the cache has seen at the same path are not read or parsed again.
 *
 * @public
 */
export async function loadRepositoryModelFromGit(
  gitDir: string,
  ref: string,
  options: LoadRepositoryModelOptions & { cache?: ParsedFileCache } = {},
): Promise<RepositoryModel> {
  const builder = new RepositoryModelBuilder(options);
  const { cache } = options;
  if (!cache) {
    const revision = await streamGitTree(gitDir, ref, file => builder.addFile(file));
    return builder.build(revision);
  }
  // Analyses are collected first and added in tree order, so that which of two duplicates wins
  // does not depend on which one was cached.
  const analyses = new Map<string, FileAnalysis>();
  let parsed = 0;
  const { revision, blobs } = await streamGitBlobs(gitDir, ref, {
    skip: blob => {
      const cached = cache.get(blob.path, blob.sha);
      if (cached) analyses.set(blob.path, cached);
      return Boolean(cached);
    },
    onFile: (file, sha) => {
      const analysis = builder.analyse({ path: file.path, content: Buffer.from(file.content) });
      cache.set(file.path, sha, analysis);
      analyses.set(file.path, analysis);
      parsed += 1;
    },
  });
  for (const blob of blobs) {
    builder.addAnalysedFile(blob.path, analyses.get(blob.path)!);
  }
  cache.endLoad(blobs.length - parsed, parsed);
  return builder.build(revision);
}

function resourceRef(resource: OpenChoreoResource, namespace?: string) {
  const ns = namespace ?? resource.metadata.namespace;
  return { kind: resource.kind, name: resource.metadata.name, ...(ns ? { namespace: ns } : {}) };
}

/** The cross-document rules: every reference resolves, and nothing claims the same slot twice. */
function checkReferences(model: RepositoryModel): PendingProblem[] {
  const problems: PendingProblem[] = [];
  const report = (entry: ModelEntry, fieldPath: FieldPath, message: string, severity: 'error' | 'warning' = 'error') =>
    problems.push({
      severity,
      file: entry.file,
      documentIndex: entry.documentIndex,
      resource: resourceRef(entry.resource, entry.namespace),
      fieldPath,
      message,
    });
  const environmentExists = (namespace: string, name: string) => Boolean(model.get('Environment', name, namespace));
  /** Workloads, bindings and releases name their component and its project; both must agree. */
  const checkComponentOwner = (entry: ModelEntry, owner: { projectName: string; componentName: string }) => {
    const component = model.get('Component', owner.componentName, entry.namespace);
    if (!component) {
      report(entry, ['spec', 'owner', 'componentName'], `Component ${JSON.stringify(owner.componentName)} not found in namespace ${entry.namespace}`);
    } else if (component.resource.spec.owner.projectName !== owner.projectName) {
      report(entry, ['spec', 'owner', 'projectName'], `is ${JSON.stringify(owner.projectName)} but Component ${owner.componentName} belongs to project ${JSON.stringify(component.resource.spec.owner.projectName)}`);
    }
  };

  for (const entry of model.list('Project')) {
    const ref = entry.resource.spec.deploymentPipelineRef;
    const name = typeof ref === 'string' ? ref : ref.name;
    if (!model.get('DeploymentPipeline', name, entry.namespace)) {
      report(entry, ['spec', 'deploymentPipelineRef'], `DeploymentPipeline ${JSON.stringify(name)} not found in namespace ${entry.namespace}`);
    }
  }

  for (const entry of model.list('DeploymentPipeline')) {
    (entry.resource.spec.promotionPaths ?? []).forEach((path, index) => {
      const source = typeof path.sourceEnvironmentRef === 'string' ? path.sourceEnvironmentRef : path.sourceEnvironmentRef.name;
      if (!environmentExists(entry.namespace!, source)) {
        report(entry, ['spec', 'promotionPaths', index, 'sourceEnvironmentRef'], `Environment ${JSON.stringify(source)} not found`);
      }
      path.targetEnvironmentRefs.forEach((target, targetIndex) => {
        if (!environmentExists(entry.namespace!, target.name)) {
          report(entry, ['spec', 'promotionPaths', index, 'targetEnvironmentRefs', targetIndex, 'name'], `Environment ${JSON.stringify(target.name)} not found`);
        }
      });
    });
  }

  for (const entry of model.list('Environment')) {
    const ref = entry.resource.spec.dataPlaneRef;
    if (ref === undefined) {
      if (!model.get('DataPlane', 'default', entry.namespace) && !model.get('ClusterDataPlane', 'default')) {
        report(entry, ['spec'], 'has no dataPlaneRef and there is no DataPlane or ClusterDataPlane named "default" to fall back to');
      }
      continue;
    }
    const { kind, name } = typeof ref === 'string' ? { kind: 'DataPlane' as const, name: ref } : ref;
    if (!model.get(kind, name, entry.namespace)) {
      report(entry, ['spec', 'dataPlaneRef'], `${kind} ${JSON.stringify(name)} not found`);
    }
  }

  for (const entry of model.list('Component')) {
    const { spec } = entry.resource;
    const namespace = entry.namespace!;
    if (!model.get('Project', spec.owner.projectName, namespace)) {
      report(entry, ['spec', 'owner', 'projectName'], `Project ${JSON.stringify(spec.owner.projectName)} not found in namespace ${namespace}`);
    }
    const type = model.componentTypeOf(entry.resource, namespace);
    const typeRef = typeof spec.componentType === 'string' ? { name: spec.componentType } : spec.componentType;
    if (!type) {
      report(entry, ['spec', 'componentType'], `${'kind' in typeRef && typeRef.kind ? typeRef.kind : 'ComponentType'} ${JSON.stringify(typeRef.name.split('/')[1])} not found`);
    } else if (type.resource.spec.workloadType !== typeRef.name.split('/')[0]) {
      report(entry, ['spec', 'componentType', 'name'], `says workloadType ${JSON.stringify(typeRef.name.split('/')[0])} but ${type.resource.kind} ${type.resource.metadata.name} has workloadType ${JSON.stringify(type.resource.spec.workloadType)}`);
    }
    const allowed = (type?.resource.spec.allowedTraits ?? []).map(t => (typeof t === 'string' ? { kind: undefined, name: t } : t));
    (spec.traits ?? []).forEach((trait, index) => {
      const kind = trait.kind ?? 'Trait';
      if (!model.get(kind, trait.name, namespace)) {
        report(entry, ['spec', 'traits', index, 'name'], `${kind} ${JSON.stringify(trait.name)} not found`);
      } else if (type && !allowed.some(a => a.name === trait.name && (a.kind ?? 'Trait') === kind)) {
        report(entry, ['spec', 'traits', index, 'name'], `${kind} ${JSON.stringify(trait.name)} is not in the allowedTraits of ${type.resource.kind} ${type.resource.metadata.name}`);
      }
    });
    const workloads = model.workload(namespace, entry.resource.metadata.name);
    if (!workloads) {
      report(entry, [], 'has no Workload (a Workload whose spec.owner.componentName names this component)', 'warning');
    }
  }

  const seenWorkloadOwners = new Map<string, ModelEntry>();
  for (const entry of model.list('Workload')) {
    const { spec } = entry.resource;
    const namespace = entry.namespace!;
    checkComponentOwner(entry, spec.owner);
    const ownerKey = `${namespace}/${spec.owner.componentName}`;
    const first = seenWorkloadOwners.get(ownerKey);
    if (first) {
      report(entry, ['spec', 'owner', 'componentName'], `Component ${spec.owner.componentName} already has a Workload (${first.resource.metadata.name} in ${first.file}); a component has one Workload`);
    } else {
      seenWorkloadOwners.set(ownerKey, entry);
    }

    (spec.dependencies?.endpoints ?? []).forEach((dependency, index) => {
      const at: FieldPath = ['spec', 'dependencies', 'endpoints', index];
      const targetNamespace = dependency.namespace ?? namespace;
      const targetProject = dependency.project ?? spec.owner.projectName;
      const target = model.get('Component', dependency.component, targetNamespace);
      if (!target) {
        report(entry, [...at, 'component'], `Component ${JSON.stringify(dependency.component)} not found in namespace ${targetNamespace}`);
        return;
      }
      if (target.resource.spec.owner.projectName !== targetProject) {
        report(entry, [...at, dependency.project ? 'project' : 'component'], `Component ${dependency.component} belongs to project ${JSON.stringify(target.resource.spec.owner.projectName)}, not ${JSON.stringify(targetProject)}${dependency.project ? '' : '; set project'}`);
        return;
      }
      const crossesProject = targetProject !== spec.owner.projectName || targetNamespace !== namespace;
      if (crossesProject && dependency.visibility === 'project') {
        report(entry, [...at, 'visibility'], `is "project" but ${targetProject}/${dependency.component} is in another project; use "namespace"`);
      }
      const targetWorkload = model.workload(targetNamespace, dependency.component);
      const endpoint = targetWorkload?.resource.spec.endpoints?.[dependency.name];
      if (!endpoint) {
        const known = Object.keys(targetWorkload?.resource.spec.endpoints ?? {});
        report(entry, [...at, 'name'], `Component ${dependency.component} has no endpoint ${JSON.stringify(dependency.name)}${known.length ? ` (it has: ${known.join(', ')})` : ' (it has no endpoints)'}`);
        return;
      }
      const visibilities = new Set(['project', ...(endpoint.visibility ?? [])]);
      if (!visibilities.has(dependency.visibility)) {
        report(entry, [...at, 'visibility'], `endpoint ${dependency.component}/${dependency.name} is not visible at ${JSON.stringify(dependency.visibility)} (its visibility: ${[...visibilities].filter(v => (ENDPOINT_VISIBILITIES as readonly string[]).includes(v)).join(', ')})`);
      }
    });

    (spec.dependencies?.resources ?? []).forEach((dependency, index) => {
      const resource = model.get('Resource', dependency.ref, namespace);
      if (!resource) {
        report(entry, ['spec', 'dependencies', 'resources', index, 'ref'], `Resource ${JSON.stringify(dependency.ref)} not found in namespace ${namespace}`);
      } else if (resource.resource.spec.owner.projectName !== spec.owner.projectName) {
        report(entry, ['spec', 'dependencies', 'resources', index, 'ref'], `Resource ${dependency.ref} belongs to project ${JSON.stringify(resource.resource.spec.owner.projectName)}; a workload may only use resources of its own project`);
      }
    });

    const checkSecretRefs = (envs: Array<{ valueFrom?: { secretKeyRef?: { name: string; key: string } } }> | undefined, path: FieldPath) =>
      (envs ?? []).forEach((env, index) => {
        const ref = env.valueFrom?.secretKeyRef;
        if (!ref) return;
        const secret = model.get('SecretReference', ref.name, namespace);
        if (!secret) {
          report(entry, [...path, index, 'valueFrom', 'secretKeyRef', 'name'], `SecretReference ${JSON.stringify(ref.name)} not found in namespace ${namespace}`);
        } else if (!secret.resource.spec.data.some(d => d.secretKey === ref.key)) {
          report(entry, [...path, index, 'valueFrom', 'secretKeyRef', 'key'], `SecretReference ${ref.name} has no secretKey ${JSON.stringify(ref.key)}`);
        }
      });
    checkSecretRefs(spec.container.env, ['spec', 'container', 'env']);
    checkSecretRefs(spec.container.files, ['spec', 'container', 'files']);
  }

  const seenBindings = new Map<string, ModelEntry>();
  for (const entry of model.list('ReleaseBinding')) {
    const { spec } = entry.resource;
    const namespace = entry.namespace!;
    checkComponentOwner(entry, spec.owner);
    if (!environmentExists(namespace, spec.environment)) {
      report(entry, ['spec', 'environment'], `Environment ${JSON.stringify(spec.environment)} not found in namespace ${namespace}`);
    }
    const slot = `${namespace}/${spec.owner.componentName}/${spec.environment}`;
    const first = seenBindings.get(slot);
    if (first) {
      report(entry, ['spec', 'environment'], `Component ${spec.owner.componentName} is already bound to ${spec.environment} by ${first.resource.metadata.name} (${first.file})`);
    } else {
      seenBindings.set(slot, entry);
    }
    if (spec.releaseName) {
      const release = model.get('ComponentRelease', spec.releaseName, namespace);
      if (!release) {
        report(entry, ['spec', 'releaseName'], `ComponentRelease ${JSON.stringify(spec.releaseName)} not found in namespace ${namespace}`);
      } else if (release.resource.spec.owner.componentName !== spec.owner.componentName) {
        report(entry, ['spec', 'releaseName'], `ComponentRelease ${spec.releaseName} belongs to component ${JSON.stringify(release.resource.spec.owner.componentName)}, not ${JSON.stringify(spec.owner.componentName)}`);
      }
    }
  }

  for (const entry of model.list('ComponentRelease')) {
    checkComponentOwner(entry, entry.resource.spec.owner);
  }

  for (const entry of model.list('Resource')) {
    const { spec } = entry.resource;
    if (!model.get('Project', spec.owner.projectName, entry.namespace)) {
      report(entry, ['spec', 'owner', 'projectName'], `Project ${JSON.stringify(spec.owner.projectName)} not found in namespace ${entry.namespace}`);
    }
    const kind = spec.type.kind ?? 'ResourceType';
    if (!model.get(kind, spec.type.name, entry.namespace)) {
      report(entry, ['spec', 'type'], `${kind} ${JSON.stringify(spec.type.name)} not found`);
    }
  }

  for (const entry of model.list('ResourceReleaseBinding')) {
    const { spec } = entry.resource;
    if (!model.get('Resource', spec.owner.resourceName, entry.namespace)) {
      report(entry, ['spec', 'owner', 'resourceName'], `Resource ${JSON.stringify(spec.owner.resourceName)} not found in namespace ${entry.namespace}`);
    }
    if (!environmentExists(entry.namespace!, spec.environment)) {
      report(entry, ['spec', 'environment'], `Environment ${JSON.stringify(spec.environment)} not found in namespace ${entry.namespace}`);
    }
  }

  return problems;
}

/** Adds line numbers, parsing each concerned file once with a position-tracking parser. */
function locateProblems(problems: PendingProblem[], contentByPath: Map<string, Buffer>): ModelProblem[] {
  return problems.map(({ fieldPath, documentIndex, ...problem }) => {
    let line = problem.line;
    if (line === undefined && problem.file && documentIndex !== undefined) {
      const content = contentByPath.get(problem.file);
      if (content) {
        line = locateField(content.toString('utf8'), documentIndex, fieldPath ?? []);
      }
    }
    return {
      ...problem,
      ...(line !== undefined ? { line } : {}),
      ...(fieldPath && fieldPath.length > 0 ? { field: formatFieldPath(fieldPath) } : {}),
    };
  });
}

/** The inverse of formatFieldPath: `spec.endpoints["a.b"].port` → ['spec', 'endpoints', 'a.b', 'port']. */
function parseFieldPath(field: string): FieldPath {
  const path: FieldPath = [];
  const pattern = /([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  for (const match of field.matchAll(pattern)) {
    if (match[1] !== undefined) path.push(match[1]);
    else if (match[2] !== undefined) path.push(Number(match[2]));
    else path.push(JSON.parse(match[3]));
  }
  return path;
}
