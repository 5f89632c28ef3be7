import { createHash } from 'node:crypto';
import { fromCel, DERIVED } from './cel';
import { buildConfigurations, buildWorkload, containerPorts, endpointAddress, mergeGateway, servicePorts } from './context';
import { fnv1a32Hex, kubernetesNamespaceFor } from './names';
import { exampleModel } from './__testUtils__/models';

describe('workload helpers', () => {
  const endpoints = {
    'metrics_HTTP': { type: 'HTTP' as const, port: 9100 },
    api: { type: 'HTTP' as const, port: 8080, targetPort: 3000 },
    'a-very-long-endpoint-name': { type: 'gRPC' as const, port: 9090 },
    'a-very-long-endpoint-other': { type: 'TCP' as const, port: 9091 },
    dns: { type: 'UDP' as const, port: 53 },
    dnstcp: { type: 'TCP' as const, port: 53 },
    same: { type: 'HTTP' as const, port: 8080 },
    '8443': { type: 'HTTP' as const, port: 8443 },
  };

  it('toServicePorts(): sorted by endpoint, UDP only for UDP, deduplicated, names ≤ 15', () => {
    expect(servicePorts(endpoints)).toEqual([
      { name: '8443', port: 8443, targetPort: 8443, protocol: 'TCP' },
      { name: 'a-very-long-end', port: 9090, targetPort: 9090, protocol: 'TCP' },
      { name: 'a-very-long-e-2', port: 9091, targetPort: 9091, protocol: 'TCP' },
      { name: 'api', port: 8080, targetPort: 3000, protocol: 'TCP' },
      { name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' },
      { name: 'dnstcp', port: 53, targetPort: 53, protocol: 'TCP' },
      { name: 'metrics-http', port: 9100, targetPort: 9100, protocol: 'TCP' },
    ]);
    expect(servicePorts({})).toEqual([]);
  });

  it('toContainerPorts(): target ports, letterless names become port-<n>', () => {
    expect(containerPorts(endpoints).map(p => `${p.name}:${p.containerPort}/${p.protocol}`)).toEqual([
      'port-8443:8443/TCP',
      'a-very-long-end:9090/TCP',
      'a-very-long-e-2:9091/TCP',
      'api:3000/TCP',
      'dns:53/UDP',
      'dnstcp:53/TCP',
      'metrics-http:9100/TCP',
      'same:8080/TCP',
    ]);
  });

  it('workload.endpoints: visibility always starts with project; targetPort defaults to port', () => {
    const workload = fromCel(
      buildWorkload({ container: { image: 'x' }, endpoints: { http: { type: 'HTTP', port: 80, visibility: ['external', 'project'] } } }),
    );
    expect(workload).toEqual({
      container: { image: 'x' },
      // `resources`: the routes of the endpoint's API schema (none without a schema).
      endpoints: { http: { port: 80, targetPort: 80, type: 'HTTP', visibility: ['project', 'external'], resources: [] } },
    });
  });

  it('endpoint addresses point at the Service in the target cell', () => {
    const ns = kubernetesNamespaceFor('acme', 'shop', 'dev');
    expect(endpointAddress('acme', 'shop', 'cart', 'dev', { type: 'HTTP', port: 80, basePath: '/v1' }).address).toBe(
      `http://cart.${ns}.svc.cluster.local:80/v1`,
    );
    expect(endpointAddress('acme', 'shop', 'cart', 'dev', { type: 'Websocket', port: 80 }).address).toBe(
      `ws://cart.${ns}.svc.cluster.local:80`,
    );
    expect(endpointAddress('acme', 'shop', 'cart', 'dev', { type: 'gRPC', port: 9090 }).address).toBe(
      `cart.${ns}.svc.cluster.local:9090`,
    );
  });
});

describe('names', () => {
  it('kubernetesNamespaceFor: dp-<namespace>-<project>-<environment>-<sha256 8>, at most 63', () => {
    const hash = createHash('sha256').update('dp-acme-payments-development').digest('hex').slice(0, 8);
    expect(kubernetesNamespaceFor('acme', 'payments', 'development')).toBe(`dp-acme-payments-development-${hash}`);
    const long = kubernetesNamespaceFor('n'.repeat(63), 'p'.repeat(63), 'e'.repeat(63));
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });
});

describe('configurations', () => {
  it('splits env and files into configs and secrets and derives object names and mounts', async () => {
    const model = await exampleModel();
    const warnings: string[] = [];
    const configurations = buildConfigurations(
      model,
      'acme',
      'api-dev',
      {
        container: {
          image: 'x',
          env: [
            { key: 'A', value: '1' },
            { key: 'KEY', valueFrom: { secretKeyRef: { name: 'payment-gateway-credentials', key: 'api-key' } } },
          ],
          files: [
            { key: 'app.yaml', mountPath: '/etc/app', value: 'a: 1' },
            { key: 'hook', mountPath: '/etc/s', valueFrom: { secretKeyRef: { name: 'payment-gateway-credentials', key: 'webhook-signing-secret' } } },
          ],
        },
      },
      (field, message) => warnings.push(`${field}: ${message}`),
    );
    expect(warnings).toEqual([]);
    expect(fromCel(configurations)).toEqual({
      configs: { envs: [{ name: 'A', value: '1' }], files: [{ name: 'app.yaml', mountPath: '/etc/app', value: 'a: 1' }] },
      secrets: {
        envs: [{ name: 'KEY', remoteRef: { key: 'acme/payments/payment-gateway', property: 'api-key' } }],
        files: [{ name: 'hook', mountPath: '/etc/s', remoteRef: { key: 'acme/payments/payment-gateway', property: 'webhook-signing-secret' } }],
      },
    });
    const derived = fromCel((configurations as any)[DERIVED]) as any;
    expect(derived.containerEnvFrom).toEqual([
      { configMapRef: { name: expect.stringMatching(/^api-dev-env-configs-[0-9a-f]{8}$/) } },
      { secretRef: { name: 'api-dev-env-secrets-c7d1d2cd' } },
    ]);
    expect(derived.configFileList[0].resourceName).toMatch(/^api-dev-config-app-yaml-[0-9a-f]{8}$/);
    expect(derived.volumeMounts).toEqual([
      { name: `file-mount-${fnv1a32Hex('/etc/app/app.yaml')}`, mountPath: '/etc/app/app.yaml', subPath: 'app.yaml' },
      { name: `file-mount-${fnv1a32Hex('/etc/s/hook')}`, mountPath: '/etc/s/hook', subPath: 'hook' },
    ]);
    expect(derived.volumes.map((v: any) => v.name)).toEqual([...derived.volumes.map((v: any) => v.name)].sort());
    expect(derived.volumes.find((v: any) => v.secret).secret.secretName).toBe(derived.secretFileList[0].resourceName);
  });

  it('names secret objects as OpenChoreo does: FNV-32a of the references inside the SHA-256 name hash', async () => {
    // OpenChoreo's derived.go and name.go, computed by hand for this input:
    //   file 'hook', remoteRef {key: acme/payments/payment-gateway, property: webhook-signing-secret}
    //   extra = fnv1a32("acme/payments/payment-gateway\0webhook-signing-secret\0") = 2b4dbee7
    //   name  = api-dev-secret-hook-<sha256("api-dev-secret-hook-2b4dbee7")[:8]> = api-dev-secret-hook-45532ea0
    //   env KEY → same key, property api-key:
    //   extra = fnv1a32("KEY\0acme/payments/payment-gateway\0api-key\0\0") = 5d186ccc
    //   name  = api-dev-env-secrets-<sha256("api-dev-env-secrets-5d186ccc")[:8]> = api-dev-env-secrets-c7d1d2cd
    expect(fnv1a32Hex('acme/payments/payment-gateway\u0000webhook-signing-secret\u0000')).toBe('2b4dbee7');
    expect(createHash('sha256').update('api-dev-secret-hook-2b4dbee7').digest('hex').slice(0, 8)).toBe('45532ea0');
    const model = await exampleModel();
    const derived = fromCel(
        (
          buildConfigurations(
            model,
            'acme',
            'api-dev',
            {
              container: {
                image: 'x',
                env: [{ key: 'KEY', valueFrom: { secretKeyRef: { name: 'payment-gateway-credentials', key: 'api-key' } } }],
                files: [
                  {
                    key: 'hook',
                    mountPath: '/etc/s',
                    valueFrom: { secretKeyRef: { name: 'payment-gateway-credentials', key: 'webhook-signing-secret' } },
                  },
                ],
              },
            },
            () => {},
          ) as any
        )[DERIVED],
      ) as any;
    expect(derived.secretFileList[0].resourceName).toBe('api-dev-secret-hook-45532ea0');
    expect(derived.secretEnvs).toEqual([
      { resourceName: 'api-dev-env-secrets-c7d1d2cd', envs: [{ name: 'KEY', remoteRef: { key: 'acme/payments/payment-gateway', property: 'api-key' } }] },
    ]);
    expect(derived.containerEnvFrom).toContainEqual({ secretRef: { name: 'api-dev-env-secrets-c7d1d2cd' } });
  });
});

describe('gateways', () => {
  it('prefers the environment per direction and network, else the data plane', () => {
    expect(
      mergeGateway(
        { ingress: { external: { name: 'env-ext' } } },
        { ingress: { external: { name: 'dp-ext' }, internal: { name: 'dp-int' } }, egress: { external: { name: 'dp-egress' } } },
      ),
    ).toEqual({
      ingress: { external: { name: 'env-ext' }, internal: { name: 'dp-int' } },
      egress: { external: { name: 'dp-egress' } },
    });
    expect(mergeGateway(undefined, undefined)).toBeUndefined();
  });
});
