package org.plenum.gateway;

/**
 * A token bucket per session: {@code perSecond} sustained, {@code burst} at once. Also tells
 * when a client keeps hammering far beyond its limit (then it is closed as flooding).
 */
final class RateLimiter {
  private final double perNano;
  private final double burst;
  private double tokens;
  private long last;
  private int refusedInARow;

  RateLimiter(double perSecond, int burst, long nowNanos) {
    this.perNano = perSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.last = nowNanos;
  }

  /** @return 0 if the message may pass, else the milliseconds until one would */
  long tryAcquire(long nowNanos) {
    tokens = Math.min(burst, tokens + (nowNanos - last) * perNano);
    last = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      refusedInARow = 0;
      return 0;
    }
    refusedInARow++;
    return Math.max(1, (long) Math.ceil((1 - tokens) / perNano / 1e6));
  }

  /** True once the client ignored more refusals in a row than a whole burst. */
  boolean isFlooding() {
    return refusedInARow > burst * 2;
  }
}
