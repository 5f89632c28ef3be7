import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import cellplanePlugin from '@cellplane/backstage-plugin';
import { navModule } from './modules/nav';
import { homeModule } from './modules/home';
import { catalogModule } from './modules/catalog';

export default createApp({
  features: [catalogPlugin, catalogModule, cellplanePlugin, navModule, homeModule],
});
