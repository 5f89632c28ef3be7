// How long a running portal takes to draw three pages in Debian's Chromium, with a warm cache:
// Backstage's catalog index (the example organisation's components listed), a component page's
// Deployments card (a row per environment, with its health) and a project's Cell view (the
// components with their health colour).
//
//   node scripts/production/measure-paint.mjs [BASE_URL] [--runs N]
//
// BASE_URL is where the browser opens the portal: http://localhost:7007 for `yarn start:production`
// (the default), http://localhost:3000 for `yarn start`. It signs in as a guest (the portal must
// allow it), loads each page once to warm the cache, then N times (default 5), and prints, per
// page, the median and fastest time from the start of the navigation to the content being
// visible; last, one JSON line.
import { chromium } from '@playwright/test';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;
const BASE = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--runs') ?? 'http://localhost:7007';

const PAGES = [
  {
    name: 'catalog index',
    path: '/',
    drawn: page => page.getByRole('link', { name: 'Web Shop' }),
  },
  {
    name: 'component Deployments card',
    path: '/catalog/acme/component/web-shop',
    drawn: page =>
      page
        .getByRole('table', { name: 'Deployments by environment' })
        .getByRole('row', { name: /^development: (Healthy|Progressing|Degraded|OutOfSync|NotDeployed)$/ }),
  },
  {
    name: 'project Cell view',
    path: '/catalog/acme/system/storefront/cell',
    drawn: page => page.getByRole('group', { name: 'Cell storefront' }).getByRole('link', { name: /^Component web-shop: (?!no status)/ }),
  },
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await (await browser.newContext({ baseURL: BASE, viewport: { width: 1400, height: 1000 } })).newPage();
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await page.getByRole('navigation', { name: 'sidebar nav' }).getByRole('link', { name: 'Catalog', exact: true }).waitFor({ timeout: 120_000 });

  const results = {};
  for (const spec of PAGES) {
    const times = [];
    for (let run = 0; run <= RUNS; run++) {
      const started = performance.now();
      await page.goto(spec.path);
      await spec.drawn(page).first().waitFor({ state: 'visible', timeout: 120_000 });
      if (run > 0) times.push(performance.now() - started); // run 0 warms the cache
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    results[spec.name] = { medianMs: Math.round(median), fastestMs: Math.round(times[0]) };
    console.log(`${spec.name.padEnd(28)} median ${(median / 1000).toFixed(2)} s, fastest ${(times[0] / 1000).toFixed(2)} s (${RUNS} runs)`);
  }
  console.log(JSON.stringify({ base: BASE, runs: RUNS, ...results }));
} finally {
  await browser.close();
}
