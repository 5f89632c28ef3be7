import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { EntityContentLayoutBlueprint } from '@backstage/plugin-catalog-react/alpha';

/** Every entity's overview: content cards (Cellplane's first) before the generic info cards. */
const cellplaneFirstEntityLayout = EntityContentLayoutBlueprint.make({
  name: 'cellplane-first',
  params: {
    loader: async () => (await import('./CellplaneFirstEntityLayout')).CellplaneFirstEntityLayout,
  },
});

/** The catalog's entity page as Cellplane lays it out. */
export const entityPageModule = createFrontendModule({
  pluginId: 'catalog',
  extensions: [cellplaneFirstEntityLayout],
});
