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
 * drawing the line, said in `logLatencyMeasuredAt`.
 *
 * Then, in the browser (unless BENCH_OBSERVE_BROWSER=0): the production portal (as yarn bench:ui
 * starts it, building it first when missing or stale unless BENCH_OBSERVE_BUILD=0) on the example
 * organisation, its sandbox pods writing their own lines, and headless Chromium with the Logs tab
 * of several development components open, following. Each line drawn after the pages opened is
 * timed from the time the sandbox wrote it (the kubelet timestamp the line carries, `data-time`)
 * to its insertion in the page (a MutationObserver), same machine, same clock; p99 over
 * BENCH_OBSERVE_BROWSER_LINES lines (default 200). If the portal cannot be built or started, the
 * output says why under `logBrowser` and the stream figures stand alone.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import cellplanePlugin from '@cellplane/backstage-plugin-backend';
import { cellNamespace, exampleRepository, renderedLabels } from '@cellplane/backstage-plugin-node/testUtils';
import { KubernetesTestServer } from '@cellplane/kubernetes-test-server';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { launchChromium } from '../ui/browser';
import { startPortal } from '../ui/portal';

const LINES = Number(process.env.BENCH_OBSERVE_LOG_LINES ?? 200);
const BROWSER = process.env.BENCH_OBSERVE_BROWSER !== '0';
const BROWSER_LINES = Number(process.env.BENCH_OBSERVE_BROWSER_LINES ?? 200);
// Each Logs tab holds two streams open (its logs, and the status it re-reads the pods on): a
// browser opens at most six HTTP/1.1 connections to one host, so a fourth tab would never load.
const BROWSER_PAGES = Number(process.env.BENCH_OBSERVE_BROWSER_PAGES ?? 3);
const BUILD = process.env.BENCH_OBSERVE_BUILD !== '0';
const PORT = Number(process.env.BENCH_PORT ?? 7118);
const EXAMPLE = resolve(__dirname, '../../examples/gitops');
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

async function measureStream(log: (line: string) => void): Promise<Record<string, unknown>> {
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
      logLatencyMeasuredAt: "the backend's logs stream (test-server log store → pod log endpoint over HTTP → backend → SSE parsed)",
    };
  } finally {
    await backend?.stop();
    await cluster.close();
    fixture.cleanup();
  }
}

/**
 * Installed in each Logs tab once it shows lines: every line element added later, written after
 * the page started watching, is timed from its kubelet timestamp to now.
 */
const WATCH_LINES = `(() => {
  window.__cellplaneLineLatencies = [];
  const since = Date.now();
  new MutationObserver(records => {
    const at = Date.now();
    for (const record of records) for (const node of record.addedNodes) {
      const time = node.dataset && node.dataset.time;
      if (!time) continue;
      const written = Date.parse(time.slice(0, 23) + 'Z');
      if (written > since) window.__cellplaneLineLatencies.push(at - written);
    }
  }).observe(document.body, { childList: true, subtree: true });
})()`;

/** The sandbox's own lines, written → drawn in the portal's Logs tabs. */
async function measureBrowser(log: (line: string) => void): Promise<Record<string, unknown>> {
  const scratch = mkdtempSync(join(tmpdir(), 'cellplane-bench-observe-'));
  try {
    log(`starting the production portal on :${PORT}${BUILD ? ' (building first if the build is missing or stale: minutes)' : ''}`);
    const portal = await startPortal({ scratch, seedFrom: EXAMPLE, port: PORT, build: BUILD });
    const browser = await launchChromium();
    try {
      const token = await pollFor('a guest token', async () => {
        const body = (await (await fetch(`${portal.url}/api/auth/guest/refresh`)).json()) as any;
        return body?.backstageIdentity?.token as string | undefined;
      }, log);
      const running = await pollFor('running sandbox pods in development', async () => {
        const response = await fetch(`${portal.url}/api/cellplane/status/environments/acme/development`, { headers: { authorization: `Bearer ${token}` } });
        const items = ((await response.json()) as any).items ?? [];
        const names: string[] = items.filter((s: any) => s.pods?.ready > 0).map((s: any) => s.component);
        return names.length >= BROWSER_PAGES ? names.slice(0, BROWSER_PAGES) : undefined;
      }, log);
      // bench:ui's sign-in, with the patience a busy 2-core machine needs for several tabs.
      const context = await browser.newContext({ baseURL: portal.url, viewport: { width: 1600, height: 1000 } });
      context.setDefaultTimeout(120_000);
      const first = await context.newPage();
      try {
        await first.goto('/');
        await first.getByRole('button', { name: 'Enter' }).click();
        await first.getByRole('link', { name: 'Catalog', exact: true }).first().waitFor();
      } catch (error) {
        if (process.env.BENCH_OBSERVE_SCREENSHOT) await first.screenshot({ path: process.env.BENCH_OBSERVE_SCREENSHOT }).catch(() => undefined);
        throw error;
      }
      const pages: Page[] = [];
      for (const component of running) {
        const page = pages.length === 0 ? first : await context.newPage();
        log(`opening the Logs tab of ${component}`);
        try {
          await page.goto(`/catalog/acme/component/${component}/logs`, { waitUntil: 'commit' });
          await page.waitForSelector('[data-testid="log-line"]', { timeout: 120_000 });
        } catch (error) {
          if (process.env.BENCH_OBSERVE_SCREENSHOT) await page.screenshot({ path: process.env.BENCH_OBSERVE_SCREENSHOT }).catch(() => undefined);
          throw error;
        }
        await page.evaluate(WATCH_LINES);
        pages.push(page);
      }
      log(`${pages.length} Logs tabs following (${running.join(', ')}); waiting for ${BROWSER_LINES} new lines`);
      const latencies = await pollFor(`${BROWSER_LINES} lines drawn`, async () => {
        const all = (await Promise.all(pages.map(p => p.evaluate('window.__cellplaneLineLatencies') as Promise<number[]>))).flat();
        return all.length >= BROWSER_LINES ? all : undefined;
      }, log, 20 * 60_000);
      if (process.env.BENCH_OBSERVE_LOGS_SCREENSHOT) await pages[0].screenshot({ path: process.env.BENCH_OBSERVE_LOGS_SCREENSHOT });
      const p99 = percentile(latencies, 99);
      log(`${latencies.length} lines drawn: p50 ${round(percentile(latencies, 50))} ms, p99 ${round(p99)} ms`);
      return {
        logBrowser: {
          lines: latencies.length,
          p50Ms: round(percentile(latencies, 50)),
          p99Ms: round(p99),
          maxMs: round(Math.max(...latencies)),
          withinTarget: p99 <= TARGET_MS,
          components: running,
          chromium: browser.version(),
          measuredAt: "the sandbox writes a line (its kubelet timestamp) → the line element added to the portal's Logs tab (millisecond clocks)",
        },
      };
    } finally {
      await browser.close();
      await portal.stop();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Polls `check` every second until it answers something other than undefined. */
async function pollFor<T>(what: string, check: () => Promise<T | undefined>, log: (line: string) => void, timeoutMs = 300_000): Promise<T> {
  log(`waiting for ${what}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(1000);
  }
}

export async function run(log: (line: string) => void): Promise<Record<string, unknown>> {
  const stream = await measureStream(log);
  if (!BROWSER) return { ...stream, logBrowser: { notMeasured: 'BENCH_OBSERVE_BROWSER=0' } };
  try {
    return { ...stream, ...(await measureBrowser(log)) };
  } catch (error) {
    const why = String((error as Error)?.message ?? error).split('\n')[0];
    log(`the browser part did not run: ${why}`);
    return { ...stream, logBrowser: { notMeasured: why } };
  }
}
