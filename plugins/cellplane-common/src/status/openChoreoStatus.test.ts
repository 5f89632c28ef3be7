import { deriveComponentStatus } from './deriveStatus';
import { openChoreoCauses, openChoreoSynced, summariseOpenChoreo } from './openChoreoStatus';
import { ObservedObject } from './types';

// Conditions as OpenChoreo's ReleaseBinding and RenderedRelease controllers write them
// (openchoreo/openchoreo internal/controller/releasebinding/controller_conditions.go,
// controller_status.go and internal/controller/renderedrelease/controller.go).
const condition = (type: string, status: string, reason: string, message = `${type} ${status}`, observedGeneration = 1) => ({
  type,
  status,
  reason,
  message,
  observedGeneration,
  lastTransitionTime: '2026-12-07T04:00:00Z',
});

const binding = (conditions: any[], more: { generation?: number; spec?: any; observedGeneration?: number } = {}): ObservedObject => ({
  apiVersion: 'openchoreo.dev/v1alpha1',
  kind: 'ReleaseBinding',
  metadata: { name: 'cart-development', namespace: 'acme', generation: more.generation ?? 1 },
  spec: { owner: { projectName: 'shop', componentName: 'cart' }, environment: 'development', ...more.spec },
  status: { observedGeneration: more.observedGeneration ?? 1, conditions },
});

const rendered = (name: string, status: any, spec: any = {}): ObservedObject => ({
  apiVersion: 'openchoreo.dev/v1alpha1',
  kind: 'RenderedRelease',
  metadata: { name, namespace: 'acme', generation: 1 },
  spec: { owner: { projectName: 'shop', componentName: 'cart' }, environmentName: 'development', ...spec },
  status,
});

const controlPlane = { name: 'control-plane', available: true };

describe("OpenChoreo's view of a component in an environment", () => {
  it('keeps the conditions as the controllers wrote them, with the API defaults of state and targetPlane', () => {
    const conditions = [
      condition('ReleaseSynced', 'True', 'ReleaseSynced', 'Release is up to date'),
      condition('ResourcesReady', 'False', 'ResourcesProgressing', 'Primary workload Deployment/cart is progressing'),
      condition('Ready', 'False', 'ResourcesProgressing', 'Primary workload Deployment/cart is progressing'),
    ];
    const status = summariseOpenChoreo(
      [
        binding(conditions, { spec: { releaseName: 'cart-5d9c' } }),
        rendered('cart-development', {
          conditions: [condition('ResourcesApplied', 'True', 'ApplySucceeded', 'All resources applied successfully')],
          resources: [
            { id: 'deployment', kind: 'Deployment', version: 'v1', name: 'cart', healthStatus: 'Progressing' },
            { id: 'service', kind: 'Service', version: 'v1', name: 'cart', healthStatus: 'Healthy' },
            { id: 'route', kind: 'HTTPRoute', version: 'v1', name: 'cart', healthStatus: 'Degraded' },
            { id: 'config', kind: 'ConfigMap', version: 'v1', name: 'cart' },
          ],
        }),
      ],
      controlPlane,
    );
    expect(status).toEqual({
      controlPlane,
      releaseBinding: {
        kind: 'ReleaseBinding',
        name: 'cart-development',
        namespace: 'acme',
        releaseName: 'cart-5d9c',
        // releasebinding_types.go: +kubebuilder:default=Active
        state: 'Active',
        reconciled: true,
        conditions,
      },
      renderedReleases: [
        {
          kind: 'RenderedRelease',
          name: 'cart-development',
          namespace: 'acme',
          // renderedrelease_types.go: +kubebuilder:default=dataplane
          targetPlane: 'dataplane',
          reconciled: true,
          conditions: [condition('ResourcesApplied', 'True', 'ApplySucceeded', 'All resources applied successfully')],
          // A resource without healthStatus counts as Unknown (HealthStatusUnknown).
          resources: { total: 4, healthy: 1, progressing: 1, degraded: 1, suspended: 0, unknown: 1 },
        },
      ],
    });
  });

  it('says nothing where OpenChoreo has nothing, and why when its control plane cannot be read', () => {
    expect(summariseOpenChoreo([], controlPlane)).toBeUndefined();
    expect(summariseOpenChoreo([], { name: 'control-plane', available: false, reason: 'HTTP 403: forbidden' })).toEqual({
      controlPlane: { name: 'control-plane', available: false, reason: 'HTTP 403: forbidden' },
      renderedReleases: [],
    });
  });

  it('marks conditions of a spec the controller has not reconciled yet', () => {
    const stale = summariseOpenChoreo([binding([condition('Ready', 'True', 'Ready')], { generation: 3, observedGeneration: 2 })], controlPlane);
    expect(stale?.releaseBinding?.reconciled).toBe(false);
    // Without status.observedGeneration (a RenderedRelease), the conditions' own observedGeneration tells.
    const release = summariseOpenChoreo(
      [{ ...rendered('cart-development', { conditions: [condition('ResourcesApplied', 'True', 'ApplySucceeded', 'ok', 1)] }), metadata: { name: 'cart-development', namespace: 'acme', generation: 2 } }],
      controlPlane,
    );
    expect(release?.renderedReleases[0].reconciled).toBe(false);
  });

  it('bounds a condition message, so a status event stays small', () => {
    const status = summariseOpenChoreo([binding([condition('Ready', 'False', 'RenderingFailed', 'x'.repeat(5000))])], controlPlane);
    const message = status!.releaseBinding!.conditions[0].message!;
    expect(message).toHaveLength(1024);
    expect(message.endsWith('…')).toBe(true);
  });

  describe('causes', () => {
    const causesOf = (objects: ObservedObject[]) => openChoreoCauses(summariseOpenChoreo(objects, controlPlane));

    it.each([
      // Configuration and rendering issues set ReleaseSynced (and so Ready) False.
      ['ComponentReleaseNotFound', 'ComponentRelease "cart-5d9c" not found'],
      ['EnvironmentNotFound', 'Environment "development" not found'],
      ['RenderingFailed', 'trait "ingress": spec.host is required'],
      ['ResourcesDegraded', 'Primary workload Deployment/cart is degraded'],
      ['ResourceApplyFailed', 'Failed to apply resources to target plane: admission webhook denied'],
    ])('a reconciled ReleaseBinding whose Ready is False for %s is a SyncError', (reason, message) => {
      expect(causesOf([binding([condition('Ready', 'False', reason, message)])])).toEqual([
        {
          type: 'SyncError',
          message: `OpenChoreo ReleaseBinding cart-development: ${reason}: ${message}`,
          object: { apiVersion: 'openchoreo.dev/v1alpha1', kind: 'ReleaseBinding', name: 'cart-development', namespace: 'acme' },
        },
      ]);
    });

    it.each(['ResourcesProgressing', 'ConnectionsPending', 'ResourceDependenciesPending', 'ResourcesUndeployed', 'ResourcesUnknown'])(
      'Ready False for %s is progress or intent, not a failure',
      reason => {
        expect(causesOf([binding([condition('Ready', 'False', reason)])])).toEqual([]);
      },
    );

    it('one cause per object: the aggregate Ready first, else the condition that failed', () => {
      const both = [condition('ReleaseSynced', 'False', 'RenderingFailed', 'bad template'), condition('Ready', 'False', 'RenderingFailed', 'bad template')];
      expect(causesOf([binding(both)])).toHaveLength(1);
      // An older controller without Ready: ReleaseSynced says it.
      expect(causesOf([binding([condition('ReleaseSynced', 'False', 'ProjectNotFound', 'Project "shop" not found')])])[0].message).toBe(
        'OpenChoreo ReleaseBinding cart-development: ProjectNotFound: Project "shop" not found',
      );
    });

    it('a RenderedRelease that could not be applied is a SyncError; a stale failure is not', () => {
      const failedApply = rendered('cart-development', { conditions: [condition('ResourcesApplied', 'False', 'ApplyFailed', 'Failed to apply resources to target plane: forbidden')] });
      expect(causesOf([failedApply]).map(c => c.message)).toEqual([
        'OpenChoreo RenderedRelease cart-development: ApplyFailed: Failed to apply resources to target plane: forbidden',
      ]);
      expect(causesOf([binding([condition('Ready', 'False', 'RenderingFailed')], { generation: 2, observedGeneration: 1 })])).toEqual([]);
    });
  });

  it('names OpenChoreo as the delivery tool, with the state of its Ready condition', () => {
    expect(openChoreoSynced(summariseOpenChoreo([binding([condition('Ready', 'True', 'Ready')])], controlPlane))).toEqual({
      tool: 'OpenChoreo',
      state: 'Ready',
      object: { apiVersion: 'openchoreo.dev/v1alpha1', kind: 'ReleaseBinding', name: 'cart-development', namespace: 'acme' },
    });
    expect(openChoreoSynced(summariseOpenChoreo([binding([condition('Ready', 'False', 'ResourcesProgressing')])], controlPlane))?.state).toBe('ResourcesProgressing');
  });

  describe('beside the status Cellplane derives', () => {
    const base = {
      namespace: 'acme',
      project: 'shop',
      component: 'cart',
      environment: 'development',
      desired: { commit: 'c'.repeat(40), releaseHash: 'h1', objects: [] },
      objects: [],
    };
    const progressing = binding([condition('Ready', 'False', 'ResourcesProgressing')]);

    const unreadable = { name: 'eu', sandbox: false, available: false, reason: 'connection refused' };

    it("where the data plane cannot be read, OpenChoreo's Ready condition gives the health, and says why", () => {
      const progressingThere = deriveComponentStatus({ ...base, dataPlane: unreadable, openChoreo: { controlPlane, objects: [progressing] } });
      expect(progressingThere).toMatchObject({
        health: 'Progressing',
        reason: 'OpenChoreo ReleaseBinding cart-development: ResourcesProgressing: Ready False (Cellplane cannot read the data plane: connection refused)',
        causes: [],
      });
      expect(progressingThere.openChoreo?.releaseBinding?.conditions[0].reason).toBe('ResourcesProgressing');
      const healthy = deriveComponentStatus({ ...base, dataPlane: unreadable, openChoreo: { controlPlane, objects: [binding([condition('Ready', 'True', 'Ready', 'ReleaseBinding is ready')])] } });
      expect(healthy.health).toBe('Healthy');
      const failing = deriveComponentStatus({
        ...base,
        dataPlane: unreadable,
        openChoreo: { controlPlane, objects: [binding([condition('Ready', 'False', 'ResourcesDegraded', 'Primary workload Deployment/cart is degraded')])] },
      });
      expect(failing).toMatchObject({ health: 'Degraded', causes: [{ type: 'SyncError', message: 'OpenChoreo ReleaseBinding cart-development: ResourcesDegraded: Primary workload Deployment/cart is degraded' }] });
      const undeployed = deriveComponentStatus({ ...base, dataPlane: unreadable, openChoreo: { controlPlane, objects: [binding([condition('Ready', 'False', 'ResourcesUndeployed')])] } });
      expect(undeployed.health).toBe('NotDeployed');
    });

    it('stays Unknown when OpenChoreo has no verdict either', () => {
      for (const openChoreo of [
        undefined,
        { controlPlane: { name: 'control-plane', available: false, reason: 'HTTP 401' }, objects: [] },
        { controlPlane, objects: [binding([condition('ReleaseSynced', 'True', 'ReleaseSynced')])] },
        { controlPlane, objects: [binding([condition('Ready', 'True', 'Ready')], { generation: 2, observedGeneration: 1 })] },
      ]) {
        expect(deriveComponentStatus({ ...base, dataPlane: unreadable, openChoreo })).toMatchObject({ health: 'Unknown', reason: 'Unknown: connection refused' });
      }
    });

    it('is kept when nothing is deployed', () => {
      const notDeployed = deriveComponentStatus({ ...base, dataPlane: { name: 'eu', sandbox: false, available: true }, openChoreo: { controlPlane, objects: [progressing] } });
      expect(notDeployed.health).toBe('NotDeployed');
      expect(notDeployed.openChoreo?.controlPlane).toEqual(controlPlane);
    });

    it('does not count its objects as deployed workloads of the component', () => {
      const status = deriveComponentStatus({ ...base, dataPlane: { name: 'default', sandbox: false, available: true }, objects: [progressing] });
      expect(status.health).toBe('NotDeployed');
      // Found among the data plane's objects: that cluster is the control plane.
      expect(status.openChoreo?.controlPlane).toEqual({ name: 'default', available: true });
    });
  });
});
