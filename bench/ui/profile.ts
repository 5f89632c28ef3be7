/**
 * yarn tsx bench/ui/profile.ts: where a load of a component page spends its time before the
 * delivery pipeline card is drawn. Not a benchmark (no figure to compare): the tool to find what
 * `yarn bench:ui`'s pipeline time is made of.
 *
 * It starts the production portal as bench:ui does (the build there is, BENCH_UI_BUILD=1 to
 * rebuild a stale one) on the example organisation plus a small generated project
 * (BENCH_UI_COMPONENTS, default 10), signs in as a guest, warms the cache with one load of
 * web-shop's page, then loads it BENCH_UI_LOADS times (default 3) and prints for each load, by
 * the page's clock (ms from the navigation's start): every resource (script chunks, API calls:
 * start, time to first byte, end), the long tasks (main thread busy over 50 ms), and when the
 * card's loading state and the card with its data were drawn.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, signIn } from './browser';
import { startPortal } from './portal';
import { writeSeedRepository } from './repository';

const COMPONENTS = Number(process.env.BENCH_UI_COMPONENTS ?? 10);
const LOADS = Number(process.env.BENCH_UI_LOADS ?? 3);
const PORT = Number(process.env.BENCH_PORT ?? 7118);
const PATH = '/catalog/acme/component/web-shop';
const log = (line: string) => process.stderr.write(`[profile] ${line}\n`);
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** Installed before the app's scripts: long tasks and the moments the card's states appear. */
const OBSERVE = `
  window.__profile = { longTasks: [], marks: {}, chunks: [] };
  // Each lazy chunk's evaluation: webpack pushes it onto this array when its script runs.
  const chunkQueue = (self.webpackChunkapp = self.webpackChunkapp || []);
  const push = chunkQueue.push;
  chunkQueue.push = function (...args) {
    for (const entry of args) if (Array.isArray(entry) && Array.isArray(entry[0])) window.__profile.chunks.push(entry[0].join(',') + '@' + Math.round(performance.now()));
    return push.apply(this, args);
  };
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) window.__profile.longTasks.push([Math.round(entry.startTime), Math.round(entry.duration)]);
  }).observe({ type: 'longtask', buffered: true });
  const check = () => {
    for (const id of ['delivery-pipeline-loading', 'delivery-pipeline']) {
      if (!window.__profile.marks[id] && document.querySelector('[data-testid="' + id + '"]')) window.__profile.marks[id] = Math.round(performance.now());
    }
    if (!document.querySelector('header h1, [data-testid="header-title"]')) {} else window.__profile.marks.header ??= Math.round(performance.now());
    if (!window.__profile.marks['delivery-pipeline']) requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
`;

/** Each API call of the card, alone (one at a time, nothing else asking): the server's own time. */
async function timeRoutesAlone(url: string) {
  const token = ((await (await fetch(`${url}/api/auth/guest/refresh`)).json()) as any).backstageIdentity.token;
  const headers = { Authorization: `Bearer ${token}` };
  for (const path of ['/api/cellplane/pipeline/acme/web-shop', '/api/cellplane/status/components/acme/web-shop', '/api/catalog/entities/by-name/component/acme/web-shop']) {
    const times: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      const started = performance.now();
      await (await fetch(`${url}${path}`, { headers })).text();
      times.push(Math.round(performance.now() - started));
    }
    log(`alone: ${path}: ${times.join(', ')} ms`);
  }
}

async function main() {
  const scratch = mkdtempSync(join(tmpdir(), 'cellplane-profile-ui-'));
  const seed = join(scratch, 'seed');
  mkdirSync(seed);
  await writeSeedRepository(seed, COMPONENTS, log);
  const portal = await startPortal({ scratch, seedFrom: seed, port: PORT, build: process.env.BENCH_UI_BUILD === '1' });
  const browser = await launchChromium();
  try {
    // The status of web-shop read, as bench:ui waits for it.
    for (let i = 0; i < 300; i += 1) {
      const token = (await (await fetch(`${portal.url}/api/auth/guest/refresh`)).json().catch(() => undefined))?.backstageIdentity?.token;
      const status = token && (await fetch(`${portal.url}/api/cellplane/status/components/acme/web-shop`, { headers: { Authorization: `Bearer ${token}` } }));
      if (status && status.ok && ((await status.json()) as any).items?.length) break;
      await sleep(1000);
    }
    await sleep(Number(process.env.PROFILE_SETTLE_MS ?? 20_000));
    await timeRoutesAlone(portal.url);
    const { page } = await signIn(browser, portal.url);
    await page.addInitScript(OBSERVE);
    for (let load = 0; load <= LOADS; load += 1) {
      await page.goto(PATH, { waitUntil: 'commit' });
      await page.waitForFunction('window.__profile && window.__profile.marks["delivery-pipeline"]', undefined, { timeout: 60_000, polling: 100 });
      await sleep(300);
      const report = (await page.evaluate(`(() => ({
        marks: window.__profile.marks,
        chunks: window.__profile.chunks,
        longTasks: window.__profile.longTasks,
        nav: (() => { const n = performance.getEntriesByType('navigation')[0]; return { responseEnd: Math.round(n.responseEnd), domContentLoaded: Math.round(n.domContentLoadedEventEnd) }; })(),
        resources: performance.getEntriesByType('resource').map(r => ({
          name: r.name.replace(location.origin, ''), start: Math.round(r.startTime), ttfb: Math.round(r.responseStart), end: Math.round(r.responseEnd),
          server: Math.round(r.responseStart - r.requestStart), kb: Math.round(r.encodedBodySize / 1024), cached: r.transferSize === 0,
        })),
      }))()`)) as any;
      if (load === 0) continue;
      log(`load ${load}: loading state at ${report.marks['delivery-pipeline-loading']} ms, pipeline drawn at ${report.marks['delivery-pipeline']} ms; html ${report.nav.responseEnd} ms, DOMContentLoaded ${report.nav.domContentLoaded} ms`);
      const until = report.marks['delivery-pipeline'];
      for (const r of report.resources.filter((x: any) => x.start <= until).sort((a: any, b: any) => a.start - b.start)) {
        log(`  ${String(r.start).padStart(5)} → ${String(r.end).padStart(5)} (ttfb ${String(r.ttfb).padStart(5)}, server ${String(r.server).padStart(4)}) ${r.kb} kB${r.cached ? ' cached' : ''} ${r.name.slice(0, 110)}`);
      }
      log(`  chunks evaluated (id@ms): ${report.chunks.join(' ')}`);
      log(`  long tasks [start, ms]: ${JSON.stringify(report.longTasks.filter(([s]: number[]) => s <= until))}`);
    }
  } finally {
    await browser.close();
    await portal.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
