/**
 * Cellplane's mark: a cell (a hexagon, the project's boundary) holding three components with the
 * edges between them, in the sidebar's accent colour.
 */
export function CellplaneMarkPaths(props: { colour?: string }) {
  const colour = props.colour ?? '#7df3e1';
  return (
    <g fill="none" stroke={colour} strokeLinecap="round" strokeLinejoin="round">
      <path d="M16 2.5 27.7 9.25v13.5L16 29.5 4.3 22.75V9.25Z" strokeWidth="2.5" />
      <path d="M16 11.5 10.8 20M16 11.5 21.2 20M10.8 20h10.4" strokeWidth="1.6" />
      <circle cx="16" cy="11.5" r="2.6" fill={colour} stroke="none" />
      <circle cx="10.8" cy="20" r="2.6" fill={colour} stroke="none" />
      <circle cx="21.2" cy="20" r="2.6" fill={colour} stroke="none" />
    </g>
  );
}
