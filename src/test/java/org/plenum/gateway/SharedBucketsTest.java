package org.plenum.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.plenum.config.Rate;

class SharedBucketsTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aBurstPassesThenTheRateRefillsEvenly() {
    SharedBuckets buckets = new SharedBuckets(new Rate(5, 10), 100);
    for (int i = 0; i < 5; i++) {
      assertThat(buckets.tryAcquire("p", 0)).isZero();
    }
    assertThat(buckets.tryAcquire("p", 0)).isEqualTo(2000);
    assertThat(buckets.tryAcquire("p", 1 * SECOND)).isEqualTo(1000);
    assertThat(buckets.tryAcquire("p", 2 * SECOND)).isZero();
    assertThat(buckets.tryAcquire("other", 2 * SECOND)).as("keys are independent").isZero();
  }

  @Test
  void sweepingDropsOnlyFullBucketsAndLosesNothing() {
    SharedBuckets buckets = new SharedBuckets(new Rate(2, 10), 100);
    buckets.tryAcquire("a", 0);
    buckets.tryAcquire("a", 0);
    buckets.sweep(1 * SECOND);
    assertThat(buckets.size()).isEqualTo(1);
    assertThat(buckets.tryAcquire("a", 1 * SECOND)).as("still empty after the sweep").isPositive();
    buckets.sweep(10 * SECOND);
    assertThat(buckets.size()).isZero();
    assertThat(buckets.tryAcquire("a", 10 * SECOND)).isZero();
  }

  @Test
  void pastItsKeyBudgetNewKeysAreRefusedUntilASweepFreesRoom() {
    SharedBuckets buckets = new SharedBuckets(new Rate(1, 1), 2);
    assertThat(buckets.tryAcquire("a", 0)).isZero();
    assertThat(buckets.tryAcquire("b", 0)).isZero();
    assertThat(buckets.tryAcquire("c", 0)).isPositive();
    assertThat(buckets.tryAcquire("c", 2 * SECOND)).as("the full buckets were swept").isZero();
  }

  @Test
  void threadsRacingForOneBucketNeverTakeMoreThanItHolds() throws InterruptedException {
    SharedBuckets buckets = new SharedBuckets(new Rate(100, 60), 100);
    AtomicInteger taken = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Thread thread = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < 1000; i++) {
          if (buckets.tryAcquire("p", 0) == 0) {
            taken.incrementAndGet();
          }
          if (i % 100 == 0) {
            buckets.sweep(0); // sweeps running meanwhile find nothing full and change nothing
          }
        }
      });
      thread.start();
      threads.add(thread);
    }
    go.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(taken.get()).isEqualTo(100);
  }
}
