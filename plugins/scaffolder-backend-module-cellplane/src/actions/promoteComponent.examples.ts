import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'js-yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Promote what runs in staging to production',
    example: yaml.dump({
      steps: [
        {
          id: 'promote',
          action: 'cellplane:component:promote',
          input: { namespace: 'acme', component: 'payments-api', from: 'staging', to: 'production' },
        },
      ],
    }),
  },
];
