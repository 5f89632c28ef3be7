/**
 * Kubernetes object names, as the API server checks them (RFC 1123). Every name that becomes a
 * file path, a Git ref or a Kubernetes object name in Cellplane goes through one of these, which
 * also rules out path traversal (`..`, `/`) by construction.
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** @public */
export type NameRule = 'dns-label' | 'dns-subdomain';

/**
 * Returns why `name` is not a valid Kubernetes name under `rule`, or undefined when it is.
 *
 * @public
 */
export function explainInvalidName(
  name: unknown,
  rule: NameRule = 'dns-label',
): string | undefined {
  if (typeof name !== 'string') {
    return 'must be a string';
  }
  const maxLength = rule === 'dns-label' ? 63 : 253;
  if (name.length === 0) {
    return 'must not be empty';
  }
  if (name.length > maxLength) {
    return `must be at most ${maxLength} characters (RFC 1123), got ${name.length}`;
  }
  const pattern = rule === 'dns-label' ? DNS_LABEL : DNS_SUBDOMAIN;
  if (!pattern.test(name)) {
    return rule === 'dns-label'
      ? `must be an RFC 1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit (got ${JSON.stringify(
          name,
        )})`
      : `must be an RFC 1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit (got ${JSON.stringify(
          name,
        )})`;
  }
  return undefined;
}

/** @public */
export function isValidName(name: unknown, rule: NameRule = 'dns-label'): name is string {
  return explainInvalidName(name, rule) === undefined;
}
