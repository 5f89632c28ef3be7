import yaml from 'js-yaml';
import { KUBERNETES_YAML_SCHEMA } from '../yaml/kubernetesYamlSchema';

/**
 * One resource as the YAML Cellplane writes: fields in the order they were built, no anchors,
 * no line folding. Deterministic, so writing the same resource twice gives the same bytes and
 * the writer makes no second commit.
 *
 * @public
 */
export function resourceToYaml(resource: unknown): string {
  return yaml.dump(resource, { schema: KUBERNETES_YAML_SCHEMA, noRefs: true, lineWidth: -1, sortKeys: false, skipInvalid: true });
}
