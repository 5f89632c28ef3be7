import yaml from 'js-yaml';
import { KUBERNETES_YAML_SCHEMA } from './kubernetesYamlSchema';
import { parseYamlDocuments } from './parseYamlDocuments';

describe('KUBERNETES_YAML_SCHEMA', () => {
  // Strings Kubernetes (YAML 1.1) would read as another type if they were written unquoted.
  const ambiguous = ['y', 'N', 'yes', 'On', 'off', '0755', '0o755', '1_000', '0_7', '0x1F', '0b101', '+0x10', '08', '1e3', '.5', '-.inf', '~', 'null'];

  it('makes yaml.dump quote every string Kubernetes would read as something else', () => {
    const values = { strings: ambiguous, numbers: [493, -1.5, Infinity, -Infinity], booleans: [true, false], nothing: null };
    const text = yaml.dump(values, { schema: KUBERNETES_YAML_SCHEMA });
    expect(parseYamlDocuments(text)).toEqual({ ok: true, documents: [{ index: 0, value: values }] });
    expect(text).toContain("- '1_000'");
  });
});
