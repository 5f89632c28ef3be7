import { RequestLog, requestMatches } from './requests';

describe('RequestLog', () => {
  it('keeps at most its limit, dropping the oldest, and counts what it dropped', () => {
    const log = new RequestLog(10);
    for (let i = 0; i < 25; i++)
      log.record({ method: 'GET', path: `/p${i}`, verb: 'get' });
    expect(log.count()).toBeLessThanOrEqual(11);
    expect(log.count() + log.droppedCount()).toBe(25);
    expect(log.entries().at(-1)?.path).toBe('/p24');
    log.reset();
    expect(log.count()).toBe(0);
    expect(log.droppedCount()).toBe(0);
  });
});

describe('requestMatches', () => {
  const request = {
    method: 'GET',
    path: '/apis/apps/v1/namespaces/shop/deployments',
    verb: 'list',
    group: 'apps',
    resource: 'deployments',
    namespace: 'shop',
  };

  it('matches when every given property matches', () => {
    expect(requestMatches(undefined, request)).toBe(true);
    expect(
      requestMatches(
        { verb: ['get', 'list'], resource: 'deployments' },
        request,
      ),
    ).toBe(true);
    expect(requestMatches({ path: '/apis/apps/' }, request)).toBe(true);
    expect(requestMatches({ path: /namespaces\/shop\// }, request)).toBe(true);
    expect(requestMatches({ verb: 'watch' }, request)).toBe(false);
    expect(requestMatches({ namespace: 'other' }, request)).toBe(false);
    expect(requestMatches({ group: '' }, request)).toBe(false);
  });
});
