import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'js-yaml';

export const examples: TemplateExample[] = [
  {
    description: 'A project on the standard pipeline, owned by a team',
    example: yaml.dump({
      steps: [
        {
          id: 'project',
          action: 'cellplane:project:create',
          input: {
            namespace: 'acme',
            name: 'loyalty',
            displayName: 'Loyalty',
            owner: 'group:default/team-growth',
            deploymentPipeline: 'standard',
          },
        },
      ],
    }),
  },
];
