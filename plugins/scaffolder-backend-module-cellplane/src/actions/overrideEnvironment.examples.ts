import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'js-yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Three replicas and a debug log level in staging',
    example: yaml.dump({
      steps: [
        {
          id: 'override',
          action: 'cellplane:environment:override',
          input: {
            namespace: 'acme',
            component: 'payments-api',
            environment: 'staging',
            componentTypeEnvironmentConfigs: { replicas: 3 },
            traitEnvironmentConfigs: { autoscaler: { minReplicas: 3, maxReplicas: 6 } },
            env: [{ key: 'LOG_LEVEL', value: 'debug' }],
          },
        },
      ],
    }),
  },
];
