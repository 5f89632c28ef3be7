import { RequestInfo, RequestMatcher, requestMatches } from './requests';
import { ApiError } from './status';

/** The server internals fault injection reaches into. */
export interface FaultTargets {
  dropWatches(): number;
  expireWatches(): number;
  compact(): void;
  stopListening(): Promise<void>;
  startListening(): Promise<void>;
}

/** @public */
export interface InjectedFailure {
  /** HTTP status; default 500. */
  status?: number;
  /** Only requests matching this fail; default all. */
  match?: RequestMatcher;
  /** The Status message; default "injected fault". */
  message?: string;
}

interface ActiveFailure {
  remaining: number;
  status: number;
  message: string;
  match?: RequestMatcher;
}

const reasons: Record<number, string> = {
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/**
 * Fault injection: what a flaky network or a struggling API server does to
 * a client. Every method takes effect immediately; `reset()` undoes all.
 *
 * @public
 */
export class FaultInjector {
  private failures: ActiveFailure[] = [];
  private latencies: Array<{ ms: number; match?: RequestMatcher }> = [];
  private refusing = false;

  /** @internal */
  constructor(private readonly targets: FaultTargets) {}

  /** Fail the next `count` matching requests with a Status (500 InternalError by default). */
  failNextRequests(count: number, failure: InjectedFailure = {}) {
    this.failures.push({
      remaining: count,
      status: failure.status ?? 500,
      message: failure.message ?? 'injected fault',
      match: failure.match,
    });
  }

  /** Fail every matching request until the returned function is called (or `reset()`). */
  failRequests(failure: InjectedFailure = {}): () => void {
    const active: ActiveFailure = {
      remaining: Infinity,
      status: failure.status ?? 500,
      message: failure.message ?? 'injected fault',
      match: failure.match,
    };
    this.failures.push(active);
    return () => {
      this.failures = this.failures.filter(f => f !== active);
    };
  }

  /** Delay matching requests by `ms` before they are answered; returns an undo function. */
  addLatency(ms: number, match?: RequestMatcher): () => void {
    const entry = { ms, match };
    this.latencies.push(entry);
    return () => {
      this.latencies = this.latencies.filter(l => l !== entry);
    };
  }

  /** Cut every open watch connection (no final event); returns how many were cut. */
  dropWatches(): number {
    return this.targets.dropWatches();
  }

  /**
   * Compact the history, as etcd compaction does: every resourceVersion
   * issued so far becomes too old to watch from (410 Gone / Expired), and
   * open watches end with an ERROR event carrying that Status, so informers
   * relist. Returns how many watches were ended.
   */
  expireResourceVersions(): number {
    this.targets.compact();
    return this.targets.expireWatches();
  }

  /** Stop listening and cut every connection: clients get ECONNREFUSED until `acceptConnections()`. */
  async refuseConnections() {
    if (this.refusing) return;
    this.refusing = true;
    await this.targets.stopListening();
  }

  /** Listen again on the same address after `refuseConnections()`. */
  async acceptConnections() {
    if (!this.refusing) return;
    this.refusing = false;
    await this.targets.startListening();
  }

  /** Remove every injected fault and accept connections again. */
  async reset() {
    this.failures = [];
    this.latencies = [];
    await this.acceptConnections();
  }

  /** @internal The failure this request gets, if any (consumes one of a counted failure). */
  failureFor(request: RequestInfo): ApiError | undefined {
    const failure = this.failures.find(
      f => f.remaining > 0 && requestMatches(f.match, request),
    );
    if (!failure) return undefined;
    failure.remaining--;
    if (failure.remaining <= 0) {
      this.failures = this.failures.filter(f => f !== failure);
    }
    return new ApiError(
      failure.status,
      reasons[failure.status] ?? 'InternalError',
      failure.status === 500
        ? `Internal error occurred: ${failure.message}`
        : failure.message,
    );
  }

  /** @internal Total delay for this request. */
  latencyFor(request: RequestInfo): number {
    return this.latencies
      .filter(l => requestMatches(l.match, request))
      .reduce((sum, l) => sum + l.ms, 0);
  }
}
