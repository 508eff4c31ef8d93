package org.plenum.gateway;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.plenum.config.Rate;

/**
 * Token buckets by key (a participant, an address), one set per node shared by every event loop:
 * at most {@code count} in any window of {@code seconds}, refilled evenly. Lock-free: each bucket
 * is the generic cell rate algorithm (GCRA), one {@code long} (the theoretical arrival time of the
 * next allowed request) moved by compare-and-set.
 *
 * <p>Memory stays bounded: a bucket whose arrival time has passed is exactly as full as a new one,
 * so {@link #sweep} drops it without losing anything; a key lives at most {@code seconds} past its
 * last use. A bucket being dropped is first marked dead, so a request racing the sweep cannot be
 * counted in a bucket that no longer exists. Past {@code maxKeys} live keys new keys are refused
 * (fail closed) until a sweep frees room.
 */
final class SharedBuckets {
  private static final long DEAD = Long.MIN_VALUE;

  private final long intervalNanos;
  private final long toleranceNanos;
  private final int maxKeys;
  private final Map<String, AtomicLong> buckets = new ConcurrentHashMap<>();

  SharedBuckets(Rate rate, int maxKeys) {
    this.intervalNanos = rate.seconds() * 1_000_000_000L / rate.count();
    this.toleranceNanos = intervalNanos * (rate.count() - 1);
    this.maxKeys = maxKeys;
  }

  /** Takes one from {@code key}'s bucket: 0 if allowed, else the milliseconds until one would be. */
  long tryAcquire(String key, long nowNanos) {
    while (true) {
      AtomicLong bucket = buckets.get(key);
      if (bucket == null) {
        if (buckets.size() >= maxKeys) {
          sweep(nowNanos);
          if (buckets.size() >= maxKeys) {
            return Math.max(1, intervalNanos / 1_000_000);
          }
        }
        AtomicLong fresh = new AtomicLong(nowNanos + intervalNanos);
        AtomicLong raced = buckets.putIfAbsent(key, fresh);
        if (raced == null) {
          return 0;
        }
        bucket = raced;
      }
      long tat = bucket.get();
      if (tat == DEAD) {
        buckets.remove(key, bucket); // a sweep is dropping it: help, then take a fresh one
        continue;
      }
      long from = Math.max(tat, nowNanos);
      long ahead = from - nowNanos;
      if (ahead > toleranceNanos) {
        return Math.max(1, (ahead - toleranceNanos + 999_999) / 1_000_000);
      }
      if (bucket.compareAndSet(tat, from + intervalNanos)) {
        return 0;
      }
    }
  }

  /**
   * Whether {@code key}'s bucket is empty, without taking from it: 0 if a take would be allowed,
   * else the milliseconds until one would be. For limits that count failures only, checked before
   * the attempt so a blocked key learns nothing from it (the event passcode).
   */
  long waitFor(String key, long nowNanos) {
    AtomicLong bucket = buckets.get(key);
    long tat = bucket == null ? DEAD : bucket.get();
    if (tat == DEAD) {
      return 0;
    }
    long ahead = Math.max(tat, nowNanos) - nowNanos;
    return ahead > toleranceNanos ? Math.max(1, (ahead - toleranceNanos + 999_999) / 1_000_000) : 0;
  }

  /** Drops every bucket that is full again; called periodically and when the key budget is spent. */
  void sweep(long nowNanos) {
    for (Map.Entry<String, AtomicLong> e : buckets.entrySet()) {
      AtomicLong bucket = e.getValue();
      long tat = bucket.get();
      if (tat != DEAD && tat - nowNanos <= 0 && bucket.compareAndSet(tat, DEAD)) {
        buckets.remove(e.getKey(), bucket);
      }
    }
  }

  int size() {
    return buckets.size();
  }
}
