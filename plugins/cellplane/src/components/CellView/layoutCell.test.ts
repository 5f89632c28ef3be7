import { CellModel } from './cellModel';
import { COMPONENT_SIZE, GRID_FROM, layoutCell } from './layoutCell';

const ref = (name: string) => `component:acme/${name}`;

/** A project of `count` components; `web` depends on `api` when `linked`. */
function project(count: number, linked: boolean): CellModel {
  const names = ['web', 'api', ...Array.from({ length: count - 2 }, (_, i) => `job-${String(i).padStart(3, '0')}`)];
  return {
    namespace: 'acme',
    project: 'big',
    components: names.map(name => ({ ref: ref(name), name, title: name })),
    boundary: [{ ref: 'api:acme/api-rest', label: 'api/rest', title: 'api/rest', providerRef: ref('api'), project: 'big', visibility: 'project', visibilities: ['project'] }],
    outside: [],
    dependencies: linked ? [{ from: ref('web'), endpoint: 'api:acme/api-rest', to: ref('api') }] : [],
    consumers: [],
    incoming: [],
  };
}

const overlaps = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('layoutCell for a large project', () => {
  it('sets 100 unconnected components in a grid under the connected ones, not in one tall column', () => {
    const model = project(100, true);
    const layout = layoutCell(model);
    const boxes = model.components.map(c => layout.nodes.get(c.ref)!);
    const jobs = boxes.slice(2);
    // Rows of several, so the drawing is about as wide as it is tall, not 98 components high.
    const columns = new Set(jobs.map(box => box.x)).size;
    expect(columns).toBeGreaterThanOrEqual(6);
    expect(layout.height).toBeLessThan(98 * COMPONENT_SIZE.height);
    // Under the dependency web -> api, which dagre still ranks left to right.
    const [web, api] = boxes;
    expect(web.x).toBeLessThan(api.x);
    for (const job of jobs) expect(job.y).toBeGreaterThan(Math.max(web.y + web.height, api.y + api.height));
    // Inside the wall, none on another.
    for (const box of boxes) {
      expect(box.x).toBeGreaterThan(layout.cell.x);
      expect(box.y + box.height).toBeLessThan(layout.cell.y + layout.cell.height);
    }
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(overlaps(boxes[i], boxes[j])).toBe(false);
  });

  it('grids a project with no dependencies at all', () => {
    const layout = layoutCell(project(40, false));
    expect(new Set([...layout.nodes.values()].map(box => box.y)).size).toBeLessThan(40 / 2);
  });

  it(`leaves fewer than ${GRID_FROM} unconnected components to dagre`, () => {
    const model = project(GRID_FROM, true); // GRID_FROM - 2 unconnected
    const layout = layoutCell(model);
    const loose = model.components.slice(2).map(c => layout.nodes.get(c.ref)!);
    // dagre's first rank: one column.
    expect(new Set(loose.map(box => box.x)).size).toBe(1);
  });
});
