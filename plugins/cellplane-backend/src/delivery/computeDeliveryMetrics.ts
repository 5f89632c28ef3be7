import {
  DeliveryChangeKind,
  DeliveryDay,
  DeliveryDeployment,
  DeliveryLeadTime,
  DeliveryMetrics,
  DeliveryRestore,
  DeliveryScope,
  EnvironmentDeliveryMetrics,
  StatusHistoryEntry,
} from '@cellplane/backstage-plugin-common';

/** What one commit of the GitOps history did to the components measured. */
export interface HistoryCommit {
  commit: string;
  /** Committer date, milliseconds since the epoch. */
  at: number;
  /** The message's first line. */
  summary: string;
  /** Components whose Component or Workload the commit changed. */
  specChanges: string[];
  /** ReleaseBindings the commit changed, as they are after it. */
  bindingChanges: Array<{ component: string; environment: string; removed?: boolean; release?: string }>;
  /** Set when the message is the write path's rollback of a component in an environment. */
  rollback?: { component: string; environment: string };
}

/** Everything the figures are computed from: nothing here reads Git or a database. */
export interface DeliveryMetricsInput {
  scope: DeliveryScope;
  /** The environments to report, in pipeline order. */
  environments: Array<{ name: string; production: boolean }>;
  /** The components measured. */
  components: string[];
  /** The GitOps history of those components, oldest first, from before the period too. */
  commits: HistoryCommit[];
  /** Their status history, oldest first. */
  statuses: StatusHistoryEntry[];
  /** The period, milliseconds since the epoch. */
  from: number;
  to: number;
  failureWindowMs: number;
  evidenceLimit: number;
  revision: string | null;
  statusHistorySince?: number;
}

/** A deployment with its time as a number, before it is told as evidence. */
interface Deployment extends DeliveryDeployment {
  time: number;
}

interface SpecChange {
  commit: string;
  time: number;
  component: string;
  summary: string;
}

interface StatusRow {
  time: number;
  entry: StatusHistoryEntry;
}

const DAY_MS = 86_400_000;
const key = (component: string, environment: string) => `${component}\u0000${environment}`;
const iso = (time: number) => new Date(time).toISOString();

/**
 * The four delivery (DORA) figures per environment over a period, each with what it is made of:
 *
 * - deployment frequency: commits that changed what an environment runs for a component (its
 *   ReleaseBinding, or its Component or Workload while the binding follows the component);
 * - lead time for changes: from a commit that changed a component's spec to the first Healthy
 *   status, with a release other than the one Healthy before, after the deployment that brought
 *   it to the environment (median);
 * - change failure rate: deployments the write path rolled back next, or after which the
 *   environment went Degraded within the failure window, before the next deployment;
 * - time to restore: from Degraded to the next Healthy (median).
 */
export function computeDeliveryMetrics(input: DeliveryMetricsInput): DeliveryMetrics {
  const inScope = new Set(input.components);
  const { deployments, specChanges } = deploymentsOf(input.commits, inScope);
  const statuses = new Map<string, StatusRow[]>();
  for (const entry of input.statuses) {
    if (!inScope.has(entry.component)) continue;
    const k = key(entry.component, entry.environment);
    if (!statuses.has(k)) statuses.set(k, []);
    statuses.get(k)!.push({ time: Date.parse(entry.at), entry });
  }
  for (const [k, list] of deployments) markFailures(list, statuses.get(k) ?? [], input.failureWindowMs);
  const changesOf = new Map<string, SpecChange[]>();
  for (const change of specChanges) {
    if (change.time < input.from || change.time >= input.to) continue;
    if (!changesOf.has(change.component)) changesOf.set(change.component, []);
    changesOf.get(change.component)!.push(change);
  }

  const environments = input.environments.map(environment =>
    environmentMetrics(input, environment, {
      deployments: input.components.flatMap(c => deployments.get(key(c, environment.name)) ?? []),
      leadTimes: input.components.flatMap(c =>
        leadTimesOf(
          changesOf.get(c) ?? [],
          environment.name,
          deployments.get(key(c, environment.name)) ?? [],
          statuses.get(key(c, environment.name)) ?? [],
        ),
      ),
      restores: input.components.flatMap(c => restoresOf(statuses.get(key(c, environment.name)) ?? [])),
    }),
  );
  return {
    scope: input.scope,
    from: iso(input.from),
    to: iso(input.to),
    revision: input.revision,
    failureWindowSeconds: Math.round(input.failureWindowMs / 1000),
    evidenceLimit: input.evidenceLimit,
    ...(input.statusHistorySince !== undefined ? { statusHistorySince: iso(input.statusHistorySince) } : {}),
    environments,
  };
}

/**
 * Walks the history oldest first, keeping what each binding says, and tells which commits
 * deployed what where: one deployment per commit, component and environment.
 */
function deploymentsOf(commits: HistoryCommit[], inScope: Set<string>) {
  /** What each binding says now, by component and environment. */
  const bindings = new Map<string, Map<string, { release?: string }>>();
  const deployments = new Map<string, Deployment[]>();
  const specChanges: SpecChange[] = [];
  for (const commit of commits) {
    const deployed = new Map<string, Deployment>();
    const deploy = (component: string, environment: string, kind: DeliveryChangeKind, release?: string) => {
      const k = key(component, environment);
      if (deployed.has(k)) return;
      deployed.set(k, {
        commit: commit.commit,
        at: iso(commit.at),
        time: commit.at,
        component,
        environment,
        kind,
        ...(release ? { release } : {}),
        summary: commit.summary,
      });
    };
    for (const change of commit.bindingChanges) {
      if (!inScope.has(change.component)) continue;
      if (!bindings.has(change.component)) bindings.set(change.component, new Map());
      if (change.removed) {
        // An undeployment is not a deployment.
        bindings.get(change.component)!.delete(change.environment);
        continue;
      }
      bindings.get(change.component)!.set(change.environment, change.release ? { release: change.release } : {});
      const rollback = commit.rollback?.component === change.component && commit.rollback.environment === change.environment;
      deploy(change.component, change.environment, rollback ? 'rollback' : 'binding', change.release);
    }
    for (const component of commit.specChanges) {
      if (!inScope.has(component)) continue;
      specChanges.push({ commit: commit.commit, time: commit.at, component, summary: commit.summary });
      for (const [environment, binding] of bindings.get(component) ?? []) {
        if (binding.release === undefined) deploy(component, environment, 'spec');
      }
    }
    for (const [k, deployment] of deployed) {
      if (!deployments.has(k)) deployments.set(k, []);
      deployments.get(k)!.push(deployment);
    }
  }
  return { deployments, specChanges };
}

/** A deployment failed when a rollback is the next one, or the environment went Degraded after it within the window. */
function markFailures(list: Deployment[], statuses: StatusRow[], windowMs: number) {
  list.forEach((deployment, index) => {
    const next = list[index + 1];
    if (next?.kind === 'rollback') {
      deployment.failure = { cause: 'rollback', at: next.at, commit: next.commit };
      return;
    }
    const until = Math.min(deployment.time + windowMs, next ? next.time : Infinity);
    const degraded = statuses.find(row => row.entry.health === 'Degraded' && row.time >= deployment.time && row.time < until);
    if (degraded) deployment.failure = { cause: 'degraded', at: degraded.entry.at };
  });
}

/** For each spec change: the deployment that brought it to the environment, and when a new release ran Healthy after it. */
function leadTimesOf(
  changes: SpecChange[],
  environment: string,
  deployments: Deployment[],
  statuses: StatusRow[],
): DeliveryLeadTime[] {
  const leadTimes: DeliveryLeadTime[] = [];
  for (const change of changes) {
    const deployment = deployments.find(d => d.time >= change.time);
    if (!deployment) continue;
    const healthyBefore = [...statuses].reverse().find(row => row.time < deployment.time && row.entry.health === 'Healthy');
    const previousRelease = healthyBefore?.entry.releaseHash;
    const healthy = statuses.find(
      row =>
        row.time >= deployment.time &&
        row.entry.health === 'Healthy' &&
        (previousRelease === undefined || row.entry.releaseHash === undefined || row.entry.releaseHash !== previousRelease),
    );
    if (!healthy) continue;
    leadTimes.push({
      commit: change.commit,
      committedAt: iso(change.time),
      component: change.component,
      environment,
      summary: change.summary,
      deployedBy: deployment.commit,
      healthyAt: healthy.entry.at,
      seconds: Math.round((healthy.time - change.time) / 1000),
    });
  }
  return leadTimes;
}

/** Each stretch from Degraded to the next Healthy. */
function restoresOf(statuses: StatusRow[]): DeliveryRestore[] {
  const restores: DeliveryRestore[] = [];
  let open: { row: StatusRow } | undefined;
  for (const row of statuses) {
    if (row.entry.health === 'Degraded' && !open) {
      open = { row };
    } else if (row.entry.health === 'Healthy' && open) {
      restores.push(restoreOf(open.row, row));
      open = undefined;
    }
  }
  if (open) restores.push(restoreOf(open.row));
  return restores;
}

function restoreOf(degraded: StatusRow, healthy?: StatusRow): DeliveryRestore {
  return {
    component: degraded.entry.component,
    environment: degraded.entry.environment,
    degradedAt: degraded.entry.at,
    ...(healthy ? { restoredAt: healthy.entry.at, seconds: Math.round((healthy.time - degraded.time) / 1000) } : {}),
    ...(degraded.entry.reason ? { reason: degraded.entry.reason } : {}),
  };
}

function environmentMetrics(
  input: DeliveryMetricsInput,
  environment: { name: string; production: boolean },
  all: { deployments: Deployment[]; leadTimes: DeliveryLeadTime[]; restores: DeliveryRestore[] },
): EnvironmentDeliveryMetrics {
  const inPeriod = (time: number) => time >= input.from && time < input.to;
  const deployments = all.deployments.filter(d => inPeriod(d.time));
  const failed = deployments.filter(d => d.failure).length;
  const restores = all.restores.filter(r => inPeriod(Date.parse(r.degradedAt)));
  const restored = restores.filter(r => r.seconds !== undefined).map(r => r.seconds!);
  const days = (input.to - input.from) / DAY_MS;
  const newestFirst = <T>(list: T[], time: (item: T) => string) =>
    [...list].sort((a, b) => time(b).localeCompare(time(a))).slice(0, input.evidenceLimit);
  return {
    environment: environment.name,
    production: environment.production,
    deploymentFrequency: { deployments: deployments.length, perDay: days > 0 ? round(deployments.length / days) : 0 },
    leadTime: { changes: all.leadTimes.length, ...optional('medianSeconds', median(all.leadTimes.map(l => l.seconds))) },
    changeFailureRate: {
      deployments: deployments.length,
      failed,
      ...(deployments.length ? { rate: round(failed / deployments.length) } : {}),
    },
    timeToRestore: { restores: restored.length, unresolved: restores.length - restored.length, ...optional('medianSeconds', median(restored)) },
    daily: dailyCounts(input.from, input.to, deployments),
    evidence: {
      deployments: newestFirst(deployments, d => d.at).map(({ time: _time, ...deployment }) => deployment),
      leadTimes: newestFirst(all.leadTimes, l => l.committedAt),
      restores: newestFirst(restores, r => r.degradedAt),
    },
  };
}

function dailyCounts(from: number, to: number, deployments: Deployment[]): DeliveryDay[] {
  const days = new Map<string, DeliveryDay>();
  for (let time = Math.floor(from / DAY_MS) * DAY_MS; time < to; time += DAY_MS) {
    const day = iso(time).slice(0, 10);
    days.set(day, { day, deployments: 0, failures: 0 });
  }
  for (const deployment of deployments) {
    const day = days.get(deployment.at.slice(0, 10));
    if (!day) continue;
    day.deployments += 1;
    if (deployment.failure) day.failures += 1;
  }
  return [...days.values()];
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : Math.round((sorted[middle - 1] + sorted[middle]) / 2);
}

const round = (value: number) => Math.round(value * 1000) / 1000;

function optional<K extends string>(name: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [name]: value } as Record<K, number>);
}
