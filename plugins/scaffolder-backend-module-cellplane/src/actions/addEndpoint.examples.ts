import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'js-yaml';

export const examples: TemplateExample[] = [
  {
    description: 'A gRPC endpoint other projects of the namespace may call',
    example: yaml.dump({
      steps: [
        {
          id: 'endpoint',
          action: 'cellplane:endpoint:add',
          input: {
            namespace: 'acme',
            component: 'payments-api',
            name: 'grpc',
            endpoint: { type: 'gRPC', port: 9090, visibility: ['namespace'] },
          },
        },
      ],
    }),
  },
];
