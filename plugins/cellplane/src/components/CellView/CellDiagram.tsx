// Nodes are SVG <a> elements, which not every browser exposes as links: they say so with role.
/* eslint-disable jsx-a11y/no-redundant-roles */
import { ComponentEnvironmentStatus, EndpointVisibility } from '@cellplane/backstage-plugin-common';
import { MouseEvent } from 'react';
import { HEALTH_COLOURS, HEALTH_WORDS } from '../common/health';
import { CellComponent, CellEndpoint, CellModel } from './cellModel';
import { Box, CellLayout, Point, Side } from './layoutCell';

export const VISIBILITY_WORDS: Record<EndpointVisibility, string> = {
  external: 'External',
  internal: 'Internal',
  namespace: 'Namespace',
  project: 'Project',
};

const VISIBILITY_COLOURS: Record<EndpointVisibility, string> = {
  external: '#d84315',
  internal: '#6a1b9a',
  namespace: '#00838f',
  project: '#546e7a',
};

/** Left and right labels run along their wall. */
const SIDE_ROTATION: Record<Side, number> = { top: 0, bottom: 0, left: -90, right: 90 };

export interface CellDiagramProps {
  model: CellModel;
  layout: CellLayout;
  /** The status of each component (by OpenChoreo name) in the environment shown. */
  statuses: Map<string, ComponentEnvironmentStatus>;
  environment?: string;
  /** The URL of an entity's page, by entity ref; undefined when it has none. */
  linkTo: (ref: string) => string | undefined;
  onNavigate: (url: string) => void;
}

type Follow = (url?: string) => (event: MouseEvent) => void;

/**
 * The cell drawn as SVG. Every node is a link with an accessible name (component and health,
 * endpoint and visibility), every edge an image naming both ends, so the drawing reads aloud
 * and tests find it by role.
 */
export function CellDiagram(props: CellDiagramProps) {
  const { model, layout, statuses, linkTo, onNavigate } = props;
  const endpoints = new Map([...model.boundary, ...model.outside].map(e => [e.ref, e]));
  const follow: Follow = url => event => {
    if (!url) return;
    event.preventDefault();
    onNavigate(url);
  };

  return (
    <svg
      role="group"
      aria-label={`Cell ${model.project}`}
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      width="100%"
      style={{ maxWidth: layout.width, minHeight: 240, fontFamily: 'inherit' }}
    >
      <ArrowMarker />
      <CellWall model={model} layout={layout} />
      <ExposureLinks model={model} layout={layout} />
      <DependencyEdges model={model} layout={layout} endpoints={endpoints} />
      <IncomingEdges model={model} layout={layout} endpoints={endpoints} />
      {model.consumers.map(consumer => (
        <OutsideNode
          key={consumer.ref}
          box={layout.nodes.get(consumer.ref)}
          url={linkTo(consumer.ref)}
          follow={follow}
          ariaLabel={`Component ${consumer.name} of project ${consumer.project ?? 'unknown'}, outside the cell`}
          title={consumer.title}
          name={consumer.name}
          project={consumer.project}
        />
      ))}
      {model.components.map(component => (
        <ComponentNode
          key={component.ref}
          component={component}
          box={layout.nodes.get(component.ref)}
          status={statuses.get(component.name)}
          environment={props.environment}
          url={linkTo(component.ref)}
          follow={follow}
        />
      ))}
      <BoundaryPorts model={model} layout={layout} linkTo={linkTo} follow={follow} />
      {model.outside.map(endpoint => (
        <OutsideNode
          key={endpoint.ref}
          box={layout.nodes.get(endpoint.ref)}
          url={linkTo(endpoint.ref)}
          follow={follow}
          ariaLabel={`Endpoint ${endpoint.label} of project ${endpoint.project ?? 'unknown'}, outside the cell`}
          title={endpoint.title}
          name={endpoint.label}
          project={endpoint.project}
        />
      ))}
    </svg>
  );
}

/** The arrow head every dependency edge ends with. */
function ArrowMarker() {
  return (
    <defs>
      <marker id="cellplane-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
        <path d="M 0 0 L 10 5 L 0 10 z" fill="#607d8b" />
      </marker>
    </defs>
  );
}

/** The cell's wall, and the name of each visibility on the side where its endpoints sit. */
function CellWall(props: { model: CellModel; layout: CellLayout }) {
  const { model, layout } = props;
  return (
    <>
      <rect
        x={layout.cell.x}
        y={layout.cell.y}
        width={layout.cell.width}
        height={layout.cell.height}
        rx={28}
        fill="rgba(96, 125, 139, 0.06)"
        stroke="#607d8b"
        strokeWidth={3}
      />
      {layout.sideLabels
        .filter(label => model.boundary.some(e => e.visibility === label.visibility))
        .map(label => (
          <text
            key={label.side}
            x={label.x}
            y={label.y}
            fontSize={11}
            fontWeight={600}
            fill={VISIBILITY_COLOURS[label.visibility]}
            textAnchor={label.side === 'left' || label.side === 'right' ? 'middle' : 'start'}
            transform={SIDE_ROTATION[label.side] ? `rotate(${SIDE_ROTATION[label.side]} ${label.x} ${label.y})` : undefined}
            aria-hidden
          >
            {VISIBILITY_WORDS[label.visibility].toUpperCase()}
          </text>
        ))}
    </>
  );
}

/** Each boundary endpoint's link to the component that provides it. */
function ExposureLinks(props: { model: CellModel; layout: CellLayout }) {
  const { model, layout } = props;
  return (
    <>
      {model.boundary.map(endpoint => {
        const port = layout.ports.get(endpoint.ref);
        const provider = endpoint.providerRef ? layout.nodes.get(endpoint.providerRef) : undefined;
        if (!port || !provider) return null;
        const from = nearestEdgePoint(provider, port);
        return (
          <line
            key={`expose-${endpoint.ref}`}
            x1={from.x}
            y1={from.y}
            x2={port.x}
            y2={port.y}
            stroke={VISIBILITY_COLOURS[endpoint.visibility]}
            strokeDasharray="4 3"
            strokeWidth={1.5}
            aria-hidden
          />
        );
      })}
    </>
  );
}

/** An edge that reads aloud: an image named after both its ends. */
function Edge(props: { name: string; path: string; dashed?: string }) {
  return (
    <g role="img" aria-label={props.name}>
      <title>{props.name}</title>
      <path
        d={props.path}
        fill="none"
        stroke="#607d8b"
        strokeWidth={1.6}
        strokeDasharray={props.dashed}
        markerEnd="url(#cellplane-arrow)"
      />
    </g>
  );
}

/** The cell's components' dependencies: on each other, and on other projects' endpoints (dashed). */
function DependencyEdges(props: { model: CellModel; layout: CellLayout; endpoints: Map<string, CellEndpoint> }) {
  const { model, layout, endpoints } = props;
  const componentName = new Map(model.components.map(c => [c.ref, c.name]));
  return (
    <>
      {model.dependencies.map(dependency => {
        const endpoint = endpoints.get(dependency.endpoint);
        const fromBox = layout.nodes.get(dependency.from);
        const toBox = layout.nodes.get(dependency.to ?? dependency.endpoint);
        if (!endpoint || !fromBox || !toBox) return null;
        const key = `${dependency.from}|${dependency.endpoint}`;
        const route = layout.routes.get(key);
        const path = route ? polyline(route) : curve(rightMiddle(fromBox), leftMiddle(toBox));
        const outside = !dependency.to;
        const name = `${componentName.get(dependency.from)} depends on ${endpoint.label}${outside && endpoint.project ? ` of project ${endpoint.project}` : ''}`;
        return <Edge key={key} name={name} path={path} dashed={outside ? '6 4' : undefined} />;
      })}
    </>
  );
}

/** Other projects' components' uses of the cell's endpoints, coming in through the wall. */
function IncomingEdges(props: { model: CellModel; layout: CellLayout; endpoints: Map<string, CellEndpoint> }) {
  const { model, layout, endpoints } = props;
  return (
    <>
      {model.incoming.map(use => {
        const consumer = model.consumers.find(c => c.ref === use.from);
        const endpoint = endpoints.get(use.endpoint);
        const fromBox = layout.nodes.get(use.from);
        const port = layout.ports.get(use.endpoint);
        if (!consumer || !endpoint || !fromBox || !port) return null;
        const name = `${consumer.name} of project ${consumer.project ?? 'unknown'} depends on ${endpoint.label}`;
        return <Edge key={`${use.from}|${use.endpoint}`} name={name} path={curveToPort(rightMiddle(fromBox), port)} dashed="6 4" />;
      })}
    </>
  );
}

/** Something of another project (an endpoint or a component): a dashed box naming its project. */
function OutsideNode(props: {
  box?: Box;
  url?: string;
  follow: Follow;
  ariaLabel: string;
  title: string;
  name: string;
  project?: string;
}) {
  const { box, url, follow } = props;
  if (!box) return null;
  return (
    <a href={url} onClick={follow(url)} role="link" aria-label={props.ariaLabel}>
      <title>{props.title}</title>
      <rect x={box.x} y={box.y} width={box.width} height={box.height} rx={8} fill="#fafafa" stroke="#90a4ae" strokeDasharray="5 3" />
      <text x={box.x + 10} y={box.y + 18} fontSize={12} fontWeight={600} fill="#37474f">
        {truncate(props.name, 26)}
      </text>
      <text x={box.x + 10} y={box.y + 34} fontSize={11} fill="#607d8b">
        project {props.project ?? '?'}
      </text>
    </a>
  );
}

/** A component of the cell, coloured and labelled with its health in the environment shown. */
function ComponentNode(props: {
  component: CellComponent;
  box?: Box;
  status?: ComponentEnvironmentStatus;
  environment?: string;
  url?: string;
  follow: Follow;
}) {
  const { component, box, status, url, follow } = props;
  if (!box) return null;
  const colour = status ? HEALTH_COLOURS[status.health] : '#9e9e9e';
  const word = status ? HEALTH_WORDS[status.health] : 'no status';
  return (
    <a
      href={url}
      onClick={follow(url)}
      role="link"
      aria-label={`Component ${component.name}: ${word}${props.environment ? ` in ${props.environment}` : ''}`}
    >
      <title>{status?.reason ? `${component.title}: ${word}, ${status.reason}` : `${component.title}: ${word}`}</title>
      <rect x={box.x} y={box.y} width={box.width} height={box.height} rx={10} fill="#fff" stroke={colour} strokeWidth={3} />
      <rect x={box.x} y={box.y} width={8} height={box.height} rx={4} fill={colour} />
      <text x={box.x + 18} y={box.y + 23} fontSize={13} fontWeight={600} fill="#263238">
        {truncate(component.title, 20)}
      </text>
      <text x={box.x + 18} y={box.y + 42} fontSize={12} fontWeight={600} fill={colour}>
        {word}
      </text>
    </a>
  );
}

/** The boundary endpoints, one group per visibility (`External endpoints`, ...). */
function BoundaryPorts(props: { model: CellModel; layout: CellLayout; linkTo: (ref: string) => string | undefined; follow: Follow }) {
  const { model, layout, linkTo, follow } = props;
  return (
    <>
      {(['external', 'internal', 'namespace', 'project'] as EndpointVisibility[]).map(visibility => {
        const group = model.boundary.filter(e => e.visibility === visibility);
        if (group.length === 0) return null;
        return (
          <g key={visibility} role="group" aria-label={`${VISIBILITY_WORDS[visibility]} endpoints`}>
            {group.map(endpoint => {
              const port = layout.ports.get(endpoint.ref);
              return port ? (
                <Port key={endpoint.ref} endpoint={endpoint} port={port} url={linkTo(endpoint.ref)} follow={follow} />
              ) : null;
            })}
          </g>
        );
      })}
    </>
  );
}

function Port(props: {
  endpoint: CellEndpoint;
  port: Point & { side: Side };
  url?: string;
  follow: Follow;
}) {
  const { endpoint, port, url, follow } = props;
  const colour = VISIBILITY_COLOURS[endpoint.visibility];
  const label = labelPlacement(port);
  return (
    <a
      href={url}
      onClick={follow(url)}
      role="link"
      aria-label={`Endpoint ${endpoint.label}, visible to ${endpoint.visibilities.join(', ')}`}
    >
      <title>{`${endpoint.title} (${endpoint.visibilities.join(', ')})`}</title>
      <circle cx={port.x} cy={port.y} r={8} fill={colour} stroke="#fff" strokeWidth={2} />
      <text x={label.x} y={label.y} fontSize={11} fill="#37474f" textAnchor={label.anchor}>
        {truncate(endpoint.label, 24)}
      </text>
    </a>
  );
}

function labelPlacement(port: Point & { side: Side }): Point & { anchor: 'start' | 'middle' | 'end' } {
  switch (port.side) {
    case 'top':
      return { x: port.x, y: port.y - 14, anchor: 'middle' };
    case 'bottom':
      return { x: port.x, y: port.y + 22, anchor: 'middle' };
    case 'left':
      return { x: port.x - 14, y: port.y + 4, anchor: 'end' };
    default:
      return { x: port.x + 14, y: port.y + 4, anchor: 'start' };
  }
}

function truncate(text: string, max: number) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function rightMiddle(box: Box): Point {
  return { x: box.x + box.width, y: box.y + box.height / 2 };
}

function leftMiddle(box: Box): Point {
  return { x: box.x, y: box.y + box.height / 2 };
}

function polyline(points: Point[]) {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'} ${p.x} ${p.y}`).join(' ');
}

function curve(from: Point, to: Point) {
  const dx = Math.max(40, (to.x - from.x) / 2);
  return `M ${from.x} ${from.y} C ${from.x + dx} ${from.y}, ${to.x - dx} ${to.y}, ${to.x} ${to.y}`;
}

/** A curve that meets a port from outside the wall it sits on. */
function curveToPort(from: Point, port: Point & { side: Side }) {
  const reach = 60;
  const approach = {
    top: { x: port.x, y: port.y - reach },
    bottom: { x: port.x, y: port.y + reach },
    left: { x: port.x - reach, y: port.y },
    right: { x: port.x + reach, y: port.y },
  }[port.side];
  return `M ${from.x} ${from.y} C ${from.x + reach} ${from.y}, ${approach.x} ${approach.y}, ${port.x} ${port.y}`;
}

/** Where a link from a box towards a point leaves the box. */
function nearestEdgePoint(box: Box, towards: Point): Point {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const dx = towards.x - cx;
  const dy = towards.y - cy;
  if (dx === 0 && dy === 0) return { x: cx, y: cy };
  const scale = Math.min(Math.abs(box.width / 2 / (dx || 1e-9)), Math.abs(box.height / 2 / (dy || 1e-9)));
  return { x: cx + dx * scale, y: cy + dy * scale };
}
