import type { PodLogs } from '@cellplane/kubernetes-test-server';

/** What the sandbox made of a container's image (sandboxImageOutcome's answer). */
type Outcome = 'ready' | 'crashloop' | 'oomkilled' | 'imagepull' | 'unschedulable';

interface RunningContainer {
  name: string;
  image: string;
  /** Declares a port: writes access-log lines; otherwise a worker's lines. */
  serves: boolean;
}

/** How often running sandbox containers write a line (each one about every other tick). */
const TICK_MS = 3000;
const PATHS = ['/', '/healthz', '/api/items', '/api/items/42', '/api/orders', '/metrics'];
const AGENTS = ['Mozilla/5.0 (X11; Linux x86_64)', 'kube-probe/1.33', 'curl/8.5.0', 'Go-http-client/1.1'];

/**
 * What sandbox containers write to their logs, through the test server's pod log store, so the
 * portal's Logs tab (and Backstage's Kubernetes tab) has something true to the pod to show: start-up
 * lines, then a plausible access-log line (or a worker's line) every few seconds while the pod
 * runs; a crash-looping container writes its crash, restarts, and crashes again, so `previous`
 * reads the crash before the last restart. One unref'd timer for every pod; stop() ends it.
 */
export class SandboxPodLogs {
  private readonly running = new Map<string, { namespace: string; pod: string; containers: RunningContainer[] }>();
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private sequence = 0;

  constructor(
    private readonly logs: PodLogs,
    private readonly options: { tickMs?: number; random?: () => number } = {},
  ) {}

  /** A pod's containers started (or failed to): what each one writes first. */
  started(namespace: string, pod: string, containers: Array<{ name: string; image?: string; ports?: unknown[] }>, outcomes: Outcome[]) {
    // A pod no node takes runs nothing.
    if (this.stopped || outcomes.includes('unschedulable')) return;
    const alive: RunningContainer[] = [];
    containers.forEach((container, i) => {
      const image = String(container.image ?? 'unknown');
      const serves = Array.isArray(container.ports) && container.ports.length > 0;
      const outcome = outcomes[i];
      if (outcome === 'imagepull') return; // never ran: no log
      const write = (line: string) => this.logs.append(namespace, pod, container.name, line);
      const startUp = () => {
        write(`starting ${image}`);
        write(serves ? `listening on :${portOf(container.ports)}` : 'worker started, waiting for jobs');
      };
      if (outcome === 'crashloop' || outcome === 'oomkilled') {
        // Two runs: the one before the last restart stays readable with previous=true.
        for (let run = 0; run < 2; run += 1) {
          if (run > 0) this.logs.restart(namespace, pod, container.name);
          startUp();
          write(
            outcome === 'crashloop'
              ? `panic: could not connect to a dependency: dial tcp 10.96.0.12:5432: connect: connection refused (sandbox: image tag "crashloop")`
              : `fatal error: runtime: out of memory (sandbox: image tag "oomkilled"; the kernel killed the process, exit code 137)`,
          );
        }
        return;
      }
      startUp();
      write('ready');
      alive.push({ name: container.name, image, serves });
    });
    if (alive.length) this.running.set(`${namespace}/${pod}`, { namespace, pod, containers: alive });
    this.ensureTimer();
  }

  /** The pod was deleted: nothing more to write (its lines went with it). */
  deleted(namespace: string, pod: string) {
    this.running.delete(`${namespace}/${pod}`);
  }

  stop() {
    this.stopped = true;
    clearInterval(this.timer);
    this.running.clear();
  }

  /** One tick: about half of the running containers write a line. */
  tick() {
    const random = this.options.random ?? Math.random;
    for (const [key, { namespace, pod, containers }] of this.running) {
      for (const container of containers) {
        if (random() < 0.5) continue;
        const line = container.serves ? this.accessLine(random) : `processed job ${++this.sequence} in ${Math.round(5 + random() * 200)}ms`;
        // false: the pod is gone (deleted between ticks).
        if (!this.logs.append(namespace, pod, container.name, line)) this.running.delete(key);
      }
    }
  }

  private accessLine(random: () => number): string {
    const path = PATHS[Math.floor(random() * PATHS.length)];
    const roll = random();
    const status = roll < 0.9 ? 200 : roll < 0.96 ? 404 : 500;
    const method = path.startsWith('/api/orders') && random() < 0.3 ? 'POST' : 'GET';
    const client = `10.244.0.${Math.floor(random() * 250) + 2}`;
    const agent = AGENTS[Math.floor(random() * AGENTS.length)];
    const ms = Math.round(2 + random() * (status === 500 ? 900 : 120));
    return `${client} - - "${method} ${path} HTTP/1.1" ${status} ${Math.round(random() * 4000)} "-" "${agent}" ${ms}ms`;
  }

  private ensureTimer() {
    if (this.timer || this.stopped || this.running.size === 0) return;
    this.timer = setInterval(() => this.tick(), this.options.tickMs ?? TICK_MS);
    // The sandbox's log lines never keep a process (a test, the backend at shutdown) alive.
    this.timer.unref();
  }
}

function portOf(ports: unknown): number {
  const first = Array.isArray(ports) ? (ports[0] as { containerPort?: number } | undefined) : undefined;
  return first?.containerPort ?? 8080;
}
