package org.plenum.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimiterTest {
  @Test
  void burstPassesThenTheRateHoldsAndSaysHowLongToWait() {
    RateLimiter limiter = new RateLimiter(10, 20, 0);
    for (int i = 0; i < 20; i++) {
      assertThat(limiter.tryAcquire(0)).isZero();
    }
    assertThat(limiter.tryAcquire(0)).isEqualTo(100);
    assertThat(limiter.tryAcquire(100_000_000L)).isZero();
  }

  @Test
  void ignoringRefusalsIsFlooding() {
    RateLimiter limiter = new RateLimiter(1, 2, 0);
    limiter.tryAcquire(0);
    limiter.tryAcquire(0);
    for (int i = 0; i < 5; i++) {
      limiter.tryAcquire(0);
    }
    assertThat(limiter.isFlooding()).isTrue();
  }
}
