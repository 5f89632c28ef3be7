/**
 * Verified webhook ingress for pushes to the Cellplane GitOps repository.
 *
 * @packageDocumentation
 */
export {};
