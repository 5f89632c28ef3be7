/** https://, ssh:// and git:// URLs, and scp-like `user@host:path` addresses. */
const REMOTE_URL = /^(https?|ssh|git):\/\/|^[\w.-]+@[\w.-]+:/;

/**
 * Whether git reaches `url` over the network, rather than on this machine's disk (a path or a
 * file:// URL). The same rule as `readGitOpsConfig`'s `isLocal`.
 */
export function isRemoteGitUrl(url: string): boolean {
  return REMOTE_URL.test(url);
}
