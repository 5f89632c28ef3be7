import { ServerResponse } from 'node:http';
import { KubeObject } from './ObjectStore';
import { PodLogLine, PodLogs } from './PodLogs';
import { ApiError, errors } from './status';

/** The query of `GET .../pods/<name>/log`, as the API server's PodLogOptions reads it. */
export interface PodLogOptions {
  container: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  sinceSeconds?: number;
  sinceTime?: Date;
  tailLines?: number;
  limitBytes?: number;
}

/** Go's strconv.ParseBool, which the API server's query decoding uses. */
function parseBool(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  if (value === null || value === '') return false;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  throw errors.badRequest(`${name}: Invalid value: "${value}": strconv.ParseBool: parsing "${value}": invalid syntax`);
}

function parseInteger(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  if (!/^-?\d+$/.test(value)) {
    throw errors.badRequest(`${name}: Invalid value: "${value}": strconv.ParseInt: parsing "${value}": invalid syntax`);
  }
  return Number(value);
}

/** PodLogOptions validation fails as the real server's does: 422 Invalid, naming the field. */
function invalid(pod: string, message: string) {
  return new ApiError(422, 'Invalid', `PodLogOptions "${pod}" is invalid: ${message}`, {
    name: pod,
    kind: 'PodLogOptions',
    causes: [{ reason: 'FieldValueInvalid', message, field: message.split(':')[0] }],
  });
}

/**
 * Reads and checks the log query of a pod: the container (required when the pod has several,
 * as the real server words it), the booleans, and the numbers PodLogOptions validation bounds.
 */
export function readPodLogOptions(pod: KubeObject & { spec?: any }, query: URLSearchParams): PodLogOptions {
  const name = pod.metadata.name!;
  const containers: string[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map(
    (c: { name: string }) => c.name,
  );
  let container = query.get('container') || undefined;
  if (container === undefined) {
    if (containers.length !== 1) {
      throw errors.badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`);
    }
    container = containers[0];
  } else if (!containers.includes(container)) {
    throw errors.badRequest(`container ${container} is not valid for pod ${name}`);
  }
  const options: PodLogOptions = {
    container,
    follow: parseBool(query, 'follow'),
    previous: parseBool(query, 'previous'),
    timestamps: parseBool(query, 'timestamps'),
    sinceSeconds: parseInteger(query, 'sinceSeconds'),
    tailLines: parseInteger(query, 'tailLines'),
    limitBytes: parseInteger(query, 'limitBytes'),
  };
  parseBool(query, 'pretty'); // accepted (the client sends it), nothing to prettify in text
  const sinceTime = query.get('sinceTime');
  if (sinceTime) {
    const time = new Date(sinceTime);
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(sinceTime) || Number.isNaN(time.getTime())) {
      throw errors.badRequest(`sinceTime: Invalid value: "${sinceTime}": parsing time "${sinceTime}" as RFC3339`);
    }
    options.sinceTime = time;
  }
  if (options.sinceSeconds !== undefined && options.sinceTime) {
    throw invalid(name, 'sinceTime: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified');
  }
  if (options.sinceSeconds !== undefined && options.sinceSeconds < 1) {
    throw invalid(name, `sinceSeconds: Invalid value: ${options.sinceSeconds}: must be greater than 0`);
  }
  if (options.tailLines !== undefined && options.tailLines < 0) {
    throw invalid(name, `tailLines: Invalid value: ${options.tailLines}: must be greater than or equal to 0`);
  }
  if (options.limitBytes !== undefined && options.limitBytes < 1) {
    throw invalid(name, `limitBytes: Invalid value: ${options.limitBytes}: must be greater than 0`);
  }
  return options;
}

/** The kubelet's timestamp: RFC 3339 with nine fraction digits. */
export function kubeletTimestamp(time: Date): string {
  return time.toISOString().replace(/Z$/, '000000Z');
}

/** The lines a non-follow read returns (and a follow starts with): since, then tail. */
export function selectLines(lines: PodLogLine[], options: PodLogOptions, now = Date.now()): PodLogLine[] {
  const since = options.sinceTime?.getTime() ?? (options.sinceSeconds !== undefined ? now - options.sinceSeconds * 1000 : undefined);
  let selected = since === undefined ? lines : lines.filter(line => line.time.getTime() >= since);
  if (options.tailLines !== undefined) selected = options.tailLines === 0 ? [] : selected.slice(-options.tailLines);
  return selected;
}

/**
 * Answers a pod log request: the selected lines as `text/plain`; with `follow`, a chunked stream
 * that goes on with each appended line and ends when the container instance ends (a restart) or
 * the pod is deleted; `limitBytes` cuts either (mid-line, as the real server does).
 */
export function servePodLog(
  res: ServerResponse,
  pod: KubeObject,
  options: PodLogOptions,
  logs: PodLogs,
  prelude: PodLogLine[],
) {
  const namespace = pod.metadata.namespace ?? '';
  const name = pod.metadata.name!;
  if (options.previous && !logs.hasPrevious(namespace, name, options.container)) {
    throw errors.badRequest(`previous terminated container "${options.container}" in pod "${name}" not found`);
  }
  const stored = logs.lines(namespace, name, options.container, { previous: options.previous });
  const lines = selectLines(options.previous ? stored : [...prelude, ...stored], options);
  let budget = options.limitBytes ?? Infinity;
  const format = (line: PodLogLine) => {
    const text = `${options.timestamps ? `${kubeletTimestamp(line.time)} ` : ''}${line.text}\n`;
    if (budget === Infinity) return text;
    const bytes = Buffer.from(text).subarray(0, budget);
    budget -= bytes.length;
    return bytes.toString('utf8');
  };
  const initial = lines.map(format).join('');
  if (!options.follow || options.previous || budget <= 0) {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(initial) });
    res.end(initial);
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
  if (initial) res.write(initial);
  const stop = logs.follow(namespace, name, options.container, {
    line: line => {
      res.write(format(line));
      if (budget <= 0) finish();
    },
    end: () => finish(),
  });
  function finish() {
    stop();
    if (!res.writableEnded) res.end();
  }
  res.on('close', stop);
}
