import { ComponentReleaseList } from '@cellplane/backstage-plugin-common';
import { PaymentsReleases, startWithPaymentsReleases } from './__testUtils__/paymentsReleases';

describe('releases: where each ran, and how a compare is asked for', () => {
  let history: PaymentsReleases;
  let r1 = '';
  let r2 = '';
  let commits: Record<string, string>;
  const get: PaymentsReleases['get'] = (...args) => history.get(...args);

  beforeAll(async () => {
    history = await startWithPaymentsReleases();
    ({ r1, r2, commits } = history);
  });
  afterAll(() => history?.backend.stop());

  it('lists where and when each release ran, from the history of the binding files, newest span first', async () => {
    const response = await get('/releases/acme/payments-api');
    expect(response.status).toBe(200);
    const list = response.body as ComponentReleaseList;
    expect(list.historyComplete).toBe(true);
    const byName = Object.fromEntries(list.items.map(item => [item.name, item]));
    const time = expect.stringMatching(/^\d{4}-\d\d-\d\dT/);
    expect(byName[r1].deployments).toEqual([
      { environment: 'production', since: time, sinceCommit: commits['release 1 to production'] },
      {
        environment: 'staging',
        since: time,
        sinceCommit: commits['release 1 to staging'],
        until: time,
        untilCommit: commits['release 2 to staging'],
      },
    ]);
    expect(byName[r2].deployments).toEqual([
      {
        environment: 'staging',
        since: time,
        sinceCommit: commits['release 2 to staging'],
        until: time,
        untilCommit: commits['undeploy staging'],
      },
    ]);
    // Where each runs now: production pins release 1; staging is undeployed.
    expect(byName[r1].environments).toEqual(['production']);
    expect(byName[r2].environments).toEqual([]);
  });

  it('answers unknown releases, component or environment with 404 naming them', async () => {
    const one = await get(`/releases/acme/payments-api/compare?from=${r1}&to=payments-api-0000000000`);
    expect(one.status).toBe(404);
    expect(one.body.error.message).toBe('release "payments-api-0000000000" of component payments-api not found in namespace acme');
    const both = await get('/releases/acme/payments-api/compare?from=payments-api-aa&to=payments-api-bb');
    expect(both.body.error.message).toBe('releases "payments-api-aa" and "payments-api-bb" of component payments-api not found in namespace acme');
    const component = await get(`/releases/acme/nope/compare?from=${r1}&to=${r2}`);
    expect(component.status).toBe(404);
    expect(component.body.error.message).toBe('Component "nope" not found in namespace acme');
    const environment = await get(`/releases/acme/payments-api/compare?from=${r1}&to=${r2}&environment=qa`);
    expect(environment.status).toBe(404);
    expect(environment.body.error.message).toBe('Environment "qa" not found in namespace acme');
  });

  it.each([
    ['no from', '?to=x', /^from is required/],
    ['an empty to', '?from=payments-api-a&to=', /^to is required/],
    ['a from that is no release name', '?from=..%2Fetc&to=payments-api-a', /^from must/],
    ['an environment that is no name', '?from=a&to=b&environment=Prod%20EU', /^environment must be an RFC 1123 label/],
    ['an unknown parameter', '?from=a&to=b&revision=HEAD', /^unknown query parameter "revision": this route takes from, to, environment/],
    ['a repeated parameter', '?from=a&from=b&to=c', /^from must be given once/],
  ])('answers %s with 400 naming the parameter', async (_, query, message) => {
    const response = await get(`/releases/acme/payments-api/compare${query}`);
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(message);
    expect(response.body.error.stack).toBeUndefined();
  });

  it('needs a signed-in caller with cellplane.status.read', async () => {
    const path = `/releases/acme/payments-api/compare?from=${r1}&to=${r2}`;
    expect((await get(path, 'none')).status).toBe(401);
    const denied = await get(path, 'user without cellplane.status.read');
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe('comparing releases requires the cellplane.status.read permission');
    expect((await get(path, 'service')).status).toBe(200);
  });
});
