import { InputError } from '@backstage/errors';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { actionContext, repositoryFixture } from '../__testUtils__/repositoryFixture';
import { createEndpointAddAction } from '../actions/addEndpoint';
import { validatePublishInput } from './writeChange';

const FUZZ_RUNS = Number(process.env.CELLPLANE_FUZZ_RUNS ?? 300);

/** Issue #11, item 8: `publish.branch: ../../main` passed a dry run. */
describe('publish input', () => {
  let fixture: ReturnType<typeof repositoryFixture>;
  beforeEach(() => {
    fixture = repositoryFixture();
  });
  afterEach(() => fixture.cleanup());

  const input = { namespace: 'acme', component: 'cart-api', name: 'admin', endpoint: { type: 'HTTP', port: 9000 } };

  it.each([
    '../../main',
    '-upload-pack=evil',
    '--force',
    'feature..x',
    'a/.hidden',
    'ends-with/',
    'x.lock',
    'refs/x.lock/y',
    'with space',
    'tab\there',
    'new\nline',
    'a~1',
    'a^2',
    'a:b',
    'what?',
    'st*r',
    'br[acket',
    'back\\slash',
    'at@{1}',
    'HEAD',
    '',
    'x'.repeat(256),
    'main',
  ])('refuses publish.branch %j in a dry run, naming the field, before any work', async branch => {
    const ctx = actionContext({ ...input, publish: { mode: 'pull-request', branch } }, { isDryRun: true });
    const error = await createEndpointAddAction(fixture.options).handler(ctx).catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/^publish\.branch /);
    expect(ctx.outputs.diff).toBeUndefined();
  });

  it.each([
    ['', /publish.title must be a non-empty string/],
    ['Add admin\n\nSigned-off-by: someone-else', /publish.title must be one line/],
    ['x'.repeat(257), /publish.title is 257 characters long; at most 256/],
  ])('refuses publish.title %j', async (title, message) => {
    const ctx = actionContext({ ...input, publish: { mode: 'pull-request', title } }, { isDryRun: true });
    await expect(createEndpointAddAction(fixture.options).handler(ctx)).rejects.toThrow(message);
  });

  it('accepts ordinary branch names and titles', () => {
    for (const branch of ['cellplane/task-1', 'feature/add-admin_endpoint', 'release-1.2', 'user/ada/fix']) {
      expect(() => validatePublishInput({ mode: 'pull-request', branch, title: 'Add endpoint admin to cart-api' }, 'main')).not.toThrow();
    }
  });

  it('accepts only names git check-ref-format accepts as a branch (property)', () => {
    const alphabet = ['a', 'b', '1', '.', '/', '-', '_', '@', '{', '~', '^', ':', '?', '*', '[', '\\', ' ', '\n', 'L', 'o', 'c', 'k', '\u00e9'];
    const property = fc.property(fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 12 }).map(chars => chars.join('')), branch => {
      try {
        validatePublishInput({ branch }, 'main');
      } catch (error) {
        if (error instanceof InputError) return true; // refused: nothing more to check
        throw error;
      }
      // whatever we accept, git accepts as a branch name
      try {
        execFileSync('git', ['check-ref-format', '--branch', branch], { stdio: 'pipe' });
        return true;
      } catch {
        return false;
      }
    });
    expect(() => fc.assert(property, { seed: 42, numRuns: FUZZ_RUNS })).not.toThrow();
  });
});
