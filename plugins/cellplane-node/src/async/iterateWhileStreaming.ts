/** Thrown into a stream's producer when the consumer has stopped iterating. */
class IterationStopped extends Error {
  constructor() {
    super('the consumer stopped reading');
  }
}

/**
 * Turns a producer that pushes items to a callback (and resolves when it is done) into an async
 * iterable. Items the consumer has not taken yet wait in memory. When the consumer stops early
 * (break, return, throw), the producer's next push throws, so a producer that stops on an
 * exception from its callback (as streamGitFiles does: it stops git) stops; the iteration ends
 * once the producer has.
 */
export async function* iterateWhileStreaming<T>(produce: (push: (item: T) => void) => Promise<unknown>): AsyncGenerator<T> {
  const queue: Array<T | undefined> = [];
  let next = 0;
  let stopped = false;
  let finished = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const producing = produce(item => {
    if (stopped) throw new IterationStopped();
    queue.push(item);
    wake?.();
  }).then(
    () => {
      finished = true;
      wake?.();
    },
    error => {
      failure = { error };
      finished = true;
      wake?.();
    },
  );
  try {
    for (;;) {
      if (next < queue.length) {
        const item = queue[next] as T;
        queue[next] = undefined; // taken: let it be collected
        next += 1;
        yield item;
      } else if (failure) {
        throw failure.error;
      } else if (finished) {
        return;
      } else {
        await new Promise<void>(resolve => {
          wake = resolve;
        });
        wake = undefined;
      }
    }
  } finally {
    stopped = true;
    await producing;
  }
}
