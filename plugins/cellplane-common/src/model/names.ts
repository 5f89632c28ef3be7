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

const shown = (value: string) => JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** The longest Git branch name Cellplane writes or reads back (file systems' name limit). @public */
export const GIT_BRANCH_MAX_LENGTH = 255;

/**
 * Returns why `value` is not a Git branch name Cellplane may hand to git, or undefined when it
 * is: the rules of `git check-ref-format --branch`, and no leading '-' so that the name can never
 * be read as an option (`--upload-pack=...`).
 *
 * @public
 */
export function explainInvalidGitBranch(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (value.length === 0) return 'must not be empty';
  if (value.length > GIT_BRANCH_MAX_LENGTH) {
    return `must be a Git branch name of at most ${GIT_BRANCH_MAX_LENGTH} characters, got ${value.length}`;
  }
  const why = (rule: string) => `must be a Git branch name: ${rule} (got ${shown(value)})`;
  if (value.startsWith('-')) return why("it must not start with '-'");
  if (CONTROL_CHARACTERS.test(value) || /[ ~^:?*[\\]/.test(value)) {
    return why("no spaces, control characters or any of ~ ^ : ? * [ \\");
  }
  if (value.includes('..')) return why("no '..'");
  if (value.includes('@{') || value === '@') return why("no '@{' and not '@' alone");
  if (value.startsWith('/') || value.endsWith('/') || value.includes('//')) {
    return why("no empty path component (leading, trailing or double '/')");
  }
  if (value.endsWith('.')) return why("it must not end with '.'");
  for (const component of value.split('/')) {
    if (component.startsWith('.')) return why("no path component may start with '.'");
    if (component.endsWith('.lock')) return why("no path component may end with '.lock'");
  }
  return undefined;
}

/** Kinds an owner may be, as Backstage's catalog resolves `spec.owner`. @public */
export const OWNER_KINDS = ['group', 'user'] as const;

/**
 * Returns why `value` is not a Backstage owner reference (`group:default/team-a`, `user:ada`),
 * or undefined when it is. The parts follow the catalog's own rules (catalog-model's
 * `KubernetesValidatorFunctions`): the namespace an RFC 1123 label, the name at most 63 letters,
 * digits, '-', '_' and '.', starting and ending with a letter or digit.
 *
 * @public
 */
export function explainInvalidOwnerRef(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  const why = (rule: string) =>
    `must be a Backstage group or user reference like group:default/team-a: ${rule} (got ${shown(value)})`;
  const match = /^([^:/]+):(?:([^:/]+)\/)?([^:/]+)$/.exec(value);
  if (!match) return why("'<kind>:[<namespace>/]<name>'");
  const [, kind, namespace, name] = match;
  if (!OWNER_KINDS.includes(kind.toLocaleLowerCase('en-US') as (typeof OWNER_KINDS)[number])) {
    return why(`the kind must be group or user, not ${shown(kind)}`);
  }
  if (namespace !== undefined && !isValidName(namespace)) {
    return why(`the namespace ${explainInvalidName(namespace)}`);
  }
  if (name.length > 63 || !/^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/.test(name)) {
    return why("the name is at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
  }
  return undefined;
}

/** The longest endpoint base path Cellplane accepts. @public */
export const URL_PATH_MAX_LENGTH = 1024;

/**
 * Returns why `value` is not a URL path (an endpoint's `basePath`), or undefined when it is:
 * starts with '/', at most {@link URL_PATH_MAX_LENGTH} characters, no whitespace, control
 * characters, query or fragment, and no '.' or '..' segment.
 *
 * @public
 */
export function explainInvalidUrlPath(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (!value.startsWith('/')) return `must start with '/' (got ${shown(value)})`;
  if (value.length > URL_PATH_MAX_LENGTH) {
    return `must be a URL path of at most ${URL_PATH_MAX_LENGTH} characters, got ${value.length}`;
  }
  if (/[\s?#\\]/.test(value) || CONTROL_CHARACTERS.test(value)) {
    return `must be a URL path: no whitespace, control characters, '\\', '?' or '#' (got ${shown(value)})`;
  }
  if (value.split('/').some(segment => segment === '.' || segment === '..')) {
    return `must be a URL path without '.' or '..' segments (got ${shown(value)})`;
  }
  return undefined;
}

/**
 * Returns why `value` is not an environment variable name, or undefined when it is: letters,
 * digits, '_', '-' and '.', not starting with a digit, as the Kubernetes API server checks
 * container env names (before 1.30 relaxed them), at most 253 characters.
 *
 * @public
 */
export function explainInvalidEnvVarName(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (value.length === 0) return 'must not be empty';
  if (value.length > 253) return `must be an environment variable name of at most 253 characters, got ${value.length}`;
  if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(value)) {
    return `must be an environment variable name: letters, digits, '_', '-' and '.', not starting with a digit (got ${shown(value)})`;
  }
  return undefined;
}
