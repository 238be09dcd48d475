import { type ResolvedRetry, retryDelay } from '../options/retry.js';

/** `retry`: the attempts each item has made, and the timers of the retries that wait for their turn. */
export class Retries {
  #attempts = new Map<number, number>();
  #timers = new Set<NodeJS.Timeout>();

  constructor(readonly policy: ResolvedRetry | undefined) {}

  /**
   * An attempt of item `index` failed with `error`: schedules `again` after the policy's wait and
   * returns true, or returns false (no retry left, or `shouldRetry` said no). Throws what `shouldRetry` throws.
   */
  retry(index: number, error: Error, again: () => void): boolean {
    const { policy } = this;
    if (!policy) return false;
    const attempt = (this.#attempts.get(index) ?? 0) + 1;
    if (attempt > policy.retries || !policy.shouldRetry(error, attempt)) return false;
    this.#attempts.set(index, attempt);
    const timer = setTimeout(
      () => {
        this.#timers.delete(timer);
        again();
      },
      retryDelay(policy, attempt),
    );
    this.#timers.add(timer);
    return true;
  }

  /** The item is done: how many attempts it took (1 without retries). */
  settle(index: number): number {
    const attempts = (this.#attempts.get(index) ?? 0) + 1;
    this.#attempts.delete(index);
    return attempts;
  }

  cancel(): void {
    for (const timer of this.#timers) clearTimeout(timer);
  }
}
