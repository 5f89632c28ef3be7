import { useEntity } from '@backstage/plugin-catalog-react';
import { CellView } from './CellView';

/** The Cell tab of a project's (System's) page. */
export function EntityCellContent() {
  const { entity } = useEntity();
  return <CellView system={entity} />;
}
