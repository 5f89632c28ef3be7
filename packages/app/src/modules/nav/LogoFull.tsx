import { CellplaneMarkPaths } from './CellplaneMark';

/** The sidebar's logo when it is open: Cellplane's mark and name. */
export const LogoFull = () => (
  <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 150 32" style={{ width: 'auto', height: 30 }} role="img" aria-label="Cellplane">
    <CellplaneMarkPaths />
    <text
      x="38"
      y="23"
      fill="#7df3e1"
      style={{ font: '600 21px Helvetica Neue, Helvetica, Roboto, Arial, sans-serif', letterSpacing: '0.3px' }}
    >
      Cellplane
    </text>
  </svg>
);
