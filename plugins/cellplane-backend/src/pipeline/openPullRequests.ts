import { PipelinePullRequest } from '@cellplane/backstage-plugin-common';
import type { PromotionPullRequest } from './listOpenPromotionPullRequests';

/**
 * Lists the open promotion and rollback pull requests of a component: cellplane-node's
 * `listOpenPromotionPullRequests`, bound to the backend's SCM integrations and repository.
 *
 * @public
 */
export type PromotionPullRequestLister = (query: { namespace: string; component: string }) => Promise<PromotionPullRequest[]>;

/** A host's answer is kept this long: every pipeline view would otherwise ask GitHub or GitLab again. */
export const PULL_REQUESTS_TTL_MS = 15_000;

/** The open pull requests by the environment they would change, as the pipeline shows them. */
export function pullRequestsByEnvironment(pulls: PromotionPullRequest[]): Map<string, PipelinePullRequest[]> {
  const byEnvironment = new Map<string, PipelinePullRequest[]>();
  for (const pull of pulls) {
    const shown: PipelinePullRequest = {
      action: pull.action,
      url: pull.url,
      number: pull.number,
      title: pull.title,
      ...(pull.author ? { author: pull.author } : {}),
      reviewers: pull.reviewers,
      ...(pull.createdAt ? { createdAt: pull.createdAt } : {}),
    };
    byEnvironment.set(pull.environment, [...(byEnvironment.get(pull.environment) ?? []), shown]);
  }
  return byEnvironment;
}

/**
 * The lister with a short cache per component, shared by concurrent views; a failure is not
 * kept, so the next view asks again, and `fresh` asks again at once (a view that has just
 * opened or seen a pull request merged).
 */
export function cachedPullRequests(list: PromotionPullRequestLister, now: () => number = Date.now) {
  const cache = new Map<string, { at: number; pulls: Promise<PromotionPullRequest[]> }>();
  return (namespace: string, component: string, fresh = false): Promise<PromotionPullRequest[]> => {
    const key = `${namespace}/${component}`;
    const hit = cache.get(key);
    if (hit && !fresh && now() - hit.at < PULL_REQUESTS_TTL_MS) return hit.pulls;
    const pulls = list({ namespace, component });
    cache.set(key, { at: now(), pulls });
    pulls.catch(() => cache.get(key)?.pulls === pulls && cache.delete(key));
    if (cache.size > 500) cache.delete(cache.keys().next().value!);
    return pulls;
  };
}
