import { StatusHistoryEntry } from '@cellplane/backstage-plugin-common';
import { DeliveryMetricsInput, HistoryCommit, computeDeliveryMetrics } from './computeDeliveryMetrics';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-05-01T00:00:00Z');
const at = (hours: number) => T0 + hours * HOUR;

const commit = (id: string, hours: number, change: Partial<HistoryCommit>): HistoryCommit => ({
  commit: id.repeat(40).slice(0, 40),
  at: at(hours),
  summary: `commit ${id}`,
  specChanges: [],
  bindingChanges: [],
  ...change,
});
const status = (environment: string, hours: number, health: StatusHistoryEntry['health'], releaseHash?: string): StatusHistoryEntry => ({
  namespace: 'acme',
  project: 'shop',
  component: 'web',
  environment,
  health,
  ...(releaseHash ? { releaseHash } : {}),
  at: new Date(at(hours)).toISOString(),
});

const input = (commits: HistoryCommit[], statuses: StatusHistoryEntry[] = []): DeliveryMetricsInput => ({
  scope: { kind: 'project', namespace: 'acme', name: 'shop' },
  environments: [
    { name: 'dev', production: false },
    { name: 'prod', production: true },
  ],
  components: ['web'],
  commits,
  statuses,
  from: at(0),
  to: at(10 * 24),
  failureWindowMs: 24 * HOUR,
  evidenceLimit: 2,
  revision: null,
});

const deploymentsOf = (result: ReturnType<typeof computeDeliveryMetrics>, environment: string) =>
  result.environments.find(e => e.environment === environment)!.evidence.deployments.map(d => `${d.summary}: ${d.kind}${d.failure ? ` failed by ${d.failure.cause}` : ''}`);

describe('computeDeliveryMetrics', () => {
  it('counts a commit once per environment, a spec change only where the binding follows, never a removal or another component', () => {
    const result = computeDeliveryMetrics(
      input([
        // Before the period: the bindings appear (dev follows, prod pinned).
        commit('a', -48, { bindingChanges: [{ component: 'web', environment: 'dev' }, { component: 'web', environment: 'prod', release: 'web-1' }] }),
        // A spec change and a dev binding change in one commit: one deployment to dev.
        commit('b', 1, { specChanges: ['web'], bindingChanges: [{ component: 'web', environment: 'dev' }] }),
        commit('c', 2, { specChanges: ['web', 'other'] }),
        commit('d', 3, { bindingChanges: [{ component: 'other', environment: 'prod', release: 'other-1' }] }),
        commit('e', 4, { bindingChanges: [{ component: 'web', environment: 'dev', removed: true }] }),
        // dev is gone: the spec change deploys nowhere; prod stays pinned.
        commit('f', 5, { specChanges: ['web'] }),
        // Unpinned, prod follows the component from now on.
        commit('g', 6, { bindingChanges: [{ component: 'web', environment: 'prod' }] }),
        commit('h', 7, { specChanges: ['web'] }),
        // After the period.
        commit('i', 11 * 24, { specChanges: ['web'] }),
      ]),
    );
    expect(deploymentsOf(result, 'dev')).toEqual(['commit c: spec', 'commit b: binding']);
    expect(deploymentsOf(result, 'prod')).toEqual(['commit h: spec', 'commit g: binding']);
    const dev = result.environments[0];
    expect(dev.deploymentFrequency).toEqual({ deployments: 2, perDay: 0.2 });
    expect(dev.daily).toHaveLength(10);
    expect(dev.daily[0]).toEqual({ day: '2026-05-01', deployments: 2, failures: 0 });
  });

  it('fails a deployment by Degraded only within the window and before the next deployment', () => {
    const result = computeDeliveryMetrics(
      input(
        [
          commit('a', -1, { bindingChanges: [{ component: 'web', environment: 'prod', release: 'web-1' }] }),
          commit('b', 1, { bindingChanges: [{ component: 'web', environment: 'prod', release: 'web-2' }] }),
          commit('c', 10, { bindingChanges: [{ component: 'web', environment: 'prod', release: 'web-3' }] }),
          commit('d', 100, { bindingChanges: [{ component: 'web', environment: 'prod', release: 'web-4' }] }),
        ],
        [
          // After c, not b: c deployed first.
          status('prod', 11, 'Degraded', 'h3'),
          status('prod', 12, 'Healthy', 'h3'),
          // 25 h after d: outside the window.
          status('prod', 125, 'Degraded', 'h4'),
        ],
      ),
    );
    expect(deploymentsOf(result, 'prod')).toEqual(['commit d: binding', 'commit c: binding failed by degraded']);
    const prod = result.environments[1];
    expect(prod.changeFailureRate).toEqual({ deployments: 3, failed: 1, rate: 0.333 });
    expect(prod.timeToRestore).toEqual({ restores: 1, unresolved: 1, medianSeconds: 3600 });
  });

  it('takes the lead time to the first Healthy with a new release, not a Healthy of the release that ran before', () => {
    const result = computeDeliveryMetrics(
      input(
        [
          commit('a', -1, { bindingChanges: [{ component: 'web', environment: 'prod' }] }),
          commit('b', 1, { specChanges: ['web'] }),
        ],
        [
          status('prod', 0, 'Healthy', 'old'),
          // The old release reported Healthy again while the rollout starts: not the change.
          status('prod', 1.5, 'Progressing', 'old'),
          status('prod', 1.75, 'Healthy', 'old'),
          status('prod', 3, 'Healthy', 'new'),
        ],
      ),
    );
    const prod = result.environments[1];
    expect(prod.evidence.leadTimes.map(l => [l.summary, l.seconds])).toEqual([['commit b', 2 * 3600]]);
    expect(prod.leadTime).toEqual({ changes: 1, medianSeconds: 7200 });
  });
});
