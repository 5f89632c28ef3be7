import { isDeepStrictEqual } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { modelToEntities } from '@cellplane/backstage-plugin-catalog-backend-module';
import { GitOpsRepository } from '@cellplane/backstage-plugin-node';
import { parseAllDocuments } from 'yaml';
import { BackendClient, StatusEventStream, entityRef, statusKey } from './__testUtils__/backendClient';
import { git, readTree } from './__testUtils__/git';
import { SchedulerSampler, commitsInLog, replicaLogSince, replicaLogSize } from './__testUtils__/observe';
import { ReplicaCluster, startReplicaCluster } from './__testUtils__/replicaCluster';
import { Replica } from './__testUtils__/replicaProcess';
import { waitFor } from './__testUtils__/waitFor';

/*
 * Two backend processes of this package (the real backend, every plugin) on one PostgreSQL, one
 * GitOps repository and one data plane, as a load balancer runs them: each request below goes to
 * the replica it names, the way a load balancer would spread a user's requests. The tests run in
 * order on one cluster and report their figures at the end. On a busy 2-core machine the whole
 * file takes a few minutes: every wait is for a condition, with generous limits.
 */

jest.setTimeout(15 * 60_000);

const TEMPLATE = 'template:default/new-service';
const PROJECT = 'storefront';
const WRITES = 100;
const figures: Record<string, unknown> = {};

let cluster: ReplicaCluster;
let a: Replica;
let b: Replica;
/** The replica the kill test killed (whichever pushed first), and the one that went on. */
let killed: { name: 'a' | 'b'; survivor: 'a' | 'b' } = { name: 'a', survivor: 'b' };
let clients: Map<string, BackendClient>;
let streams: Map<string, StatusEventStream>;
let sampler: SchedulerSampler;
const started = Date.now();

const componentFiles = (name: string) => [
  `namespaces/acme/projects/${PROJECT}/components/${name}/component.yaml`,
  `namespaces/acme/projects/${PROJECT}/components/${name}/workload.yaml`,
  `namespaces/acme/projects/${PROJECT}/components/${name}/release-bindings/${name}-development.yaml`,
  `rendered/default/acme/development/${PROJECT}/components/${name}.yaml`,
];

const serviceValues = (name: string) => ({
  project: `system:acme/${PROJECT}`,
  name,
  image: `ghcr.io/acme/${name}:1.0.0`,
  port: 8080,
  visibility: 'project',
  publishMode: 'commit',
});

const head = () => git(cluster.repository, ['rev-parse', cluster.branch]).trim();

/** Tasks by id with their status, read from one replica (task state lives in the database). */
async function taskStatuses(client: BackendClient): Promise<Map<string, { status: string; lastHeartbeatAt?: string }>> {
  const { tasks } = await client.json<{ tasks: any[] }>('/api/scaffolder/v2/tasks?limit=1000');
  return new Map(tasks.map(t => [t.id, { status: t.status, lastHeartbeatAt: t.lastHeartbeatAt }]));
}

/** Starts one write per name, spread over the clients in turn, all at once. */
async function startWrites(names: string[], through: BackendClient[]) {
  return Promise.all(
    names.map(async (name, i) => {
      const client = through[i % through.length];
      return { name, replica: client.url, taskId: await client.startTask(TEMPLATE, serviceValues(name)) };
    }),
  );
}

/** What the commit of a completed write must hold: every file of the component, valid YAML. */
function assertCompleteTree(commit: string, names: string[]) {
  const tree = readTree(cluster.repository, commit, 'namespaces/acme/projects/');
  const rendered = readTree(cluster.repository, commit, `rendered/default/acme/development/${PROJECT}/`);
  const missing = names.flatMap(componentFiles).filter(path => !tree.has(path) && !rendered.has(path));
  expect(missing).toEqual([]);
  for (const [path, text] of [...tree, ...rendered]) {
    const errors = parseAllDocuments(text).flatMap(d => d.errors);
    if (errors.length) throw new Error(`${path} at ${commit} does not parse: ${errors[0].message}`);
  }
}

/** git fsck of the shared repository: every object complete, every ref on a complete commit. */
function assertRepositoryIntact() {
  const report = git(cluster.repository, ['fsck', '--full', '--strict', '--no-dangling', '--no-progress']);
  expect(report.trim()).toBe('');
  // Each commit since the seed is one whole write: it names its component and holds all its files.
  for (const commit of git(cluster.repository, ['rev-list', `${cluster.seedCommit}..${cluster.branch}`]).split('\n').filter(Boolean)) {
    const message = git(cluster.repository, ['log', '-1', '--format=%s', commit]);
    const name = /Create component acme\/(\S+) in project/.exec(message)?.[1];
    expect(name).toBeDefined();
    const changed = git(cluster.repository, ['diff-tree', '-r', '--no-commit-id', '--name-only', commit]).split('\n');
    expect(componentFiles(name!).filter(path => !changed.includes(path))).toEqual([]);
  }
}

/** The Cellplane entities (refs) the repository's head maps to. */
async function expectedEntityRefs(): Promise<Set<string>> {
  const repository = new GitOpsRepository({ url: cluster.repository, branch: cluster.branch, cacheDir: join(cluster.dir, 'mirror-test') });
  const model = await repository.model();
  const entities = modelToEntities(model, { defaultOwner: 'group:default/team-platform', locationKey: 'cellplane-provider:default' });
  return new Set(entities.map(e => entityRef(e)));
}

/** Cellplane's entities in one replica's catalog: refs, and each one's content without volatile fields. */
async function cellplaneEntities(client: BackendClient) {
  const entities = (await client.catalogEntities()).filter(e =>
    String(e.metadata.annotations?.['backstage.io/managed-by-location'] ?? '').startsWith('cellplane:'),
  );
  return new Map(entities.map(e => [entityRef(e), e]));
}

beforeAll(async () => {
  cluster = await startReplicaCluster({ replicas: ['a', 'b'] });
  [a, b] = cluster.replicas;
  const client = await BackendClient.signIn(a.url);
  clients = new Map([
    ['a', client],
    ['b', client.on(b.url)],
  ]);
  figures.startupSeconds = Math.round((Date.now() - started) / 1000);
  // The golden paths are file locations of the catalog; the write goes through the template.
  await Promise.all(
    [...clients.values()].map(c =>
      waitFor(`${TEMPLATE} in the catalog of ${c.url}`, () => c.request('/api/catalog/entities/by-name/template/default/new-service').then(r => r.ok), {
        timeoutMs: 300_000,
      }),
    ),
  );
  streams = new Map(await Promise.all([...clients].map(async ([name, c]) => [name, await new StatusEventStream(c).open()] as const)));
  sampler = new SchedulerSampler(new Map(clients)).start();
});

afterAll(async () => {
  await sampler?.stop();
  await Promise.all([...(streams?.values() ?? [])].map(s => s.close()));
  figures.totalSeconds = Math.round((Date.now() - started) / 1000);
  // eslint-disable-next-line no-console
  console.log(
    `Replica test figures: ${JSON.stringify(figures, null, 2)}\n${
      process.env.CELLPLANE_KEEP_REPLICA_FILES ? `Logs and repository kept in ${cluster?.dir}` : 'Set CELLPLANE_KEEP_REPLICA_FILES=1 to keep the logs'
    }`,
  );
  await cluster?.stop();
});

describe('two backend replicas on one database and one GitOps repository', () => {
  let catalogConverged: Promise<number>;

  it(`makes ${WRITES} commits of ${WRITES} concurrent writes spread over both replicas, and loses none`, async () => {
    const names = Array.from({ length: WRITES }, (_, i) => `replica-w-${String(i).padStart(3, '0')}`);
    const writesStarted = Date.now();
    const writes = await startWrites(names, [clients.get('a')!, clients.get('b')!]);

    // Watched through replica b, whichever replica runs each task.
    const statuses = await waitFor(
      `${WRITES} tasks to finish`,
      async () => {
        const all = await taskStatuses(clients.get('b')!);
        const mine = writes.map(w => all.get(w.taskId)?.status);
        return mine.every(s => s === 'completed' || s === 'failed' || s === 'cancelled') ? all : undefined;
      },
      { timeoutMs: 12 * 60_000, intervalMs: 1000 },
    );
    const writesSeconds = (Date.now() - writesStarted) / 1000;
    const failed = writes.filter(w => statuses.get(w.taskId)?.status !== 'completed');
    if (failed.length) {
      throw new Error(`${failed.length} writes failed; the first: ${await clients.get('a')!.taskLog(failed[0].taskId)}`);
    }
    const acknowledged = head();
    const lastCommitSeconds = Number(git(cluster.repository, ['log', '-1', '--format=%ct', acknowledged])) - writesStarted / 1000;
    catalogConverged = measureCatalogConvergence(names);

    // 100 writes, 100 commits, each one a write's commit, and every write's files in the tree.
    expect(Number(git(cluster.repository, ['rev-list', '--count', `${cluster.seedCommit}..${acknowledged}`]))).toBe(WRITES);
    const commits = await Promise.all(writes.map(w => clients.get('a')!.taskCommit(w.taskId)));
    expect(new Set(commits).size).toBe(WRITES);
    for (const commit of commits) {
      git(cluster.repository, ['merge-base', '--is-ancestor', commit!, acknowledged]);
    }
    assertCompleteTree(acknowledged, names);
    assertRepositoryIntact();

    const pushed = { a: commitsInLog(a), b: commitsInLog(b) };
    const retries = [...pushed.a, ...pushed.b].reduce((sum, c) => sum + c.attempts - 1, 0);
    expect(pushed.a.length + pushed.b.length).toBe(WRITES);
    // Both replicas ran tasks: the scaffolder's workers share one queue in the database.
    expect(pushed.a.length).toBeGreaterThan(0);
    expect(pushed.b.length).toBeGreaterThan(0);
    Object.assign(figures, {
      writes: WRITES,
      writesSeconds: Number(writesSeconds.toFixed(1)),
      lastCommitSecondsAfterFirstRequest: Math.round(lastCommitSeconds),
      commitsPerSecond: Number((WRITES / writesSeconds).toFixed(2)),
      commitsByReplica: { a: pushed.a.length, b: pushed.b.length },
      retriesAfterARace: retries,
      mostAttemptsForOneWrite: Math.max(...[...pushed.a, ...pushed.b].map(c => c.attempts)),
    });
  });

  /** Resolves with the seconds until both catalogs hold exactly the head's Cellplane entities. */
  async function measureCatalogConvergence(names: string[]): Promise<number> {
    const from = Date.now();
    const expected = await expectedEntityRefs();
    for (const name of names) expect(expected.has(`component:acme/${name}`)).toBe(true);
    let last = '';
    await waitFor(
      'the catalogs of both replicas to hold the head\'s entities',
      async () => {
        const [onA, onB] = await Promise.all([cellplaneEntities(clients.get('a')!), cellplaneEntities(clients.get('b')!)]);
        const missing = [...expected].filter(ref => !onA.has(ref));
        // Besides the model's entities the provider publishes the repository's Location.
        const extra = [...onA.keys()].filter(ref => !expected.has(ref) && !ref.startsWith('location:'));
        last = `${missing.length} missing (${missing.slice(0, 3)}), ${extra.length} extra (${extra.slice(0, 3)})`;
        return missing.length === 0 && extra.length === 0 && isDeepStrictEqual(onA, onB);
      },
      { timeoutMs: 10 * 60_000, intervalMs: 1000, describe: () => last },
    );
    return (Date.now() - from) / 1000;
  }

  it('converges the catalog of both replicas to one set of entities, the head\'s', async () => {
    const seconds = await catalogConverged;
    expect(seconds).toBeLessThan(10 * 60);
    figures.catalogConvergedSecondsAfterLastWrite = Number(seconds.toFixed(1));
  });

  it('answers the status routes and the status stream identically on both replicas', async () => {
    const revision = await cluster.syncDataPlane(); // Argo CD's part: apply the head
    const views = [
      ...['storefront', 'payments', 'platform-data'].map(p => `/api/cellplane/status/projects/acme/${p}`),
      ...['development', 'staging', 'production'].map(e => `/api/cellplane/status/environments/acme/${e}`),
      '/api/cellplane/status/components/acme/replica-w-000',
      '/api/cellplane/status/data-planes',
    ];
    // The routes: every view equal on both replicas, at the head, synced, the new components
    // running. The streams: each replica pushes the changes it derives; how many intermediate
    // states each sent depends on when its watches and its look at the repository fired, so what
    // is compared is the state a browser holds after applying the events: the same on both, and
    // the routes' own. All read again until they agree (pods still starting change statuses).
    let last = '';
    const current = await waitFor(
      'both replicas to answer every status view alike at the head, and both streams to hold the same',
      async () => {
        const [onA, onB] = await Promise.all(['a', 'b'].map(n => Promise.all(views.map(v => clients.get(n)!.json(v)))));
        const differing = views.filter((_, i) => !isDeepStrictEqual(onA[i], onB[i]));
        const stale = onA.filter(v => v.revision !== undefined && v.revision !== revision).length;
        const statuses = new Map<string, any>(onA.slice(0, 3).flatMap(v => v.items).map((s: any) => [statusKey(s), s]));
        const unsettled = [...statuses.values()].filter(s => s.desired && s.synced?.commit !== revision).length;
        const starting = [...statuses.values()].filter(s => s.component.startsWith('replica-w-') && s.environment === 'development' && s.health !== 'Healthy').length;
        const [streamA, streamB] = [streams.get('a')!.latest(), streams.get('b')!.latest()];
        const offStream = [...statuses].filter(([k, s]) => !isDeepStrictEqual(streamA.get(k), s) || !isDeepStrictEqual(streamB.get(k), s));
        last = `${differing.length} views differ (${differing.slice(0, 2)}), ${stale} not at the head, ${unsettled} not synced, ${starting} new not Healthy, ${offStream.length} streamed statuses differ (${offStream[0]?.[0]})`;
        return differing.length + stale + unsettled + starting + offStream.length === 0 ? statuses : undefined;
      },
      { timeoutMs: 5 * 60_000, intervalMs: 1000, describe: () => last },
    );
    expect(current.size).toBe(3 * (11 + WRITES));
    figures.statusEvents = { a: streams.get('a')!.events.length, b: streams.get('b')!.events.length, statusesCompared: current.size };
  });

  it('runs each scheduled task on one replica at a time', async () => {
    const { rounds, tasks } = sampler.observation;
    const cellplaneTasks = [...tasks].filter(([id]) => id.startsWith('cellplane'));
    expect(cellplaneTasks.map(([id]) => id).sort()).toEqual(['cellplane-component-type-templates:refresh', 'cellplane-provider:default:refresh']);
    for (const [id, task] of tasks) {
      expect({ id, scope: task.scope, overlaps: task.overlaps }).toEqual({ id, scope: 'global', overlaps: 0 });
    }
    figures.scheduler = {
      samplingRounds: rounds,
      runningSamplesByTask: Object.fromEntries([...tasks].map(([id, t]) => [id, Object.fromEntries(t.runningSamples)])),
    };
  });

  it('loses no acknowledged write and leaves no half commit when a replica is killed mid-write, and the other finishes every write', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `replica-k-${String(i).padStart(3, '0')}`);
    const writes = await startWrites(names, [clients.get('a')!, clients.get('b')!]);
    // Some writes acknowledged first, then kill whichever replica pushes next: it is amid a write,
    // likely with more claimed. Which replica runs a task is the scaffolder's queue's choice (one
    // replica may claim nearly all), so waiting for one named replica could wait for ever.
    await waitFor('three writes to be acknowledged', async () => {
      const all = await taskStatuses(clients.get('b')!);
      return writes.filter(w => all.get(w.taskId)?.status === 'completed').length >= 3;
    }, { timeoutMs: 5 * 60_000, intervalMs: 200 });
    const offsets = { a: replicaLogSize(a), b: replicaLogSize(b) };
    const pushedAgain = (replica: Replica, offset: number) => / info Committed [0-9a-f]{12} /.test(replicaLogSince(replica, offset));
    const victimName = await waitFor(
      'a replica to push one of the new writes',
      () => (pushedAgain(a, offsets.a) ? 'a' : pushedAgain(b, offsets.b) ? 'b' : undefined),
      { timeoutMs: 5 * 60_000, intervalMs: 20 },
    );
    const [victim, survivorName] = victimName === 'a' ? ([a, 'b'] as const) : ([b, 'a'] as const);
    sampler.forget(victimName);
    await streams.get(victimName)!.close();
    const killedAt = Date.now();
    await victim.kill();
    const client = clients.get(survivorName)!;
    const atKill = await taskStatuses(client);
    const acknowledged = writes.filter(w => atKill.get(w.taskId)?.status === 'completed');
    const strandedAtKill = writes.filter(w => atKill.get(w.taskId)?.status === 'processing');
    expect(acknowledged.length).toBeGreaterThanOrEqual(3);
    killed = { name: victimName, survivor: survivorName };

    // Every acknowledged write is in the repository, whole, right after the kill.
    const tipAtKill = head();
    assertCompleteTree(tipAtKill, acknowledged.map(w => w.name));
    assertRepositoryIntact();

    // The survivor finishes every write: those nobody had claimed at once, and the victim's after
    // their heartbeat went stale (scaffolder.taskRecovery), resuming where its checkpoints left them.
    const settled = await waitFor(
      'the surviving replica to finish every write',
      async () => {
        const all = await taskStatuses(client);
        return writes.every(w => ['completed', 'failed', 'cancelled'].includes(all.get(w.taskId)?.status ?? '')) ? all : undefined;
      },
      { timeoutMs: 8 * 60_000, intervalMs: 1000 },
    );
    const tip = head();
    const onBranch = (name: string) => readTree(cluster.repository, tip, `namespaces/acme/projects/${PROJECT}/components/${name}/`).size > 0;
    // A task the victim ran up to its push but not to recording the step is run again from that step, and
    // finds its component made: the write is in the repository, the task says it failed.
    const failed = writes.filter(w => settled.get(w.taskId)?.status !== 'completed');
    const pushedBeforeTheKill = [];
    for (const w of failed) {
      const log = await client.taskLog(w.taskId);
      if (!(strandedAtKill.includes(w) && /already exists/.test(log) && onBranch(w.name))) {
        throw new Error(`write ${w.name} did not complete: ${log}`);
      }
      pushedBeforeTheKill.push(w.name);
    }
    assertCompleteTree(tip, names);
    assertRepositoryIntact();
    // One commit per write: none lost, none made twice by a resumed task.
    expect(Number(git(cluster.repository, ['rev-list', '--count', `${cluster.seedCommit}..${tip}`]))).toBe(WRITES + names.length);
    figures.kill = {
      killed: victimName,
      acknowledgedBeforeKill: acknowledged.length,
      processingAtKill: strandedAtKill.length,
      resumedAfterTheirPushFailedAsExisting: pushedBeforeTheKill.length,
      allDoneSecondsAfterKill: Math.round((Date.now() - killedAt) / 1000),
    };
  });

  it('takes the killed replica back on its mirror, with the locks a kill amid git leaves', async () => {
    // Whether or not this kill hit git between a ref's lock and its rename, start as if it had.
    // (The refs may be packed by then, their folders gone; git makes them when it locks.)
    const mirror = join(cluster.dir, `mirror-${killed.name}`);
    for (const ref of [`refs/remotes/origin/${cluster.branch}`, 'refs/cellplane/staging']) {
      mkdirSync(dirname(join(mirror, ref)), { recursive: true });
      writeFileSync(join(mirror, `${ref}.lock`), '');
    }
    const restarted = await cluster.startReplica(killed.name);
    const client = clients.get(killed.name)!.on(restarted.url);
    const writes = await startWrites(['replica-r-000', 'replica-r-001', 'replica-r-002', 'replica-r-003'], [client]);
    await waitFor(
      'the writes through the restarted replica',
      async () => {
        const all = await taskStatuses(client);
        return writes.every(w => all.get(w.taskId)?.status === 'completed');
      },
      { timeoutMs: 5 * 60_000, intervalMs: 1000 },
    );
    // Its own mirror reads the new head: status answers at it.
    const tip = head();
    const view = await waitFor('the restarted replica\'s status at the head', async () => {
      const answer = await client.json('/api/cellplane/status/projects/acme/storefront');
      return answer.revision === tip ? answer : undefined;
    });
    expect(view.items.filter((s: any) => s.component.startsWith('replica-r-')).length).toBeGreaterThanOrEqual(4);
    assertRepositoryIntact();
  });
});
