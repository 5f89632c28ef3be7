import { ComponentReleaseComparison } from '@cellplane/backstage-plugin-common';
import { PaymentsReleases, startWithPaymentsReleases } from './__testUtils__/paymentsReleases';

/**
 * The compare route with the real renderer. The renderer's schema packages (@kubernetes-models)
 * are ESM-only: Jest loads them through the renderer's resolver, which this package's Jest config
 * names (`jest.resolver`, as the scaffolder module's does).
 */
describe('GET /releases/:namespace/:component/compare renders both releases', () => {
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

  it('compares two releases: their snapshots, and the manifests each renders to in the environment asked for', async () => {
    const response = await get(`/releases/acme/payments-api/compare?from=${r1}&to=${r2}&environment=staging`);
    expect(response.body.error).toBeUndefined();
    expect(response.status).toBe(200);
    const comparison = response.body as ComponentReleaseComparison;
    expect(comparison).toMatchObject({ namespace: 'acme', component: 'payments-api', from: r1, to: r2, environment: 'staging' });
    expect(comparison.revision).toBe(commits['undeploy staging']);
    expect(comparison.spec.from).toContain('image: ghcr.io/acme/payments-api:1.4.2');
    expect(comparison.spec.to).toContain('image: ghcr.io/acme/payments-api:1.5.0');
    // Staging is undeployed now, yet each release renders as a promotion there would render it.
    const manifests = comparison.rendered.find(file => file.path.endsWith('/acme/staging/payments/components/payments-api.yaml'));
    expect(manifests?.from).toContain('payments-api:1.4.2');
    expect(manifests?.to).toContain('payments-api:1.5.0');
    // The staging binding's overrides apply to both.
    expect(manifests?.from).toContain('https://sandbox.payment-provider.example/v2');
    expect(comparison.rendered.every(file => file.from !== file.to && !file.path.endsWith('index.txt'))).toBe(true);
    expect(comparison.renderProblems).toEqual([]);
  });

  it('renders for the first environment of the pipeline the component is bound in when none is asked for; a release against itself differs in nothing', async () => {
    const response = await get(`/releases/acme/payments-api/compare?from=${r1}&to=${r1}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ environment: 'development', rendered: [], renderProblems: [] });
    expect(response.body.spec.from).toBe(response.body.spec.to);
  });
});
