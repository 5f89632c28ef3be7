/**
 * The log part of yarn bench:observe: how long a line a pod writes takes to reach a browser
 * reading the component's Logs stream.
 *
 * A Kubernetes test server plays the data plane (one pod of cart-api in development) and the
 * `cellplane` backend runs in process on the example repository with that data plane in its
 * config, as a deployment would have it. One stream is opened as the Logs tab opens it
 * (`GET /api/cellplane/logs/acme/cart-api/development?pod=&follow=true`), then
 * BENCH_OBSERVE_LOG_LINES lines (default 200) are written one at a time through the test server's
 * log store; each is timed from the write to its arrival in a parsed `lines` event. The path is
 * the real one: the backend reads the pod log endpoint (follow, chunked) over HTTP with the data
 * plane's credentials and sends Server-Sent Events. What it does not include is the browser
 * drawing the line (a few ms of React), said in `logLatencyMeasuredAt`.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import cellplanePlugin from '@cellplane/backstage-plugin-backend';
import { cellNamespace, exampleRepository, renderedLabels } from '@cellplane/backstage-plugin-node/testUtils';
import { KubernetesTestServer } from '@cellplane/kubernetes-test-server';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';

const LINES = Number(process.env.BENCH_OBSERVE_LOG_LINES ?? 200);
const TARGET_MS = 1000;
const CART = { project: 'storefront', component: 'cart-api', environment: 'development' };
const POD = 'cart-api-bench-0';

const now = () => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const round = (n: number) => Math.round(n * 10) / 10;
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

/** Opens the logs stream and calls `onLine` with each line's text as it is parsed. */
function openStream(server: http.Server, path: string, onLine: (text: string) => void): Promise<() => void> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers: { accept: 'text/event-stream' } }, res => {
      if (res.statusCode !== 200) reject(new Error(`GET ${path} answered ${res.statusCode}`));
      let raw = '';
      res.setEncoding('utf8');
      res.on('data', chunk => {
        raw += chunk;
        for (let end = raw.indexOf('\n\n'); end >= 0; end = raw.indexOf('\n\n')) {
          const message = raw.slice(0, end).split('\n');
          raw = raw.slice(end + 2);
          const event = message.find(l => l.startsWith('event: '))?.slice(7);
          const data = message.find(l => l.startsWith('data: '))?.slice(6);
          if (event === 'ready') resolve(() => req.destroy());
          if (event === 'log-error') reject(new Error(`the stream failed: ${data}`));
          if (event === 'lines' && data) for (const line of JSON.parse(data).lines) onLine(line.text);
        }
      });
    });
    req.on('error', reject);
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, log: (line: string) => void, timeoutMs = 120_000) {
  log(`waiting for ${what}`);
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export async function run(log: (line: string) => void): Promise<Record<string, unknown>> {
  const fixture = exampleRepository();
  const namespace = cellNamespace(CART);
  const cluster = await KubernetesTestServer.start({ namespaces: [namespace] });
  let backend: Awaited<ReturnType<typeof startTestBackend>> | undefined;
  try {
    cluster.objects.put({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: POD, namespace, labels: renderedLabels(CART) },
      spec: { containers: [{ name: 'main', image: 'registry.example/cart-api:1.0' }] },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
    });
    backend = await startTestBackend({
      features: [
        cellplanePlugin,
        mockServices.rootConfig.factory({
          data: {
            cellplane: {
              gitops: { url: fixture.bare, cacheDir: join(fixture.dir, 'backend-cache') },
              dataPlanes: [{ name: 'default', url: cluster.url, skipTLSVerify: true, auth: { serviceAccountToken: cluster.adminToken } }],
            },
          },
        }),
      ],
    });
    const server = backend.server;
    const { port } = server.address() as AddressInfo;
    const base = `http://127.0.0.1:${port}/api/cellplane`;
    await waitFor('the pod in the logs route', async () => (await fetch(`${base}/logs/acme/cart-api/development/pods`)).ok, log);

    const waiting = new Map<string, (at: number) => void>();
    const close = await openStream(server, `/api/cellplane/logs/acme/cart-api/development?pod=${POD}&follow=true&tailLines=0`, text =>
      waiting.get(text)?.(now()),
    );
    const latencies: number[] = [];
    try {
      // 'ready' comes before the backend's follow request reaches the data plane: write until a
      // line arrives, so the timed lines all find the stream following.
      let following = false;
      waiting.set('warm-up', () => (following = true));
      while (!following) {
        cluster.logs.append(namespace, POD, 'main', 'warm-up');
        await sleep(100);
      }
      for (let i = 0; i < LINES; i += 1) {
        const text = `10.244.0.7 - - "GET /api/cart/${i} HTTP/1.1" 200 512 "-" "bench" 3ms`;
        const arrived = new Promise<number>((resolve, reject) => {
          waiting.set(text, resolve);
          setTimeout(() => reject(new Error(`line ${i} did not arrive within 10 s`)), 10_000).unref();
        });
        const written = now();
        cluster.logs.append(namespace, POD, 'main', text);
        latencies.push((await arrived) - written);
        waiting.delete(text);
        // Lines a few ms apart, as a busy service writes them, not one burst.
        await sleep(5 + Math.random() * 10);
      }
    } finally {
      close();
    }
    const p99 = percentile(latencies, 99);
    log(`${LINES} lines: p50 ${round(percentile(latencies, 50))} ms, p99 ${round(p99)} ms, max ${round(Math.max(...latencies))} ms`);
    return {
      logLines: LINES,
      logLatencyP50Ms: round(percentile(latencies, 50)),
      logLatencyP99Ms: round(p99),
      logLatencyMaxMs: round(Math.max(...latencies)),
      logLatencyTargetMs: TARGET_MS,
      logLatencyWithinTarget: p99 <= TARGET_MS,
      logLatencyMeasuredAt:
        "the backend's logs stream (test-server log store → pod log endpoint over HTTP → backend → SSE parsed); the browser's drawing is not included (no headless Chromium run in this part yet)",
    };
  } finally {
    await backend?.stop();
    await cluster.close();
    fixture.cleanup();
  }
}
