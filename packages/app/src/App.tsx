import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import cellplanePlugin from '@cellplane/backstage-plugin';
import { navModule } from './modules/nav';
import { homeModule } from './modules/home';
import { entityPageModule } from './modules/entityPage';

export default createApp({
  features: [catalogPlugin, cellplanePlugin, navModule, homeModule, entityPageModule],
});
