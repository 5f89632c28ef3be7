import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import { MarkdownContent } from '@backstage/core-components';

const content = `
## Welcome to Cellplane

Cellplane is your internal developer platform: Git holds every resource (OpenChoreo's model),
Argo CD or Flux deliver, and this portal shows and changes it.

### Quick start

- **Find your component** in the [Catalog](/catalog): its delivery pipeline comes first on its
  page, with Promote and Roll back; a project's page draws it as a cell.
- **Create something new** in [Create](/create): one template per kind of component, following
  the platform team's component types. Each run is a commit (or a pull request), and its
  "Trace: did it land?" link follows it to running pods.
- **Look after the platform** on the [Platform](/cellplane/platform) page: environments and
  pipelines, data planes, component types and traits, and health across all projects.

### Helpful links

- [OpenChoreo's documentation](https://openchoreo.dev/docs) (the resource model)
- [Backstage's documentation](https://backstage.io/docs) (the portal Cellplane runs in)
`;

const gettingStartedWidget = HomePageWidgetBlueprint.make({
  name: 'getting-started',
  params: {
    name: 'GettingStarted',
    title: 'Getting Started',
    description: 'Tips and links to help you get started with Cellplane',
    components: async () => ({
      Content: () => <MarkdownContent content={content} />,
    }),
  },
});

export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [gettingStartedWidget],
});
