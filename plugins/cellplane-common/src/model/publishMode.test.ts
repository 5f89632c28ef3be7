import { formatProblem } from '../problems';
import { OPENCHOREO_ANNOTATIONS, publishModeOfEnvironment } from './constants';
import { validateResource } from './validateResource';

const environment = (annotations?: Record<string, string>) => ({
  apiVersion: 'openchoreo.dev/v1alpha1',
  kind: 'Environment',
  metadata: { name: 'production', namespace: 'acme', ...(annotations ? { annotations } : {}) },
  spec: { isProduction: true },
});

describe('the cellplane.dev/publish annotation of an Environment', () => {
  it('is commit when absent, and either mode when set', () => {
    expect(OPENCHOREO_ANNOTATIONS.publish).toBe('cellplane.dev/publish');
    expect(publishModeOfEnvironment(environment())).toBe('commit');
    expect(publishModeOfEnvironment(environment({ 'cellplane.dev/publish': 'pull-request' }))).toBe('pull-request');
    expect(publishModeOfEnvironment(environment({ 'cellplane.dev/publish': 'commit' }))).toBe('commit');
    expect(publishModeOfEnvironment(environment({ 'cellplane.dev/publish': 'pull_request' }))).toBeUndefined();
    for (const mode of ['commit', 'pull-request']) {
      expect(validateResource(environment({ 'cellplane.dev/publish': mode })).problems).toEqual([]);
    }
  });

  it('is a problem naming the field when it is neither mode', () => {
    const result = validateResource(environment({ 'cellplane.dev/publish': 'pull_request' }));
    expect(result.problems.map(formatProblem)).toEqual([
      'Environment acme/production: metadata.annotations["cellplane.dev/publish"]: must be commit or pull-request (how writes that change this environment are published), not "pull_request"',
    ]);
  });
});
