/** One line a container wrote, with the time the kubelet would stamp on it. @public */
export interface PodLogLine {
  time: Date;
  text: string;
}

/** Someone reading a container's log with `follow=true`: gets each new line, then the end. */
export interface LogFollower {
  line(line: PodLogLine): void;
  /** The container instance stopped (a restart) or the pod is gone: the stream ends. */
  end(): void;
}

/** One run of a container: what it wrote, and who follows it. */
class ContainerInstance {
  readonly lines: PodLogLine[] = [];
  readonly followers = new Set<LogFollower>();
  ended = false;

  constructor(private readonly maxLines: number) {}

  append(line: PodLogLine) {
    this.lines.push(line);
    // The kubelet rotates logs too; keeping the newest lines bounds a long sandbox session.
    if (this.lines.length > this.maxLines) this.lines.splice(0, this.lines.length - this.maxLines);
    for (const follower of [...this.followers]) follower.line(line);
  }

  end() {
    this.ended = true;
    for (const follower of [...this.followers]) follower.end();
    this.followers.clear();
  }
}

interface ContainerRuns {
  current: ContainerInstance;
  /** What `previous=true` reads: the instance before the last restart. */
  previous?: ContainerInstance;
}

const key = (namespace: string, pod: string) => `${namespace}/${pod}`;

/**
 * What the pods' containers wrote, for `GET .../pods/<name>/log`. No container runs in the test
 * server, so whoever plays the kubelet (a test, the sandbox) appends the lines; a restart starts
 * a new instance and keeps the last one for `previous=true`, as the kubelet does. A pod's logs go
 * with the pod: deleting it ends every follow of it.
 *
 * @public
 */
export class PodLogs {
  private readonly pods = new Map<string, Map<string, ContainerRuns>>();

  /**
   * @param podExists - whether the pod is stored now (lines for a pod that is gone are dropped)
   * @param maxLinesPerContainer - lines kept per container instance (default 10,000)
   */
  constructor(
    private readonly podExists: (namespace: string, pod: string) => boolean,
    private readonly maxLinesPerContainer = 10_000,
  ) {}

  /**
   * Writes a line (without its newline) to the current instance of a container. Returns false,
   * writing nothing, when no such pod exists (it was deleted meanwhile).
   */
  append(namespace: string, pod: string, container: string, text: string, time: Date = new Date()): boolean {
    if (!this.podExists(namespace, pod)) return false;
    for (const line of text.split('\n')) this.runs(namespace, pod, container).current.append({ time, text: line });
    return true;
  }

  /**
   * The container restarts: its current instance ends (a follow of it ends, as the kubelet's does
   * when a container exits) and becomes the one `previous=true` reads; a new, empty one starts.
   */
  restart(namespace: string, pod: string, container: string): boolean {
    if (!this.podExists(namespace, pod)) return false;
    const runs = this.runs(namespace, pod, container);
    runs.current.end();
    runs.previous = runs.current;
    runs.current = new ContainerInstance(this.maxLinesPerContainer);
    return true;
  }

  /** The lines of a container's current (or previous) instance, for tests. */
  lines(namespace: string, pod: string, container: string, options: { previous?: boolean } = {}): PodLogLine[] {
    const runs = this.pods.get(key(namespace, pod))?.get(container);
    return [...((options.previous ? runs?.previous : runs?.current)?.lines ?? [])];
  }

  /** Whether the container has an instance before its last restart. */
  hasPrevious(namespace: string, pod: string, container: string): boolean {
    return Boolean(this.pods.get(key(namespace, pod))?.get(container)?.previous);
  }

  /** Follows the current instance; returns how to stop following. */
  follow(namespace: string, pod: string, container: string, follower: LogFollower): () => void {
    const instance = this.runs(namespace, pod, container).current;
    instance.followers.add(follower);
    return () => instance.followers.delete(follower);
  }

  /** The pod was deleted: its follows end and its logs go. */
  podDeleted(namespace: string, pod: string) {
    const containers = this.pods.get(key(namespace, pod));
    this.pods.delete(key(namespace, pod));
    for (const runs of containers?.values() ?? []) runs.current.end();
  }

  /** Every follow ends (the server stops). */
  endAll() {
    for (const containers of this.pods.values()) {
      for (const runs of containers.values()) runs.current.end();
    }
  }

  private runs(namespace: string, pod: string, container: string): ContainerRuns {
    let containers = this.pods.get(key(namespace, pod));
    if (!containers) this.pods.set(key(namespace, pod), (containers = new Map()));
    let runs = containers.get(container);
    if (!runs) containers.set(container, (runs = { current: new ContainerInstance(this.maxLinesPerContainer) }));
    return runs;
  }
}
