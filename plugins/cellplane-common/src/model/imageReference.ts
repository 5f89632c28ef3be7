/**
 * Container image references, checked against the grammar Docker, containerd and every OCI
 * registry client parse them with (github.com/distribution/reference, `reference.go`):
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [ domain "/" ] path-component [ "/" path-component ]*
 *   domain    := host [ ":" port ]        (a first component is a host when it has '.' or ':', or is localhost)
 *   path-component := [a-z0-9]+ ( ( [._] | "__" | "-"+ ) [a-z0-9]+ )*
 *   tag       := [\w][\w.-]{0,127}
 *   digest    := algorithm ":" hex        (sha256: 64, sha384: 96, sha512: 128 lowercase hex digits)
 *
 * and the name is at most 255 characters. An image a Deployment cannot pull (spaces, a shell
 * command, `x:`, an uppercase path) is refused here rather than discovered as ImagePullBackOff.
 *
 * Written out rather than taken from npm: the parsers there are either unmaintained ports of the
 * Go package, need a native module (re2, which cannot run in the browser this package also
 * serves), or only split a string without validating it; the grammar itself is small and fixed.
 */

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_NAME = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*`;
const IPV6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const DOMAIN = new RegExp(`^(?:${DOMAIN_NAME}|${IPV6})(?::[0-9]+)?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST_ALGORITHM = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*$/;
const DIGEST_HEX_LENGTHS: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

/** The longest name (registry and repository path) distribution accepts. @public */
export const IMAGE_NAME_MAX_LENGTH = 255;
// Name, ':' and a 128-character tag, '@' and a sha512 digest: anything longer is refused before parsing.
const REFERENCE_MAX_LENGTH = IMAGE_NAME_MAX_LENGTH + 1 + 128 + 1 + 7 + 128;

/** The parts of a container image reference. @public */
export interface ImageReference {
  /** The registry host (and port), when the reference names one; Docker Hub otherwise. */
  domain?: string;
  /** The repository path, e.g. `acme/orders`. */
  path: string;
  tag?: string;
  digest?: string;
}

/**
 * Parses `value` as a container image reference; returns why it is not one as `problem`.
 *
 * @public
 */
export function parseImageReference(value: unknown): { reference?: ImageReference; problem?: string } {
  if (typeof value !== 'string') {
    return { problem: 'must be a string' };
  }
  if (value.length === 0) {
    return { problem: 'must not be empty' };
  }
  const shown = JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value.length > REFERENCE_MAX_LENGTH) {
    return { problem: `must be a container image reference of at most ${REFERENCE_MAX_LENGTH} characters, got ${value.length}` };
  }
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(value)) {
    return { problem: `must be a container image reference without spaces or control characters (got ${shown})` };
  }

  let rest = value;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    const problem = explainInvalidDigest(digest);
    if (problem) return { problem: `${problem} (got ${shown})` };
  }
  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(':');
  // A colon after the last '/' starts the tag; one before it belongs to the registry's port.
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG.test(tag)) {
      return {
        problem: `has an invalid tag ${JSON.stringify(tag)}: a tag is 1-128 letters, digits, '_', '.' and '-', not starting with '.' or '-' (got ${shown})`,
      };
    }
  }
  if (rest.length === 0) {
    return { problem: `must name a repository (got ${shown})` };
  }
  if (rest.length > IMAGE_NAME_MAX_LENGTH) {
    return { problem: `has a repository name of ${rest.length} characters; at most ${IMAGE_NAME_MAX_LENGTH} are allowed` };
  }
  const components = rest.split('/');
  let domain: string | undefined;
  if (components.length > 1 && isDomain(components[0])) {
    domain = components.shift()!;
    if (!DOMAIN.test(domain)) {
      return { problem: `has an invalid registry host ${JSON.stringify(domain)} (got ${shown})` };
    }
  }
  for (const component of components) {
    if (!PATH_COMPONENT.test(component)) {
      return {
        problem: `has an invalid repository path component ${JSON.stringify(component)}: lowercase letters and digits, separated by '.', '_', '__' or '-' (got ${shown})`,
      };
    }
  }
  return {
    reference: {
      ...(domain ? { domain } : {}),
      path: components.join('/'),
      ...(tag !== undefined ? { tag } : {}),
      ...(digest !== undefined ? { digest } : {}),
    },
  };
}

/**
 * Returns why `value` is not a valid container image reference, or undefined when it is.
 *
 * @public
 */
export function explainInvalidImageReference(value: unknown): string | undefined {
  return parseImageReference(value).problem;
}

/** @public */
export function isValidImageReference(value: unknown): value is string {
  return explainInvalidImageReference(value) === undefined;
}

function isDomain(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost';
}

function explainInvalidDigest(digest: string): string | undefined {
  const colon = digest.indexOf(':');
  const algorithm = colon >= 0 ? digest.slice(0, colon) : '';
  const hex = colon >= 0 ? digest.slice(colon + 1) : '';
  if (!DIGEST_ALGORITHM.test(algorithm)) {
    return "has an invalid digest: write it as '<algorithm>:<hex>', e.g. sha256:<64 hex digits>";
  }
  const length = DIGEST_HEX_LENGTHS[algorithm];
  if (length === undefined) {
    return `has a digest with the unsupported algorithm ${JSON.stringify(algorithm)}: use sha256, sha384 or sha512`;
  }
  if (hex.length !== length || !/^[a-f0-9]+$/.test(hex)) {
    return `has an invalid ${algorithm} digest: it must be ${length} lowercase hex digits`;
  }
  return undefined;
}
