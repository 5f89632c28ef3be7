import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'js-yaml';

export const examples: TemplateExample[] = [
  {
    description: 'A service from a container image, with an HTTP endpoint other projects may call',
    example: yaml.dump({
      steps: [
        {
          id: 'create',
          action: 'cellplane:component:create',
          name: 'Create the component',
          input: {
            namespace: 'acme',
            project: 'payments',
            name: 'refunds-api',
            owner: 'group:default/team-payments',
            componentType: 'deployment/service',
            image: 'ghcr.io/acme/refunds-api:1.0.0',
            parameters: { terminationGracePeriodSeconds: 30 },
            endpoints: { rest: { type: 'HTTP', port: 8080, basePath: '/refunds/v1', visibility: ['namespace'] } },
          },
        },
      ],
    }),
  },
  {
    description: 'A web application built from a source repository, opened as a pull request',
    example: yaml.dump({
      steps: [
        {
          id: 'create',
          action: 'cellplane:component:create',
          input: {
            namespace: 'acme',
            project: 'storefront',
            name: 'admin-ui',
            componentType: 'deployment/web-application',
            source: { repository: 'https://github.com/acme/admin-ui', branch: 'main' },
            endpoints: { web: { type: 'HTTP', port: 3000, visibility: ['external'] } },
            publish: { mode: 'pull-request' },
          },
        },
      ],
    }),
  },
];
