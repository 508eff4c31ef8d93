export interface BackoffOptions {
  /** Delay ceiling of the first retry. */
  initialMs: number;
  /** No retry waits longer than this. */
  maxMs: number;
  factor: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000, factor: 2 };

/**
 * Delay before reconnect attempt number `attempt` (0 for the first retry): exponential growth with
 * "equal jitter" — half of the step is fixed, half random — so that 1,800 viewers who lost the same
 * server spread their reconnects out, yet none of them retries in a tight loop.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const step = Math.min(options.maxMs, options.initialMs * options.factor ** Math.max(0, attempt));
  return Math.round(step / 2 + (random() * step) / 2);
}
