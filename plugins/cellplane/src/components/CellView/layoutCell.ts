import { graphlib, layout as dagreLayout } from '@dagrejs/dagre';
import { EndpointVisibility } from '@cellplane/backstage-plugin-common';
import { CellEndpoint, CellModel } from './cellModel';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface Point {
  x: number;
  y: number;
}
export type Side = 'top' | 'left' | 'bottom' | 'right';

export interface CellLayout {
  width: number;
  height: number;
  cell: Box;
  /** Top-left corners and sizes of the components and of the outside endpoints, by ref. */
  nodes: Map<string, Box>;
  /** Where each boundary endpoint sits on the cell's edge. */
  ports: Map<string, Point & { side: Side }>;
  /** Where each side's visibility label goes. */
  sideLabels: Array<Point & { side: Side; visibility: EndpointVisibility }>;
  /** Routed points of the dependency edges inside the cell, keyed `from|endpoint`. */
  routes: Map<string, Point[]>;
}

/**
 * Which side of the cell an endpoint sits on, by who may reach it: the internet from the top
 * (through the external gateway), the organisation from the left, other projects of the
 * namespace from the bottom; project-only endpoints on the right, inside the wall.
 */
export const VISIBILITY_SIDES: Record<EndpointVisibility, Side> = {
  external: 'top',
  internal: 'left',
  namespace: 'bottom',
  project: 'right',
};

export const COMPONENT_SIZE = { width: 170, height: 56 };
export const OUTSIDE_SIZE = { width: 190, height: 44 };
/** Room between the components and the cell wall, for the ports and their labels. */
const WALL_PADDING = 70;
const PORT_SPACING = { horizontal: 150, vertical: 44 };
/** Room outside the cell for port labels. */
const MARGIN = { top: 60, left: 170, bottom: 60, right: 170 };

type Graph = graphlib.Graph;
type PortPoint = Point & { side: Side };

/**
 * Lays the cell out: dagre ranks the components left to right along their dependencies (a
 * compound graph keeps the cell's components together and the other projects' endpoints
 * outside), then the boundary endpoints are spread along the wall of their visibility, ordered
 * by the position of the component that provides them so their links do not cross.
 */
export function layoutCell(model: CellModel): CellLayout {
  const graph = rankComponents(model);
  const cell = cellWall(model, graph);
  const nodes = placeNodes(model, graph, cell);
  const { ports, sideLabels } = placePorts(model, cell, nodes);
  const routes = routeDependencies(model, graph);
  return moveToMargin(model, { cell, nodes, ports, sideLabels, routes });
}

/**
 * From this many components with no dependency either way, they sit in a grid under the others:
 * dagre would stack them all in its first rank, one column as tall as the project is large.
 */
export const GRID_FROM = 7;
const GRID_GAP = { x: 40, y: 40 };
/** A grid at least this wide, so a project of unconnected components is not one tall column. */
const GRID_MIN_COLUMNS = 6;

/**
 * The dagre graph of the cell's components and the outside endpoints, laid out left to right;
 * many unconnected components are set in a grid under what dagre laid out.
 */
function rankComponents(model: CellModel): Graph {
  const graph = new graphlib.Graph({ compound: true, multigraph: true });
  graph.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 90, marginx: 0, marginy: 0 });
  graph.setDefaultEdgeLabel(() => ({}));
  graph.setNode('cell', {});
  const cellRefs = new Set(model.components.map(c => c.ref));
  const outsideRefs = new Set(model.outside.map(e => e.ref));
  const edges = model.dependencies.filter(d => {
    const target = d.to ?? d.endpoint;
    return target !== d.from && (cellRefs.has(target) || outsideRefs.has(target));
  });
  const linked = new Set(edges.flatMap(d => [d.from, d.to ?? d.endpoint]));
  const unconnected = model.components.filter(c => !linked.has(c.ref));
  const gridded = new Set(unconnected.length >= GRID_FROM ? unconnected.map(c => c.ref) : []);
  for (const component of model.components) {
    if (gridded.has(component.ref)) continue;
    graph.setNode(component.ref, { ...COMPONENT_SIZE });
    graph.setParent(component.ref, 'cell');
  }
  for (const endpoint of model.outside) graph.setNode(endpoint.ref, { ...OUTSIDE_SIZE });
  for (const dependency of edges) graph.setEdge(dependency.from, dependency.to ?? dependency.endpoint, {}, dependency.endpoint);
  if (model.components.length > gridded.size) dagreLayout(graph);
  if (gridded.size > 0) placeInGrid(graph, model.components.filter(c => gridded.has(c.ref)).map(c => c.ref), model.components.filter(c => !gridded.has(c.ref)).map(c => c.ref));
  return graph;
}

/** Sets `refs` in rows under the components dagre laid out, as wide as they are (or a few columns). */
function placeInGrid(graph: Graph, refs: string[], laidOut: string[]) {
  const boxes = laidOut.map(ref => graph.node(ref));
  const left = boxes.length ? Math.min(...boxes.map(n => n.x - n.width / 2)) : 0;
  const right = boxes.length ? Math.max(...boxes.map(n => n.x + n.width / 2)) : 0;
  const top = boxes.length ? Math.max(...boxes.map(n => n.y + n.height / 2)) + 2 * GRID_GAP.y : 0;
  const step = { x: COMPONENT_SIZE.width + GRID_GAP.x, y: COMPONENT_SIZE.height + GRID_GAP.y };
  const columns = Math.min(refs.length, Math.max(GRID_MIN_COLUMNS, Math.floor((right - left + GRID_GAP.x) / step.x)));
  refs.forEach((ref, i) => {
    const x = left + (i % columns) * step.x + COMPONENT_SIZE.width / 2;
    const y = top + Math.floor(i / columns) * step.y + COMPONENT_SIZE.height / 2;
    graph.setNode(ref, { ...COMPONENT_SIZE, x, y });
  });
}

/** The boundary endpoints that sit on one side of the wall, in the model's order. */
function endpointsOnSide(model: CellModel, side: Side) {
  return model.boundary.filter(e => VISIBILITY_SIDES[e.visibility] === side);
}

/** The components' box, grown to the wall and to fit the ports on each side. */
function cellWall(model: CellModel, graph: Graph): Box {
  const centres = model.components.map(c => graph.node(c.ref));
  const inner = centres.length
    ? {
        left: Math.min(...centres.map(n => n.x - n.width / 2)),
        right: Math.max(...centres.map(n => n.x + n.width / 2)),
        top: Math.min(...centres.map(n => n.y - n.height / 2)),
        bottom: Math.max(...centres.map(n => n.y + n.height / 2)),
      }
    : { left: 0, right: COMPONENT_SIZE.width, top: 0, bottom: COMPONENT_SIZE.height };
  const count = (side: Side) => endpointsOnSide(model, side).length;
  const needWidth = Math.max(count('top'), count('bottom')) * PORT_SPACING.horizontal;
  const needHeight = Math.max(count('left'), count('right')) * PORT_SPACING.vertical;
  let cell: Box = {
    x: inner.left - WALL_PADDING,
    y: inner.top - WALL_PADDING,
    width: inner.right - inner.left + 2 * WALL_PADDING,
    height: inner.bottom - inner.top + 2 * WALL_PADDING,
  };
  if (cell.width < needWidth) cell = { ...cell, x: cell.x - (needWidth - cell.width) / 2, width: needWidth };
  if (cell.height < needHeight) cell = { ...cell, y: cell.y - (needHeight - cell.height) / 2, height: needHeight };
  return cell;
}

/** The boxes of the components (where dagre put them) and of what is outside the cell. */
function placeNodes(model: CellModel, graph: Graph, cell: Box): Map<string, Box> {
  const nodes = new Map<string, Box>();
  for (const component of model.components) nodes.set(component.ref, boxOf(graph.node(component.ref)));
  // Other projects' endpoints keep dagre's order but move clear of the wall.
  const outsideX = cell.x + cell.width + MARGIN.right;
  const outsideNodes = model.outside.map(e => ({ ref: e.ref, y: graph.hasNode(e.ref) ? (graph.node(e.ref)?.y ?? 0) : 0 }));
  outsideNodes.sort((a, b) => a.y - b.y);
  outsideNodes.forEach((node, i) => {
    nodes.set(node.ref, { x: outsideX, y: cell.y + i * (OUTSIDE_SIZE.height + 24), ...OUTSIDE_SIZE });
  });
  // Other projects' components that use the cell's endpoints wait on the left, in a column.
  const consumerX = cell.x - MARGIN.left - OUTSIDE_SIZE.width;
  model.consumers.forEach((consumer, i) => {
    nodes.set(consumer.ref, { x: consumerX, y: cell.y + i * (OUTSIDE_SIZE.height + 24), ...OUTSIDE_SIZE });
  });
  return nodes;
}

/** Each boundary endpoint's port on the wall of its visibility, and each side's label. */
function placePorts(model: CellModel, cell: Box, nodes: Map<string, Box>) {
  const ports = new Map<string, PortPoint>();
  const sideLabels: CellLayout['sideLabels'] = [];
  const centreOf = (ref?: string): Point => {
    const box = ref ? nodes.get(ref) : undefined;
    return box ? { x: box.x + box.width / 2, y: box.y + box.height / 2 } : { x: cell.x + cell.width / 2, y: cell.y + cell.height / 2 };
  };
  for (const [visibility, side] of Object.entries(VISIBILITY_SIDES) as Array<[EndpointVisibility, Side]>) {
    for (const [ref, port] of portsOnSide(endpointsOnSide(model, side), side, cell, centreOf)) ports.set(ref, port);
    sideLabels.push({ side, visibility, ...sideLabelAt(side, cell) });
  }
  return { ports, sideLabels };
}

/**
 * The ports of one side. Each sits level with the component that provides it, so its link is
 * short and straight; ports that would overlap are pushed apart.
 */
function portsOnSide(
  endpoints: CellEndpoint[],
  side: Side,
  cell: Box,
  centreOf: (ref?: string) => Point,
): Array<[string, PortPoint]> {
  const horizontal = side === 'top' || side === 'bottom';
  endpoints.sort((a, b) => {
    const ca = centreOf(a.providerRef);
    const cb = centreOf(b.providerRef);
    return (horizontal ? ca.x - cb.x : ca.y - cb.y) || a.ref.localeCompare(b.ref);
  });
  const start = horizontal ? cell.x : cell.y;
  const length = horizontal ? cell.width : cell.height;
  const spacing = horizontal ? PORT_SPACING.horizontal : PORT_SPACING.vertical;
  const wanted = endpoints.map(e => {
    const centre = centreOf(e.providerRef);
    return (horizontal ? centre.x : centre.y) - start;
  });
  const along = spread(wanted, spacing, length);
  // Where the wall of this side runs, across its length.
  const wall = { top: cell.y, bottom: cell.y + cell.height, left: cell.x, right: cell.x + cell.width }[side];
  return endpoints.map((endpoint, i) => [
    endpoint.ref,
    { side, x: horizontal ? start + along[i] : wall, y: horizontal ? wall : start + along[i] },
  ]);
}

/**
 * Inside the wall: top and bottom labels at the start of their side, left and right ones run
 * along their side (the diagram rotates them).
 */
function sideLabelAt(side: Side, cell: Box): Point {
  return {
    top: { x: cell.x + 16, y: cell.y + 20 },
    bottom: { x: cell.x + 16, y: cell.y + cell.height - 12 },
    left: { x: cell.x + 16, y: cell.y + 60 },
    right: { x: cell.x + cell.width - 16, y: cell.y + 60 },
  }[side];
}

/** dagre's routed points of the dependency edges inside the cell, keyed `from|endpoint`. */
function routeDependencies(model: CellModel, graph: Graph): Map<string, Point[]> {
  const routes = new Map<string, Point[]>();
  for (const dependency of model.dependencies) {
    if (!dependency.to || dependency.to === dependency.from) continue;
    const edge = graph.edge(dependency.from, dependency.to, dependency.endpoint);
    if (edge?.points?.length) routes.set(`${dependency.from}|${dependency.endpoint}`, edge.points);
  }
  return routes;
}

/** Shifts everything so the drawing starts at the margin, and sizes the drawing. */
function moveToMargin(model: CellModel, placed: Omit<CellLayout, 'width' | 'height'>): CellLayout {
  const { cell, nodes, ports, sideLabels, routes } = placed;
  const consumersWidth = model.consumers.length ? OUTSIDE_SIZE.width + 20 : 0;
  const dx = MARGIN.left + consumersWidth - cell.x;
  const dy = MARGIN.top - cell.y;
  const move = <T extends Point>(p: T): T => ({ ...p, x: p.x + dx, y: p.y + dy });
  const outsideWidth = model.outside.length ? OUTSIDE_SIZE.width + MARGIN.right : 0;
  const outsideHeight = Math.max(model.outside.length, model.consumers.length) * (OUTSIDE_SIZE.height + 24);
  return {
    width: consumersWidth + MARGIN.left + cell.width + MARGIN.right + outsideWidth,
    height: MARGIN.top + Math.max(cell.height, outsideHeight) + MARGIN.bottom,
    cell: move(cell),
    nodes: new Map([...nodes].map(([ref, box]) => [ref, move(box)])),
    ports: new Map([...ports].map(([ref, port]) => [ref, move(port)])),
    sideLabels: sideLabels.map(move),
    routes: new Map([...routes].map(([k, points]) => [k, points.map(move)])),
  };
}

/**
 * Positions along a wall of the given length, as close to the wanted ones (sorted ascending) as
 * the spacing allows, kept a corner's distance from both ends.
 */
export function spread(wanted: number[], spacing: number, length: number): number[] {
  const corner = Math.min(spacing / 2, length / 2);
  const positions: number[] = [];
  for (const w of wanted) {
    const previous = positions.length ? positions[positions.length - 1] + spacing : corner;
    positions.push(Math.max(w, previous, corner));
  }
  // Pushed past the far end: slide back, keeping the spacing.
  let limit = length - corner;
  for (let i = positions.length - 1; i >= 0; i--) {
    positions[i] = Math.min(positions[i], limit);
    limit = positions[i] - spacing;
  }
  return positions;
}

function boxOf(node: { x: number; y: number; width: number; height: number }): Box {
  return { x: node.x - node.width / 2, y: node.y - node.height / 2, width: node.width, height: node.height };
}
