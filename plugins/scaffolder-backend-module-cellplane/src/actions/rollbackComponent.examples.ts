import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'js-yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Run an earlier release in production again',
    example: yaml.dump({
      steps: [
        {
          id: 'rollback',
          action: 'cellplane:component:rollback',
          input: { namespace: 'acme', component: 'payments-api', environment: 'production', release: 'payments-api-1a2b3c4d5e' },
        },
      ],
    }),
  },
];
