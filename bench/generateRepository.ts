import { FileChange } from '@cellplane/backstage-plugin-node';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

const EXAMPLE = resolve(__dirname, '../examples/gitops');
const ENVIRONMENTS = ['development', 'staging', 'production'];
const TYPES = ['service', 'web-application', 'worker', 'scheduled-task'] as const;

/**
 * A synthetic organisation of `projects` projects with `componentsPerProject` components each,
 * on the example repository's platform (component types, traits, environments, pipeline).
 * Every component has a Component, a Workload with endpoints and dependencies on its project's
 * neighbours, and a ReleaseBinding per environment.
 */
export function generateRepository(options: { projects: number; componentsPerProject: number }): FileChange[] {
  const files: FileChange[] = [];
  for (const entry of readdirSync(EXAMPLE, { recursive: true, withFileTypes: true })) {
    const path = relative(EXAMPLE, join(entry.parentPath, entry.name)).split(sep).join('/');
    if (entry.isFile() && !path.startsWith('namespaces/acme/projects/')) {
      files.push({ path, content: readFileSync(join(EXAMPLE, path)) });
    }
  }
  for (let p = 0; p < options.projects; p += 1) {
    const project = `project-${p}`;
    const projectDir = `namespaces/acme/projects/${project}`;
    files.push({
      path: `${projectDir}/project.yaml`,
      content: `apiVersion: openchoreo.dev/v1alpha1
kind: Project
metadata:
  name: ${project}
  namespace: acme
  annotations:
    openchoreo.dev/display-name: Project ${p}
    cellplane.dev/owner: group:default/team-${p % 20}
spec:
  deploymentPipelineRef:
    name: standard
`,
    });
    for (let c = 0; c < options.componentsPerProject; c += 1) {
      const component = `${project}-c${c}`;
      const type = TYPES[c % TYPES.length];
      const workloadType = type === 'scheduled-task' ? 'cronjob' : 'deployment';
      const dir = `${projectDir}/components/${component}`;
      const hasEndpoint = type === 'service' || type === 'web-application';
      const upstream = c >= 4 ? `${project}-c${c - 4}` : undefined; // always a service: c-4 has the same type
      files.push({
        path: `${dir}/component.yaml`,
        content: `apiVersion: openchoreo.dev/v1alpha1
kind: Component
metadata:
  name: ${component}
  namespace: acme
  annotations:
    openchoreo.dev/display-name: Component ${c} of project ${p}
spec:
  owner:
    projectName: ${project}
  componentType:
    kind: ClusterComponentType
    name: ${workloadType}/${type}
  autoDeploy: true
${type === 'scheduled-task' ? `  parameters:\n    schedule: "*/15 * * * *"\n` : ''}`,
      });
      files.push({
        path: `${dir}/workload.yaml`,
        content: `apiVersion: openchoreo.dev/v1alpha1
kind: Workload
metadata:
  name: ${component}
  namespace: acme
spec:
  owner:
    projectName: ${project}
    componentName: ${component}
  container:
    image: ghcr.io/acme/${component}:1.${c}.${p}
    env:
      - key: LOG_LEVEL
        value: info
${
  hasEndpoint
    ? `  endpoints:
    http:
      type: HTTP
      port: 8080
      visibility: [${c % 8 === 0 ? 'namespace, external' : 'project'}]
`
    : ''
}${
  upstream && hasEndpoint
    ? `  dependencies:
    endpoints:
      - component: ${upstream}
        name: http
        visibility: project
        envBindings:
          address: UPSTREAM_URL
`
    : ''
}`,
      });
      for (const environment of ENVIRONMENTS.slice(0, 1 + (c % 3))) {
        files.push({
          path: `${dir}/release-bindings/${component}-${environment}.yaml`,
          content: `apiVersion: openchoreo.dev/v1alpha1
kind: ReleaseBinding
metadata:
  name: ${component}-${environment}
  namespace: acme
spec:
  owner:
    projectName: ${project}
    componentName: ${component}
  environment: ${environment}
`,
        });
      }
    }
  }
  return files;
}
