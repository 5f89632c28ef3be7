import type { Steps } from '@cellplane/backstage-plugin-common';

// Long synchronous work (parsing a big file, validating thousands of documents, cross-checking a
// whole model) is written as Steps: the same steps run to completion at once for synchronous
// callers (the CLI, tests), or in slices for the backend, which must keep answering requests
// while it loads a hostile commit.
export type { Steps };

/** Runs steps without pausing. @internal */
export function runToCompletion<T>(steps: Steps<T>): T {
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}

/**
 * Runs steps in slices of about `sliceMs` of work, giving the event loop a turn between slices
 * (`setImmediate`, so pending I/O such as liveness requests is served before the next slice).
 * One instance is shared by every piece of one load, so the slice spans pieces.
 *
 * @public
 */
export class EventLoopSlicer {
  private sliceStart = performance.now();

  constructor(private readonly sliceMs = 10) {}

  /** Runs steps to their end, giving the event loop a turn whenever a slice is used up. */
  async run<T>(steps: Steps<T>): Promise<T> {
    let step = steps.next();
    while (!step.done) {
      // Awaited only when due: an await per step would cost more than most steps.
      if (performance.now() - this.sliceStart >= this.sliceMs) await this.pause();
      step = steps.next();
    }
    return step.value;
  }

  /** In a loop of short synchronous steps: gives the event loop a turn when a slice is used up. */
  async yieldIfDue(): Promise<void> {
    if (performance.now() - this.sliceStart >= this.sliceMs) await this.pause();
  }

  private async pause(): Promise<void> {
    await new Promise<void>(resolve => setImmediate(resolve));
    this.sliceStart = performance.now();
  }
}
