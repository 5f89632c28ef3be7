import { parseFieldSelector, parseLabelSelector } from './selectors';

describe('parseLabelSelector', () => {
  const labels = { app: 'cart', 'openchoreo.dev/environment': 'dev' };

  it.each([
    ['', true],
    ['app=cart', true],
    ['app==cart', true],
    ['app = cart', true],
    ['app!=cart', false],
    ['app=web', false],
    ['app in (web, cart)', true],
    ['app notin (web,cart)', false],
    ['missing notin (x)', true],
    ['missing!=x', true],
    ['openchoreo.dev/environment', true],
    ['!openchoreo.dev/environment', false],
    ['!missing', true],
    ['app=cart,openchoreo.dev/environment in (dev,prod)', true],
    ['app=cart,openchoreo.dev/environment=prod', false],
    ['app=', false],
  ])('%j matches: %s', (selector, expected) => {
    expect(parseLabelSelector(selector).matches(labels)).toBe(expected);
  });

  it.each(['app in web', 'a=b=c', '-bad=x', 'app=no spaces', '(x)'])(
    'rejects %j with a 400 naming the selector',
    selector => {
      expect(() => parseLabelSelector(selector)).toThrow(
        expect.objectContaining({ code: 400, reason: 'BadRequest' }),
      );
    },
  );
});

describe('parseFieldSelector', () => {
  const pod = {
    metadata: { name: 'a', namespace: 'shop' },
    status: { phase: 'Running' },
  };

  it('matches metadata and the type-specific fields', () => {
    expect(parseFieldSelector('metadata.name=a').matches(pod)).toBe(true);
    expect(parseFieldSelector('metadata.name!=a').matches(pod)).toBe(false);
    expect(
      parseFieldSelector('metadata.namespace==shop,metadata.name=a').matches(
        pod,
      ),
    ).toBe(true);
    expect(
      parseFieldSelector('status.phase=Running', ['status.phase']).matches(pod),
    ).toBe(true);
  });

  it('rejects fields the type does not support, and bad syntax', () => {
    expect(() => parseFieldSelector('status.phase=Running')).toThrow(
      /field label not supported: status.phase/,
    );
    expect(() => parseFieldSelector('metadata.name')).toThrow(
      /invalid selector/,
    );
  });
});
