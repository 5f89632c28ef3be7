import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { closeRenderWorkers } from '../renderInParallel';
import { main } from './main';

const EXAMPLE = resolve(__dirname, '../../../../examples/gitops');

function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  return main(argv, { out: line => out.push(line), err: line => err.push(line) }).then(code => ({
    code,
    out: out.join('\n'),
    err: err.join('\n'),
  }));
}

describe('yarn cellplane render', () => {
  let dir: string;
  afterAll(() => closeRenderWorkers());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cellplane-cli-'));
    cpSync(EXAMPLE, dir, { recursive: true, filter: source => !source.includes(`${EXAMPLE}/rendered`) });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('renders a working tree, then --check finds it up to date', async () => {
    expect(existsSync(join(dir, 'rendered'))).toBe(false);
    const rendered = await run('render', dir);
    expect(rendered).toMatchObject({ code: 0, err: '' });
    expect(rendered.out).toMatch(/33 written, 0 deleted; 23 bindings \(0 failed\), 8 cells, \d+ objects, 33 files; 0 errors, 0 warnings; [\d.]+ s/);
    expect(readFileSync(join(dir, 'rendered/default/acme/development/storefront/cell.yaml'), 'utf8')).toContain('kind: NetworkPolicy');
    // The same bytes as the committed example render.
    expect(readFileSync(join(dir, 'rendered/index.txt'), 'utf8')).toBe(readFileSync(join(EXAMPLE, 'rendered/index.txt'), 'utf8'));

    const check = await run('render', '--check', dir);
    expect(check.code).toBe(0);
    expect(check.out).toMatch(/^rendered\/ is up to date: /);
  });

  it('--check lists stale, missing and left-over files without writing, and exits 1', async () => {
    await run('render', dir);
    const cell = join(dir, 'rendered/default/acme/development/payments/cell.yaml');
    writeFileSync(cell, 'edited by hand\n');
    rmSync(join(dir, 'rendered/_bootstrap/default.yaml'));
    writeFileSync(join(dir, 'rendered/default/acme/development/payments/stray.yaml'), 'x: 1\n');

    const check = await run('render', '--check', dir);
    expect(check.code).toBe(1);
    expect(check.out.split('\n').slice(0, 3)).toEqual([
      'missing: rendered/_bootstrap/default.yaml',
      'stale: rendered/default/acme/development/payments/cell.yaml',
      'left over: rendered/default/acme/development/payments/stray.yaml',
    ]);
    expect(check.out).toContain('rendered/ is stale (3 files; run yarn cellplane render)');
    expect(readFileSync(cell, 'utf8')).toBe('edited by hand\n');

    const fixed = await run('render', dir);
    expect(fixed.out).toContain('2 written, 1 deleted');
    expect((await run('render', '--check', dir)).code).toBe(0);
  });

  it('renders the same files on worker threads (--workers 2)', async () => {
    const result = await run('render', '--workers', '2', dir);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(readFileSync(join(dir, 'rendered/index.txt'), 'utf8')).toBe(readFileSync(join(EXAMPLE, 'rendered/index.txt'), 'utf8'));
  }, 60_000);

  it('takes the delivery repository and branch from options', async () => {
    await run('render', '--repo-url', 'https://git.example.com/platform/gitops.git', '--branch', 'prod', dir);
    const bootstrap = readFileSync(join(dir, 'rendered/_bootstrap/default.yaml'), 'utf8');
    expect(bootstrap).toContain('repoURL: https://git.example.com/platform/gitops.git');
    expect(bootstrap).toContain('targetRevision: prod');
  });

  it('exits 1 and names the problem when a binding fails to render', async () => {
    const binding = join(dir, 'namespaces/acme/projects/storefront/components/cart-api/release-bindings/cart-api-development.yaml');
    writeFileSync(binding, `${readFileSync(binding, 'utf8')}  releaseName: cart-api-missing\n`);
    const result = await run('render', dir);
    expect(result.code).toBe(1);
    expect(result.err).toContain("ComponentRelease 'cart-api-missing' does not exist");
    expect(result.out).toContain('(1 failed)');
  });

  it.each([
    [[], 'missing command'],
    [['publish'], "unknown command 'publish'"],
    [['render', '--force'], "unknown option '--force'"],
    [['render', '--repo-url'], '--repo-url needs a value'],
    [['render', '--workers', '0'], "--workers needs a whole number from 1 to 8 (got '0')"],
    [['render', '--workers', 'many'], "--workers needs a whole number from 1 to 8 (got 'many')"],
    [['render', '--workers'], '--workers needs a whole number from 1 to 8'],
    [['render', 'a', 'b'], "only one repository folder may be given (got 'a' and 'b')"],
    [['render', '/no/such/folder'], "'/no/such/folder' is not a folder"],
  ])('answers %j with usage and exit code 2', async (argv, message) => {
    const result = await run(...argv);
    expect(result.code).toBe(2);
    expect(result.err).toContain(`cellplane: ${message}`);
    expect(result.err).toContain('usage: yarn cellplane render [--check]');
  });
});
