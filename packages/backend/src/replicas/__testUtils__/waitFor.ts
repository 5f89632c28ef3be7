import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Waits for a condition, never for a guessed time: checks `condition` until it returns a truthy
 * value (which it resolves with), and fails after `timeoutMs` saying what it waited for and the
 * last thing the condition said (its last error, or `describe()`).
 */
export async function waitFor<T>(
  what: string,
  condition: () => Promise<T | undefined | false> | T | undefined | false,
  options: { timeoutMs?: number; intervalMs?: number; describe?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  let last = '';
  for (;;) {
    try {
      const value = await condition();
      if (value) return value;
      last = options.describe?.() ?? '';
    } catch (error) {
      last = String(error);
      if (/exited before/.test(last)) throw error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${options.timeoutMs ?? 120_000} ms waiting for ${what}${last ? `: ${last}` : ''}`);
    }
    await sleep(options.intervalMs ?? 250);
  }
}
