import { parsePromotionBranch, promotionBranchName } from './promotionBranch';

describe('promotion branch names', () => {
  it('carry the action, namespace, component and target environment, and parse back', () => {
    const branch = { action: 'promote' as const, namespace: 'acme', component: 'web-shop', environment: 'pre-production', id: '1a2b3c4d' };
    const name = promotionBranchName(branch);
    expect(name).toBe('cellplane/promote/acme/web-shop/pre-production-1a2b3c4d');
    expect(parsePromotionBranch(name)).toEqual(branch);
  });

  it.each(['main', 'cellplane/task-1', 'cellplane/promote/acme/web-shop', 'cellplane/merge/acme/web-shop/production-1a2b3c4d', 'cellplane/promote/acme/web-shop/production-XYZ'])(
    'is undefined for another branch: %s',
    branch => expect(parsePromotionBranch(branch)).toBeUndefined(),
  );

  it('refuses parts that would not make a parseable Git branch', () => {
    expect(() => promotionBranchName({ action: 'promote', namespace: 'acme', component: '../main', environment: 'production', id: '1a2b' })).toThrow(
      /cannot name a pull request branch/,
    );
    expect(() => promotionBranchName({ action: 'rollback', namespace: 'acme', component: 'web-shop', environment: 'production', id: 'not hex' })).toThrow(
      /cannot name a pull request branch/,
    );
  });
});
