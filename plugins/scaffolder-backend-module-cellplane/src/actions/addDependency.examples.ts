import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'js-yaml';

export const examples: TemplateExample[] = [
  {
    description: "Let the cart call the payments REST API; its address arrives in PAYMENTS_URL",
    example: yaml.dump({
      steps: [
        {
          id: 'dependency',
          action: 'cellplane:dependency:add',
          input: {
            namespace: 'acme',
            component: 'cart-api',
            dependsOn: { project: 'payments', component: 'payments-api', endpoint: 'rest' },
            envBindings: { address: 'PAYMENTS_URL' },
          },
        },
      ],
    }),
  },
];
