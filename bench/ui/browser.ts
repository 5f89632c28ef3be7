import { Browser, BrowserContext, Page, chromium } from '@playwright/test';

/**
 * What "drawn" means for one view: a JavaScript expression evaluated in the page at every
 * animation frame, true once the view shows its data. It is source text, not a function, so
 * what runs in the browser is exactly what is written here (no bundler helpers), and it may use
 * `visible(element)`.
 */
export interface View {
  name: string;
  path: string;
  drawn: string;
}

/** True for an element the user can see (laid out, not hidden). */
const VISIBLE = `const visible = element => {
  if (!element) return false;
  const box = element.getBoundingClientRect();
  return box.width > 0 && box.height > 0 && element.checkVisibility?.() !== false;
};`

/** Debian's Chromium, headless, as the browser tests run it; no Playwright-managed browser. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A guest's session: "Enter" on the sign-in page once; later loads of the app sign in by themselves. */
export async function signIn(browser: Browser, url: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: url, viewport: { width: 1600, height: 1000 } });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await page.getByRole('navigation', { name: 'sidebar nav' }).getByRole('link', { name: 'Catalog', exact: true }).waitFor();
  return { context, page };
}

/**
 * Loads a view as a user opening its address does (a full navigation: the app boots, signs in,
 * reads its data) and answers how long after the navigation started it was drawn, by the
 * page's own clock (performance.now() counts from the navigation's start), checked at every
 * animation frame.
 */
export async function timeLoad(page: Page, view: View, timeoutMs = 60_000): Promise<number> {
  await page.goto(view.path, { waitUntil: 'commit' });
  await page.waitForFunction(
    `(() => { ${VISIBLE} if (!(${view.drawn})) return false; window.__cellplaneDrawnAt ??= performance.now(); return true; })()`,
    undefined,
    { polling: 'raf', timeout: timeoutMs },
  );
  return page.evaluate('window.__cellplaneDrawnAt') as Promise<number>;
}

/** Backstage's catalog index: a row of the entity table with a link to an entity. */
export const catalogIndex = (path: string): View => ({
  name: 'catalog index (baseline)',
  path,
  drawn: `visible(document.querySelector('table tbody tr a[href*="/catalog/"]'))`,
});

/** The component page's delivery pipeline, once its data has loaded (the agreed test id). */
export const deliveryPipeline = (path: string): View => ({
  name: 'delivery pipeline',
  path,
  drawn: `visible(document.querySelector('[data-testid="delivery-pipeline"]'))`,
});

/** Until the pipeline card lands: the component page's Deployments card with its rows. */
export const deploymentsCard = (path: string): View => ({
  name: 'deployments card (stand-in for the pipeline)',
  path,
  drawn: `visible(document.querySelector('table[aria-label="Deployments by environment"] tr[aria-label]'))`,
});

/**
 * The Cell tab: the drawing with every one of the project's components, each showing its health
 * (so the status has been read too, not only the catalog).
 */
export const cellView = (path: string, project: string, components: number): View => ({
  name: `cell view of ${project}`,
  path,
  drawn: `(() => {
    const cell = document.querySelector('svg[role="group"][aria-label="Cell ${project}"]');
    if (!visible(cell)) return false;
    const nodes = [...cell.querySelectorAll('a[aria-label^="Component "]')]
      .map(node => node.getAttribute('aria-label'))
      .filter(label => !label.endsWith('outside the cell'));
    return nodes.length >= ${components} && nodes.every(label => !/: no status( in |$)/.test(label));
  })()`,
});
