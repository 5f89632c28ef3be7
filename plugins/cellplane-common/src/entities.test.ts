import fc from 'fast-check';
import {
  CELLPLANE_ANNOTATIONS,
  CELLPLANE_ENTITY_API_VERSION,
  CELLPLANE_ENTITY_KINDS,
  cellplaneCoordinatesOf,
  cellplaneProblemsOf,
  encodeProblemsAnnotation,
  parseProblemsAnnotation,
} from './entities';

const FUZZ_RUNS = Number(process.env.CELLPLANE_FUZZ_RUNS) || 500;

const entity = (annotations?: Record<string, string>) => ({ metadata: { name: 'web-shop', annotations } });

describe('the catalog entity contract', () => {
  it('names the annotations and the custom kinds the catalog module writes and the portal reads', () => {
    expect(CELLPLANE_ANNOTATIONS).toEqual({
      namespace: 'cellplane.dev/namespace',
      project: 'cellplane.dev/project',
      component: 'cellplane.dev/component',
      endpoint: 'cellplane.dev/endpoint',
      endpointVisibility: 'cellplane.dev/endpoint-visibility',
      sourceFile: 'cellplane.dev/source-file',
      problems: 'cellplane.dev/problems',
    });
    expect(CELLPLANE_ENTITY_API_VERSION).toBe('cellplane.dev/v1alpha1');
    expect(Object.values(CELLPLANE_ENTITY_KINDS)).toEqual(['Environment', 'DeploymentPipeline', 'DataPlane', 'ComponentType']);
  });

  it('reads where an entity sits in the OpenChoreo model', () => {
    const api = entity({
      'cellplane.dev/namespace': 'acme',
      'cellplane.dev/project': 'storefront',
      'cellplane.dev/component': 'catalog-api',
      'cellplane.dev/endpoint': 'rest',
      'cellplane.dev/endpoint-visibility': 'project,namespace, internal,',
    });
    expect(cellplaneCoordinatesOf(api)).toEqual({
      namespace: 'acme',
      project: 'storefront',
      component: 'catalog-api',
      endpoint: 'rest',
      endpointVisibility: ['project', 'namespace', 'internal'],
    });
    expect(cellplaneCoordinatesOf(entity({ 'cellplane.dev/namespace': 'acme', 'cellplane.dev/project': '' }))).toEqual({
      namespace: 'acme',
      project: undefined,
      component: undefined,
      endpoint: undefined,
      endpointVisibility: undefined,
    });
    // Not Cellplane's: no namespace annotation.
    expect(cellplaneCoordinatesOf(entity())).toBeUndefined();
    expect(cellplaneCoordinatesOf(entity({ 'cellplane.dev/project': 'storefront' }))).toBeUndefined();
  });
});

describe('the problems annotation', () => {
  it('reads back what the catalog module writes', () => {
    const problems = [
      'workload.yaml:43: Workload acme/web-shop: spec.dependencies.endpoints[0].name: Component catalog-api has no endpoint "soap"',
      '... and 3 more problems in the repository',
    ];
    const value = encodeProblemsAnnotation(problems);
    expect(value).toBe(JSON.stringify(problems));
    expect(parseProblemsAnnotation(value)).toEqual({ problems });
    expect(cellplaneProblemsOf(entity({ [CELLPLANE_ANNOTATIONS.problems]: value }))).toEqual(problems);
  });

  it('round-trips any list of messages', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' })), problems => {
        expect(parseProblemsAnnotation(encodeProblemsAnnotation(problems))).toEqual({ problems });
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('says nothing is wrong when the annotation is absent, empty or an empty list', () => {
    expect(parseProblemsAnnotation(undefined)).toEqual({ problems: [] });
    expect(parseProblemsAnnotation('')).toEqual({ problems: [] });
    expect(parseProblemsAnnotation('[]')).toEqual({ problems: [] });
    expect(cellplaneProblemsOf(entity())).toEqual([]);
    expect(cellplaneProblemsOf({ metadata: {} })).toEqual([]);
  });

  it('shows an annotation that is not JSON as it is, and says so', () => {
    expect(parseProblemsAnnotation('not json')).toEqual({ problems: ['not json'], malformed: 'not JSON' });
    expect(parseProblemsAnnotation('["a.yaml:3: broken"')).toEqual({ problems: ['["a.yaml:3: broken"'], malformed: 'not JSON' });
    expect(cellplaneProblemsOf(entity({ 'cellplane.dev/problems': 'not json' }))).toEqual(['not json']);
  });

  it.each([
    ['a string', '"a.yaml:3: broken"', ['a.yaml:3: broken'], 'a JSON string, not a list'],
    ['a number', '42', ['42'], 'a JSON number, not a list'],
    ['null', 'null', ['null'], 'a JSON null, not a list'],
    ['an object', '{"message":"broken"}', ['[object Object]'], 'a JSON object, not a list'],
    ['an object String cannot convert', '{"toString":1}', ['{"toString":1}'], 'a JSON object, not a list'],
    ['a list of other things', '["a", 1, null, true]', ['a', '1', 'null', 'true'], 'a list with entries that are not strings'],
    ['a list holding an object String cannot convert', '[{"valueOf":1,"toString":2}]', ['{"valueOf":1,"toString":2}'], 'a list with entries that are not strings'],
  ])('reads %s, the wrong shape, without throwing and says so', (_, value, problems, malformed) => {
    expect(parseProblemsAnnotation(value)).toEqual({ problems, malformed });
  });

  it('never throws, whatever the annotation holds', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.json()), value => {
        const read = parseProblemsAnnotation(value);
        expect(Array.isArray(read.problems)).toBe(true);
        expect(read.problems.every(problem => typeof problem === 'string')).toBe(true);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
