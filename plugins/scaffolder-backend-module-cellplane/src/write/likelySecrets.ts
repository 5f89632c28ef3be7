import { InputError } from '@backstage/errors';
import { gitOpsLayout } from '@cellplane/backstage-plugin-node';
// secretlint is ESM-only: Node 22 loads it through require(esm), and backstage-cli's Jest
// transforms it; a dynamic import() would need --experimental-vm-modules under Jest.
import { lintSource } from '@secretlint/core';
import { creator as recommendedRules } from '@secretlint/secretlint-rule-preset-recommend';
import yaml from 'js-yaml';
import { EffectiveChange } from './diff';

/** A value a change writes that secretlint's recommended rules take for a secret. */
export interface LikelySecret {
  /** The repository file. */
  file: string;
  /** The field in that file, e.g. `spec.container.env[0].value (GITHUB_TOKEN)`: an env var or file names its key. */
  field: string;
  /** What it looks like, in secretlint's words (e.g. `GITHUB_TOKEN`), and the rule that says so. */
  looksLike: string;
  rule: string;
  /** The value itself: for masking only, never to be shown. */
  value: string;
}

const SECRETLINT_CONFIG = {
  rules: [
    {
      id: '@secretlint/secretlint-rule-preset-recommend',
      rule: recommendedRules,
      // An AWS access key id alone is reported too: it names the key pair the secret belongs to.
      rules: [{ id: '@secretlint/secretlint-rule-aws', options: { enableIDScanRule: true } }],
    },
  ],
};

/** Where one string value of a document sits in the text secretlint reads. */
interface Segment {
  field: string;
  value: string;
  start: number;
  end: number;
}

/**
 * The likely secrets among the values a change writes into model files (the specs a person
 * reads and edits: `rendered/` copies them, and a ComponentRelease snapshots the Component and
 * Workload written beside it, so neither is scanned again). A value the file already held is
 * not the change's doing and is not reported.
 *
 * Each string value is shown to secretlint on its own line as `name: value`, and an
 * environment variable or file (`{key, value}`) as `KEY=value`, so that rules that look at the
 * name (`AWS_SECRET_ACCESS_KEY=…`) see it, and every finding maps back to one field.
 */
export async function findLikelySecrets(changes: EffectiveChange[]): Promise<LikelySecret[]> {
  const found: LikelySecret[] = [];
  for (const change of changes) {
    if (change.content === null || !gitOpsLayout.isModelFile(change.path)) continue;
    const known = new Set(stringValues(documentsOf(change.before)).map(s => s.value));
    const documents = documentsOf(change.content.toString());
    const fields = documents.flatMap((document, index) =>
      (document as { kind?: unknown } | null)?.kind === 'ComponentRelease'
        ? []
        : stringValues([document]).map(s => ({ ...s, field: documents.length > 1 ? `[${index}].${s.field}` : s.field })),
    );
    const fresh = fields.filter(s => !known.has(s.value));
    if (fresh.length === 0) continue;

    let text = '';
    const segments: Segment[] = [];
    for (const { field, label, value } of fresh) {
      const line = `${label}${value}`;
      segments.push({ field, value, start: text.length, end: text.length + line.length });
      text += `${line}\n\n`;
    }
    const result = await lintSource({
      source: { content: text, filePath: `/${change.path}`, contentType: 'text' },
      options: { config: SECRETLINT_CONFIG as any, maskSecrets: true, noPhysicFilePath: true },
    });
    for (const message of result.messages) {
      const segment = segments.find(s => message.range[0] >= s.start && message.range[0] < s.end);
      if (!segment) continue;
      if (found.some(f => f.file === change.path && f.field === segment.field && f.rule === message.ruleId)) continue;
      found.push({
        file: change.path,
        field: segment.field,
        looksLike: message.messageId,
        rule: message.ruleId,
        value: segment.value,
      });
    }
  }
  return found;
}

/**
 * Refuses a change that writes likely secrets, naming each file and field (never the value)
 * and saying where secrets belong instead.
 */
export function refuseLikelySecrets(found: LikelySecret[]): void {
  if (found.length === 0) return;
  const list = found.map(f => `${f.file}: ${f.field} looks like ${f.looksLike} (${f.rule.replace('@secretlint/secretlint-rule-', 'secretlint ')})`);
  throw new InputError(
    // Worded without the word "value": the scaffolder redacts the input keys of secret-fed
    // fields, `value` included, from the messages it shows.
    `the change would write ${found.length === 1 ? 'something that looks like a secret' : `${found.length} things that look like secrets`} to Git, where everyone who can read the repository reads it: ${list.join('; ')}. ` +
      'Keep secrets in your secret store and refer to them through a SecretReference (an environment variable takes secretRef: {name, key}; ' +
      'SecretReferences live under namespaces/<namespace>/platform/secret-references/). ' +
      'If it is not a secret, run again with allowLikelySecrets: true.',
  );
}

/** `text` with every likely secret's value replaced by asterisks, for output that shows content. */
export function maskLikelySecrets(text: string, found: LikelySecret[]): string {
  let masked = text;
  for (const value of [...new Set(found.map(f => f.value))].sort((a, b) => b.length - a.length)) {
    masked = masked.split(value).join('****');
    // a multi-line value (a private key) reaches YAML as an indented block, line by line
    if (value.includes('\n')) {
      for (const line of value.split('\n').filter(l => l.trim().length > 8)) masked = masked.split(line.trim()).join('****');
    }
  }
  return masked;
}

/** Every string value of some documents with its field path and the label secretlint sees. */
function stringValues(documents: unknown[]): Array<{ field: string; label: string; value: string }> {
  const out: Array<{ field: string; label: string; value: string }> = [];
  const walk = (node: unknown, path: string, name: string) => {
    if (typeof node === 'string') {
      out.push({ field: path, label: `${name}: `, value: node });
    } else if (Array.isArray(node)) {
      node.forEach((item, index) => walk(item, `${path}[${index}]`, name));
    } else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      // An environment variable or mounted file: {key: NAME, value: ...} reads as NAME=...
      const keyed = typeof record.key === 'string' && typeof record.value === 'string';
      for (const [key, value] of Object.entries(record)) {
        const field = path ? `${path}.${key}` : key;
        if (keyed && key === 'value') out.push({ field: `${field} (${record.key})`, label: `${record.key}=`, value: value as string });
        else walk(value, field, key);
      }
    }
  };
  documents.forEach(document => walk(document, '', ''));
  return out;
}

function documentsOf(content: string | undefined): unknown[] {
  if (!content) return [];
  try {
    return yaml.loadAll(content);
  } catch {
    return [];
  }
}
