import { InputError } from '@backstage/errors';
import { RepositoryModel } from '@cellplane/backstage-plugin-node';

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

/**
 * Checks environment variables: names, exactly one of value and secretRef, and that a secretRef
 * names an existing SecretReference and one of its keys, so secrets reach Git only as references.
 */
export function toEnvVars(model: RepositoryModel, namespace: string, field: string, input: EnvInput[] | undefined) {
  return (input ?? []).map((variable, index) => {
    const at = `${field}[${index}]`;
    if (!ENV_NAME.test(variable?.key ?? '')) {
      throw new InputError(`${at}.key must be an environment variable name (got ${JSON.stringify(variable?.key)})`);
    }
    if ((variable.value === undefined) === (variable.secretRef === undefined)) {
      throw new InputError(`${at}: give exactly one of value and secretRef`);
    }
    if (variable.secretRef) {
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
