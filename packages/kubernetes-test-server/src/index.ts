/**
 * A Kubernetes API server for tests, benchmarks and the sandbox data plane:
 * the same @kubernetes/client-node code that talks to kind, k3d or a real
 * cluster talks to it unchanged.
 *
 * @packageDocumentation
 */

export { KubernetesTestServer } from './KubernetesTestServer';
export { TestServerObjects } from './TestServerObjects';
export { PodLogs } from './PodLogs';
export type { PodLogLine } from './PodLogs';
export type { KubernetesTestServerOptions } from './KubernetesTestServer';
export { FaultInjector } from './faults';
export type { InjectedFailure } from './faults';
export { RequestLog, requestMatches } from './requests';
export type { RequestInfo, RequestMatcher } from './requests';
export type { AccessRule, TokenGrant } from './auth';
export { createKubeConfig } from './kubeConfig';
export type { KubeConfigOptions } from './kubeConfig';
export type { KubeObject, WatchEventType } from './ObjectStore';
export type { StatusObject } from './status';
export {
  apiVersionOf,
  argoCdResourceTypes,
  builtinResourceTypes,
  defaultResourceTypes,
  fluxResourceTypes,
  gatewayApiResourceTypes,
  openChoreoResourceTypes,
} from './resourceTypes';
export type { ResourceType, ScaleSubresource } from './resourceTypes';
export type { TlsCertificate } from './tls';
