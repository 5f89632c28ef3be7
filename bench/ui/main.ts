/**
 * yarn bench:ui: how long the portal takes to draw Cellplane's views, in headless Chromium
 * against the production build of the app served locally (scripts/production/start.mjs, as the
 * browser tests run it).
 *
 * The portal's GitOps repository is generated in a temporary folder: the example organisation
 * plus one project of 100 components (BENCH_UI_COMPONENTS), rendered, so the sandbox data plane
 * runs every one. Once the catalog and the status have all of it, each view is loaded
 * BENCH_UI_LOADS times (default 7; the first is a warm-up with a cold browser cache and is not
 * counted), the views interleaved so drift on a shared machine touches each alike:
 *   - Backstage's own catalog index page (the baseline: the same app, the same machine; all
 *     components listed, at the path the sidebar's Catalog link names);
 *   - a component's delivery pipeline (web-shop's page, `[data-testid="delivery-pipeline"]`
 *     visible; while the app has no pipeline card, the Deployments card's rows stand in, and
 *     the output says so);
 *   - the Cell tab of the 100-component project: the drawing with every component and its health.
 * Time is from the navigation's start to the view drawn, by the page's clock. Target: a median
 * of at most 1 s each. Progress goes to stderr; the last line is one JSON object.
 *
 * BENCH_UI_BUILD=0 runs whatever build exists instead of rebuilding a stale one;
 * BENCH_PORT (default 7117) is the portal's port.
 */
import { cpus, loadavg, tmpdir } from 'node:os';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Page } from '@playwright/test';
import { View, catalogIndex, cellView, deliveryPipeline, deploymentsCard, launchChromium, signIn, timeLoad } from './browser';
import { Portal, startPortal } from './portal';
import { BIG_PROJECT, writeSeedRepository } from './repository';

const COMPONENTS = Number(process.env.BENCH_UI_COMPONENTS ?? 100);
const LOADS = Number(process.env.BENCH_UI_LOADS ?? 7);
const PORT = Number(process.env.BENCH_PORT ?? 7117);
const BUILD = process.env.BENCH_UI_BUILD !== '0';
const TARGET_MS = 1000;
const PIPELINE_COMPONENT = { namespace: 'acme', name: 'web-shop' };

const log = (line: string) => process.stderr.write(`[bench:ui] ${line}\n`);
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Polls `check` until it answers something other than undefined; says what it waits for. */
async function waitUntil<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  log(`waiting for ${what}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(1000);
  }
}

/** The data every view needs, in the catalog and the status index, before anything is timed. */
async function waitForData(portal: Portal) {
  const get = async (path: string, token?: string) => {
    const response = await fetch(`${portal.url}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    return response.ok ? ((await response.json()) as any) : undefined;
  };
  const token: string = await waitUntil('a guest token', async () => (await get('/api/auth/guest/refresh'))?.backstageIdentity?.token, 120_000);
  await waitUntil(
    `the ${COMPONENTS} components of ${BIG_PROJECT} in the catalog`,
    async () => {
      const page = await get(`/api/catalog/entities/by-query?filter=kind=component,metadata.namespace=acme,spec.system=${BIG_PROJECT}&limit=1`, token);
      return page?.totalItems >= COMPONENTS ? true : undefined;
    },
    600_000,
  );
  // Settled: every component's status read and no rollout still going, so the sandbox's start-up
  // work (200-odd workloads coming up, their status events) is not timed with the views.
  const healths = await waitUntil(
    `the status of every component of ${BIG_PROJECT}, and no rollout in progress`,
    async () => {
      const snapshot = await get(`/api/cellplane/status/projects/acme/${BIG_PROJECT}`, token);
      const items: Array<{ component: string; health: string }> = snapshot?.items ?? [];
      const settled = new Set(items.map(item => item.component)).size >= COMPONENTS && items.every(item => item.health !== 'Progressing');
      return settled ? items.map(item => item.health) : undefined;
    },
    600_000,
  );
  const tally = new Map<string, number>();
  for (const health of healths) tally.set(health, (tally.get(health) ?? 0) + 1);
  log(`${BIG_PROJECT}: ${[...tally].map(([health, n]) => `${n} ${health}`).join(', ')}`);
  await waitUntil(
    `the status of ${PIPELINE_COMPONENT.name}`,
    async () => ((await get(`/api/cellplane/status/components/${PIPELINE_COMPONENT.namespace}/${PIPELINE_COMPONENT.name}`, token))?.items?.length ? true : undefined),
    120_000,
  );
}

/** The pipeline card when the app has it; the Deployments card otherwise (said in the output). */
async function pipelineView(page: Page): Promise<{ view: View; standIn: boolean }> {
  const path = `/catalog/${PIPELINE_COMPONENT.namespace}/component/${PIPELINE_COMPONENT.name}`;
  const pipeline = deliveryPipeline(path);
  const deployments = deploymentsCard(path);
  await page.goto(path);
  const drawn = await Promise.race([
    page.waitForSelector('[data-testid="delivery-pipeline"], [data-testid^="pipeline-env-"]', { timeout: 60_000 }).then(() => 'pipeline' as const),
    page.waitForSelector('table[aria-label="Deployments by environment"] tr[aria-label]', { timeout: 60_000 }).then(() => 'deployments' as const),
  ]);
  if (drawn === 'pipeline') return { view: pipeline, standIn: false };
  // The Deployments card can draw before a pipeline card still loading: give that one a moment.
  const pipelineToo = await page
    .waitForSelector('[data-testid="delivery-pipeline"]', { timeout: 10_000 })
    .then(() => true, () => false);
  if (pipelineToo) return { view: pipeline, standIn: false };
  log(`no [data-testid="delivery-pipeline"] on ${path}: timing the Deployments card instead, until the pipeline card lands`);
  return { view: deployments, standIn: true };
}

/**
 * Where the app mounts Backstage's catalog index (the example app serves it at `/`, Backstage's
 * default is `/catalog`): the sidebar's Catalog link says.
 */
async function catalogIndexPath(page: Page): Promise<string> {
  const link = page.getByRole('navigation', { name: 'sidebar nav' }).getByRole('link', { name: 'Catalog', exact: true });
  const href = await link.getAttribute('href');
  if (!href) throw new Error('the sidebar has no Catalog link to find the catalog index page by');
  return new URL(href, 'http://app').pathname;
}

/** Every view LOADS times, interleaved; the first round warms the browser's cache and is dropped. */
async function measure(page: Page, views: View[]): Promise<Map<View, number[]>> {
  const times = new Map<View, number[]>(views.map(view => [view, []]));
  for (let round = 0; round < LOADS; round += 1) {
    for (const view of views) {
      const ms = await timeLoad(page, view);
      log(`load ${round + 1}/${LOADS}${round === 0 ? ' (warm-up)' : ''}: ${view.name} drawn in ${Math.round(ms)} ms`);
      if (round > 0) times.get(view)!.push(ms);
    }
  }
  return times;
}

async function run(scratch: string) {
  const seed = join(scratch, 'seed');
  mkdirSync(seed);
  await writeSeedRepository(seed, COMPONENTS, log);
  log(`starting the production portal on :${PORT}${BUILD ? ' (building first if the build is missing or stale: minutes)' : ''}`);
  const started = Date.now();
  const portal = await startPortal({ scratch, seedFrom: seed, port: PORT, build: BUILD });
  const browser = await launchChromium();
  try {
    log(`portal ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    await waitForData(portal);
    const { page } = await signIn(browser, portal.url);
    const pipeline = await pipelineView(page);
    const catalog = catalogIndex(`${await catalogIndexPath(page)}?filters%5Bkind%5D=component&filters%5Buser%5D=all`);
    const cell = cellView(`/catalog/acme/system/${BIG_PROJECT}/cell`, BIG_PROJECT, COMPONENTS);
    const times = await measure(page, [catalog, pipeline.view, cell]);
    const figure = (view: View) => ({ medianMs: Math.round(median(times.get(view)!)), runsMs: times.get(view)!.map(Math.round) });
    return {
      pipeline: { ...figure(pipeline.view), element: pipeline.standIn ? 'deployments card (no delivery pipeline card in this build)' : 'delivery-pipeline', component: `${PIPELINE_COMPONENT.namespace}/${PIPELINE_COMPONENT.name}` },
      cell: { ...figure(cell), project: `acme/${BIG_PROJECT}`, components: COMPONENTS },
      catalogIndex: figure(catalog),
      targetMs: TARGET_MS,
      withinTarget: median(times.get(pipeline.view)!) <= TARGET_MS && median(times.get(cell)!) <= TARGET_MS,
      loadsCounted: LOADS - 1,
      chromium: browser.version(),
    };
  } catch (error) {
    log(`the portal's last log lines:\n${portal.logTail()}`);
    throw error;
  } finally {
    await browser.close();
    await portal.stop();
  }
}

async function main() {
  if (!(LOADS >= 2)) throw new Error(`BENCH_UI_LOADS must be at least 2 (one warm-up, one counted); got ${process.env.BENCH_UI_LOADS}`);
  const scratch = mkdtempSync(join(tmpdir(), 'cellplane-bench-ui-'));
  const loadBefore = loadavg()[0];
  try {
    const result = await run(scratch);
    console.log(JSON.stringify({ ...result, loadAverageBefore: Number(loadBefore.toFixed(2)), loadAverageAfter: Number(loadavg()[0].toFixed(2)), node: process.version, cpus: cpus().length }));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
