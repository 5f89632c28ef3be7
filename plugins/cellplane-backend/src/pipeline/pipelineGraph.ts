import { RepositoryModel } from '@cellplane/backstage-plugin-node';
import { PipelineTarget } from '@cellplane/backstage-plugin-common';

const refName = (ref: unknown): string | undefined =>
  typeof ref === 'string' ? ref : (ref as { name?: string } | undefined)?.name;

/** The environments of a DeploymentPipeline as a graph: each one's column, next and previous environments. */
export interface PipelineGraph {
  /** The DeploymentPipeline's name; null when the project names none that exists. */
  pipeline: string | null;
  /** Environment names, in column order, then by name. */
  order: string[];
  stage: Map<string, number>;
  next: Map<string, PipelineTarget[]>;
  previous: Map<string, string[]>;
}

/**
 * The promotion paths of the project's DeploymentPipeline as columns: an environment no path
 * targets is in column 0, every other one column after the furthest environment that promotes
 * into it (the longest path), so a branching pipeline puts its branches side by side in one
 * column and a join after both. A path that closes a cycle (which OpenChoreo's schema does not
 * forbid) is still listed as a next environment but does not push columns further right.
 */
export function pipelineGraph(model: RepositoryModel, namespace: string, project: string): PipelineGraph {
  const projectEntry = model.get('Project', project, namespace);
  const pipelineName = refName((projectEntry?.resource.spec as any)?.deploymentPipelineRef);
  const pipeline = pipelineName ? model.get('DeploymentPipeline', pipelineName, namespace) : undefined;
  const next = new Map<string, PipelineTarget[]>();
  const previous = new Map<string, string[]>();
  const names = new Set<string>();
  for (const path of ((pipeline?.resource.spec as any)?.promotionPaths ?? []) as any[]) {
    const source = refName(path.sourceEnvironmentRef);
    if (!source) continue;
    names.add(source);
    for (const target of (path.targetEnvironmentRefs ?? []) as any[]) {
      const environment = refName(target);
      if (!environment) continue;
      names.add(environment);
      const targets = next.get(source) ?? [];
      if (!targets.some(t => t.environment === environment)) {
        targets.push({ environment, requiresApproval: Boolean(target.requiresApproval || target.isManualApprovalRequired) });
      }
      next.set(source, targets);
      previous.set(environment, [...(previous.get(environment) ?? []), source]);
    }
  }

  const back = backEdges([...names], next, previous);
  const stage = new Map<string, number>([...names].map(name => [name, 0]));
  // Longest path over the pipeline without the edges that close a cycle: at most |names| rounds.
  for (let round = 0; round < names.size; round++) {
    let changed = false;
    for (const [source, targets] of next) {
      for (const { environment } of targets) {
        if (back.has(`${source}\u0000${environment}`)) continue;
        if (stage.get(source)! + 1 > stage.get(environment)!) {
          stage.set(environment, stage.get(source)! + 1);
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  const order = [...names].sort((a, b) => stage.get(a)! - stage.get(b)! || a.localeCompare(b));
  return { pipeline: pipeline ? pipelineName! : null, order, stage, next, previous };
}

/**
 * The promotion paths that close a cycle, as `source\u0000target`: found by a depth-first walk
 * from the environments nothing promotes into (then from any left, by name), so the first
 * environments keep the left-most columns.
 */
function backEdges(names: string[], next: Map<string, PipelineTarget[]>, previous: Map<string, string[]>): Set<string> {
  const back = new Set<string>();
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (name: string) => {
    visiting.add(name);
    for (const { environment } of next.get(name) ?? []) {
      if (visiting.has(environment)) back.add(`${name}\u0000${environment}`);
      else if (!done.has(environment)) visit(environment);
    }
    visiting.delete(name);
    done.add(name);
  };
  const roots = names.filter(name => !previous.has(name));
  for (const name of [...roots, ...[...names].sort()]) if (!done.has(name)) visit(name);
  return back;
}
