import { createHash } from 'node:crypto';

/**
 * OpenChoreo's naming helpers (`internal/dataplane/kubernetes/name.go`,
 * `internal/template/custom_functions.go`), reproduced exactly so names rendered by Cellplane
 * match the ones OpenChoreo's controllers would create.
 */

/** Kubernetes resource names may be DNS subdomains (253); labels and namespaces 63. */
export const MAX_RESOURCE_NAME_LENGTH = 253;
/** Labels and namespaces: 63 (RFC 1123 labels). */
export const MAX_LABEL_NAME_LENGTH = 63;

function sanitizePart(part: string): string {
  // Lower-case; anything that is not a letter, digit, '-' or '.' becomes '-'; trim '-' and '.'.
  const lowered = part.toLowerCase().replace(/[^\p{L}\p{N}.-]/gu, '-');
  return lowered.replace(/^[-.]+/, '').replace(/[-.]+$/, '');
}

/** First 8 hex characters of the SHA-256 of `text`. */
export function sha256Hex8(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/**
 * `GenerateK8sNameWithLengthLimit(limit, parts...)`: sanitised parts joined with '-', each
 * truncated to an equal share of the room left by the 8-character hash of the ORIGINAL parts.
 */
export function generateKubernetesName(limit: number, ...parts: string[]): string {
  return generateName(limit, parts, parts.join('-'));
}

const nameCache = new Map<string, string>();

function generateName(limit: number, parts: string[], hashInput: string): string {
  const key = `${limit}\u0000${hashInput}\u0000${parts.join('\u0000')}`;
  let name = nameCache.get(key);
  if (name === undefined) {
    name = computeName(limit, parts, hashInput);
    // Bounded: names repeat across renders (same components), but never grow without limit.
    if (nameCache.size > 200000) nameCache.clear();
    nameCache.set(key, name);
  }
  return name;
}

function computeName(limit: number, parts: string[], hashInput: string): string {
  if (parts.length === 0) {
    throw new Error('a generated name needs at least one part');
  }
  const hash = sha256Hex8(hashInput);
  const n = parts.length;
  const maxBase = limit - 8 - (n - 1) - 1;
  const share = Math.floor(maxBase / n);
  let remainder = maxBase % n;
  const sanitised = parts.map(part => {
    let room = share;
    if (remainder > 0) {
      room += 1;
      remainder -= 1;
    }
    const clean = sanitizePart(part);
    // Go slices bytes; the parts OpenChoreo names are ASCII after sanitising in practice.
    return clean.length > room ? clean.slice(0, room) : clean;
  });
  return `${sanitised.join('-')}-${hash}`.replace(/^[^a-z0-9]+/, '').replace(/[^a-z0-9]+$/, '');
}

/** `GenerateK8sName(parts...)` with the resource-name limit (253). */
export function generateResourceName(...parts: string[]): string {
  return generateKubernetesName(MAX_RESOURCE_NAME_LENGTH, ...parts);
}

/**
 * `GenerateK8sNameWithExtraHashInput(limit, extra, parts...)`: the same visible name as
 * {@link generateKubernetesName}, but `extra` joins the hashed text (`<parts joined by '-'>-<extra>`,
 * nothing added when it is empty) without appearing in the name. OpenChoreo names secret objects
 * this way so that a changed secret reference yields a new object (and rolls the pods);
 * `internal/dataplane/kubernetes/name.go`.
 */
export function generateKubernetesNameWithExtraHashInput(limit: number, extra: string, ...parts: string[]): string {
  const joined = parts.join('-');
  return generateName(limit, parts, extra ? `${joined}-${extra}` : joined);
}

/** One secret reference of a workload, as OpenChoreo's context carries it. */
export interface RemoteReference {
  key: string;
  property?: string;
  version?: string;
}

/**
 * `remoteRefContentHash` (`internal/pipeline/component/context/derived.go`): FNV-1a 32 of
 * `key NUL property NUL version` (absent parts empty), 8 hex digits.
 */
export function remoteRefContentHash(ref: RemoteReference | undefined): string {
  if (!ref) return '';
  return fnv1a32Hex(`${ref.key}\u0000${ref.property ?? ''}\u0000${ref.version ?? ''}`);
}

/**
 * `secretEnvsContentHash` (same file): FNV-1a 32 over `name NUL key NUL property NUL version NUL`
 * of every secret env var in order (those without a reference skipped); empty for no env vars.
 */
export function secretEnvsContentHash(envs: Array<{ name: string; remoteRef?: RemoteReference }>): string {
  if (envs.length === 0) return '';
  let text = '';
  for (const { name, remoteRef } of envs) {
    if (!remoteRef) continue;
    text += `${name}\u0000${remoteRef.key}\u0000${remoteRef.property ?? ''}\u0000${remoteRef.version ?? ''}\u0000`;
  }
  return fnv1a32Hex(text);
}

/** FNV-1a 32-bit, as 8 lowercase hex characters (`oc_hash`). */
export function fnv1a32Hex(text: string): string {
  let hash = 0x811c9dc5;
  const bytes = Buffer.from(text, 'utf8');
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * The data-plane namespace of one project in one environment, by OpenChoreo's rule
 * `GenerateK8sNameWithLengthLimit(63, "dp", <namespace>, <project>, <environment>)`,
 * e.g. `dp-acme-payments-development-1a2b3c4d`.
 */
export function kubernetesNamespaceFor(namespace: string, project: string, environment: string): string {
  return generateKubernetesName(MAX_LABEL_NAME_LENGTH, 'dp', namespace, project, environment);
}
