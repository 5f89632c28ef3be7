import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Reading the logs and Kubernetes events of a component's pods. Apart from
 * `cellplane.status.read` because a log can say more than a status (request paths, user ids).
 *
 * @public
 */
export const cellplaneLogsReadPermission = createPermission({
  name: 'cellplane.logs.read',
  attributes: { action: 'read' },
});

/** @public */
export const cellplaneLogsPermissions = [cellplaneLogsReadPermission];

/** A container of a pod, as the logs view's picker shows it. @public */
export interface LogContainer {
  name: string;
  ready: boolean;
  restartCount: number;
  /** `running`, `waiting`, `terminated`, or `unknown` before the kubelet reported. */
  state: 'running' | 'waiting' | 'terminated' | 'unknown';
  /** Why it waits or terminated (CrashLoopBackOff, OOMKilled...). */
  reason?: string;
  /** It restarted at least once: `previous` reads the log of the instance before. */
  hasPrevious: boolean;
}

/** A pod of a component in an environment. @public */
export interface LogPod {
  name: string;
  /** The Kubernetes namespace (the project's cell in that environment). */
  namespace: string;
  phase: string;
  ready: boolean;
  createdAt?: string;
  containers: LogContainer[];
}

/** `GET /logs/:namespace/:component/:environment/pods`. @public */
export interface ComponentPods {
  namespace: string;
  component: string;
  environment: string;
  dataPlane: { name: string; sandbox: boolean };
  pods: LogPod[];
}

/** A Kubernetes Event about one of a component's objects. @public */
export interface ComponentEvent {
  /** The Event's uid (or name), stable across its updates. */
  id: string;
  type: string;
  reason: string;
  message: string;
  /** The object it is about (a Pod, a Deployment...). */
  object: { kind: string; name: string };
  count: number;
  /** When it last happened (ISO 8601). */
  lastSeen?: string;
}

/** `GET /events/:namespace/:component/:environment`: newest first. @public */
export interface ComponentEvents {
  items: ComponentEvent[];
}

/** One line of a container's log, with the kubelet's time when known. @public */
export interface LogLine {
  time?: string;
  text: string;
}

/** The `lines` event of the logs stream: lines one container wrote, in order. @public */
export interface LogLinesEvent {
  pod: string;
  container: string;
  lines: LogLine[];
}

/** The `log-error` event of the logs stream: what failed, naming the data plane; the stream ends. @public */
export interface LogStreamError {
  message: string;
  dataPlane?: string;
}

/** The `end` event: a followed container stopped (a restart) or its pod went; the stream ends. @public */
export interface LogStreamEnd {
  pod: string;
  container: string;
  reason: string;
}

/**
 * The Server-Sent Event names of `GET /logs/:namespace/:component/:environment`. The error event
 * is not called `error`, which a browser's EventSource reserves for a broken connection.
 *
 * @public
 */
export const LOG_STREAM_EVENTS = {
  /** `{ pods: [{ pod, container }] }`: which containers the stream reads. */
  ready: 'ready',
  lines: 'lines',
  /** A ComponentEvent, new or updated. */
  kubeEvent: 'kube-event',
  error: 'log-error',
  end: 'end',
} as const;
