/** Git commits and release hashes are shown short, as `git log --oneline` does. */
export const shortCommit = (commit?: string) => (commit ? commit.slice(0, 7) : undefined);
