import { KubeConfig } from '@kubernetes/client-node';
import http, { IncomingMessage } from 'node:http';
import https from 'node:https';

/** The PodLogOptions a log view asks for. */
export interface PodLogRequest {
  namespace: string;
  pod: string;
  container: string;
  follow: boolean;
  previous: boolean;
  sinceSeconds?: number;
  tailLines?: number;
}

/** The API server refused a log request (or could not be reached): its Status message. */
export class PodLogError extends Error {
  constructor(
    message: string,
    readonly code?: number,
  ) {
    super(message);
    this.name = 'PodLogError';
  }
}

/**
 * `GET /api/v1/namespaces/<ns>/pods/<pod>/log` with the data plane's KubeConfig (the credentials
 * status watches with), timestamps on. Resolves with the response stream once the API server
 * answered 200.
 *
 * Not client-node's `Log` class, though it sends the same request: `Log` pipes the response into
 * a writable and drops what a log view must show. A connection that breaks mid-follow never
 * reaches the writable (neither an error nor an end), and a refusal loses the Status message
 * ("previous terminated container ... not found") for a bare "Error occurred in log request".
 */
export async function openPodLog(kubeConfig: KubeConfig, request: PodLogRequest): Promise<IncomingMessage> {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new PodLogError('the data plane has no current cluster in its kubeconfig');
  const url = new URL(
    `${cluster.server.replace(/\/$/, '')}/api/v1/namespaces/${encodeURIComponent(request.namespace)}/pods/${encodeURIComponent(
      request.pod,
    )}/log`,
  );
  url.searchParams.set('container', request.container);
  url.searchParams.set('timestamps', 'true');
  if (request.follow) url.searchParams.set('follow', 'true');
  if (request.previous) url.searchParams.set('previous', 'true');
  if (request.sinceSeconds !== undefined) url.searchParams.set('sinceSeconds', String(request.sinceSeconds));
  if (request.tailLines !== undefined) url.searchParams.set('tailLines', String(request.tailLines));
  const options: https.RequestOptions = {};
  await kubeConfig.applyToHTTPSOptions(options);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, { ...options, method: 'GET', headers: { ...options.headers, accept: 'text/plain, */*' } }, res => {
      if (res.statusCode === 200) {
        resolve(res);
        return;
      }
      let body = '';
      res.setEncoding('utf8');
      res.on('data', chunk => {
        if (body.length < 4096) body += chunk;
      });
      res.on('end', () => reject(new PodLogError(statusMessage(res.statusCode, body), res.statusCode)));
      res.on('error', error => reject(new PodLogError(error.message, res.statusCode)));
    });
    req.on('error', error => reject(new PodLogError(error.message)));
    req.end();
  });
}

/** The message of a Kubernetes Status body, else the status code. */
function statusMessage(code: number | undefined, body: string): string {
  try {
    const status = JSON.parse(body);
    if (typeof status?.message === 'string') return `HTTP ${code}: ${status.message}`;
  } catch {
    // not a Status object: say what came back
  }
  return `HTTP ${code}${body ? `: ${body.slice(0, 200)}` : ''}`;
}

/** Splits `<RFC 3339 time> <text>` as the kubelet writes lines with `timestamps=true`. */
export function splitTimestamp(line: string): { time?: string; text: string } {
  const space = line.indexOf(' ');
  if (space > 0 && /^\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)$/.test(line.slice(0, space))) {
    return { time: line.slice(0, space), text: line.slice(space + 1) };
  }
  return { text: line };
}
