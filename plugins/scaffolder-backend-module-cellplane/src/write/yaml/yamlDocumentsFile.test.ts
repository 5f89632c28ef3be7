import { parseYamlDocuments } from '@cellplane/backstage-plugin-node';
import { YamlDocumentsFile } from './yamlDocumentsFile';

// A component as OpenChoreo's samples keep it: Component and Workload in one file, `---`
// between blank lines, comments in and around the documents.
const HEADER = `# The greeter: its component and its workload, applied together.
`;
const COMPONENT = `apiVersion: openchoreo.dev/v1alpha1
kind: Component
metadata:
  name: greeter
  namespace: default
spec:
  owner:
    projectName: default

  componentType:
    kind: ComponentType
    name: deployment/service
  autoDeploy: true

`;
const WORKLOAD = `---

# What runs.
apiVersion: openchoreo.dev/v1alpha1
kind: Workload
metadata:
  name: greeter
  namespace: default
spec:
  owner:
    componentName: greeter
    projectName: default
  # Where the service listens.
  endpoints:
    http:
      type: HTTP
      port: 9090 # the container port
  container:
    image: "ghcr.io/openchoreo/samples/greeter-service:latest"
    env:
      - key: GREETING
        value: Hello
      # Verbose while we try it out.
      - key: LOG_LEVEL
        value: debug
`;
const SAMPLE = HEADER + COMPONENT + WORKLOAD;

const valuesOf = (text: string) => {
  const parsed = parseYamlDocuments(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.documents.map(document => document.value as any);
};

describe('YamlDocumentsFile', () => {
  it('edits one document in place: the others, the comments and the key order stay byte for byte', () => {
    const file = YamlDocumentsFile.parse('greeter.yaml', SAMPLE);
    const workload = file.valueAt(1) as any;
    const next = structuredClone(workload);
    next.spec.endpoints.grpc = { type: 'gRPC', port: 9091 };
    next.spec.container.image = 'ghcr.io/openchoreo/samples/greeter-service:v2';
    file.update(1, workload, next);

    expect(file.text).toBe(
      HEADER +
        COMPONENT +
        WORKLOAD.replace('      port: 9090 # the container port\n', '      port: 9090 # the container port\n    grpc:\n      type: gRPC\n      port: 9091\n').replace(
          'greeter-service:latest"',
          'greeter-service:v2"',
        ),
    );
    expect(file.changed).toBe(true);
    expect(valuesOf(file.text)[1]).toEqual(next);
  });

  it('leaves the file as it was when the writer changes nothing', () => {
    const file = YamlDocumentsFile.parse('greeter.yaml', SAMPLE);
    const component = file.valueAt(0);
    file.update(0, component, structuredClone(component));
    expect(file.text).toBe(SAMPLE);
    expect(file.changed).toBe(false);
  });

  it('changes only what the writer changed: a field the writer did not read stays', () => {
    const file = YamlDocumentsFile.parse('greeter.yaml', SAMPLE);
    const read = structuredClone(file.valueAt(0)) as any;
    delete read.spec.autoDeploy; // as if the writer's model did not know the field
    const wanted = { ...read, spec: { ...read.spec, parameters: { replicas: 2 } } };
    file.update(0, read, wanted);
    const component = valuesOf(file.text)[0];
    expect(component.spec.autoDeploy).toBe(true);
    expect(component.spec.parameters).toEqual({ replicas: 2 });
    expect(file.text.endsWith(WORKLOAD)).toBe(true);
  });

  it('removes an item from the middle of a list, keeping the comments of the others', () => {
    const file = YamlDocumentsFile.parse('greeter.yaml', SAMPLE);
    const workload = file.valueAt(1) as any;
    const next = structuredClone(workload);
    next.spec.container.env.splice(0, 1);
    file.update(1, workload, next);
    expect(file.text).toBe(SAMPLE.replace('      - key: GREETING\n        value: Hello\n', ''));
  });

  it('removes one document, and only it', () => {
    const third = `---
# A binding kept with its component.
apiVersion: openchoreo.dev/v1alpha1
kind: ReleaseBinding
metadata:
  name: greeter-development
spec:
  owner: {projectName: default, componentName: greeter}
  environment: development
`;
    const file = YamlDocumentsFile.parse('greeter.yaml', SAMPLE + third);
    file.remove(1);
    expect(file.text).toBe(HEADER + COMPONENT + third);
    expect(file.documentCount).toBe(2);
    expect(file.indexOf({ kind: 'ReleaseBinding', name: 'greeter-development' })).toBe(1);
  });

  it('empties when its last document is removed', () => {
    const file = YamlDocumentsFile.parse('greeter.yaml', COMPONENT);
    file.remove(0);
    expect(file.empty).toBe(true);
  });

  it("appends a document in the file's style: its `---` spacing, sequence indentation and quotes", () => {
    const text = `kind: Workload
metadata:
  name: a
spec:
  args:
  - 'one'
  - 'two'

---

kind: Workload
metadata:
  name: b
`;
    const file = YamlDocumentsFile.parse('workloads.yaml', text);
    file.append({ kind: 'Workload', metadata: { name: 'c' }, spec: { args: ['--port', '8080'] } });
    expect(file.text).toBe(`${text}
---

kind: Workload
metadata:
  name: c
spec:
  args:
  - --port
  - '8080'
`);
    expect(file.indexOf({ kind: 'Workload', name: 'c' })).toBe(2);
  });

  it('starts a file of its own without a separator', () => {
    const file = YamlDocumentsFile.parse('new.yaml', undefined);
    file.append({ kind: 'Project', metadata: { name: 'p' } });
    expect(file.text).toBe('kind: Project\nmetadata:\n  name: p\n');
    expect(file.changed).toBe(true);
  });

  it('quotes a new string that Kubernetes would read as a boolean or a number, and leaves the file\'s own plain scalars alone', () => {
    const text = 'kind: A\nmetadata:\n  name: a\nspec:\n  enabled: yes\n';
    const file = YamlDocumentsFile.parse('quoting.yaml', text);
    const to = { kind: 'A', metadata: { name: 'a', labels: { y: 'on', size: '1_000', mode: '0755', plain: 'web' } }, spec: { enabled: true, answer: 'n' } };
    file.update(0, file.valueAt(0), to);
    expect(file.text).toBe(
      'kind: A\nmetadata:\n  name: a\n  labels:\n    "y": "on"\n    size: "1_000"\n    mode: "0755"\n    plain: web\nspec:\n  enabled: yes\n  answer: "n"\n',
    );
    expect(valuesOf(file.text)[0]).toEqual(to);
    file.append({ kind: 'B', metadata: { name: 'off' } });
    expect(file.text).toContain('name: "off"');
    expect(valuesOf(file.text)[1]).toEqual({ kind: 'B', metadata: { name: 'off' } });
  });

  it('keeps Windows line endings', () => {
    const text = 'kind: A\r\nmetadata:\r\n  name: a # first\r\n---\r\nkind: B\r\nmetadata:\r\n  name: b\r\n';
    const file = YamlDocumentsFile.parse('crlf.yaml', text);
    file.update(0, file.valueAt(0), { kind: 'A', metadata: { name: 'a', labels: { x: 'z' } } });
    expect(file.text).toBe('kind: A\r\nmetadata:\r\n  name: a # first\r\n  labels:\r\n    x: z\r\n---\r\nkind: B\r\nmetadata:\r\n  name: b\r\n');
  });

  it('edits through a YAML alias without changing the other places that share its anchor', () => {
    const text = `kind: Workload
metadata:
  name: w
spec:
  defaults: &env
    - key: A
      value: one
  container:
    env: *env
`;
    const file = YamlDocumentsFile.parse('alias.yaml', text);
    const before = file.valueAt(0) as any;
    const after = JSON.parse(JSON.stringify(before)); // the loader shares the anchor's object between both places
    after.spec.container.env[0].value = 'two';
    file.update(0, before, after);
    const [value] = valuesOf(file.text);
    expect(value.spec.defaults).toEqual([{ key: 'A', value: 'one' }]);
    expect(value.spec.container.env).toEqual([{ key: 'A', value: 'two' }]);
  });

  it('refuses an edit it cannot make faithfully, and leaves the file as it was', () => {
    const text = `kind: Trait
metadata:
  name: t
spec:
  base: &base {a: 1, b: 2}
  merged:
    <<: *base
    c: 3
`;
    const file = YamlDocumentsFile.parse('merge.yaml', text);
    const before = file.valueAt(0) as any;
    const after = structuredClone(before);
    delete after.spec.merged.a; // comes from the merge key: deleting it here cannot work
    expect(() => file.update(0, before, after)).toThrow(/merge\.yaml: Cellplane could not change this file in place/);
    expect(file.text).toBe(text);
  });

  it('refuses a file that does not read as YAML, or uses directives, naming the file', () => {
    expect(() => YamlDocumentsFile.parse('broken.yaml', 'kind: [unclosed\n')).toThrow(/^broken\.yaml \(line \d+\): invalid YAML/);
    expect(() => YamlDocumentsFile.parse('directives.yaml', '%YAML 1.2\n---\nkind: A\n')).toThrow(/directives\.yaml uses YAML directives/);
  });

  it("finds a resource's document by kind and name, trusting the loader's position when it holds it", () => {
    const file = YamlDocumentsFile.parse('greeter.yaml', SAMPLE);
    expect(file.indexOf({ kind: 'Workload', name: 'greeter', namespace: 'default' })).toBe(1);
    expect(file.indexOf({ kind: 'Workload', name: 'greeter' }, 0)).toBe(1);
    expect(file.indexOf({ kind: 'Workload', name: 'greeter', namespace: 'other' })).toBeUndefined();
    expect(file.indexOf({ kind: 'Component', name: 'nope' })).toBeUndefined();
  });
});
