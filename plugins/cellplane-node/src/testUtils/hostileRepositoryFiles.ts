import { DEFAULT_YAML_LIMITS, YamlLimits } from '../yaml/parseYamlDocuments';

/** A file to add to a repository (for GitOpsRepository.commit's changes, or to write to disk). @public */
export interface HostileRepositoryFile {
  /** Repository-relative path. */
  path: string;
  /** The file's text. */
  content: string;
  /** What the file does to the loader. */
  description: string;
}

/**
 * The worst files the loader's limits allow, as a hostile but honest user could push them: each
 * is just under the file size limit and holds as many problems per byte as the limits allow.
 * For tests and `yarn bench:hostile`.
 *
 * - `environments/hostile-annotations.yaml`: Environments whose annotations are all numbers
 *   (each one a validation error, "must be a string"), every document just under the
 *   per-document value limit: the most validation and location work per byte.
 * - `hostile-documents.yaml`: one tiny document per line pair (`---` and `1`), each one a
 *   problem ("a resource must be a YAML mapping"): the most problems and documents per byte.
 *
 * @public
 */
export function hostileRepositoryFiles(
  options: { namespace?: string; limits?: YamlLimits } = {},
): HostileRepositoryFile[] {
  const namespace = options.namespace ?? 'acme';
  const limits = options.limits ?? DEFAULT_YAML_LIMITS;
  return [
    {
      path: `namespaces/${namespace}/platform/infra/environments/hostile-annotations.yaml`,
      content: numericAnnotationEnvironments(namespace, limits),
      description: 'Environments with only numeric annotations, each document just under the value limit',
    },
    {
      path: `namespaces/${namespace}/hostile-documents.yaml`,
      content: fillTo(limits.maxFileBytes, '---\n1\n'),
      description: 'one scalar document per 6 bytes',
    },
  ];
}

function numericAnnotationEnvironments(namespace: string, limits: YamlLimits): string {
  // Values of one document: the root, apiVersion, kind, metadata, name, namespace,
  // annotations, spec and isProduction, plus the annotations.
  const annotations = limits.maxNodesPerDocument - 9;
  const lines: string[] = [];
  for (let i = 0; i < annotations; i += 1) lines.push(`    a${i.toString(36)}: ${i % 10}\n`);
  const body = lines.join('');
  const documents: string[] = [];
  let size = 0;
  for (let n = 0; ; n += 1) {
    const document =
      `---\napiVersion: openchoreo.dev/v1alpha1\nkind: Environment\nmetadata:\n  name: hostile-${n}\n` +
      `  namespace: ${namespace}\n  annotations:\n${body}spec:\n  isProduction: false\n`;
    if (size + document.length > limits.maxFileBytes) {
      // Fill what is left with as much of one more document as fits.
      const room = limits.maxFileBytes - size;
      const head = `---\napiVersion: openchoreo.dev/v1alpha1\nkind: Environment\nmetadata:\n  name: hostile-${n}\n  namespace: ${namespace}\n  annotations:\n`;
      if (room > head.length + 40) {
        const fitting = body.slice(0, body.lastIndexOf('\n', room - head.length - 1) + 1);
        documents.push(`${head}${fitting}`);
      }
      break;
    }
    documents.push(document);
    size += document.length;
  }
  return documents.join('');
}

function fillTo(bytes: number, unit: string): string {
  return unit.repeat(Math.floor(bytes / unit.length));
}
