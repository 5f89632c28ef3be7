import { InputError } from '@backstage/errors';
import { Workload } from '@cellplane/backstage-plugin-common';
import { RepositoryModel } from '@cellplane/backstage-plugin-node';
import { requireName } from './validate';

/** An environment variable as a form gives it: a plain value, or a key of a SecretReference. */
export interface EnvInput {
  key: string;
  value?: string;
  secretRef?: { name: string; key: string };
}

export const envInputSchema = (z: any) =>
  z
    .array(
      z.object({
        key: z.string(),
        value: z.string().optional(),
        secretRef: z
          .object({ name: z.string(), key: z.string() })
          .optional()
          .describe('A key of a SecretReference: the value stays in the secret store, never in Git'),
      }),
    )
    .optional();

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const ENV_NAME_MAX_LENGTH = 253;
/** A bigger value belongs in a file or a secret store; it would also bloat every release snapshot. */
const ENV_VALUE_MAX_LENGTH = 65536;

/**
 * Checks environment variables: names, each once, exactly one of value and secretRef, and that a
 * secretRef names an existing SecretReference and one of its keys, so secrets reach Git only as
 * references.
 */
export function toEnvVars(model: RepositoryModel, namespace: string, field: string, input: EnvInput[] | undefined) {
  const seen = new Map<string, number>();
  return (input ?? []).map((variable, index) => {
    const at = `${field}[${index}]`;
    const key = variable?.key;
    if (typeof key !== 'string' || key.length > ENV_NAME_MAX_LENGTH || !ENV_NAME.test(key)) {
      throw new InputError(
        `${at}.key must be an environment variable name: letters, digits, '_', '.' and '-', not starting with a digit, at most ${ENV_NAME_MAX_LENGTH} characters (got ${JSON.stringify(typeof key === 'string' && key.length > 60 ? `${key.slice(0, 57)}...` : key)})`,
      );
    }
    // Two values for one name would leave the container with whichever came last.
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new InputError(`${at}.key: ${key} is already set by ${field}[${earlier}]; give each variable once`);
    }
    seen.set(key, index);
    if ((variable.value === undefined) === (variable.secretRef === undefined)) {
      throw new InputError(`${at}: give exactly one of value and secretRef`);
    }
    if (variable.value !== undefined && (typeof variable.value !== 'string' || variable.value.length > ENV_VALUE_MAX_LENGTH)) {
      throw new InputError(`${at}.value must be a string of at most ${ENV_VALUE_MAX_LENGTH} characters; put larger content in a file or a secret`);
    }
    if (variable.secretRef) {
      requireName(`${at}.secretRef.name`, variable.secretRef.name, 'dns-subdomain');
      const secret = model.get('SecretReference', variable.secretRef.name, namespace);
      if (!secret) {
        throw new InputError(`${at}.secretRef.name: SecretReference ${JSON.stringify(variable.secretRef.name)} does not exist in namespace ${namespace}`);
      }
      const keys = ((secret.resource.spec as any).data ?? []).map((d: { secretKey: string }) => d.secretKey);
      if (!keys.includes(variable.secretRef.key)) {
        throw new InputError(`${at}.secretRef.key: SecretReference ${variable.secretRef.name} has no key ${JSON.stringify(variable.secretRef.key)} (it has: ${keys.join(', ') || 'none'})`);
      }
      return { key: variable.key, valueFrom: { secretKeyRef: { name: variable.secretRef.name, key: variable.secretRef.key } } };
    }
    return { key: variable.key, value: variable.value! };
  });
}

/** Where each environment variable of a workload's container comes from, by name. */
function envNamesInUse(workload: Workload): Map<string, string> {
  const used = new Map<string, string>();
  (workload.spec.container.env ?? []).forEach(e => used.set(e.key, 'the container env'));
  for (const dependency of workload.spec.dependencies?.endpoints ?? []) {
    for (const name of Object.values(dependency.envBindings ?? {})) {
      if (name) used.set(name, `the dependency on ${dependency.component}/${dependency.name}`);
    }
  }
  for (const dependency of workload.spec.dependencies?.resources ?? []) {
    for (const name of Object.values(dependency.envBindings ?? {})) {
      used.set(name, `the resource ${dependency.ref}`);
    }
  }
  return used;
}

/**
 * Checks the environment variables a dependency binds (`{ address: 'PAYMENTS_URL' }`): names,
 * each once, and none the container already gets from elsewhere, which would leave it with one
 * of two values.
 */
export function requireFreeEnvBindings(field: string, bindings: Record<string, unknown>, workload: Workload): void {
  const used = envNamesInUse(workload);
  const here = new Map<string, string>();
  for (const [key, name] of Object.entries(bindings)) {
    if (typeof name !== 'string' || name.length > ENV_NAME_MAX_LENGTH || !ENV_NAME.test(name)) {
      throw new InputError(`${field}.${key} must be an environment variable name (got ${JSON.stringify(name)})`);
    }
    const where = here.get(name) ?? used.get(name);
    if (where) {
      throw new InputError(`${field}.${key}: ${name} is already set by ${where}; choose another variable name`);
    }
    here.set(name, `${field}.${key}`);
  }
}
