import { CellplaneMarkPaths } from './CellplaneMark';

/** The sidebar's logo when it is closed: Cellplane's mark alone. */
export const LogoIcon = () => (
  <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" style={{ width: 'auto', height: 28 }} role="img" aria-label="Cellplane">
    <CellplaneMarkPaths />
  </svg>
);
