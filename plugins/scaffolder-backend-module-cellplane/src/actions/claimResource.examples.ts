import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'js-yaml';

export const examples: TemplateExample[] = [
  {
    description: 'A PostgreSQL database for the cart, reaching it through DB_* variables',
    example: yaml.dump({
      steps: [
        {
          id: 'claim',
          action: 'cellplane:resource:claim',
          input: {
            namespace: 'acme',
            project: 'storefront',
            name: 'cart-db',
            resourceType: 'postgres',
            parameters: { version: '16', database: 'cart', username: 'cart_app' },
            consumer: { component: 'cart-api', envBindings: { host: 'DB_HOST', port: 'DB_PORT' } },
          },
        },
      ],
    }),
  },
];
