/**
 * Verified webhook ingress for pushes to the Cellplane GitOps repository: GitHub signatures,
 * GitLab tokens and a shared secret for the repository's own post-receive hook.
 *
 * @packageDocumentation
 */
export { eventsModuleCellplaneWebhooks as default } from './module';
